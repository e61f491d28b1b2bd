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
