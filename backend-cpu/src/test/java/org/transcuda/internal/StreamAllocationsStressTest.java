package org.transcuda.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.CudaContext;
import org.transcuda.cuda.CudaException;
import org.transcuda.cuda.CudaFunction;
import org.transcuda.cuda.CudaStream;
import org.transcuda.cuda.Dim3;

/**
 * Stream-ordered allocations from many host threads at once, the scenario of
 * {@code CudaApiOnCpuTest.kernelsOnStreamsFromManyThreadsWithEvents} repeated for a few seconds: each thread's
 * kernels must find their own buffer live while other threads allocate, free (the freed addresses are handed out
 * again at once) and launch the same kernel. Before the fix it failed with kernels faulting on their own
 * buffers (CUDA_ERROR_ILLEGAL_ADDRESS, "not inside a live device allocation") while the kernels' allocation table
 * lost allocations to concurrent changes (5 of 5 runs, within 60-270 ms). A real out-of-bounds access still
 * faults (checked at the end).
 */
class StreamAllocationsStressTest {
    private static final long MILLIS = 2000;

    private final CudaPlatform platform = new CudaPlatform();
    private CudaContext ctx;
    private CudaFunction scale;

    @BeforeEach
    void setUp() throws Exception {
        ctx = CudaApiOnCpuTest.cpuContext(platform);
        scale = ctx.loadModule("scale.ptx", CudaApiOnCpuTest.PTX).function("scale");
    }

    @AfterEach
    void tearDown() throws Exception {
        ctx.close();
    }

    @Test
    void kernelsFindTheirStreamOrderedAllocationsWhileOtherThreadsAllocateAndFree() throws Exception {
        int threads = 8;
        int n = 512;
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        CyclicBarrier start = new CyclicBarrier(threads);
        long end = System.nanoTime() + MILLIS * 1_000_000L;
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            workers.add(Thread.ofPlatform().start(() -> {
                int iteration = 0;
                try {
                    CudaStream s = id % 2 == 0 ? ctx.createStream(CudaStream.NON_BLOCKING) : ctx.perThreadStream();
                    float[] x = new float[n];
                    for (int i = 0; i < n; i++) x[i] = i + id;
                    float[] expected = new float[n];
                    for (int i = 0; i < n; i++) expected[i] = x[i] * 2f * 2f;
                    start.await();
                    while (failures.isEmpty() && System.nanoTime() < end) {
                        long d = s.mallocAsync(n * 4L);
                        s.memcpyHtoDAsync(d, MemorySegment.ofArray(x));
                        for (int k = 0; k < 2; k++) {
                            s.launch(scale, Dim3.of(n / 128), Dim3.of(128), 0, scale.newArgs().add(d).add(2f).add(n));
                        }
                        float[] back = new float[n];
                        s.memcpyDtoHAsync(MemorySegment.ofArray(back), d);
                        s.freeAsync(d);
                        s.synchronize();
                        assertArrayEquals(expected, back, "thread " + id + ", iteration " + iteration);
                        iteration++;
                    }
                } catch (Throwable e) {
                    long ms = (System.nanoTime() - end) / 1_000_000 + MILLIS;
                    failures.add("thread " + id + ", iteration " + iteration + ", after " + ms + " ms: " + e);
                }
            }));
        }
        for (Thread w : workers) w.join();
        assertTrue(failures.isEmpty(), failures.toString());

        // The checks are not widened: one element past the end of a live allocation still faults.
        long d = ctx.malloc(n * 4L);
        CudaException fault = null;
        try {
            ctx.defaultStream().launch(scale, Dim3.of(n / 128 + 1), Dim3.of(128), 0,
                    scale.newArgs().add(d).add(2f).add(n + 1));
            ctx.synchronize();
        } catch (CudaException e) {
            fault = e;
        }
        assertTrue(fault != null && fault.result() == CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, String.valueOf(fault));
    }
}
