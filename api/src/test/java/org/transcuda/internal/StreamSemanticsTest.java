package org.transcuda.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceReference;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.CudaContext;
import org.transcuda.cuda.CudaEvent;
import org.transcuda.cuda.CudaException;
import org.transcuda.cuda.CudaStream;
import org.transcuda.spi.Backend;

/**
 * Stream semantics: flags and priorities, the legacy default stream's implicit synchronization with
 * blocking streams, per-thread default streams, event waits, callbacks and queries. Ordering is observed
 * through host functions that block on latches; a short sleep only widens the window in which a missing
 * dependency would let work run too early (the assertions themselves are not timed).
 */
class StreamSemanticsTest {
    private final CudaPlatform platform = new CudaPlatform();
    private CudaContext ctx;

    @SuppressWarnings("unchecked")
    @BeforeEach
    void setUp() throws Exception {
        platform.bindBackend(new CudaPlatformTest.Fake("x", 1, 1), Map.of("service.ranking", 0, "service.id", 1L),
                (ServiceReference<Backend>) Proxy.newProxyInstance(getClass().getClassLoader(),
                        new Class<?>[] {ServiceReference.class}, (p, m, a) -> null));
        ctx = platform.device(0).createContext();
    }

    /** Every latch a test made: opened before teardown, so that a failed test cannot hang the context's close. */
    private final List<CountDownLatch> gates = Collections.synchronizedList(new ArrayList<>());

    private CountDownLatch gate() {
        CountDownLatch l = new CountDownLatch(1);
        gates.add(l);
        return l;
    }

    @AfterEach
    void tearDown() throws Exception {
        gates.forEach(CountDownLatch::countDown);
        ctx.close();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void window() throws InterruptedException {
        Thread.sleep(60);
    }

    @Test
    void flagsAndPrioritiesAreCheckedClampedAndReported() throws Exception {
        assertArrayEquals(new int[] {0, -5}, ctx.streamPriorityRange());
        CudaStream high = ctx.createStream(CudaStream.NON_BLOCKING, -100);
        assertEquals(CudaStream.NON_BLOCKING, high.flags());
        assertEquals(-5, high.priority(), "clamped to the greatest priority");
        CudaStream low = ctx.createStream(CudaStream.DEFAULT_FLAGS, 7);
        assertEquals(0, low.priority(), "clamped to the least priority");
        assertEquals(CudaStream.DEFAULT_FLAGS, low.flags());
        assertEquals(-2, ctx.createStream(0, -2).priority());
        assertSame(ctx, high.context());
        assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE,
                assertThrows(CudaException.class, () -> ctx.createStream(2)).result());
        high.close();
        assertEquals(CUresult.CUDA_ERROR_INVALID_HANDLE, assertThrows(CudaException.class, high::flags).result());
        assertEquals(CUresult.CUDA_ERROR_INVALID_HANDLE, assertThrows(CudaException.class, high::query).result());
        assertEquals(CUresult.CUDA_ERROR_INVALID_HANDLE,
                assertThrows(CudaException.class, () -> high.launchHostFunc(() -> { })).result());
        assertEquals(CUresult.CUDA_ERROR_INVALID_HANDLE, assertThrows(CudaException.class, high::close).result());
    }

    @Test
    void legacyStreamWaitsForEarlierWorkOfBlockingStreams() throws Exception {
        CudaStream blocking = ctx.createStream();
        CountDownLatch gate = gate();
        AtomicBoolean legacyRan = new AtomicBoolean();
        AtomicBoolean legacyRanAfterGate = new AtomicBoolean();
        blocking.launchHostFunc(() -> await(gate));
        ctx.defaultStream().launchHostFunc(() -> {
            legacyRanAfterGate.set(gate.getCount() == 0);
            legacyRan.set(true);
        });
        window();
        assertFalse(legacyRan.get(), "legacy work ran while earlier work on a blocking stream was blocked");
        assertFalse(ctx.defaultStream().query());
        gate.countDown();
        ctx.defaultStream().synchronize();
        assertTrue(legacyRanAfterGate.get());
    }

    @Test
    void blockingStreamWaitsForEarlierLegacyWorkButNonBlockingDoesNot() throws Exception {
        CudaStream blocking = ctx.createStream(CudaStream.DEFAULT_FLAGS);
        CudaStream nonBlocking = ctx.createStream(CudaStream.NON_BLOCKING);
        CountDownLatch gate = gate();
        ctx.defaultStream().launchHostFunc(() -> await(gate));
        AtomicBoolean blockingRan = new AtomicBoolean();
        blocking.launchHostFunc(() -> blockingRan.set(true));
        AtomicBoolean nonBlockingRan = new AtomicBoolean();
        nonBlocking.launchHostFunc(() -> nonBlockingRan.set(true));
        nonBlocking.synchronize(); // must not wait for the legacy stream
        assertTrue(nonBlockingRan.get());
        assertEquals(1, gate.getCount());
        window();
        assertFalse(blockingRan.get(), "blocking stream ran before earlier legacy work");
        assertFalse(blocking.query());
        gate.countDown();
        blocking.synchronize();
        assertTrue(blockingRan.get());
        assertTrue(blocking.query());
    }

    @Test
    void synchronousCopiesWaitForBlockingStreams() throws Exception {
        long d = ctx.malloc(16);
        CudaStream blocking = ctx.createStream();
        CountDownLatch gate = gate();
        blocking.launchHostFunc(() -> await(gate));
        int[] src = {1, 2, 3, 4};
        blocking.memcpyHtoDAsync(d, MemorySegment.ofArray(src));
        Thread releaser = Thread.ofPlatform().start(() -> {
            try {
                window();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            gate.countDown();
        });
        int[] back = new int[4];
        ctx.memcpyDtoH(MemorySegment.ofArray(back), d); // the legacy stream: after the blocking stream's copy
        assertArrayEquals(src, back);
        releaser.join();
        ctx.free(d);
    }

    @Test
    void perThreadStreamsAreDistinctBlockingAndOnlySyncWithLegacy() throws Exception {
        CudaStream mine = ctx.perThreadStream();
        assertSame(mine, ctx.perThreadStream());
        assertSame(mine, ctx.specialStream(CudaStream.PER_THREAD_HANDLE));
        assertSame(ctx.defaultStream(), ctx.specialStream(0));
        assertSame(ctx.defaultStream(), ctx.specialStream(CudaStream.LEGACY_HANDLE));
        assertEquals(CUresult.CUDA_ERROR_INVALID_HANDLE,
                assertThrows(CudaException.class, () -> ctx.specialStream(3)).result());
        AtomicReference<CudaStream> theirs = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                theirs.set(ctx.perThreadStream());
            } catch (CudaException e) {
                throw new AssertionError(e);
            }
        });
        t.join();
        assertNotSame(mine, theirs.get());
        assertEquals(CUresult.CUDA_ERROR_INVALID_HANDLE, assertThrows(CudaException.class, mine::close).result());
        assertEquals(CUresult.CUDA_ERROR_INVALID_HANDLE,
                assertThrows(CudaException.class, () -> ctx.defaultStream().close()).result());

        // Not synchronized with another blocking stream...
        CudaStream other = ctx.createStream();
        CountDownLatch gate = gate();
        other.launchHostFunc(() -> await(gate));
        AtomicBoolean ran = new AtomicBoolean();
        mine.launchHostFunc(() -> ran.set(true));
        mine.synchronize();
        assertTrue(ran.get());
        assertEquals(1, gate.getCount());
        gate.countDown();
        other.synchronize();
        // ...but with the legacy stream.
        CountDownLatch legacyGate = gate();
        ctx.defaultStream().launchHostFunc(() -> await(legacyGate));
        AtomicBoolean after = new AtomicBoolean();
        mine.launchHostFunc(() -> after.set(legacyGate.getCount() == 0));
        window();
        assertFalse(mine.query());
        legacyGate.countDown();
        mine.synchronize();
        assertTrue(after.get());
    }

    @Test
    void waitEventOrdersAcrossNonBlockingStreams() throws Exception {
        CudaStream producer = ctx.createStream(CudaStream.NON_BLOCKING);
        CudaStream consumer = ctx.createStream(CudaStream.NON_BLOCKING);
        CudaEvent done = ctx.createEvent(CudaEvent.DISABLE_TIMING);
        CountDownLatch gate = gate();
        producer.launchHostFunc(() -> await(gate));
        done.record(producer);
        consumer.waitEvent(done);
        AtomicBoolean consumed = new AtomicBoolean();
        consumer.launchHostFunc(() -> consumed.set(gate.getCount() == 0));
        window();
        assertFalse(consumer.query(), "the consumer must wait for the event");
        assertFalse(done.query());
        gate.countDown();
        consumer.synchronize();
        assertTrue(consumed.get());
        assertTrue(done.query());
        assertEquals(CUresult.CUDA_ERROR_INVALID_HANDLE,
                assertThrows(CudaException.class, () -> done.elapsedTimeSince(done)).result(), "DISABLE_TIMING");
        assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE,
                assertThrows(CudaException.class, () -> ctx.createEvent(CudaEvent.INTERPROCESS)).result());
        // An event that was never recorded is complete: the wait is a no-op.
        consumer.waitEvent(ctx.createEvent());
        consumer.synchronize();
    }

    @Test
    void hostFunctionsAndCallbacksRunInStreamOrderFromManyThreads() throws Exception {
        int threads = 4;
        int perThread = 200;
        List<List<Integer>> seen = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        List<CUresult> statuses = Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            List<Integer> order = Collections.synchronizedList(new ArrayList<>());
            seen.add(order);
            int flags = t % 2 == 0 ? CudaStream.DEFAULT_FLAGS : CudaStream.NON_BLOCKING;
            workers.add(Thread.ofPlatform().start(() -> {
                try {
                    CudaStream s = ctx.createStream(flags);
                    for (int i = 0; i < perThread; i++) {
                        int k = i;
                        if (i % 2 == 0) s.launchHostFunc(() -> order.add(k));
                        else s.addCallback((stream, status) -> {
                            statuses.add(status);
                            order.add(stream == s ? k : -1);
                        });
                    }
                    s.synchronize();
                    s.close();
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread w : workers) w.join();
        assertTrue(failures.isEmpty(), failures.toString());
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < perThread; i++) expected.add(i);
        for (List<Integer> order : seen) assertEquals(expected, order);
        assertEquals(threads * perThread / 2, statuses.size());
        assertTrue(statuses.stream().allMatch(CUresult.CUDA_SUCCESS::equals));
    }

    @Test
    void streamsFromManyThreadsCopyCorrectlyAlongsideTheLegacyStream() throws Exception {
        int threads = 4;
        int n = 1024;
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            workers.add(Thread.ofPlatform().start(() -> {
                try {
                    CudaStream s = id % 2 == 0 ? ctx.createStream() : ctx.perThreadStream();
                    long d = ctx.malloc(n * 4L);
                    long d2 = s.mallocAsync(n * 4L);
                    for (int round = 0; round < 20; round++) {
                        int[] src = new int[n];
                        for (int i = 0; i < n; i++) src[i] = id * 1_000_000 + round * 1000 + i;
                        s.memcpyHtoDAsync(d, MemorySegment.ofArray(src));
                        s.memcpyDtoDAsync(d2, d, n * 4L);
                        int[] back = new int[n];
                        s.memcpyDtoHAsync(MemorySegment.ofArray(back), d2);
                        s.synchronize();
                        assertArrayEquals(src, back);
                        int[] viaLegacy = new int[n];
                        ctx.memcpyDtoH(MemorySegment.ofArray(viaLegacy), d2);
                        assertArrayEquals(src, viaLegacy);
                    }
                    s.freeAsync(d2);
                    s.synchronize();
                    ctx.free(d);
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread w : workers) w.join();
        assertTrue(failures.isEmpty(), failures.toString());
        assertEquals((1 << 20), ctx.memoryInfo()[0], "every allocation was freed");
    }

    @Test
    void closingAContextDrainsCrossStreamWaits() throws Exception {
        CudaContext other = platform.device(0).createContext();
        CudaStream waiting = other.createStream(CudaStream.NON_BLOCKING);
        CudaStream producer = other.createStream(CudaStream.NON_BLOCKING);
        CountDownLatch never = gate();
        CudaEvent e = other.createEvent();
        e.record(producer); // recorded after nothing: completes at once
        producer.synchronize();
        CudaEvent pending = other.createEvent();
        Thread blocker = Thread.ofPlatform().start(() -> await(never));
        waiting.waitEvent(e);
        // A mark that completes only when the latch opens: the waiting stream is blocked until then.
        CudaStream stuck = other.createStream(CudaStream.NON_BLOCKING);
        stuck.launchHostFunc(() -> await(never));
        pending.record(stuck);
        waiting.waitEvent(pending);
        assertFalse(waiting.query());
        never.countDown();
        other.close();
        blocker.join();
        assertEquals(CUresult.CUDA_ERROR_INVALID_CONTEXT,
                assertThrows(CudaException.class, waiting::query).result());
    }

    @Test
    void destroyingBlockingStreamsWhileTheLegacyStreamIsBusy() throws Exception {
        long d = ctx.malloc(64);
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            workers.add(Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < 100; i++) {
                        CudaStream s = ctx.createStream();
                        s.memsetAsync(d, i, 1, 64);
                        s.launchHostFunc(() -> { });
                        s.close();
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        int[] back = new int[16];
        for (int i = 0; i < 300; i++) ctx.memcpyDtoH(MemorySegment.ofArray(back), d); // never a spurious error
        for (Thread w : workers) w.join();
        assertTrue(failures.isEmpty(), failures.toString());
        ctx.free(d);
    }

    @Test
    void contextEventsCaptureEveryStreamAndContextWaitsHoldBackLaterWork() throws Exception {
        CudaStream a = ctx.createStream(CudaStream.NON_BLOCKING);
        CudaStream b = ctx.createStream(CudaStream.NON_BLOCKING);
        CountDownLatch ga = gate();
        CountDownLatch gb = gate();
        a.launchHostFunc(() -> await(ga));
        b.launchHostFunc(() -> await(gb));
        CudaEvent all = ctx.createEvent();
        ctx.recordEvent(all);
        ctx.waitEvent(all);
        CudaStream c = ctx.createStream(CudaStream.NON_BLOCKING);
        AtomicBoolean later = new AtomicBoolean();
        c.launchHostFunc(() -> later.set(ga.getCount() == 0 && gb.getCount() == 0));
        ga.countDown();
        a.synchronize();
        window();
        assertFalse(all.query(), "stream b's work is still pending");
        assertFalse(c.query(), "work after cuCtxWaitEvent waits for the captured work");
        gb.countDown();
        all.synchronize();
        c.synchronize();
        assertTrue(later.get());
        // b's stream finishes its bookkeeping just after the callback that completed `all`: wait for it, so that
        // nothing is pending for certain (without this the assertion below races the stream's thread).
        b.synchronize();
        CudaEvent idle = ctx.createEvent();
        ctx.recordEvent(idle);
        assertTrue(idle.query(), "nothing pending: complete at once");
        CudaContext other = platform.device(0).createContext();
        try {
            assertEquals(CUresult.CUDA_ERROR_INVALID_HANDLE,
                    assertThrows(CudaException.class, () -> other.recordEvent(all)).result());
        } finally {
            other.close();
        }
    }

    @Test
    void synchronousCopiesRunOnTheCallerWhenNothingIsPendingAndWaitForQueuedWork() throws Exception {
        long d = ctx.malloc(4);
        MemorySegment device = MemorySegment.ofAddress(d).reinterpret(4); // the fake backend's memory is host memory
        // Idle stream: the copy runs on this thread. A confined segment proves it: any other thread touching it
        // fails (WrongThreadException), which the stream would report as an error.
        try (java.lang.foreign.Arena confined = java.lang.foreign.Arena.ofConfined()) {
            MemorySegment h = confined.allocate(4);
            h.set(java.lang.foreign.ValueLayout.JAVA_INT, 0, 41);
            ctx.memcpyHtoD(d, h);
            h.set(java.lang.foreign.ValueLayout.JAVA_INT, 0, 0);
            ctx.memcpyDtoH(h, d);
            assertEquals(41, h.get(java.lang.foreign.ValueLayout.JAVA_INT, 0));
        }
        // Work queued on the legacy stream, then on a blocking stream: each copy must wait for it.
        CudaStream blocking = ctx.createStream();
        for (CudaStream s : List.of(ctx.defaultStream(), blocking)) {
            int value = s == blocking ? 9 : 7;
            CountDownLatch g = gate();
            s.launchHostFunc(() -> {
                await(g);
                device.set(java.lang.foreign.ValueLayout.JAVA_INT, 0, value);
            });
            MemorySegment h = java.lang.foreign.Arena.ofAuto().allocate(4);
            AtomicReference<Throwable> failed = new AtomicReference<>();
            AtomicBoolean done = new AtomicBoolean();
            Thread copier = Thread.ofPlatform().start(() -> {
                try {
                    ctx.memcpyDtoH(h, d);
                    done.set(true);
                } catch (Throwable t) {
                    failed.set(t);
                }
            });
            window();
            assertFalse(done.get(), "the copy returned before the queued work ran");
            g.countDown();
            copier.join();
            assertEquals(null, failed.get());
            assertEquals(value, h.get(java.lang.foreign.ValueLayout.JAVA_INT, 0));
        }
        blocking.close();
        ctx.free(d);
    }
}
