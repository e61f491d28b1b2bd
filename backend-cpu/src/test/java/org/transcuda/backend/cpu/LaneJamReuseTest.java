package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.classfile.ClassFile;
import java.lang.classfile.attribute.CodeAttribute;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transcuda.cuda.Dim3;
import org.transcuda.spi.BackendException;

/**
 * {@link LaneJam}'s interleaved runs with the other threads' run-local registers in reused JVM locals ({@link
 * LaneJam#reuse}): a run with many such registers whose live ranges overlap and are disjoint, of three JVM kinds
 * (float, int, double), so that a local reused while its first owner is still live clobbers a value that is read
 * later; every output bit for bit against a Java reference, 2, 4 and 8 threads per step, rows that are and are not
 * multiples of the width (and narrower than it), 0, 1 and 3 tile iterations; the same with reuse off; and the
 * segment method's locals fewer with reuse than without. Kernel: {@code src/test/resources/kernels/jamreuse.cu}.
 */
class LaneJamReuseTest {
    /** The interleaved loops themselves: without LaneVec's vectors, which would take the rows' threads first. */
    @org.junit.jupiter.api.BeforeEach
    void scalarOnly() {
        LaneVec.offForTests = true;
    }

    @AfterEach
    void restore() {
        LaneVec.offForTests = false;
        LaneJam.widthForTests = 0;
        LaneJam.reuseSlots = !"false".equals(System.getProperty("transcuda.cpu.jamSlotReuse"));
    }

    private static Gpu gpu() throws BackendException {
        Gpu g = new Gpu(2);
        g.device.engine(CpuDevice.Engine.LOCKSTEP);
        return g;
    }

    /** NVIDIA's canonical NaN for any NaN result of an f32 operation. */
    private static float cf(float x) {
        return Float.isNaN(x) ? Float.intBitsToFloat(0x7fffffff) : x;
    }

    private static float value(int i, int salt) {
        return switch ((i * 7 + salt) % 503) {
            case 0 -> Float.intBitsToFloat(0x7fc00123); // quiet NaN with a payload
            case 1 -> Float.intBitsToFloat(0xff800005); // negative signalling NaN
            case 2 -> Float.POSITIVE_INFINITY;
            case 3 -> Float.NEGATIVE_INFINITY;
            case 4, 5, 6, 7, 8 -> -0.0f;
            case 9, 10, 11 -> 0.0f;
            default -> switch ((i * 13 + salt) % 5) {
                case 0 -> 1.0f + 0x1p-12f;
                case 1 -> 1.0f - 0x1p-12f;
                case 2 -> -1.0f - 0x1p-11f;
                default -> ((i * 31 + salt * 17) % 61 - 30) * 0.37f;
            };
        };
    }

    /** The kernel's run for one thread, in Java: acc after one tile pair. */
    private static float step(float[] as, float[] bs, int base, int tx, int ty, int it, float acc) {
        float b0 = bs[base + tx], b1 = bs[base + 16 + tx], b2 = bs[base + 32 + tx], b3 = bs[base + 48 + tx];
        float b4 = bs[base + 64 + tx], b5 = bs[base + 80 + tx], b6 = bs[base + 96 + tx], b7 = bs[base + 112 + tx];
        float a0 = as[base + ty * 16], a1 = as[base + ty * 16 + 1], a2 = as[base + ty * 16 + 2];
        float a3 = as[base + ty * 16 + 3];
        float u = cf(b0 * b7);
        float v = cf(Math.fma(a1, b1, u));
        float w = cf(b2 + b3);
        float x = cf(Math.fma(v, w, acc));
        int m = ((int) b3 + it) & 15; // cvt.rzi.s32.f32: truncation, saturating, NaN to 0 (as Java's cast)
        float fm = cf((float) m * 0.25f);
        double e = (double) b4 * (double) b5; // mul.rn.f64
        e = e + (double) x; // add.rn.f64
        float y = cf((float) e);
        float z = cf(Math.fma(b6, a2, fm));
        float s = cf(b7 - b1);
        float r = cf(Math.fma(y, a3, z));
        float q = cf(a0 * b0);
        return cf(cf(r + s) + q);
    }

    private static int[] reference(float[] a, float[] b, float[] init, int grid, int nx, int ny, int nz, int iters,
            int live) {
        int n = nx * ny * nz;
        int[] out = new int[grid * n];
        for (int blk = 0; blk < grid; blk++) {
            for (int t = 0; t < Math.min(n, live); t++) {
                int tx = t % nx, ty = t / nx % ny;
                float acc = init[blk * n + t];
                for (int it = 0; it < iters; it++) acc = step(a, b, (blk * iters + it) * 256, tx, ty, it, acc);
                out[blk * n + t] = Float.floatToRawIntBits(acc);
            }
        }
        return out;
    }

    /** Runs the kernel, compares every output with the reference; returns how many are NaN. */
    static int run(Gpu gpu, int grid, int nx, int ny, int nz, int iters, int live, int salt) throws Exception {
        int n = nx * ny * nz;
        int tiles = Math.max(1, grid * iters) * 256;
        float[] a = new float[tiles], b = new float[tiles], init = new float[grid * n];
        for (int i = 0; i < tiles; i++) {
            a[i] = value(i, salt);
            b[i] = value(i * 3 + 1, salt + 5);
        }
        for (int i = 0; i < init.length; i++) init[i] = value(i * 5, salt + 11);
        long da = gpu.upload(a), db = gpu.upload(b), di = gpu.upload(init);
        long dout = gpu.upload(new float[grid * n]);
        gpu.launch(SchedulingTest.kernel(gpu, "jamreuse.ptx", "jam_reuse"), Dim3.of(grid), new Dim3(nx, ny, nz), 0,
                iters, da, db, di, dout, live);
        gpu.sync();
        int[] want = reference(a, b, init, grid, nx, ny, nz, iters, live);
        int[] got = gpu.ints(dout, grid * n);
        int nans = 0;
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], "out[" + i + "] of block " + nx + "x" + ny + "x" + nz + ", " + iters
                    + " iterations, width " + LaneJam.width() + ", reuse " + LaneJam.reuseSlots + ": want "
                    + Float.intBitsToFloat(want[i]) + ", got " + Float.intBitsToFloat(got[i]));
            if (Float.isNaN(Float.intBitsToFloat(want[i]))) nans++;
        }
        return nans;
    }

    private static void everyShape(int width) throws Exception {
        LaneJam.widthForTests = width;
        int[][] shapes = {{16, 16, 1}, {13, 7, 1}, {5, 3, 2}, {8, 2, 1}, {3, 5, 1}, {16, 1, 1}};
        try (Gpu gpu = gpu()) {
            long expected = 0, nans = 0, outputs = 0;
            int grid = 3;
            for (int[] s : shapes) {
                for (int iters : new int[] {0, 1, 3}) {
                    int n = s[0] * s[1] * s[2];
                    nans += run(gpu, grid, s[0], s[1], s[2], iters, n, iters + s[0] + width);
                    if (iters > 0) outputs += (long) grid * n;
                    // every row of every block runs ntx - ntx % width threads interleaved, once per tile pair
                    expected += (long) grid * iters * s[1] * s[2] * (s[0] - s[0] % width);
                    assertEquals(expected, gpu.device.jamLanes.sum(), "threads x runs interleaved, width " + width
                            + ", after " + s[0] + "x" + s[1] + "x" + s[2] + ", " + iters);
                }
            }
            assertTrue(nans > 0 && nans < outputs / 2, "some NaN results, not only: " + nans + " of " + outputs);
        }
    }

    @Test
    void twoThreadsPerStep() throws Exception {
        everyShape(2);
    }

    @Test
    void fourThreadsPerStep() throws Exception {
        everyShape(4);
    }

    @Test
    void eightThreadsPerStep() throws Exception {
        everyShape(8);
    }

    @Test
    void eightThreadsPerStepWithoutReuse() throws Exception {
        LaneJam.reuseSlots = false;
        everyShape(8);
    }

    @Test
    void notEveryThreadActiveRunsThePlainLoop() throws Exception {
        LaneJam.widthForTests = 8;
        try (Gpu gpu = gpu()) {
            run(gpu, 2, 16, 16, 1, 3, 201, 3);
            assertEquals(0, gpu.device.jamLanes.sum());
        }
    }

    /** The largest number of JVM locals of the kernel's lockstep segment methods, compiled with width 8. */
    private static int maxLocals(Path dir, boolean reuse) throws Exception {
        LaneJam.widthForTests = 8;
        LaneJam.reuseSlots = reuse;
        String old = System.getProperty("transcuda.cpu.dump");
        System.setProperty("transcuda.cpu.dump", dir.toString());
        try (Gpu gpu = gpu()) {
            run(gpu, 1, 16, 16, 1, 1, 256, 1);
        } finally {
            if (old == null) System.clearProperty("transcuda.cpu.dump");
            else System.setProperty("transcuda.cpu.dump", old);
        }
        int max = 0;
        for (var m : ClassFile.of().parse(Files.readAllBytes(dir.resolve("jam_reuse.class"))).methods()) {
            if (m.methodName().stringValue().matches("ls[0-9]+")
                    && m.code().orElse(null) instanceof CodeAttribute ca) {
                max = Math.max(max, ca.maxLocals());
            }
        }
        return max;
    }

    @Test
    void reuseNeedsFewerLocals(@TempDir Path on, @TempDir Path off) throws Exception {
        int with = maxLocals(on, true), without = maxLocals(off, false);
        // 7 extra threads: without reuse each has its own local per run-local register (about 30 here)
        assertTrue(with + 7 * 15 < without, "locals with reuse " + with + ", without " + without);
    }
}
