package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;
import org.transcuda.cuda.CUresult;
import org.transcuda.spi.BackendException;

/**
 * {@link StrideTouch} (off with {@code -Dtranscuda.cpu.strideTouch=false}): the lines of a {@link StrideLoop}
 * iteration {@link StrideTouch#AHEAD} iterations ahead, touched after each fast iteration, only inside the allocation
 * that the iteration's check found. Byte histograms against a Java count, with the number of lines touched computed
 * here from the loop's fast iterations, the data's address and its allocation's size: data allocated exactly
 * {@code n} bytes (the last iterations' ranges ahead leave it: not touched), data allocated longer than {@code n}
 * (ranges past {@code n} but inside the allocation are touched), 80-thread blocks (ranges that start inside a line),
 * 1 and 2 workers; so the counts fail with the switch off (0 lines) and when the guard lets a touch leave the
 * allocation (more lines). And the guard's own case: a step parameter that puts the range ahead 2 GiB below and
 * 2 GiB above the data (nothing touched; without the guard the touch reads there, outside any allocation, which
 * crashes the JVM where nothing is mapped), the next iteration then faulting in the general loop at its first thread.
 * Kernels: {@code src/test/resources/kernels/stridetouch.cu}.
 */
class StrideTouchTest {
    private static Gpu gpu(int workers) throws BackendException {
        Gpu g = new Gpu(workers);
        g.device.engine(CpuDevice.Engine.LOCKSTEP);
        return g;
    }

    private static byte[] bytes(int n, long seed) {
        byte[] data = new byte[n];
        long x = seed;
        for (int i = 0; i < n; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            data[i] = (byte) (x >>> 56);
        }
        return data;
    }

    /**
     * Lines touched by {@code hist}'s fast iterations: in a block whose threads all enter the loop, iteration
     * {@code k} at {@code base = blk·nt + k·S} is fast when {@code base + S + nt <= n} ({@link StrideLoopTest}); after
     * it, the bytes {@code base + AHEAD·S .. + nt − 1} are touched, one read per 64-byte line, when they lie inside
     * the allocation ({@code alloc} bytes at {@code address}).
     */
    private static long touchedLines(long address, long alloc, int n, int grid, int nt) {
        long lines = 0;
        long s = (long) grid * nt;
        for (int blk = 0; blk < grid; blk++) {
            for (long base = (long) blk * nt; base + s + nt <= n; base += s) {
                long next = base + StrideTouch.AHEAD * s;
                if (next + nt > alloc) continue;
                long a = address + next, b = a + nt - 1;
                lines += (b >> 6) - (a >> 6) + 1;
            }
        }
        return lines;
    }

    @Test
    void histogramsMatchAndTouchOnlyInsideTheAllocation() throws Exception {
        // {n, extra bytes allocated after n, grid, block size, workers}
        int[][] cases = {{200_003, 0, 7, 256, 2}, {200_003, 5_000, 7, 256, 2}, {7 * 256 * 20, 0, 7, 256, 1},
            {7 * 256 * 20, 7 * 256 * 2 + 100, 7, 256, 1}, {100_001, 0, 5, 80, 2}, {100_001, 1_000, 5, 80, 1}};
        long total = 0;
        for (int[] c : cases) {
            int n = c[0], extra = c[1], grid = c[2], nt = c[3];
            byte[] data = bytes(n + extra, 77 + n + extra);
            int[] want = new int[256];
            for (int i = 0; i < n; i++) want[data[i] & 0xff]++;
            try (Gpu gpu = gpu(c[4])) {
                long dd = gpu.alloc(data.length);
                MemorySegment.copy(data, 0, gpu.seg(dd, data.length), ValueLayout.JAVA_BYTE, 0, data.length);
                long dbins = gpu.upload(new int[256]);
                gpu.launch(SchedulingTest.kernel(gpu, "stridetouch.ptx", "hist"), grid, nt, n, dd, dbins);
                gpu.sync();
                String what = "n " + n + " + " + extra + ", grid " + grid + ", block of " + nt;
                assertArrayEquals(want, gpu.ints(dbins, 256), what);
                long lines = touchedLines(dd, data.length, n, grid, nt);
                assertEquals(lines, gpu.device.strideTouched.sum(), what);
                total += lines;
            }
        }
        assertTrue(total > 1000, "lines " + total);
    }

    @Test
    void rangesAheadOutsideTheAllocationAreNotTouched() throws Exception {
        // hist_step with n = INT_MAX: block 0's first iteration (indices 0 .. 127) is fast; AHEAD = 4 iterations on,
        // the index is 4·step (32-bit): 0x60000000 → -2^31 (2 GiB below the data), 0x1FFFFF00 → 0x7FFFFC00 (2 GiB
        // above it); the next iteration (index step) lies outside the 4096 bytes: the general loop faults at thread 0
        assertEquals(4, StrideTouch.AHEAD, "the steps below are chosen for 4 iterations ahead");
        for (int step : new int[] {0x6000_0000, 0x1FFF_FF00}) {
            try (Gpu gpu = gpu(1)) {
                long dd = gpu.alloc(4096);
                long dbins = gpu.upload(new int[256]);
                gpu.launch(SchedulingTest.kernel(gpu, "stridetouch.ptx", "hist_step"), 2, 128, Integer.MAX_VALUE,
                        step, dd, dbins);
                BackendException e = assertThrows(BackendException.class, gpu::sync);
                assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
                assertTrue(e.getMessage().contains("block (0,0,0), thread (0,0,0)"), e.getMessage());
                assertTrue(e.getMessage().contains("ld.global"), e.getMessage());
                assertEquals(1, gpu.device.strideLoops.sum(), "fast iterations");
                assertEquals(0, gpu.device.strideTouched.sum(), "lines touched");
            }
        }
    }
}
