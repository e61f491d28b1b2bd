package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;
import org.transcuda.cuda.Dim3;
import org.transcuda.ptx.PtxTranslator;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;

/**
 * {@link VecWidth}: the vector paths' width. The width in effect is the one asked for ({@code
 * -Dtranscuda.cpu.vec256=true}: 256 bits where the preferred species is wider, else the preferred width) in every
 * species the paths use; suite.ptx's reduce (ArmLoadAdd, ArmChain), matmul (LaneVec's fma rows and tile copies,
 * VecConsecutive) and scan_block (WarpScanVec, ConstRunsVec) at several sizes bit for bit against Java references
 * computed here, with the vector paths' counters showing they ran. The default surefire run checks the preferred
 * width; the execution {@code vec256} runs this class once more with {@code -Dtranscuda.cpu.vec256=true}.
 */
class VecWidthTest {
    private static final int CANONICAL = 0x7fff_ffff;

    private static Gpu gpu(int workers) throws BackendException {
        Gpu g = new Gpu(workers);
        g.device.engine(CpuDevice.Engine.LOCKSTEP);
        return g;
    }

    private static BackendFunction suite(Gpu gpu, String name) throws Exception {
        Path ptx = Path.of(System.getProperty("user.dir")).resolve("../bench/kernels/suite.ptx");
        var suite = PtxTranslator.translate("suite.ptx", Files.readString(ptx, StandardCharsets.UTF_8));
        return gpu.ctx.loadModule(suite).function(name);
    }

    private static int expectedBits() {
        int preferred = FloatVector.SPECIES_PREFERRED.vectorBitSize();
        return "true".equals(System.getProperty("transcuda.cpu.vec256")) && preferred > 256 ? 256 : preferred;
    }

    @Test
    void widthInEffect() {
        int bits = expectedBits();
        assertEquals(bits, VecWidth.bits());
        assertEquals(bits, LaneVecOps.F.vectorBitSize(), "LaneVecOps.F");
        assertEquals(bits, LaneVecOps.I.vectorBitSize(), "LaneVecOps.I");
        assertEquals(bits / 32, LaneVec.length(), "lanes per vector");
        assertEquals(bits, VecWidth.l().vectorBitSize(), "VecConsecutive's longs");
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
        for (int workers : new int[] {1, 2}) {
            try (Gpu gpu = gpu(workers)) {
                BackendFunction f = suite(gpu, "reduce");
                long din = gpu.upload(in);
                long chains = 0;
                for (int n : new int[] {grid * 512, grid * 512 - 3, grid * 512 - 413, grid * 512 - 300,
                    grid * 512 - 511, 1000, 5, -1}) {
                    long dout = gpu.upload(new int[grid]);
                    gpu.launch(f, Dim3.of(grid), Dim3.of(256), 0, n, din, dout);
                    gpu.sync();
                    int[] want = reduceReference(in, n, grid);
                    int[] got = gpu.ints(dout, grid);
                    for (int b = 0; b < grid; b++) {
                        assertEquals(want[b], got[b], "reduce n=" + n + ": partial[" + b + "] want "
                                + Float.intBitsToFloat(want[b]) + ", got " + Float.intBitsToFloat(got[b]));
                    }
                    chains += grid;
                    assertEquals(chains, gpu.device.armChains.sum(), "chains run, n=" + n);
                }
                assertTrue(gpu.device.armLoadAdds.sum() > 0, "ArmLoadAdd's vector loop ran");
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
        for (int n : new int[] {16, 48, 64}) {
            for (int workers : new int[] {1, 2}) {
                try (Gpu gpu = gpu(workers)) {
                    int[] a = matrix(n, 3 + n), b = matrix(n, 17 + n);
                    long da = gpu.upload(a), db = gpu.upload(b), dc = gpu.alloc(4L * n * n);
                    gpu.launch(suite(gpu, "matmul"), Dim3.of(n / 16, n / 16), Dim3.of(16, 16), 0, n, da, db, dc);
                    gpu.sync();
                    String what = "matmul n = " + n + ", " + workers + " workers";
                    assertArrayEquals(matmulReference(n, a, b), gpu.ints(dc, n * n), what);
                    long blocks = (long) (n / 16) * (n / 16);
                    // every thread's fma run as vectors, once per tile
                    assertEquals(blocks * (n / 16) * 256, gpu.device.vecLanes.sum(), what);
                    assertTrue(gpu.device.vecCopies.sum() > 0, what + ": tile loads copied as vectors");
                }
            }
        }
    }

    // ---- scan_block ----

    @Test
    void scanBitForBit() throws Exception {
        for (int n : new int[] {256, 1613, 2304, 4099}) {
            for (int workers : new int[] {1, 2}) {
                java.util.Random rnd = new java.util.Random(n + workers);
                int[] in = new int[n];
                for (int i = 0; i < n; i++) in[i] = rnd.nextInt();
                try (Gpu gpu = gpu(workers)) {
                    SuiteScanBlock.runAndCheck(gpu, in);
                    int grid = (n + 255) / 256;
                    assertEquals(8L * grid, gpu.device.warpScanVecs.sum(), "whole warps as vectors, n = " + n);
                }
            }
        }
    }
}
