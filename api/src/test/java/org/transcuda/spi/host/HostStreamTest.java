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
}
