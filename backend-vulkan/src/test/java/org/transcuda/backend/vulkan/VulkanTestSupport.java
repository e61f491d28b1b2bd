package org.transcuda.backend.vulkan;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Optional;

/** One backend for the whole test run, and the first usable device (tests skip where there is none). */
final class VulkanTestSupport {
    private static VulkanBackend backend;

    private VulkanTestSupport() {
    }

    static synchronized VulkanBackend backend() {
        if (backend == null) {
            backend = new VulkanBackend();
            backend.start("0.0.0.test");
        }
        return backend;
    }

    static Optional<VulkanDevice> usableDevice() {
        return backend().devices().stream().filter(d -> d.unusableReason().isEmpty()).findFirst();
    }

    /** The first usable device; skips the test when the machine has none. */
    static VulkanDevice device() {
        Optional<VulkanDevice> d = usableDevice();
        assumeTrue(d.isPresent(), () -> "no usable Vulkan device: " + backend().info().diagnostics());
        return d.get();
    }

    static VulkanContext context() throws Exception {
        return device().createContext();
    }
}
