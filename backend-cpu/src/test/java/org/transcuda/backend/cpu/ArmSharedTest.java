package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.transcuda.cuda.CUresult;
import org.transcuda.ptx.PtxTranslator;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;

/**
 * {@link ArmShared}: an if-converted arm's 32-bit shared load checked once per lane loop for the threads that the
 * predicate selects (scan's {@code if (warp != 0) v += warpSums[warp - 1]}, whose address is outside the array for
 * warp 0). Results against Java references, the loops counted as checked once ({@link CpuDevice#armShared}: a
 * prescan that ignored the predicate would see warp 0's address and never count), and a load past the array in one
 * warp of the arm, which faults at that warp's first thread and the load, with nothing stored to global memory.
 * Kernels: suite.ptx's {@code scan_block} (the fused arm loop) and {@code src/test/resources/kernels/armshared.cu}
 * (the arm after a register-only prefix, {@code splitArm}).
 */
class ArmSharedTest {
    /** scan_block's warp-0 region itself (its lane loops, checks, chain): without {@link Warp0Chain}, which skips it. */
    @org.junit.jupiter.api.BeforeEach
    void withoutWarp0Chain() {
        Warp0Chain.offForTests = true;
    }

    @org.junit.jupiter.api.AfterEach
    void restoreWarp0Chain() {
        Warp0Chain.offForTests = false;
    }

    private static Gpu gpu() throws BackendException {
        Gpu g = new Gpu(2);
        g.device.engine(CpuDevice.Engine.LOCKSTEP);
        return g;
    }

    /** Java reference of scan_block: per block of 256, the inclusive scan (wrapping int sums) and the block total. */
    private static int[][] scanBlock(int[] in, int n, int grid) {
        int[] out = new int[n];
        int[] sums = new int[grid];
        for (int b = 0; b < grid; b++) {
            int acc = 0;
            for (int t = 0; t < 256; t++) {
                int i = b * 256 + t;
                acc += i < n ? in[i] : 0;
                if (i < n) out[i] = acc;
            }
            sums[b] = acc;
        }
        return new int[][] {out, sums};
    }

    @Test
    void scanBlocksWarpTotalsLoadCheckedOncePerBlock() throws Exception {
        Path ptx = Path.of(System.getProperty("user.dir")).resolve("../bench/kernels/suite.ptx");
        var suite = PtxTranslator.translate("suite.ptx", Files.readString(ptx, StandardCharsets.UTF_8));
        Random r = new Random(4);
        for (int n : new int[] {256 * 5, 256 * 3 + 77}) {
            try (Gpu gpu = gpu()) {
                BackendFunction f = gpu.ctx.loadModule(suite).function("scan_block");
                int grid = (n + 255) / 256;
                int[] in = new int[n];
                for (int i = 0; i < n; i++) in[i] = r.nextInt();
                long din = gpu.upload(in);
                long dout = gpu.upload(new int[n]);
                long dsums = gpu.upload(new int[grid]);
                gpu.launch(f, grid, 256, n, din, dout, dsums);
                gpu.sync();
                int[][] want = scanBlock(in, n, grid);
                assertArrayEquals(want[0], gpu.ints(dout, n), "n = " + n);
                assertArrayEquals(want[1], gpu.ints(dsums, grid), "n = " + n);
                // two arm loops per block: the warp != 0 add's warpSums[warp - 1], and warp 0's lane < 8 load of
                // warpSums[lane] (not affine either: lane = tid & 31)
                long expected = ArmShared.ENABLED ? 2L * grid : 0;
                assertEquals(expected, gpu.device.armShared.sum(), "arm loops checked once, n = " + n);
            }
        }
    }

    /** Java reference of arm_prev for blocks of nt threads (at most 8 warps). */
    private static int[] armPrev(int[] in, int grid, int nt) {
        int[] out = new int[grid * nt];
        for (int b = 0; b < grid; b++) {
            int[] s = new int[8];
            for (int t = 0; t < nt; t += 32) s[t >> 5] = in[b * nt + t] * 3 + (t >> 5);
            for (int t = 0; t < nt; t++) {
                int w = t >> 5;
                out[b * nt + t] = in[b * nt + t] + (w != 0 ? s[w - 1] : 0);
            }
        }
        return out;
    }

    @Test
    void armAfterAPrefixReadsThePreviousWarpsSlot() throws Exception {
        for (int nt : new int[] {256, 224, 100, 33, 32, 1}) {
            try (Gpu gpu = gpu()) {
                BackendFunction f = SchedulingTest.kernel(gpu, "armshared.ptx", "arm_prev");
                int grid = 3, n = grid * nt;
                int[] in = new int[n];
                Random r = new Random(nt);
                for (int i = 0; i < n; i++) in[i] = r.nextInt();
                long din = gpu.upload(in);
                long dout = gpu.upload(new int[n]);
                gpu.launch(f, grid, nt, din, dout);
                gpu.sync();
                assertArrayEquals(armPrev(in, grid, nt), gpu.ints(dout, n), "block of " + nt);
                // one arm loop per block (warps 1.. take the arm; a block of one warp has no thread in it: it
                // still counts, its prescan saw no address)
                assertEquals(ArmShared.ENABLED ? grid : 0, gpu.device.armShared.sum(), "block of " + nt);
            }
        }
    }

    @Test
    void aLoadPastTheArrayFaultsAtItsWarpsFirstThread() throws Exception {
        try (Gpu gpu = gpu()) {
            BackendFunction f = SchedulingTest.kernel(gpu, "armshared.ptx", "arm_prev");
            int nt = 320;  // ten warps: warp 9 reads s[8], past the 8 slots
            int[] in = new int[nt];
            int[] before = new int[nt];
            java.util.Arrays.fill(before, -1);
            long din = gpu.upload(in);
            long dout = gpu.upload(before);
            gpu.launch(f, 1, nt, din, dout);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
            assertTrue(e.getMessage().contains("block (0,0,0), thread (288,0,0)"), e.getMessage());
            assertTrue(e.getMessage().contains("ld.shared"), e.getMessage());
            assertArrayEquals(before, gpu.ints(dout, nt));
            assertEquals(0, gpu.device.armShared.sum(), "the check failed: the loop kept its checked loads");
        }
    }

    /** Java reference of arm_byte (blocks of at least 8 threads, odd threads' offsets valid multiples of 4). */
    private static int[] armByte(int[] in, int[] off, int grid, int nt) {
        int[] out = new int[grid * nt];
        for (int b = 0; b < grid; b++) {
            int[] s = new int[8];
            for (int t = 0; t < 8; t++) s[t] = in[b * nt + t] * 5 + t;
            for (int t = 0; t < nt; t++) {
                int i = b * nt + t;
                out[i] = in[i] + ((t & 1) != 0 ? s[off[i] >> 2] : 0);
            }
        }
        return out;
    }

    /** Offsets for arm_byte: valid slots for the odd threads, anything (bad addresses) for the even ones. */
    private static int[] offsets(Random r, int n, int nt) {
        int[] bad = {-4, -1, 2, 33, 1 << 20, Integer.MIN_VALUE, Integer.MAX_VALUE};
        int[] off = new int[n];
        for (int i = 0; i < n; i++) {
            off[i] = ((i % nt) & 1) != 0 ? 4 * r.nextInt(8) : (r.nextBoolean() ? bad[r.nextInt(bad.length)] : r.nextInt());
        }
        return off;
    }

    @Test
    void armThreadsAddressesCheckedOnceWhateverTheOthersHold() throws Exception {
        for (int nt : new int[] {256, 100, 33, 8}) {
            try (Gpu gpu = gpu()) {
                BackendFunction f = SchedulingTest.kernel(gpu, "armshared.ptx", "arm_byte");
                int grid = 3, n = grid * nt;
                Random r = new Random(100 + nt);
                int[] in = new int[n];
                for (int i = 0; i < n; i++) {
                    do in[i] = r.nextInt(); while (in[i] == Integer.MAX_VALUE);
                }
                int[] off = offsets(r, n, nt);
                long din = gpu.upload(in);
                long doff = gpu.upload(off);
                long dout = gpu.upload(new int[n]);
                gpu.launch(f, grid, nt, din, doff, dout);
                gpu.sync();
                assertArrayEquals(armByte(in, off, grid, nt), gpu.ints(dout, n), "block of " + nt);
                // the even threads' addresses (outside the window, misaligned) do not count: one loop per block
                assertEquals(ArmShared.ENABLED ? grid : 0, gpu.device.armShared.sum(), "block of " + nt);
            }
        }
    }

    /**
     * One odd thread's bad address among valid ones: misaligned, below the window (a negative offset: the register's
     * top bit set, an unsigned 32-bit address near 2^32), at the end of the 8 slots, and 2^31. The check fails, the
     * checked load faults at that thread, nothing is stored.
     */
    @Test
    void anArmThreadsBadAddressFaultsThere() throws Exception {
        record Bad(int thread, int off, CUresult result) {
        }
        for (Bad b : new Bad[] {new Bad(37, 4 * 3 + 2, CUresult.CUDA_ERROR_MISALIGNED_ADDRESS),
                new Bad(33, -4, CUresult.CUDA_ERROR_ILLEGAL_ADDRESS), new Bad(45, 32, CUresult.CUDA_ERROR_ILLEGAL_ADDRESS),
                new Bad(41, Integer.MIN_VALUE, CUresult.CUDA_ERROR_ILLEGAL_ADDRESS),
                new Bad(63, -32, CUresult.CUDA_ERROR_ILLEGAL_ADDRESS)}) {
            try (Gpu gpu = gpu()) {
                BackendFunction f = SchedulingTest.kernel(gpu, "armshared.ptx", "arm_byte");
                int nt = 64;
                int[] off = offsets(new Random(b.thread()), nt, nt);
                off[b.thread()] = b.off();
                int[] before = new int[nt];
                java.util.Arrays.fill(before, -1);
                long din = gpu.upload(new int[nt]);
                long doff = gpu.upload(off);
                long dout = gpu.upload(before);
                gpu.launch(f, 1, nt, din, doff, dout);
                BackendException e = assertThrows(BackendException.class, gpu::sync, "offset " + b.off());
                assertEquals(b.result(), e.result(), e.getMessage());
                assertTrue(e.getMessage().contains("block (0,0,0), thread (" + b.thread() + ",0,0)"), e.getMessage());
                assertTrue(e.getMessage().contains("ld.shared"), e.getMessage());
                assertArrayEquals(before, gpu.ints(dout, nt));
                assertEquals(0, gpu.device.armShared.sum(), "the check failed: the loop kept its checked loads");
            }
        }
    }
}
