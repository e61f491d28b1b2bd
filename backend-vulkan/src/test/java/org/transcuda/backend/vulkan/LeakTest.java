package org.transcuda.backend.vulkan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.Dim3;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.LaunchConfig;

/** Every Vulkan object a context creates is destroyed by the time it closes. */
class LeakTest {
    private static long streamThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("transcuda-vulkan-stream-")).count();
    }

    @Test
    void manyLaunchesThenCloseLeaveNothing() throws Exception {
        VulkanTestSupport.device();
        Map<Ledger.Kind, Long> before = Ledger.GLOBAL.snapshot();
        long threadsBefore = streamThreads();
        for (int round = 0; round < 3; round++) {
            VulkanContext ctx = VulkanTestSupport.context();
            VulkanModule m = ctx.load("m", List.of(TestKernels.addOne(), TestKernels.bigArgs()));
            VulkanFunction addOne = m.function("add_one");
            VulkanFunction big = m.function("big_args");
            VulkanStream s1 = ctx.createStream();
            VulkanStream s2 = ctx.createStream();
            long a = ctx.allocate(1 << 16);
            long b = ctx.allocate(3 << 20);
            for (int i = 0; i < 200; i++) {
                VulkanStream s = i % 2 == 0 ? s1 : s2;
                s.launch(addOne, new LaunchConfig(Dim3.of(4), Dim3.of(64 << (i % 3)), 0),
                        new Args(addOne.kernel().params()).u64("data", a).u32("n", 256).segment);
                s.launch(big, new LaunchConfig(Dim3.of(1), Dim3.of(32), 0),
                        new Args(big.kernel().params()).u64("out", b).u32("n", 32).segment);
                s.copyHostToDevice(b + 4096, MemorySegment.ofArray(new byte[1 << 17]));
            }
            s1.synchronize();
            assertTrue(ctx.ledger.live(Ledger.Kind.BUFFER) >= 2);
            assertEquals(3, addOne.pipelineCount());
            ctx.free(a);
            s2.close();
            ctx.close(); // with b live, s1 open, the module loaded and work possibly queued
            assertEquals(Map.of(), ctx.ledger.snapshot(), "live objects after close: " + ctx.ledger);
            ctx.close(); // idempotent
            assertEquals(CUresult.CUDA_ERROR_CONTEXT_IS_DESTROYED,
                    assertThrows(BackendException.class, () -> ctx.allocate(16)).result());
            assertEquals(CUresult.CUDA_ERROR_CONTEXT_IS_DESTROYED, assertThrows(BackendException.class,
                    () -> s1.fill(b, 0, 4, 1)).result());
        }
        assertEquals(before, Ledger.GLOBAL.snapshot());
        assertEquals(threadsBefore, streamThreads(), "stream threads ended");
    }

    @Test
    void closingWithQueuedWorkDropsItAndReleasesEverything() throws Exception {
        int contextsBefore = VulkanTestSupport.device().liveContexts();
        VulkanContext ctx = VulkanTestSupport.context();
        assertEquals(contextsBefore + 1, VulkanTestSupport.device().liveContexts());
        VulkanStream s = ctx.createStream();
        long d = ctx.allocate(1 << 20);
        s.enqueueHostCallback(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        for (int i = 0; i < 100; i++) s.fill(d, i, 4, 1 << 18);
        ctx.close();
        assertEquals(Map.of(), ctx.ledger.snapshot());
        assertEquals(contextsBefore, VulkanTestSupport.device().liveContexts());
    }

    @Test
    void stoppingTheBackendClosesItsContexts() throws Exception {
        VulkanTestSupport.device();
        Map<Ledger.Kind, Long> before = Ledger.GLOBAL.snapshot();
        VulkanBackend b = new VulkanBackend();
        b.start("test");
        VulkanDevice d = b.devices().stream().filter(x -> x.unusableReason().isEmpty()).findFirst().orElseThrow();
        VulkanContext ctx = d.createContext();
        VulkanStream s = ctx.createStream();
        long p = ctx.allocate(4096);
        s.fill(p, 1, 4, 1024);
        b.stop();
        assertEquals(0, d.liveContexts());
        assertEquals(before, Ledger.GLOBAL.snapshot());
        assertEquals(CUresult.CUDA_ERROR_CONTEXT_IS_DESTROYED,
                assertThrows(BackendException.class, () -> ctx.allocate(1)).result());
        assertEquals(CUresult.CUDA_ERROR_DEVICE_UNAVAILABLE,
                assertThrows(BackendException.class, d::createContext).result());
    }
}
