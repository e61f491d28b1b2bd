package org.transcuda.backend.cpu;

import java.nio.ByteOrder;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ScanTail}'s fused pass as vectors ({@code jdk.incubator.vector}; used only when {@link LaneVec#AVAILABLE}):
 * over threads {@code [t0, t1)}, {@code y = v[t] + c} written back to {@code v[t]} and stored to device memory at
 * {@code at + 4·(t - t0)} (native order, as {@link Mem#I32}), whole vectors first, the last lanes one at a time.
 * 32-bit wrapping adds: the same bits as the general path's {@code add.s32} and its {@code st.global.u32}.
 */
final class ScanTailVec {
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private ScanTailVec() {
    }

    /** Ints per vector. */
    static final int LENGTH = I.length();

    /**
     * The whole store range as one loop of {@code nvec} vectors from thread {@code t0}: vector {@code j} adds
     * {@code sh[plan[j]]} ({@code plan[j] < 0}: nothing), writes back to {@code v} and stores at
     * {@code at + 4·LENGTH·j}.
     */
    static void planStore(int[] v, int[] sh, int[] plan, int t0, int nvec, long at) {
        int n = I.length();
        for (int j = 0; j < nvec; j++) {
            int w = plan[j];
            int c = w < 0 ? 0 : sh[w];
            int t = t0 + n * j;
            IntVector y = IntVector.fromArray(I, v, t).add(c);
            y.intoArray(v, t);
            y.intoMemorySegment(Mem.ALL, at + 4L * n * j, ORDER);
        }
    }

    static void addStore(int[] v, int t0, int t1, int c, long at) {
        int n = I.length();
        int t = t0;
        long p = at;
        if (t1 - t0 >= n) {
            IntVector vc = IntVector.broadcast(I, c);
            for (; t <= t1 - n; t += n, p += 4L * n) {
                IntVector y = IntVector.fromArray(I, v, t).add(vc);
                y.intoArray(v, t);
                y.intoMemorySegment(Mem.ALL, p, ORDER);
            }
        }
        for (; t < t1; t++, p += 4) {
            int y = v[t] + c;
            v[t] = y;
            Mem.ALL.set(Mem.I32, p, y);
        }
    }
}
