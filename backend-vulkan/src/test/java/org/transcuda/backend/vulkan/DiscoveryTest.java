package org.transcuda.backend.vulkan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.transcuda.backend.vulkan.vk.Vk;
import org.transcuda.spi.DeviceProperties;

/** Device discovery through the Vulkan loader, checked against what vulkaninfo reports. */
class DiscoveryTest {
    @Test
    void backendIdentityAndNoComplaintsWhenDevicesAreUsable() {
        VulkanTestSupport.device();
        VulkanBackend b = VulkanTestSupport.backend();
        assertEquals("vulkan", b.info().id());
        assertTrue(b.devices().stream().anyMatch(d -> d.unusableReason().isEmpty()));
        for (VulkanDevice d : b.devices()) {
            if (d.unusableReason().isEmpty()) continue;
            assertTrue(b.info().diagnostics().stream().anyMatch(s -> s.contains(d.properties().name())),
                    "an unusable device is explained in the diagnostics");
        }
    }

    @Test
    void propertiesAreHonest() {
        VulkanDevice d = VulkanTestSupport.device();
        PhysicalDeviceInfo i = d.info();
        DeviceProperties p = d.properties();
        assertEquals(i.name, p.name());
        assertEquals(i.uuid, p.uuid());
        assertEquals(32, p.warpSize());
        assertEquals(8, p.computeMajor());
        assertEquals(0, p.computeMinor());
        assertEquals(Math.min(1024, i.maxComputeWorkGroupInvocations), p.maxThreadsPerBlock());
        assertEquals(Math.min(1024, i.maxComputeWorkGroupSize[0]), p.maxBlockDim().x());
        assertEquals(Math.min(64, i.maxComputeWorkGroupSize[2]), p.maxBlockDim().z());
        assertEquals(Integer.MAX_VALUE, p.maxGridDim().x(), "large grids are split into several dispatches");
        assertEquals(i.maxComputeSharedMemorySize, p.sharedMemoryPerBlock());
        assertTrue(p.sharedMemoryPerBlock() >= 16384, "Vulkan guarantees 16 KiB");
        assertTrue(p.totalMemory() > 0);
        assertEquals(i.deviceType == Vk.PHYSICAL_DEVICE_TYPE_CPU
                || i.deviceType == Vk.PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU, p.integrated());
        assertTrue(Integer.compareUnsigned(i.apiVersion, Vk.apiVersion(1, 2)) >= 0);
        for (String f : PhysicalDeviceInfo.REQUIRED_FEATURES) assertTrue(i.has(f), f);
        assertTrue(i.subgroupSize >= 1 && Integer.bitCount(i.subgroupSize) == 1, "subgroup size " + i.subgroupSize);
        assertTrue(i.maxPushConstantsSize >= 128);
        assertTrue(i.computeQueueFamily >= 0);
    }

    @Test
    void lavapipeIsFoundWithItsKnownShape() {
        VulkanDevice d = VulkanTestSupport.device();
        PhysicalDeviceInfo i = d.info();
        assumeTrue(i.name.startsWith("llvmpipe"), "not lavapipe: " + i.name);
        assertEquals(Vk.PHYSICAL_DEVICE_TYPE_CPU, i.deviceType);
        assertEquals(8, i.subgroupSize, "lavapipe's subgroups are 8 wide, not 32");
        assertEquals(32768, d.properties().sharedMemoryPerBlock());
        assertEquals(1024, d.properties().maxThreadsPerBlock());
        assertEquals(Runtime.getRuntime().availableProcessors(), d.properties().multiprocessorCount());
        assertTrue(i.has("storageBuffer8BitAccess") && i.has("shaderBufferInt64Atomics"));
    }

    /** UUID, name and limits agree with vulkaninfo, an independent reader of the same driver. */
    @Test
    void agreesWithVulkaninfo() throws Exception {
        VulkanDevice d = VulkanTestSupport.device();
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/vulkaninfo")), "vulkaninfo not installed");
        SpirvTools.Result r = SpirvTools.run(List.of("vulkaninfo"), null);
        assumeTrue(r.exitCode() == 0, "vulkaninfo failed");
        String out = r.output();
        assertTrue(out.contains("deviceName        = " + d.info().name) || out.contains("deviceName = " + d.info().name),
                "vulkaninfo lists " + d.info().name);
        Matcher uuid = Pattern.compile("deviceUUID\\s*=\\s*([0-9a-f-]{36})").matcher(out);
        assertTrue(uuid.find());
        assertEquals(uuid.group(1), d.properties().uuid().toString());
        Matcher shared = Pattern.compile("maxComputeSharedMemorySize\\s*=\\s*(\\d+)").matcher(out);
        assertTrue(shared.find());
        assertEquals(Integer.parseInt(shared.group(1)), d.properties().sharedMemoryPerBlock());
        Matcher subgroup = Pattern.compile("subgroupSize\\s*=\\s*(\\d+)").matcher(out);
        assertTrue(subgroup.find());
        assertEquals(Integer.parseInt(subgroup.group(1)), d.info().subgroupSize);
    }

    @Test
    void registersAsADeclarativeServicesComponent() throws Exception {
        Path xml = Path.of("target/classes/OSGI-INF/org.transcuda.backend.vulkan.VulkanBackend.xml");
        assumeTrue(Files.exists(xml), "bnd has not processed the classes");
        String s = Files.readString(xml);
        assertTrue(s.contains("name=\"transcuda.backend.id\" type=\"String\" value=\"vulkan\""), s);
        assertTrue(s.contains("name=\"service.ranking\" type=\"Integer\" value=\"50\""), s);
        assertTrue(s.contains("<provide interface=\"org.transcuda.spi.Backend\"/>"), s);
        assertNotNull(VulkanBackend.class.getDeclaredMethod("activate", org.osgi.framework.BundleContext.class));
    }
}
