package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.transcuda.cuda.CUresult;
import org.transcuda.spi.BackendException;

/**
 * {@link Lockstep#run}'s per-block reset of the active list and the barrier flags, skipped after a block that ended
 * with every thread active ({@link Exec#lclean}; {@code -Dtranscuda.cpu.lazyReset=false}: always reset). One worker,
 * so the blocks run one after the other on one {@link Exec}: blocks that end with only threads {@code keep..n-1}
 * active (after a barrier that the others never reach), then a block that traps with every thread active, whose
 * fault must name its thread 0 (the first entry of the active list: a list left from the block before names thread
 * {@code keep}). Kernels: {@code src/test/resources/kernels/lockreset.cu}.
 */
class LockstepResetTest {
    private static Gpu gpu() throws BackendException {
        Gpu g = new Gpu(1);
        g.device.engine(CpuDevice.Engine.LOCKSTEP);
        return g;
    }

    @Test
    void blocksAfterADivergedEndStartWithEveryThread() throws Exception {
        for (int[] c : new int[][] {{64, 5}, {80, 79}, {256, 1}}) {
            int nt = c[0], keep = c[1], grid = 4;
            try (Gpu gpu = gpu()) {
                long out = gpu.alloc(4L * grid * nt);
                gpu.launch(SchedulingTest.kernel(gpu, "lockreset.ptx", "stale"), grid, nt, out, keep, -1);
                gpu.sync();
                int[] want = new int[grid * nt];
                for (int i = 0; i < want.length; i++) want[i] = i % nt < keep ? 1 : 2;
                assertArrayEquals(want, gpu.ints(out, grid * nt), nt + " threads, keep " + keep);
            }
            try (Gpu gpu = gpu()) {
                long out = gpu.alloc(4L * grid * nt);
                gpu.launch(SchedulingTest.kernel(gpu, "lockreset.ptx", "stale"), grid, nt, out, keep, 2);
                BackendException e = assertThrows(BackendException.class, gpu::sync);
                assertEquals(CUresult.CUDA_ERROR_ILLEGAL_INSTRUCTION, e.result(), e.getMessage());
                assertTrue(e.getMessage().contains("block (2,0,0), thread (0,0,0)"), e.getMessage());
            }
        }
    }
}
