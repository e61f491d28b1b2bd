package org.transcuda.backend.vulkan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.transcuda.spi.BackendInfo;

/** Without a Vulkan loader the backend registers, reports no device, and says why. */
class NoLoaderTest {
    @Test
    void bogusLibraryMeansZeroDevicesAndAReason() {
        String old = System.getProperty(VulkanBackend.LIBRARY_PROPERTY);
        System.setProperty(VulkanBackend.LIBRARY_PROPERTY, "libvulkan-does-not-exist.so.7");
        try {
            VulkanBackend b = new VulkanBackend();
            b.start("1.2.3");
            BackendInfo info = b.info();
            assertEquals("vulkan", info.id());
            assertEquals("1.2.3", info.version());
            assertTrue(b.devices().isEmpty());
            assertFalse(info.diagnostics().isEmpty());
            String why = String.join(" ", info.diagnostics());
            assertTrue(why.contains("libvulkan-does-not-exist.so.7"), why);
            b.stop(); // nothing to release, must not throw
            b.stop();
        } finally {
            if (old == null) System.clearProperty(VulkanBackend.LIBRARY_PROPERTY);
            else System.setProperty(VulkanBackend.LIBRARY_PROPERTY, old);
        }
    }

    @Test
    void aLibraryThatIsNotAVulkanLoaderIsReported() {
        String old = System.getProperty(VulkanBackend.LIBRARY_PROPERTY);
        System.setProperty(VulkanBackend.LIBRARY_PROPERTY, "libc.so.6"); // loads, but has no vkGetInstanceProcAddr
        try {
            VulkanBackend b = new VulkanBackend();
            b.start("1");
            assertTrue(b.devices().isEmpty());
            String why = String.join(" ", b.info().diagnostics());
            assertTrue(why.contains("vkGetInstanceProcAddr"), why);
        } finally {
            if (old == null) System.clearProperty(VulkanBackend.LIBRARY_PROPERTY);
            else System.setProperty(VulkanBackend.LIBRARY_PROPERTY, old);
        }
    }
}
