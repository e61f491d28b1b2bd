package org.transcuda.backend.vulkan;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.transcuda.backend.vulkan.vk.Struct;
import org.transcuda.backend.vulkan.vk.Vk;
import org.transcuda.backend.vulkan.vk.VkException;
import org.transcuda.backend.vulkan.vk.VkInstance;

/**
 * What one {@code VkPhysicalDevice} offers, read once at discovery: identity, the limits that become CUDA
 * device attributes, the features (by their C field names) and extensions, memory types and the queue
 * family used for compute. {@link #unusableReason()} says which requirement of the backend is missing.
 */
final class PhysicalDeviceInfo {
    /** The lowest Vulkan version the backend runs on. */
    static final int REQUIRED_API = Vk.apiVersion(1, 2);

    /** Features without which no kernel can run: device pointers, 64-bit integers, stream ordering. */
    static final List<String> REQUIRED_FEATURES = List.of("bufferDeviceAddress", "shaderInt64", "timelineSemaphore");

    /**
     * Features enabled when present; the code generator consults {@link VulkanDevice#capabilities()} and
     * emulates what is missing (8/16-bit access through 32-bit words, float atomics through CAS loops).
     */
    static final List<String> OPTIONAL_FEATURES = List.of("shaderInt16", "shaderFloat64", "storageBuffer16BitAccess",
            "uniformAndStorageBuffer16BitAccess", "storagePushConstant16", "variablePointersStorageBuffer",
            "variablePointers", "storageBuffer8BitAccess", "uniformAndStorageBuffer8BitAccess", "storagePushConstant8",
            "shaderInt8", "shaderFloat16", "shaderBufferInt64Atomics", "shaderSharedInt64Atomics", "vulkanMemoryModel",
            "vulkanMemoryModelDeviceScope", "scalarBlockLayout", "subgroupBroadcastDynamicId",
            "shaderSubgroupExtendedTypes", "uniformBufferStandardLayout", "subgroupSizeControl", "computeFullSubgroups",
            "maintenance4", "shaderZeroInitializeWorkgroupMemory", "shaderBufferFloat32Atomics",
            "shaderBufferFloat32AtomicAdd", "shaderBufferFloat64Atomics", "shaderBufferFloat64AtomicAdd",
            "shaderSharedFloat32Atomics", "shaderSharedFloat32AtomicAdd", "shaderSharedFloat64Atomics",
            "shaderSharedFloat64AtomicAdd", "shaderSubgroupClock", "shaderDeviceClock", "shaderFmaFloat32",
            "shaderFmaFloat64");

    /** Device extensions enabled when present. */
    static final List<String> OPTIONAL_EXTENSIONS = List.of("VK_EXT_shader_atomic_float", "VK_KHR_shader_clock",
            "VK_KHR_portability_subset", "VK_KHR_shader_fma");

    final MemorySegment handle;
    final String name;
    final int apiVersion;
    final int driverVersion;
    final int vendorId;
    final int deviceId;
    final int deviceType;
    final UUID uuid;
    final String driverName;
    final String driverInfo;
    final List<String> extensions;
    final Set<String> features;

    // limits
    final int maxComputeSharedMemorySize;
    final int[] maxComputeWorkGroupCount = new int[3];
    final int maxComputeWorkGroupInvocations;
    final int[] maxComputeWorkGroupSize = new int[3];
    final int maxPushConstantsSize;
    final int maxMemoryAllocationCount;
    final long maxMemoryAllocationSize;
    final float timestampPeriod;

    // subgroups
    final int subgroupSize;
    final int subgroupStages;
    final int subgroupOperations;
    final int minSubgroupSize;
    final int maxSubgroupSize;
    final int requiredSubgroupSizeStages;

    // memory
    final int[] memoryTypeFlags;
    final int[] memoryTypeHeaps;
    final long[] heapSizes;
    final int[] heapFlags;

    // queue
    final int computeQueueFamily;
    final int timestampValidBits;

    final int pciBusId;
    final int multiprocessorCount;
    final Optional<String> unusableReason;

    private PhysicalDeviceInfo(VkInstance instance, MemorySegment pd) throws VkException {
        this.handle = pd;
        Struct props = Vk.PHYSICAL_DEVICE_PROPERTIES;
        try (Arena a = Arena.ofConfined()) {
            // Version first (Vulkan 1.0 entry point): which structs may be chained depends on it.
            MemorySegment p1 = props.allocate(a);
            instance.properties(pd, p1);
            apiVersion = props.getInt(p1, "apiVersion");
            boolean v11 = Integer.compareUnsigned(apiVersion, Vk.apiVersion(1, 1)) >= 0;
            boolean v12 = Integer.compareUnsigned(apiVersion, REQUIRED_API) >= 0;
            boolean v13 = Integer.compareUnsigned(apiVersion, Vk.apiVersion(1, 3)) >= 0;
            extensions = List.copyOf(instance.deviceExtensions(pd));

            MemorySegment p2 = Vk.PHYSICAL_DEVICE_PROPERTIES_2.allocate(a);
            MemorySegment id = Vk.PHYSICAL_DEVICE_ID_PROPERTIES.allocate(a);
            MemorySegment sub = Vk.PHYSICAL_DEVICE_SUBGROUP_PROPERTIES.allocate(a);
            MemorySegment m3 = Vk.PHYSICAL_DEVICE_MAINTENANCE_3_PROPERTIES.allocate(a);
            MemorySegment drv = Vk.PHYSICAL_DEVICE_DRIVER_PROPERTIES.allocate(a);
            MemorySegment ssc = Vk.PHYSICAL_DEVICE_SUBGROUP_SIZE_CONTROL_PROPERTIES.allocate(a);
            MemorySegment pci = Vk.PHYSICAL_DEVICE_PCI_BUS_INFO_PROPERTIES_EXT.allocate(a);
            MemorySegment nv = Vk.PHYSICAL_DEVICE_SHADER_SM_BUILTINS_PROPERTIES_NV.allocate(a);
            MemorySegment amd = Vk.PHYSICAL_DEVICE_SHADER_CORE_PROPERTIES_AMD.allocate(a);
            List<MemorySegment> chain = new ArrayList<>(List.of(p2));
            if (v11) chain.addAll(List.of(id, sub, m3));
            if (v12) chain.add(drv);
            if (v13) chain.add(ssc);
            if (extensions.contains("VK_EXT_pci_bus_info")) chain.add(pci);
            if (extensions.contains("VK_NV_shader_sm_builtins")) chain.add(nv);
            if (extensions.contains("VK_AMD_shader_core_properties")) chain.add(amd);
            link(chain);
            instance.properties2(pd, p2);

            MemorySegment pp = Vk.PHYSICAL_DEVICE_PROPERTIES_2.slice(p2, "properties");
            name = props.getString(pp, "deviceName");
            driverVersion = props.getInt(pp, "driverVersion");
            vendorId = props.getInt(pp, "vendorID");
            deviceId = props.getInt(pp, "deviceID");
            deviceType = props.getInt(pp, "deviceType");
            maxComputeSharedMemorySize = props.getInt(pp, "limits.maxComputeSharedMemorySize");
            for (int i = 0; i < 3; i++) {
                maxComputeWorkGroupCount[i] = props.getInt(pp, "limits.maxComputeWorkGroupCount", i);
                maxComputeWorkGroupSize[i] = props.getInt(pp, "limits.maxComputeWorkGroupSize", i);
            }
            maxComputeWorkGroupInvocations = props.getInt(pp, "limits.maxComputeWorkGroupInvocations");
            maxPushConstantsSize = props.getInt(pp, "limits.maxPushConstantsSize");
            maxMemoryAllocationCount = props.getInt(pp, "limits.maxMemoryAllocationCount");
            timestampPeriod = props.getFloat(pp, "limits.timestampPeriod");
            maxMemoryAllocationSize = Vk.PHYSICAL_DEVICE_MAINTENANCE_3_PROPERTIES.getLong(m3, "maxMemoryAllocationSize");
            uuid = v11 ? uuid(Vk.PHYSICAL_DEVICE_ID_PROPERTIES.getBytes(id, "deviceUUID"))
                    : UUID.nameUUIDFromBytes((vendorId + ":" + deviceId + ":" + name).getBytes());
            subgroupSize = Vk.PHYSICAL_DEVICE_SUBGROUP_PROPERTIES.getInt(sub, "subgroupSize");
            subgroupStages = Vk.PHYSICAL_DEVICE_SUBGROUP_PROPERTIES.getInt(sub, "supportedStages");
            subgroupOperations = Vk.PHYSICAL_DEVICE_SUBGROUP_PROPERTIES.getInt(sub, "supportedOperations");
            Struct sscs = Vk.PHYSICAL_DEVICE_SUBGROUP_SIZE_CONTROL_PROPERTIES;
            minSubgroupSize = v13 ? sscs.getInt(ssc, "minSubgroupSize") : subgroupSize;
            maxSubgroupSize = v13 ? sscs.getInt(ssc, "maxSubgroupSize") : subgroupSize;
            requiredSubgroupSizeStages = v13 ? sscs.getInt(ssc, "requiredSubgroupSizeStages") : 0;
            driverName = v12 ? Vk.PHYSICAL_DEVICE_DRIVER_PROPERTIES.getString(drv, "driverName") : "";
            driverInfo = v12 ? Vk.PHYSICAL_DEVICE_DRIVER_PROPERTIES.getString(drv, "driverInfo") : "";
            Struct pcis = Vk.PHYSICAL_DEVICE_PCI_BUS_INFO_PROPERTIES_EXT;
            pciBusId = chain.contains(pci) ? pcis.getInt(pci, "pciBus") : -1;
            int mp;
            if (chain.contains(nv)) {
                mp = Vk.PHYSICAL_DEVICE_SHADER_SM_BUILTINS_PROPERTIES_NV.getInt(nv, "shaderSMCount");
            } else if (chain.contains(amd)) {
                Struct s = Vk.PHYSICAL_DEVICE_SHADER_CORE_PROPERTIES_AMD;
                mp = s.getInt(amd, "shaderEngineCount") * s.getInt(amd, "shaderArraysPerEngineCount")
                        * s.getInt(amd, "computeUnitsPerShaderArray");
            } else if (deviceType == Vk.PHYSICAL_DEVICE_TYPE_CPU) {
                mp = Runtime.getRuntime().availableProcessors();
            } else {
                mp = 1; // Vulkan does not say; CUDA programs use this only to size grids
            }
            multiprocessorCount = Math.max(1, mp);

            features = v12 ? queryFeatures(instance, pd, a, v13, extensions) : Set.of();

            MemorySegment mem = Vk.PHYSICAL_DEVICE_MEMORY_PROPERTIES.allocate(a);
            instance.memoryProperties(pd, mem);
            Struct ms = Vk.PHYSICAL_DEVICE_MEMORY_PROPERTIES;
            int nTypes = ms.getInt(mem, "memoryTypeCount");
            int nHeaps = ms.getInt(mem, "memoryHeapCount");
            memoryTypeFlags = new int[nTypes];
            memoryTypeHeaps = new int[nTypes];
            for (int i = 0; i < nTypes; i++) {
                MemorySegment t = Vk.MEMORY_TYPE.element(ms.slice(mem, "memoryTypes"), i);
                memoryTypeFlags[i] = Vk.MEMORY_TYPE.getInt(t, "propertyFlags");
                memoryTypeHeaps[i] = Vk.MEMORY_TYPE.getInt(t, "heapIndex");
            }
            heapSizes = new long[nHeaps];
            heapFlags = new int[nHeaps];
            for (int i = 0; i < nHeaps; i++) {
                MemorySegment h = Vk.MEMORY_HEAP.element(ms.slice(mem, "memoryHeaps"), i);
                heapSizes[i] = Vk.MEMORY_HEAP.getLong(h, "size");
                heapFlags[i] = Vk.MEMORY_HEAP.getInt(h, "flags");
            }

            MemorySegment families = instance.queueFamilies(pd, a);
            int n = (int) (families.byteSize() / Vk.QUEUE_FAMILY_PROPERTIES.size());
            int chosen = -1;
            int bits = 0;
            for (int i = 0; i < n; i++) {
                MemorySegment f = Vk.QUEUE_FAMILY_PROPERTIES.element(families, i);
                int flags = Vk.QUEUE_FAMILY_PROPERTIES.getInt(f, "queueFlags");
                if ((flags & Vk.QUEUE_COMPUTE_BIT) == 0 || Vk.QUEUE_FAMILY_PROPERTIES.getInt(f, "queueCount") < 1) {
                    continue;
                }
                // A compute family that can also do graphics is the universal queue: take it unless a
                // dedicated compute family exists, which does not compete with a display's work.
                boolean dedicated = (flags & Vk.QUEUE_GRAPHICS_BIT) == 0;
                if (chosen < 0 || dedicated) {
                    chosen = i;
                    bits = Vk.QUEUE_FAMILY_PROPERTIES.getInt(f, "timestampValidBits");
                    if (dedicated) break;
                }
            }
            computeQueueFamily = chosen;
            timestampValidBits = bits;
        }
        unusableReason = judge();
    }

    static PhysicalDeviceInfo query(VkInstance instance, MemorySegment physicalDevice) throws VkException {
        return new PhysicalDeviceInfo(instance, physicalDevice);
    }

    private static void link(List<MemorySegment> chain) {
        for (int i = 0; i + 1 < chain.size(); i++) {
            chain.get(i).set(java.lang.foreign.ValueLayout.ADDRESS, 8, chain.get(i + 1));
        }
    }

    /** The feature structs queried and enabled, in pNext order. */
    static List<Struct> featureStructs(boolean v13, List<String> extensions) {
        List<Struct> s = new ArrayList<>(List.of(Vk.PHYSICAL_DEVICE_FEATURES_2, Vk.PHYSICAL_DEVICE_VULKAN_1_1_FEATURES,
                Vk.PHYSICAL_DEVICE_VULKAN_1_2_FEATURES));
        if (v13) s.add(Vk.PHYSICAL_DEVICE_VULKAN_1_3_FEATURES);
        if (extensions.contains("VK_EXT_shader_atomic_float")) s.add(Vk.PHYSICAL_DEVICE_SHADER_ATOMIC_FLOAT_FEATURES_EXT);
        if (extensions.contains("VK_KHR_shader_clock")) s.add(Vk.PHYSICAL_DEVICE_SHADER_CLOCK_FEATURES_KHR);
        if (extensions.contains("VK_KHR_shader_fma")) s.add(Vk.PHYSICAL_DEVICE_SHADER_FMA_FEATURES_KHR);
        return s;
    }

    /** Allocates a linked feature chain; element 0 is the {@code VkPhysicalDeviceFeatures2}. */
    static List<MemorySegment> featureChain(Arena a, List<Struct> structs) {
        List<MemorySegment> chain = new ArrayList<>();
        for (Struct s : structs) chain.add(s.allocate(a));
        link(chain);
        return chain;
    }

    /** The path of a feature's field inside its struct ({@code features.} prefix for the 1.0 ones). */
    static String fieldPath(Struct s, String feature) {
        if (s == Vk.PHYSICAL_DEVICE_FEATURES_2) {
            return Vk.PHYSICAL_DEVICE_FEATURES.fields().containsKey(feature) ? "features." + feature : null;
        }
        return s.fields().containsKey(feature) && !feature.equals("sType") && !feature.equals("pNext") ? feature : null;
    }

    private static Set<String> queryFeatures(VkInstance instance, MemorySegment pd, Arena a, boolean v13,
            List<String> extensions) {
        List<Struct> structs = featureStructs(v13, extensions);
        List<MemorySegment> chain = featureChain(a, structs);
        instance.features2(pd, chain.get(0));
        Set<String> result = new LinkedHashSet<>();
        for (int i = 0; i < structs.size(); i++) {
            Struct s = structs.get(i);
            Struct fields = s == Vk.PHYSICAL_DEVICE_FEATURES_2 ? Vk.PHYSICAL_DEVICE_FEATURES : s;
            for (String f : fields.fields().keySet()) {
                String path = fieldPath(s, f);
                if (path != null && s.getBool(chain.get(i), path)) result.add(f);
            }
        }
        return Collections.unmodifiableSet(result);
    }

    private Optional<String> judge() {
        return judge(apiVersion, features, computeQueueFamily >= 0, deviceMemoryType(-1) >= 0,
                hostMemoryType(-1) >= 0);
    }

    /** Why a device with these traits cannot be a CUDA device, or empty. */
    static Optional<String> judge(int apiVersion, Set<String> features, boolean computeQueue, boolean deviceMemory,
            boolean hostMemory) {
        if (Integer.compareUnsigned(apiVersion, REQUIRED_API) < 0) {
            return Optional.of("Vulkan " + Vk.apiString(apiVersion) + " < 1.2 (the backend needs Vulkan 1.2)");
        }
        List<String> missing = new ArrayList<>();
        for (String f : REQUIRED_FEATURES) {
            if (!features.contains(f)) missing.add(f);
        }
        if (!computeQueue) missing.add("a compute queue");
        if (!deviceMemory) missing.add("device-local memory");
        if (!hostMemory) missing.add("host-visible coherent memory");
        if (!missing.isEmpty()) return Optional.of("missing " + String.join(", ", missing));
        return Optional.empty();
    }

    boolean has(String feature) {
        return features.contains(feature);
    }

    boolean hasSubgroupOperations(int bits) {
        return (subgroupOperations & bits) == bits && (subgroupStages & Vk.SHADER_STAGE_COMPUTE_BIT) != 0;
    }

    /** The memory type for device allocations among {@code allowed} bits (-1: any): device-local first. */
    int deviceMemoryType(int allowed) {
        int t = pickType(allowed, Vk.MEMORY_PROPERTY_DEVICE_LOCAL_BIT, Vk.MEMORY_PROPERTY_PROTECTED_BIT
                | Vk.MEMORY_PROPERTY_LAZILY_ALLOCATED_BIT);
        return t >= 0 ? t : pickType(allowed, 0, Vk.MEMORY_PROPERTY_PROTECTED_BIT | Vk.MEMORY_PROPERTY_LAZILY_ALLOCATED_BIT);
    }

    /** The memory type for staging and argument buffers: host-visible and coherent. */
    int hostMemoryType(int allowed) {
        return pickType(allowed, Vk.MEMORY_PROPERTY_HOST_VISIBLE_BIT | Vk.MEMORY_PROPERTY_HOST_COHERENT_BIT,
                Vk.MEMORY_PROPERTY_PROTECTED_BIT);
    }

    private int pickType(int allowed, int required, int forbidden) {
        for (int i = 0; i < memoryTypeFlags.length; i++) {
            if ((allowed & (1 << i)) == 0) continue;
            int f = memoryTypeFlags[i];
            if ((f & required) == required && (f & forbidden) == 0) return i;
        }
        return -1;
    }

    /** Size of the heap behind the device memory type: what CUDA calls total memory. */
    long deviceMemoryBytes() {
        int t = deviceMemoryType(-1);
        if (t < 0) {
            long max = 0;
            for (long h : heapSizes) max = Math.max(max, h);
            return max;
        }
        return heapSizes[memoryTypeHeaps[t]];
    }

    boolean integrated() {
        return deviceType == Vk.PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU || deviceType == Vk.PHYSICAL_DEVICE_TYPE_CPU;
    }

    static String deviceTypeName(int type) {
        return switch (type) {
            case Vk.PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU -> "integrated GPU";
            case Vk.PHYSICAL_DEVICE_TYPE_DISCRETE_GPU -> "discrete GPU";
            case Vk.PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU -> "virtual GPU";
            case Vk.PHYSICAL_DEVICE_TYPE_CPU -> "CPU";
            default -> "other";
        };
    }

    private static UUID uuid(byte[] b) {
        ByteBuffer buf = ByteBuffer.wrap(b);
        return new UUID(buf.getLong(), buf.getLong());
    }

    @Override
    public String toString() {
        return name + " (" + deviceTypeName(deviceType) + ", Vulkan " + Vk.apiString(apiVersion) + ", "
                + (driverName.isEmpty() ? "" : driverName + " ") + driverInfo + ")";
    }
}
