package org.transcuda.backend.cpu;

import java.nio.ByteOrder;
import java.util.Map;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Lockstep engine: the input phase before a shared-memory reduction as one pass per block, straight from device
 * memory into the shared window. nvcc emits, before the first {@code bar.sync} of such a kernel, a straight chain of
 * if-converted triangles {@code v = c; if (i < n) v = in[i]; if (i + B < n) v += in[i + B]; s[t] = v;} — in this
 * engine one segment per triangle (reduce's {@code ls0}: the fill and the guarded load into {@code v}'s register
 * array, {@code ls2}: the load-add arm reading and writing that array, {@code ls4}: the store into the shared window,
 * then the barrier). Where it applies the whole chain runs as one loop per block, called from the first triangle's
 * segment method right after its block-uniform and thread-constant statements: the LOAD arm's words copied into
 * the window ({@code s[t] = in_1[t]}, one {@code MemorySegment.copy}), then the ADD arm added in place as vectors
 * read straight from device memory ({@code s[t..] = canonical(s[t..] + in_2[t..])}), {@code v}'s array never
 * written, and the method returns the segment after the store's barrier (the segments in between are not entered).
 * Both device streams in one vector loop ({@code s[t..] = canonical(in_1[t..] + in_2[t..])}) measured about twice
 * as slow as the segments it replaced on the AVX-512 host; the two loops are not.
 *
 * <p>Applies (decided when the kernel is compiled, {@code KernelCompiler.inputFuseRegion}) to a chain that starts at
 * an if-converted triangle whose arm's threads are a {@code tid.x} range ({@link SharedAffine#predRange}) and goes
 * through one or two such triangles, whose joins are whole segments without barriers, to a block whose segment is an
 * unguarded weak 32-bit {@code st.shared.f32 [A], v} ({@code A} a constant plus {@code 4·tid.x}) and register-only
 * statements, ended by a complete {@code bar.sync}. Every statement is unguarded; the first triangle's prefix is
 * register-only and may set {@code v} to an f32 constant; an arm is register-only statements plus either
 * {@code v = ld.global.f32 [..]} (LOAD) or {@code x = ld.global.f32 [..]; v = add.rn.f32 v, x} (either order, ADD);
 * each load's site is one of {@link AffineSites}' and the compares' block-uniform registers are defined in the first
 * block. Every register the skipped statements define that is live after the barrier ({@link Liveness}) is left
 * unmaterialized by {@link AffineRegs} (its form's registers not defined by skipped statements) or is a
 * {@link ThreadConst} register whose loop's bit of {@link Exec#lconst} must be set at run time (its array already
 * holds the value for this launch and worker); {@code v} is dead after the store.
 *
 * <p>At run time it applies to a block when every thread is active in a one-dimensional block, each arm's range is
 * all threads or none, each load's site passed the block's check with consecutive elements ({@link LaneBulk#start}),
 * the stored words lie inside the shared window, 4-aligned, and the thread-constant bits are set. Otherwise nothing
 * is written and the segments run as before (partial last blocks, a failed site check, the first block of a worker),
 * so faults keep their block, thread and instruction. Bit for bit: a LOAD moves the raw bits (NaN payloads kept), an
 * ADD is IEEE round-to-nearest with a NaN result replaced by {@link Fp#CANON_F32}, in the arms' order; the shared
 * store writes {@code floatToRawIntBits}. Counted in {@link Exec#inputFuses}. {@code -Dtranscuda.cpu.inputFuse=false}
 * turns it off.
 */
final class InputFuse {
    /** On unless {@code -Dtranscuda.cpu.inputFuse=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.inputFuse"));

    /** Tests of the paths this one takes over: kernels compiled from now on without it. */
    static volatile boolean offForTests;

    /** Arm kinds. */
    static final int LOAD = 0, ADD = 1;

    private static final float NAN = Float.intBitsToFloat(Fp.CANON_F32);

    /**
     * One chain: the initial value's bits, per arm its kind and load site ({@link AffineSites} index), the shared
     * store's byte offset (a constant plus {@code 4·tid.x}), the segment after the barrier, and the thread-constant
     * registers whose loop bits must be set ({@code constRegs}, bits looked up in {@code constBits} on first use: the
     * compiler fills that map as it emits the later segments).
     */
    static final class Region {
        final int init;
        final int[] kind, site;
        final int store;
        final int next;
        final int[] constRegs;
        final Map<Integer, Integer> constBits;
        /** The {@link Exec#lconst} bits needed; -1 until looked up; {@code Long.MIN_VALUE}: never (a bit missing). */
        volatile long need = -1;

        Region(int init, int[] kind, int[] site, int store, int next, int[] constRegs,
                Map<Integer, Integer> constBits) {
            this.init = init;
            this.kind = kind;
            this.site = site;
            this.store = store;
            this.next = next;
            this.constRegs = constRegs;
            this.constBits = constBits;
        }

        long need() {
            long n = need;
            if (n != -1) return n;
            n = 0;
            for (int r : constRegs) {
                Integer b = constBits.get(r);
                if (b == null || b >= ThreadConst.MAX_LOOPS) {
                    n = Long.MIN_VALUE;
                    break;
                }
                n |= 1L << b;
            }
            need = n;
            return n;
        }
    }

    private InputFuse() {
    }

    /**
     * The chain {@code id} (its index in the kernel's own table, {@link CompiledKernel#inputFuses}) for the current
     * block, the arms' ranges {@code r0, r1} from {@link SharedAffine#predRange} (the second 0 when there is one arm): the segment after the barrier, or -1 (nothing written: the segments run).
     */
    static int run(Exec e, int id, long r0, long r1) {
        Region g = e.inputFuseTable[id];
        int n = e.nthreads;
        if (e.lfull == 0 || e.nty != 1 || e.ntz != 1 || e.ntx != n) return -1;
        long need = g.need();
        if (need == Long.MIN_VALUE || (e.lconst & need) != need) return -1;
        int arms = g.kind.length;
        // per arm: its device address for thread 0, or -1 when its range is empty
        long a0 = -1, a1 = -1;
        for (int k = 0; k < arms; k++) {
            long r = k == 0 ? r0 : r1;
            if (r < 0) return -1;
            int lo = (int) (r >>> 32), hi = (int) r;
            long a;
            if (hi <= lo) {
                a = -1;
            } else if (lo == 0 && hi == n) {
                a = LaneBulk.start(e, g.site[k], 4, 0, n);
                if (a < 0) return -1;
            } else {
                return -1;
            }
            if (k == 0) a0 = a;
            else a1 = a;
        }
        int[] sh = e.shared;
        long s0 = g.store;
        if ((s0 & 3) != 0 || s0 < 0 || s0 + 4L * n > e.sharedSize || s0 + 4L * n > 4L * sh.length) return -1;
        int w0 = (int) (s0 >> 2);
        if (arms == 1) {
            one(g.kind[0], g.init, a0, sh, w0, n);
        } else {
            two(g.kind[0], g.kind[1], g.init, a0, a1, sh, w0, n);
        }
        e.inputFuses++;
        return g.next;
    }

    private static void one(int kind, int init, long a, int[] sh, int w0, int n) {
        float c = Float.intBitsToFloat(init);
        if (a < 0) {
            java.util.Arrays.fill(sh, w0, w0 + n, init);
            return;
        }
        if (kind == LOAD) {
            java.lang.foreign.MemorySegment.copy(Mem.ALL, Mem.I32, a, sh, w0, n);
            return;
        }
        for (int t = 0; t < n; t++) {
            float v = c + Mem.ALL.get(Mem.F32, a + 4L * t);
            sh[w0 + t] = Float.floatToRawIntBits(v != v ? NAN : v);
        }
    }

    private static void two(int k0, int k1, int init, long a0, long a1, int[] sh, int w0, int n) {
        if (a1 < 0) {
            one(k0, init, a0, sh, w0, n);
            return;
        }
        if (k1 == LOAD) {
            // the second arm overwrites v for every thread
            one(LOAD, init, a1, sh, w0, n);
            return;
        }
        // k1 == ADD: v = (first arm's value) + in_1[t]
        int t = 0;
        if (a0 >= 0 && k0 == LOAD) {
            // the first arm's raw words into the window, then the add in place: one device stream per loop (both
            // streams in one vector loop measured about twice as slow as the segments it replaces)
            java.lang.foreign.MemorySegment.copy(Mem.ALL, Mem.I32, a0, sh, w0, n);
            if (LaneVec.on()) t = Vec.addInto(a1, sh, w0, n);
            for (; t < n; t++) {
                float v = Float.intBitsToFloat(sh[w0 + t]) + Mem.ALL.get(Mem.F32, a1 + 4L * t);
                sh[w0 + t] = Float.floatToRawIntBits(v != v ? NAN : v);
            }
            return;
        }
        float c = Float.intBitsToFloat(init);
        for (; t < n; t++) {
            float x = a0 < 0 ? c : c + Mem.ALL.get(Mem.F32, a0 + 4L * t);
            if (a0 >= 0 && x != x) x = NAN;
            float v = x + Mem.ALL.get(Mem.F32, a1 + 4L * t);
            sh[w0 + t] = Float.floatToRawIntBits(v != v ? NAN : v);
        }
    }

    /** The vector loop, in its own class so that the vector module is only loaded where it is present. */
    static final class Vec {
        private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
        private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
        private static final ByteOrder ORDER = ByteOrder.nativeOrder();

        private Vec() {
        }

        /**
         * {@code sh[w0 + t] = bits(canonical(float(sh[w0 + t]) + f32 at a1 + 4·t))} for whole vectors of threads;
         * the first thread not done.
         */
        static int addInto(long a1, int[] sh, int w0, int n) {
            int vl = F.length();
            int t = 0;
            for (; t + vl <= n; t += vl) {
                FloatVector v = IntVector.fromArray(I, sh, w0 + t).reinterpretAsFloats()
                        .add(FloatVector.fromMemorySegment(F, Mem.ALL, a1 + 4L * t, ORDER));
                v.blend(Fp.NAN_F32, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + t);
            }
            return t;
        }
    }
}
