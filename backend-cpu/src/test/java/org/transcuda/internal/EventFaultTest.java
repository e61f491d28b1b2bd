package org.transcuda.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.CudaContext;
import org.transcuda.cuda.CudaEvent;
import org.transcuda.cuda.CudaException;
import org.transcuda.cuda.CudaFunction;
import org.transcuda.cuda.CudaStream;
import org.transcuda.cuda.Dim3;

/**
 * A kernel fault is sticky for the context, and an event recorded after the faulting kernel reports it: CUDA's
 * cuEventSynchronize returns CUDA_ERROR_ILLEGAL_ADDRESS there, as cuStreamSynchronize and every later call do.
 * The event is recorded while the stream is held by a host function, so it is always enqueued before the
 * kernel runs (the race of {@code CudaApiOnCpuTest.kernelsOnStreamsFromManyThreadsWithEvents}, made
 * deterministic). Before the fix, {@code synchronize()} of such an event returned normally, from the recording
 * thread or another one, and also for an event on a second stream that waited for the first one's event; a
 * stream query after the fault returned true, and a stream callback after it got CUDA_SUCCESS.
 */
class EventFaultTest {
    private static final int N = 512;

    private final CudaPlatform platform = new CudaPlatform();
    private CudaContext ctx;
    private CudaFunction scale;
    private long buffer;

    @BeforeEach
    void setUp() throws Exception {
        ctx = CudaApiOnCpuTest.cpuContext(platform);
        scale = ctx.loadModule("scale.ptx", CudaApiOnCpuTest.PTX).function("scale");
        buffer = ctx.malloc(N * 4L);
    }

    @AfterEach
    void tearDown() throws Exception {
        ctx.close();
    }

    /** Holds {@code s} until the returned latch opens, then enqueues a kernel that writes past the buffer. */
    private CountDownLatch faultBehindGate(CudaStream s) throws CudaException {
        CountDownLatch gate = new CountDownLatch(1);
        s.launchHostFunc(() -> {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        s.launch(scale, Dim3.of(N / 128 + 64), Dim3.of(128), 0, scale.newArgs().add(buffer).add(2f).add(N + 64 * 128));
        return gate;
    }

    private static void assertFault(Executable call, String what) {
        CudaException e = assertThrows(CudaException.class, call, what + " must report the kernel fault");
        assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result(), what + ": " + e);
    }

    private void assertContextUnusable() {
        assertFault(() -> ctx.malloc(4), "malloc after the fault");
        assertFault(ctx::synchronize, "ctx.synchronize after the fault");
        assertFault(() -> ctx.createStream(0), "createStream after the fault");
    }

    @Test
    void eventRecordedAfterAFaultingKernelReportsTheFault() throws Exception {
        CudaStream s = ctx.createStream(0);
        CudaEvent start = ctx.createEvent();
        start.record(s);
        CountDownLatch gate = faultBehindGate(s);
        CudaEvent end = ctx.createEvent();
        end.record(s);
        AtomicReference<CUresult> status = new AtomicReference<>();
        CountDownLatch called = new CountDownLatch(1);
        s.addCallback((stream, result) -> {
            status.set(result);
            called.countDown();
        });
        assertFalse(end.query(), "the stream is held: the event has not completed");
        gate.countDown();

        assertFault(end::synchronize, "event.synchronize");
        assertFault(end::query, "event.query");
        assertFault(() -> end.elapsedTimeSince(start), "event.elapsedTime");
        assertFault(s::synchronize, "stream.synchronize");
        assertTrue(called.await(10, TimeUnit.SECONDS), "the stream callback ran");
        assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, status.get(), "the stream callback's status");
        assertContextUnusable();
    }

    @Test
    void eventOnAnotherStreamThatWaitedForTheFaultReportsIt() throws Exception {
        CudaStream a = ctx.createStream(CudaStream.NON_BLOCKING);
        CudaStream b = ctx.createStream(CudaStream.NON_BLOCKING);
        CountDownLatch gate = faultBehindGate(a);
        CudaEvent afterFault = ctx.createEvent();
        afterFault.record(a);
        b.waitEvent(afterFault);
        CudaEvent onB = ctx.createEvent();
        onB.record(b);
        gate.countDown();

        assertFault(onB::synchronize, "synchronize of the event on the waiting stream");
        assertFault(b::synchronize, "synchronize of the waiting stream");
        assertFault(afterFault::synchronize, "synchronize of the event on the faulting stream");
        assertContextUnusable();
    }

    @Test
    void eventSynchronizedFromAnotherThreadReportsTheFault() throws Exception {
        CudaStream s = ctx.createStream(0);
        CountDownLatch gate = faultBehindGate(s);
        CudaEvent end = ctx.createEvent();
        end.record(s);
        AtomicReference<Throwable> seen = new AtomicReference<>();
        CountDownLatch waiting = new CountDownLatch(1);
        Thread other = Thread.ofPlatform().start(() -> {
            waiting.countDown();
            try {
                end.synchronize();
            } catch (Throwable e) {
                seen.set(e);
            }
        });
        assertTrue(waiting.await(10, TimeUnit.SECONDS));
        gate.countDown();
        other.join(10_000);
        assertFalse(other.isAlive(), "event.synchronize on the other thread returned");
        if (!(seen.get() instanceof CudaException e)) {
            fail("event.synchronize on another thread must report the kernel fault, got " + seen.get());
            return;
        }
        assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result(), e.toString());
        assertContextUnusable();
    }

    @Test
    void streamQueryAfterTheFaultReportsIt() throws Exception {
        CudaStream s = ctx.createStream(0);
        CountDownLatch gate = faultBehindGate(s);
        assertFalse(s.query(), "the stream is held");
        gate.countDown();
        long deadline = System.nanoTime() + 10_000_000_000L;
        CudaException fault = null;
        while (System.nanoTime() < deadline) {
            try {
                if (s.query()) break;
            } catch (CudaException e) {
                fault = e;
                break;
            }
            Thread.sleep(1);
        }
        if (fault == null) fail("stream.query after the faulting kernel completed must report the fault");
        assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, fault.result(), fault.toString());
        assertContextUnusable();
    }

    @Test
    void eventsWithoutAFaultStillSucceed() throws Exception {
        CudaStream s = ctx.createStream(0);
        CudaEvent start = ctx.createEvent();
        CudaEvent end = ctx.createEvent();
        start.record(s);
        s.launch(scale, Dim3.of(N / 128), Dim3.of(128), 0, scale.newArgs().add(buffer).add(2f).add(N));
        end.record(s);
        end.synchronize();
        assertTrue(end.query());
        assertTrue(end.elapsedTimeSince(start) >= 0f);
        s.synchronize();
        assertTrue(s.query());
        assertNull(((ContextImpl) ctx).stickyError().orElse(null));
    }
}
