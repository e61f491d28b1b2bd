package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.Dim3;
import org.transcuda.ptx.PtxTranslator;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;

/**
 * {@link SharedAlign} ({@code -Dtranscuda.cpu.sharedAlign=false}: base 0): the shared window's user words from byte
 * 48. The layout's base ({@code sharedalign_hand.ptx}'s {@code layout}: the static variable's address is 48 by
 * default — the class fails with the switch off, by design — the dynamic area after it, {@code %total_smem_size} and
 * the function's static bytes in user bytes); the launch limit in user bytes; shared accesses at the lowest and
 * highest valid words succeed and just below (into the pad) and just above the window fault with
 * CUDA_ERROR_ILLEGAL_ADDRESS at their block, thread and instruction, through shared-space and generic addresses, on
 * both engines; suite.ptx's reduce and matmul bit for bit against Java references on both engines, with the
 * lockstep engine's vector paths (ArmChain, ArmLoadAdd, LaneVec) counted as having run on the moved window.
 */
class SharedAlignTest {
    private static final int CANONICAL = 0x7fff_ffff;
    private static final CpuDevice.Engine[] ENGINES = {CpuDevice.Engine.LOCKSTEP, CpuDevice.Engine.THREAD};

    private static Gpu gpu(int workers, CpuDevice.Engine engine) throws BackendException {
        Gpu g = new Gpu(workers);
        g.device.engine(engine);
        return g;
    }

    private static BackendFunction suite(Gpu gpu, String name) throws Exception {
        Path ptx = Path.of(System.getProperty("user.dir")).resolve("../bench/kernels/suite.ptx");
        var suite = PtxTranslator.translate("suite.ptx", Files.readString(ptx, StandardCharsets.UTF_8));
        return gpu.ctx.loadModule(suite).function(name);
    }

    // ---- layout ----

    @Test
    void baseIs48ByDefault() {
        assertEquals(48, SharedAlign.BASE, "the base in effect (run without -Dtranscuda.cpu.sharedAlign=false)");
    }

    @Test
    void layoutStartsAtTheBase() throws Exception {
        for (CpuDevice.Engine engine : ENGINES) {
            try (Gpu gpu = gpu(1, engine)) {
                BackendFunction f = SchedulingTest.kernel(gpu, "sharedalign_hand.ptx", "layout");
                assertEquals(256, f.staticSharedBytes(), "static shared bytes (user bytes)");
                long dout = gpu.upload(new int[4]);
                gpu.launch(f, Dim3.of(1), Dim3.of(32), 64, dout);
                gpu.sync();
                int[] got = gpu.ints(dout, 4);
                String what = engine.toString();
                assertEquals(48, got[0], what + ": buf's shared address");
                assertEquals(256 + 64, got[1], what + ": %total_smem_size");
                assertEquals(64, got[2], what + ": %dynamic_smem_size");
                assertEquals(48 + 256, got[3], what + ": dyn's shared address (16-aligned after buf)");
            }
        }
    }

    @Test
    void launchLimitCountsUserBytes() throws Exception {
        try (Gpu gpu = gpu(1, CpuDevice.Engine.LOCKSTEP)) {
            BackendFunction f = SchedulingTest.kernel(gpu, "sharedalign_hand.ptx", "layout");
            int max = gpu.device.properties().sharedMemoryPerBlock();
            long dout = gpu.upload(new int[4]);
            gpu.launch(f, Dim3.of(1), Dim3.of(32), max - 256, dout);
            gpu.sync();
            int[] got = gpu.ints(dout, 4);
            assertEquals(max, got[1], "%total_smem_size at the limit");
            BackendException e = assertThrows(BackendException.class, () -> {
                gpu.launch(f, Dim3.of(1), Dim3.of(32), max - 256 + 1, dout);
                gpu.sync();
            });
            assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, e.result(), e.getMessage());
        }
    }

    // ---- window checks at the edges ----

    private static void pokeOk(String kernel, int addr) throws Exception {
        for (CpuDevice.Engine engine : ENGINES) {
            try (Gpu gpu = gpu(1, engine)) {
                BackendFunction f = SchedulingTest.kernel(gpu, "sharedalign_hand.ptx", kernel);
                long dout = gpu.upload(new int[2]);
                gpu.launch(f, 1, 64, dout, addr, 37);
                gpu.sync();
                String what = kernel + " at " + addr + ", " + engine;
                assertArrayEquals(new int[] {137, SharedAlign.BASE}, gpu.ints(dout, 2), what);
            }
        }
    }

    private static void pokeFaults(String kernel, int addr, String access) throws Exception {
        for (CpuDevice.Engine engine : ENGINES) {
            try (Gpu gpu = gpu(1, engine)) {
                BackendFunction f = SchedulingTest.kernel(gpu, "sharedalign_hand.ptx", kernel);
                long dout = gpu.upload(new int[2]);
                gpu.launch(f, 1, 64, dout, addr, 37);
                BackendException e = assertThrows(BackendException.class, gpu::sync, kernel + " at " + addr);
                String what = kernel + " at " + addr + ", " + engine + ": " + e.getMessage();
                assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result(), what);
                assertTrue(e.getMessage().contains("block (0,0,0), thread (37,0,0)"), what);
                assertTrue(e.getMessage().contains(access), what);
                assertTrue(e.getMessage().contains("0x" + Integer.toHexString(addr)), what);
                assertArrayEquals(new int[2], gpu.ints(dout, 2), what);
            }
        }
    }

    @Test
    void lowestAndHighestWordsSucceed() throws Exception {
        for (String k : new String[] {"poke", "pokeg"}) {
            pokeOk(k, SharedAlign.BASE);
            pokeOk(k, SharedAlign.BASE + 252);
        }
    }

    @Test
    void belowAndAboveTheWindowFault() throws Exception {
        pokeFaults("poke", SharedAlign.BASE - 4, "st.shared");
        pokeFaults("poke", SharedAlign.BASE + 256, "st.shared");
        pokeFaults("pokeg", SharedAlign.BASE + 256, "st.generic.u32");
        if (SharedAlign.BASE > 0) {
            pokeFaults("poke", 0, "st.shared");
            pokeFaults("pokeg", SharedAlign.BASE - 4, "st.generic.u32");
            pokeFaults("pokeg", 0, "st.generic.u32");
        }
    }

    // ---- reduce ----

    private static float canon(float v) {
        return v != v ? Float.intBitsToFloat(CANONICAL) : v;
    }

    private static int[] reduceReference(float[] in, int n, int grid) {
        long un = n & 0xffff_ffffL;
        int[] out = new int[grid];
        float[] s = new float[256];
        for (int b = 0; b < grid; b++) {
            for (int t = 0; t < 256; t++) {
                long i = b * 512L + t;
                float v = i < un ? in[(int) i] : 0.0f;
                if (i + 256 < un) v = canon(v + in[(int) i + 256]);
                s[t] = v;
            }
            for (int stride = 128; stride > 0; stride >>= 1) {
                for (int t = 0; t < stride; t++) s[t] = canon(s[t + stride] + s[t]);
            }
            out[b] = Float.floatToRawIntBits(s[0]);
        }
        return out;
    }

    @Test
    void reduceBitForBit() throws Exception {
        int grid = 9;
        java.util.Random rnd = new java.util.Random(5);
        float[] in = new float[grid * 512];
        for (int i = 0; i < in.length; i++) in[i] = (rnd.nextFloat() - 0.5f) * (1 << rnd.nextInt(20));
        in[700] = Float.intBitsToFloat(0x7fc0_0123);
        in[1300] = Float.POSITIVE_INFINITY;
        in[1301 + 256] = Float.NEGATIVE_INFINITY;
        in[2000] = -0.0f;
        in[3000] = Float.MIN_VALUE;
        for (CpuDevice.Engine engine : ENGINES) {
            for (int workers : new int[] {1, 2}) {
                try (Gpu gpu = gpu(workers, engine)) {
                    BackendFunction f = suite(gpu, "reduce");
                    long din = gpu.upload(in);
                    long chains = 0;
                    for (int n : new int[] {grid * 512, grid * 512 - 3, grid * 512 - 413, 1000, 5, -1}) {
                        long dout = gpu.upload(new int[grid]);
                        gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, n, din, dout);
                        gpu.sync();
                        int[] want = reduceReference(in, n, grid);
                        int[] got = gpu.ints(dout, grid);
                        for (int b = 0; b < grid; b++) {
                            assertEquals(want[b], got[b], engine + ", reduce n=" + n + ": partial[" + b + "] want "
                                    + Float.intBitsToFloat(want[b]) + ", got " + Float.intBitsToFloat(got[b]));
                        }
                        if (engine == CpuDevice.Engine.LOCKSTEP) {
                            chains += grid;
                            assertEquals(chains, gpu.device.armChains.sum(), "ArmChain's chains run, n=" + n);
                        }
                    }
                    if (engine == CpuDevice.Engine.LOCKSTEP) {
                        assertTrue(gpu.device.armLoadAdds.sum() > 0, "ArmLoadAdd's vector loop ran");
                    }
                }
            }
        }
    }

    // ---- matmul ----

    private static int[] matrix(int n, long seed) {
        java.util.Random rnd = new java.util.Random(seed);
        int[] m = new int[n * n];
        for (int i = 0; i < m.length; i++) m[i] = Float.floatToRawIntBits(rnd.nextFloat() * 2 - 1);
        int[] sp = {0x7fc0_1234, 0xff80_0001, 0x8000_0000, 0x7f80_0000, Float.floatToRawIntBits(1 + 0x1p-12f)};
        for (int k = 0; k < sp.length; k++) m[(int) ((k * 7919L + seed) % m.length)] = sp[k];
        return m;
    }

    private static int[] matmulReference(int n, int[] a, int[] b) {
        int[] c = new int[n * n];
        for (int r = 0; r < n; r++) {
            for (int col = 0; col < n; col++) {
                float acc = 0f;
                for (int k = 0; k < n; k++) {
                    acc = Math.fma(Float.intBitsToFloat(a[r * n + k]), Float.intBitsToFloat(b[k * n + col]), acc);
                }
                c[r * n + col] = acc != acc ? CANONICAL : Float.floatToRawIntBits(acc);
            }
        }
        return c;
    }

    @Test
    void matmulBitForBit() throws Exception {
        for (CpuDevice.Engine engine : ENGINES) {
            for (int n : new int[] {16, 48}) {
                for (int workers : new int[] {1, 2}) {
                    try (Gpu gpu = gpu(workers, engine)) {
                        int[] a = matrix(n, 3 + n), b = matrix(n, 17 + n);
                        long da = gpu.upload(a), db = gpu.upload(b), dc = gpu.alloc(4L * n * n);
                        gpu.launch(suite(gpu, "matmul"), Dim3.of(n / 16, n / 16), Dim3.of(16, 16), 0, n, da, db,
                                dc);
                        gpu.sync();
                        String what = engine + ", matmul n = " + n + ", " + workers + " workers";
                        assertArrayEquals(matmulReference(n, a, b), gpu.ints(dc, n * n), what);
                        if (engine == CpuDevice.Engine.LOCKSTEP) {
                            long blocks = (long) (n / 16) * (n / 16);
                            assertEquals(blocks * (n / 16) * 256, gpu.device.vecLanes.sum(), what + ": fma rows");
                            assertTrue(gpu.device.vecCopies.sum() > 0, what + ": tile loads copied as vectors");
                        }
                    }
                }
            }
        }
    }
}
