package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;

/**
 * The allocation table under allocations and frees from several threads (streams' mallocAsync and freeAsync run
 * on different host threads): an allocation is in the kernels' lookup table from the moment {@code allocate}
 * returns until its own {@code free}, whatever other threads allocate, free or look up meanwhile. Two races broke
 * this: a lookup table built from the map before another thread's allocation and published after that thread's
 * invalidation (the allocation then missing from every later lookup), and a free that released the address before
 * removing it from the map, so that another thread's allocation at the reused address was removed instead.
 */
class DeviceMemoryRaceTest {
    private static final long SECONDS = 2;

    @Test
    void everyLiveAllocationIsInTheKernelsTableWhileOtherThreadsAllocateAndFree() throws Exception {
        int threads = 6;
        try (DeviceMemory memory = new DeviceMemory(1L << 30)) {
            // Other live allocations make each rebuild of the table longer: a wider window for the race.
            long[] others = new long[256];
            for (int i = 0; i < others.length; i++) others[i] = memory.allocate(256);
            List<String> failures = Collections.synchronizedList(new ArrayList<>());
            CyclicBarrier start = new CyclicBarrier(threads);
            long end = System.nanoTime() + SECONDS * 1_000_000_000L;
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                workers.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                        long[] mine = new long[4];
                        int iterations = 0;
                        while (failures.isEmpty() && System.nanoTime() < end) {
                            for (int i = 0; i < mine.length; i++) mine[i] = memory.allocate(256L << (i + id % 2));
                            // Kernels look their addresses up here; another thread's rebuild races the allocations.
                            for (long a : mine) {
                                if (!memory.isAllocation(a) || memory.snapshot().find(a) < 0) {
                                    long ms = (System.nanoTime() - end) / 1_000_000 + SECONDS * 1000;
                                    failures.add("after " + ms + " ms, iteration " + iterations + ": live allocation 0x"
                                            + Long.toHexString(a) + " is missing from the "
                                            + (memory.isAllocation(a) ? "kernels' lookup table" : "allocation map"));
                                    return;
                                }
                            }
                            for (long a : mine) memory.free(a);
                            iterations++;
                        }
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }));
            }
            for (Thread w : workers) w.join();
            assertTrue(failures.isEmpty(), failures.toString());
            for (long a : others) memory.free(a);
            assertTrue(memory.allocatedBytes() == 0, "bytes left allocated: " + memory.allocatedBytes());
        }
    }
}
