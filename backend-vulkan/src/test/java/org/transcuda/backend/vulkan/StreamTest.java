package org.transcuda.backend.vulkan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.Dim3;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.LaunchConfig;

/** In-order streams, host callbacks, synchronization and concurrency. */
class StreamTest {
    private VulkanContext ctx;

    @BeforeEach
    void open() throws Exception {
        ctx = VulkanTestSupport.context();
    }

    @AfterEach
    void close() {
        if (ctx != null) ctx.close();
    }

    private static LaunchConfig linear(int n) {
        return new LaunchConfig(Dim3.of((n + 63) / 64), Dim3.of(64), 0);
    }

    @Test
    void operationsRunInOrder() throws Exception {
        VulkanStream s = ctx.createStream();
        VulkanFunction addOne = ctx.load(TestKernels.addOne());
        int n = 3000;
        long a = ctx.allocate(4L * n);
        long b = ctx.allocate(4L * n);
        int[] model = new int[n];
        // fill, kernel x3, copy, kernel, overwrite part from the host, kernel: each depends on the one before
        s.fill(a, 5, 4, n);
        java.util.Arrays.fill(model, 5);
        Args args = new Args(addOne.kernel().params()).u64("data", a).u32("n", n);
        for (int i = 0; i < 3; i++) s.launch(addOne, linear(n), args.segment);
        for (int i = 0; i < n; i++) model[i] += 3;
        s.copyDeviceToDevice(b, a, 4L * n);
        s.launch(addOne, linear(n), new Args(addOne.kernel().params()).u64("data", b).u32("n", n).segment);
        int[] expectedB = model.clone();
        for (int i = 0; i < n; i++) expectedB[i] += 1;
        int[] patch = {100, 200, 300};
        s.copyHostToDevice(a + 40, MemorySegment.ofArray(patch));
        System.arraycopy(patch, 0, model, 10, 3);
        s.launch(addOne, linear(n), args.segment);
        for (int i = 0; i < n; i++) model[i] += 1;
        assertArrayEquals(model, Gpu.download(s, a, n));
        assertArrayEquals(expectedB, Gpu.download(s, b, n));
    }

    @Test
    void manyLaunchesAccumulate() throws Exception {
        VulkanStream s = ctx.createStream();
        VulkanFunction addOne = ctx.load(TestKernels.addOne());
        int n = 256;
        long a = ctx.allocate(4L * n);
        s.fill(a, 0, 4, n);
        Args args = new Args(addOne.kernel().params()).u64("data", a).u32("n", n);
        for (int i = 0; i < 500; i++) s.launch(addOne, linear(n), args.segment);
        int[] out = Gpu.download(s, a, n);
        for (int v : out) assertEquals(500, v);
    }

    @Test
    void hostCallbacksRunInOrderAfterEarlierWork() throws Exception {
        VulkanStream s = ctx.createStream();
        long d = ctx.allocate(4096);
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        int[] seen = new int[1024];
        s.fill(d, 41, 4, 1024);
        s.enqueueHostCallback(() -> events.add("first"));
        s.copyDeviceToHost(MemorySegment.ofArray(seen), d);
        s.enqueueHostCallback(() -> events.add("second saw " + seen[1000])); // the copy completed before it
        s.fill(d, 42, 4, 1024);
        s.copyDeviceToHost(MemorySegment.ofArray(seen), d);
        s.enqueueHostCallback(() -> events.add("third saw " + seen[7]));
        s.synchronize();
        assertEquals(List.of("first", "second saw 41", "third saw 42"), events);
    }

    @Test
    void callbackBlocksLaterWorkUntilItReturns() throws Exception {
        VulkanStream s = ctx.createStream();
        long d = ctx.allocate(64);
        s.fill(d, 1, 4, 16);
        CountDownLatch release = new CountDownLatch(1);
        s.enqueueHostCallback(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        s.fill(d, 2, 4, 16);
        Thread.sleep(100);
        assertFalse(s.isIdle(), "the stream waits in the callback");
        release.countDown();
        s.synchronize();
        assertTrue(s.isIdle());
        assertEquals(2, Gpu.download(s, d, 16)[15]);
    }

    @Test
    void failuresAreReportedBySynchronizeOnce() throws Exception {
        VulkanStream s = ctx.createStream();
        long d = ctx.allocate(64);
        s.enqueueHostCallback(() -> {
            throw new IllegalStateException("boom");
        });
        s.fill(d, 3, 4, 16); // still runs, as on a CUDA stream
        BackendException e = assertThrows(BackendException.class, s::synchronize);
        assertTrue(e.getMessage().contains("boom"), e.getMessage());
        s.synchronize(); // reported once
        assertEquals(3, Gpu.download(s, d, 16)[0]);
    }

    @Test
    void closedStreamRejectsWorkAndFinishesQueuedWork() throws Exception {
        VulkanStream s = ctx.createStream();
        long d = ctx.allocate(1 << 20);
        int[] out = new int[1 << 18];
        s.fill(d, 9, 4, 1 << 18);
        s.copyDeviceToHost(MemorySegment.ofArray(out), d);
        s.close(); // waits for the queued work
        assertEquals(9, out[(1 << 18) - 1]);
        assertEquals(CUresult.CUDA_ERROR_INVALID_HANDLE,
                assertThrows(BackendException.class, () -> s.fill(d, 0, 4, 1)).result());
        s.close(); // idempotent
        assertTrue(s.isIdle());
    }

    @Test
    void streamsOnManyThreadsAreIndependent() throws Exception {
        VulkanFunction addOne = ctx.load(TestKernels.addOne());
        int threads = 4;
        int n = 4096;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<int[]>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int seed = t;
                results.add(pool.submit(() -> {
                    VulkanStream s = ctx.createStream();
                    long a = ctx.allocate(4L * n);
                    s.fill(a, seed * 1000, 4, n);
                    Args args = new Args(addOne.kernel().params()).u64("data", a).u32("n", n);
                    for (int i = 0; i < 20 + seed; i++) s.launch(addOne, linear(n), args.segment);
                    int[] out = Gpu.download(s, a, n);
                    s.close();
                    ctx.free(a);
                    return out;
                }));
            }
            for (int t = 0; t < threads; t++) {
                int[] out = results.get(t).get(60, TimeUnit.SECONDS);
                for (int v : out) assertEquals(t * 1000 + 20 + t, v);
            }
        } finally {
            pool.shutdownNow();
        }
        ctx.synchronize();
        assertEquals(0, ctx.liveAllocations());
    }

    @Test
    void contextSynchronizeCoversAllStreams() throws Exception {
        VulkanStream s1 = ctx.createStream();
        VulkanStream s2 = ctx.createStream();
        long d = ctx.allocate(4096);
        int[] out1 = new int[512];
        int[] out2 = new int[512];
        s1.fill(d, 11, 4, 512);
        s1.copyDeviceToHost(MemorySegment.ofArray(out1), d);
        s2.fill(d + 2048, 12, 4, 512);
        s2.copyDeviceToHost(MemorySegment.ofArray(out2), d + 2048);
        ctx.synchronize();
        assertEquals(11, out1[511]);
        assertEquals(12, out2[511]);
        assertTrue(s1.isIdle() && s2.isIdle());
    }

    @Test
    void timingThroughHostCallbacksBracketsTheWork() throws Exception {
        // Events are built by the front end on host callbacks: the time between two callbacks bounds the
        // GPU work between them.
        VulkanStream s = ctx.createStream();
        VulkanFunction addOne = ctx.load(TestKernels.addOne());
        int n = 1 << 20;
        long a = ctx.allocate(4L * n);
        s.copyHostToDevice(a, java.lang.foreign.MemorySegment.ofArray(new int[n])); // device memory is not zeroed
        long[] t = new long[2];
        s.enqueueHostCallback(() -> t[0] = System.nanoTime());
        Args args = new Args(addOne.kernel().params()).u64("data", a).u32("n", n);
        for (int i = 0; i < 20; i++) s.launch(addOne, new LaunchConfig(Dim3.of(n / 256), Dim3.of(256), 0), args.segment);
        s.enqueueHostCallback(() -> t[1] = System.nanoTime());
        long before = System.nanoTime();
        s.synchronize();
        assertTrue(t[0] > 0 && t[1] > t[0], "callbacks ran in order");
        assertTrue(t[1] - t[0] < System.nanoTime() - before + 1_000_000_000L);
        assertEquals(20, Gpu.download(s, a, n)[n - 1]);
    }
}
