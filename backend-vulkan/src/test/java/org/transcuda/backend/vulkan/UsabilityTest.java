package org.transcuda.backend.vulkan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.transcuda.backend.vulkan.vk.Vk;

/** Which devices are CUDA devices, and the reason given for those that are not. */
class UsabilityTest {
    private static final Set<String> ALL = Set.copyOf(PhysicalDeviceInfo.REQUIRED_FEATURES);

    @Test
    void aCompleteVulkan12DeviceIsUsable() {
        assertEquals(Optional.empty(), PhysicalDeviceInfo.judge(Vk.apiVersion(1, 2), ALL, true, true, true));
        assertEquals(Optional.empty(), PhysicalDeviceInfo.judge(Vk.apiVersion(1, 3) + 250, ALL, true, true, true));
    }

    @Test
    void vulkan11IsTooOld() {
        String why = PhysicalDeviceInfo.judge(Vk.apiVersion(1, 1) + 5, ALL, true, true, true).orElseThrow();
        assertTrue(why.contains("1.1.5") && why.contains("1.2"), why);
    }

    @Test
    void eachMissingRequirementIsNamed() {
        for (String f : PhysicalDeviceInfo.REQUIRED_FEATURES) {
            Set<String> without = new HashSet<>(ALL);
            without.remove(f);
            String why = PhysicalDeviceInfo.judge(Vk.apiVersion(1, 3), without, true, true, true).orElseThrow();
            assertEquals("missing " + f, why);
        }
        assertEquals("missing bufferDeviceAddress, timelineSemaphore, a compute queue",
                PhysicalDeviceInfo.judge(Vk.apiVersion(1, 2), Set.of("shaderInt64"), false, true, true).orElseThrow());
        assertTrue(PhysicalDeviceInfo.judge(Vk.apiVersion(1, 2), ALL, true, false, false).orElseThrow()
                .contains("device-local memory"));
    }

    @Test
    void unusableDevicesRefuseContexts() {
        // The usable device's judgement agrees with the rule above.
        VulkanDevice d = VulkanTestSupport.device();
        PhysicalDeviceInfo i = d.info();
        assertEquals(PhysicalDeviceInfo.judge(i.apiVersion, i.features, i.computeQueueFamily >= 0, true, true),
                d.unusableReason());
    }
}
