package org.transcuda.spi.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.transcuda.cuda.CUresult;
import org.transcuda.spi.BackendException;

class HostStreamTest {
    @Test
    void runsInOrderAndReportsFirstFailureOnce() throws Exception {
        HostStream s = new HostStream("test-stream");
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 100; i++) {
            int k = i;
            s.enqueue(() -> order.add(k));
        }
        s.enqueue(() -> {
            throw new BackendException(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, "first");
        });
        s.enqueue(() -> {
            throw new BackendException(CUresult.CUDA_ERROR_INVALID_VALUE, "second");
        });
        s.enqueue(() -> order.add(100));
        BackendException e = assertThrows(BackendException.class, s::synchronize);
        assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
        s.synchronize(); // reported once
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i <= 100; i++) expected.add(i);
        assertEquals(expected, order);
        s.close();
    }

    @Test
    void closeEndsTheThreadAndRejectsWork() throws Exception {
        HostStream s = new HostStream("test-close");
        CountDownLatch ran = new CountDownLatch(1);
        s.enqueue(ran::countDown);
        ran.await();
        s.close();
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().startsWith("test-close")));
        assertEquals(CUresult.CUDA_ERROR_INVALID_HANDLE, assertThrows(BackendException.class, () -> s.enqueue(() -> { })).result());
    }

    @Test
    void abortDropsQueuedWork() throws Exception {
        HostStream s = new HostStream("test-abort");
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> ran = Collections.synchronizedList(new ArrayList<>());
        s.enqueue(() -> {
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ran.add("first");
        });
        for (int i = 0; i < 10; i++) s.enqueue(() -> ran.add("later"));
        started.await();
        assertFalse(s.isIdle());
        Thread aborter = Thread.ofPlatform().start(s::abort);
        Thread.sleep(50);
        release.countDown();
        aborter.join();
        assertEquals(List.of("first"), ran);
    }

    @Test
    void workReservedOnAnIdleStreamRunsOnTheCallerAndHoldsBackLaterWork() throws Exception {
        HostStream s = new HostStream("test-inline");
        List<String> ran = Collections.synchronizedList(new ArrayList<>());
        Thread caller = Thread.currentThread();
        HostStream.armInline();
        s.enqueue(() -> ran.add(Thread.currentThread() == caller ? "reserved on caller" : "reserved elsewhere"));
        HostStream.disarmInline();
        assertFalse(s.isIdle());
        // Another thread's work, enqueued after the reservation, must wait for it.
        Thread other = Thread.ofPlatform().start(() -> {
            try {
                s.enqueue(() -> ran.add("later"));
            } catch (BackendException e) {
                ran.add("failed " + e);
            }
        });
        other.join();
        Thread.sleep(50); // widens the window in which the stream's thread could run "later" too early
        assertEquals(List.of(), ran);
        s.synchronize();
        assertEquals(List.of("reserved on caller", "later"), ran);
        assertTrue(s.isIdle());
        s.close();
    }

    @Test
    void armedWorkOnABusyStreamIsQueuedInOrder() throws Exception {
        HostStream s = new HostStream("test-busy");
        CountDownLatch release = new CountDownLatch(1);
        List<String> ran = Collections.synchronizedList(new ArrayList<>());
        Thread caller = Thread.currentThread();
        s.enqueue(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ran.add("first");
        });
        HostStream.armInline();
        s.enqueue(() -> ran.add(Thread.currentThread() == caller ? "second on caller" : "second on stream"));
        HostStream.disarmInline();
        release.countDown();
        s.synchronize();
        HostStream.runClaimed(); // nothing reserved: a no-op
        assertEquals(List.of("first", "second on stream"), ran);
        s.close();
    }

    @Test
    void reservedWorkRunsWhenTheCallEndsAndItsFailureIsReportedBySynchronize() throws Exception {
        HostStream s = new HostStream("test-claimed");
        List<String> ran = Collections.synchronizedList(new ArrayList<>());
        HostStream.armInline();
        s.enqueue(() -> {
            ran.add("reserved");
            throw new BackendException(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, "reserved work failed");
        });
        HostStream.disarmInline();
        HostStream.runClaimed(); // the synchronous call ended without synchronizing (it failed half-way)
        assertEquals(List.of("reserved"), ran);
        assertTrue(s.isIdle());
        assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, assertThrows(BackendException.class, s::synchronize).result());
        s.synchronize(); // reported once
        // Not armed: queued work runs on the stream's thread.
        Thread caller = Thread.currentThread();
        s.enqueue(() -> ran.add(Thread.currentThread() == caller ? "on caller" : "on stream"));
        s.synchronize();
        assertEquals(List.of("reserved", "on stream"), ran);
        s.close();
    }
}
