package org.transcuda.corpus;

import java.util.ArrayList;
import java.util.List;

/**
 * corpus/src/globals.cu: __device__ variables, initialised (values copied from the source) and not
 * (zero at module load), state shared by consecutive launches, and host writes to symbols.
 */
final class GlobalsCases {

    private static final String PTX = "globals.ptx";

    /** g_weights[k] = k + 0.5 from globals.cu. */
    static final float[] G_WEIGHTS = new float[16];
    static final int G_OFFSET = 42;

    static {
        for (int k = 0; k < 16; k++) {
            G_WEIGHTS[k] = k + 0.5f;
        }
    }

    private GlobalsCases() {
    }

    static List<KernelCase> cases() {
        List<KernelCase> out = new ArrayList<>();
        Gen g = new Gen(0x6106);
        out.add(read("", g, 300, 64, G_WEIGHTS, G_OFFSET, false));
        float[] w = new float[16];
        for (int k = 0; k < 16; k++) {
            w[k] = -2f * k - 0.25f;
        }
        out.add(read("symbols", g, 100, 32, w, -7, true));
        out.add(scratch("", g, 1100, 128));
        out.add(scratch("n500", g, 500, 64));
        out.add(counterReset());
        out.add(counterAdd("", 1000, 128));
        out.add(counterAdd("partial", 300, 128));
        out.add(counterRead("", 37));
        out.add(counterRead("fresh_module", -1));
        out.add(counterReadSymbol());
        return out;
    }

    static KernelCase read(String v, Gen g, int n, int block, float[] w, int offset, boolean init) {
        float[] a = new float[n], out = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = i < Gen.FLOAT_EDGES.length ? Gen.FLOAT_EDGES[i] : g.anyFloat();
            out[i] = Math.fma(a[i], w[i & 15], (float) offset);
        }
        CaseBuilder b = new CaseBuilder(PTX, "globals_read", v).cover(n, block).in("a", a).out("out", out)
                .u32("n", n);
        if (init) {
            b.symbol("g_weights", Le.f32(w)).symbol("g_offset", Le.i32(offset));
        }
        return b.build();
    }

    static KernelCase scratch(String v, Gen g, int n, int block) {
        int[] a = g.intsWithEdges(n);
        long[] out = CaseBuilder.sentinel64(n);
        for (int i = 0; i < Math.min(n, 1024); i++) {
            out[i] = (a[i] & 0xffffffffL) * 3 + 1;
        }
        return new CaseBuilder(PTX, "globals_scratch", v).cover(n, block).in("a", a).out("out", out).u32("n", n)
                .build();
    }

    static Launch reset() {
        return new CaseBuilder(PTX, "globals_counter_reset", "").launch();
    }

    static Launch add(int n, int block) {
        return new CaseBuilder(PTX, "globals_counter_add", "").cover(n, block).u32("n", n).launch();
    }

    static Launch read(int expected) {
        return new CaseBuilder(PTX, "globals_counter_read", "").out("out", new int[] {expected}).launch();
    }

    static KernelCase counterReset() {
        return new CaseBuilder(PTX, "globals_counter_reset", "").before(add(77, 32)).after(read(0)).build();
    }

    static KernelCase counterAdd(String v, int n, int block) {
        // grid covers more threads than n when n is not a multiple of the block size
        return new CaseBuilder(PTX, "globals_counter_add", v).cover(n, block).u32("n", n).before(reset())
                .after(read(n)).build();
    }

    static KernelCase counterRead(String v, int n) {
        CaseBuilder b = new CaseBuilder(PTX, "globals_counter_read", v).out("out", new int[] {Math.max(n, 0)});
        if (n >= 0) {
            b.before(reset()).before(add(n, 32));
        }
        // n < 0: a freshly loaded module, g_counter has no initialiser and so starts at zero
        return b.build();
    }

    static KernelCase counterReadSymbol() {
        return new CaseBuilder(PTX, "globals_counter_read", "symbol").symbol("g_counter", Le.i32(123456))
                .before(add(5, 32)).out("out", new int[] {123461}).build();
    }
}
