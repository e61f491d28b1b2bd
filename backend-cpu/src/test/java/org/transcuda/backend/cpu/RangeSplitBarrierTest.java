package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;
import org.transcuda.cuda.Dim3;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;

/**
 * A thread-range branch ({@link RangeSplit}) whose compare nvcc places before a barrier of the same block, with a
 * kernel parameter as the bound: {@code setp.lt %p3, %tid.x, %nb; bar.sync 0; @%p3 bra}. The split runs in the segment
 * after the barrier, which must load the bound's register although none of its own statements mentions it (before the
 * fix it read 0 there: no thread took the branch, every output was the fill). rangesplit_barrier.cu's
 * {@code split_after_barrier}: each block copies {@code nb} words into shared memory in a block-stride loop, then each
 * thread keeps {@code h[b]·3 + b} of its last index {@code b < nb} of a second block-stride loop, or −1 when it has
 * none; checked against a Java reference on both engines, 1 and 2 workers, {@code nb} below, at and above the block
 * size.
 */
class RangeSplitBarrierTest {

    private static int[] reference(int[] vals, int nb, int grid, int bs) {
        int[] out = new int[grid * bs];
        for (int blk = 0; blk < grid; blk++) {
            for (int t = 0; t < bs; t++) {
                int o = -1;
                for (int b = t; b < nb; b += bs) o = vals[blk * nb + b] * 3 + b;
                out[blk * bs + t] = o;
            }
        }
        return out;
    }

    @Test
    void splitAfterTheBarrierReadsItsParameterBound() throws Exception {
        int bs = 256, grid = 3;
        for (CpuDevice.Engine engine : new CpuDevice.Engine[] {CpuDevice.Engine.LOCKSTEP, CpuDevice.Engine.THREAD}) {
            for (int workers : new int[] {1, 2}) {
                for (int nb : new int[] {1, 100, 255, 256, 300, 1000}) {
                    int[] vals = new int[grid * nb];
                    for (int i = 0; i < vals.length; i++) vals[i] = i * 7919 - 40000;
                    try (Gpu gpu = new Gpu(workers)) {
                        gpu.device.engine(engine);
                        BackendFunction f = SchedulingTest.kernel(gpu, "rangesplit_barrier.ptx", "split_after_barrier");
                        long dv = gpu.upload(vals), dout = gpu.alloc(4L * grid * bs);
                        gpu.launch(f, Dim3.of(grid), Dim3.of(bs), 0, nb, dv, dout);
                        gpu.sync();
                        assertArrayEquals(reference(vals, nb, grid, bs), gpu.ints(dout, grid * bs),
                                engine + ", " + workers + " workers, nb = " + nb);
                    } catch (BackendException e) {
                        throw new AssertionError(engine + ", nb = " + nb, e);
                    }
                }
            }
        }
    }
}
