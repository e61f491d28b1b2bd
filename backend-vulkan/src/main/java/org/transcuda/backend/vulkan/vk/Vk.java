package org.transcuda.backend.vulkan.vk;

import java.util.List;

/**
 * Constants and struct layouts of the part of the Vulkan API the backend uses, transcribed from
 * {@code vulkan_core.h} (header version 239 and later; every value here is frozen by the Vulkan ABI).
 * Constant names are the C names without the {@code VK_} prefix, so that {@code VkStructsTest} can check
 * each value and each struct offset against the C header with the C compiler.
 */
public final class Vk {
    private Vk() {
    }

    /** {@code VK_MAKE_API_VERSION(0, major, minor, 0)}. */
    public static int apiVersion(int major, int minor) {
        return (major << 22) | (minor << 12);
    }

    public static int apiMajor(int version) {
        return (version >>> 22) & 0x7f;
    }

    public static int apiMinor(int version) {
        return (version >>> 12) & 0x3ff;
    }

    public static int apiPatch(int version) {
        return version & 0xfff;
    }

    public static String apiString(int version) {
        return apiMajor(version) + "." + apiMinor(version) + "." + apiPatch(version);
    }

    // VkResult
    public static final int SUCCESS = 0;
    public static final int NOT_READY = 1;
    public static final int TIMEOUT = 2;
    public static final int INCOMPLETE = 5;
    public static final int ERROR_OUT_OF_HOST_MEMORY = -1;
    public static final int ERROR_OUT_OF_DEVICE_MEMORY = -2;
    public static final int ERROR_INITIALIZATION_FAILED = -3;
    public static final int ERROR_DEVICE_LOST = -4;
    public static final int ERROR_MEMORY_MAP_FAILED = -5;
    public static final int ERROR_LAYER_NOT_PRESENT = -6;
    public static final int ERROR_EXTENSION_NOT_PRESENT = -7;
    public static final int ERROR_FEATURE_NOT_PRESENT = -8;
    public static final int ERROR_INCOMPATIBLE_DRIVER = -9;
    public static final int ERROR_TOO_MANY_OBJECTS = -10;
    public static final int ERROR_FORMAT_NOT_SUPPORTED = -11;
    public static final int ERROR_FRAGMENTED_POOL = -12;
    public static final int ERROR_UNKNOWN = -13;
    public static final int ERROR_OUT_OF_POOL_MEMORY = -1000069000;
    public static final int ERROR_FRAGMENTATION = -1000161000;
    public static final int ERROR_INVALID_OPAQUE_CAPTURE_ADDRESS = -1000257000;

    /** The C name of a {@code VkResult}. */
    public static String resultName(int result) {
        return switch (result) {
            case SUCCESS -> "VK_SUCCESS";
            case NOT_READY -> "VK_NOT_READY";
            case TIMEOUT -> "VK_TIMEOUT";
            case INCOMPLETE -> "VK_INCOMPLETE";
            case ERROR_OUT_OF_HOST_MEMORY -> "VK_ERROR_OUT_OF_HOST_MEMORY";
            case ERROR_OUT_OF_DEVICE_MEMORY -> "VK_ERROR_OUT_OF_DEVICE_MEMORY";
            case ERROR_INITIALIZATION_FAILED -> "VK_ERROR_INITIALIZATION_FAILED";
            case ERROR_DEVICE_LOST -> "VK_ERROR_DEVICE_LOST";
            case ERROR_MEMORY_MAP_FAILED -> "VK_ERROR_MEMORY_MAP_FAILED";
            case ERROR_LAYER_NOT_PRESENT -> "VK_ERROR_LAYER_NOT_PRESENT";
            case ERROR_EXTENSION_NOT_PRESENT -> "VK_ERROR_EXTENSION_NOT_PRESENT";
            case ERROR_FEATURE_NOT_PRESENT -> "VK_ERROR_FEATURE_NOT_PRESENT";
            case ERROR_INCOMPATIBLE_DRIVER -> "VK_ERROR_INCOMPATIBLE_DRIVER";
            case ERROR_TOO_MANY_OBJECTS -> "VK_ERROR_TOO_MANY_OBJECTS";
            case ERROR_FORMAT_NOT_SUPPORTED -> "VK_ERROR_FORMAT_NOT_SUPPORTED";
            case ERROR_FRAGMENTED_POOL -> "VK_ERROR_FRAGMENTED_POOL";
            case ERROR_UNKNOWN -> "VK_ERROR_UNKNOWN";
            case ERROR_OUT_OF_POOL_MEMORY -> "VK_ERROR_OUT_OF_POOL_MEMORY";
            case ERROR_FRAGMENTATION -> "VK_ERROR_FRAGMENTATION";
            case ERROR_INVALID_OPAQUE_CAPTURE_ADDRESS -> "VK_ERROR_INVALID_OPAQUE_CAPTURE_ADDRESS";
            default -> "VkResult(" + result + ")";
        };
    }

    // VkStructureType
    public static final int STRUCTURE_TYPE_APPLICATION_INFO = 0;
    public static final int STRUCTURE_TYPE_INSTANCE_CREATE_INFO = 1;
    public static final int STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO = 2;
    public static final int STRUCTURE_TYPE_DEVICE_CREATE_INFO = 3;
    public static final int STRUCTURE_TYPE_SUBMIT_INFO = 4;
    public static final int STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO = 5;
    public static final int STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO = 9;
    public static final int STRUCTURE_TYPE_QUERY_POOL_CREATE_INFO = 11;
    public static final int STRUCTURE_TYPE_BUFFER_CREATE_INFO = 12;
    public static final int STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO = 16;
    public static final int STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO = 18;
    public static final int STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO = 29;
    public static final int STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO = 30;
    public static final int STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO = 39;
    public static final int STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO = 40;
    public static final int STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO = 42;
    public static final int STRUCTURE_TYPE_MEMORY_BARRIER = 46;
    public static final int STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_1_FEATURES = 49;
    public static final int STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES = 51;
    public static final int STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_3_FEATURES = 53;
    public static final int STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2 = 1000059000;
    public static final int STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2 = 1000059001;
    public static final int STRUCTURE_TYPE_MEMORY_ALLOCATE_FLAGS_INFO = 1000060000;
    public static final int STRUCTURE_TYPE_PHYSICAL_DEVICE_ID_PROPERTIES = 1000071004;
    public static final int STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_PROPERTIES = 1000094000;
    public static final int STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_SM_BUILTINS_PROPERTIES_NV = 1000154001;
    public static final int STRUCTURE_TYPE_PHYSICAL_DEVICE_MAINTENANCE_3_PROPERTIES = 1000168000;
    public static final int STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_CORE_PROPERTIES_AMD = 1000185000;
    public static final int STRUCTURE_TYPE_PHYSICAL_DEVICE_DRIVER_PROPERTIES = 1000196000;
    public static final int STRUCTURE_TYPE_SEMAPHORE_TYPE_CREATE_INFO = 1000207002;
    public static final int STRUCTURE_TYPE_TIMELINE_SEMAPHORE_SUBMIT_INFO = 1000207003;
    public static final int STRUCTURE_TYPE_SEMAPHORE_WAIT_INFO = 1000207004;
    public static final int STRUCTURE_TYPE_PHYSICAL_DEVICE_PCI_BUS_INFO_PROPERTIES_EXT = 1000212000;
    public static final int STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_SIZE_CONTROL_PROPERTIES = 1000225000;
    public static final int STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_REQUIRED_SUBGROUP_SIZE_CREATE_INFO = 1000225001;
    public static final int STRUCTURE_TYPE_BUFFER_DEVICE_ADDRESS_INFO = 1000244001;
    public static final int STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_ATOMIC_FLOAT_FEATURES_EXT = 1000260000;
    public static final int STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_CLOCK_FEATURES_KHR = 1000181000;
    public static final int STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_FMA_FEATURES_KHR = 1000579000;

    // Enumerants and flag bits
    public static final int PHYSICAL_DEVICE_TYPE_OTHER = 0;
    public static final int PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU = 1;
    public static final int PHYSICAL_DEVICE_TYPE_DISCRETE_GPU = 2;
    public static final int PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU = 3;
    public static final int PHYSICAL_DEVICE_TYPE_CPU = 4;

    public static final int QUEUE_GRAPHICS_BIT = 0x1;
    public static final int QUEUE_COMPUTE_BIT = 0x2;
    public static final int QUEUE_TRANSFER_BIT = 0x4;

    public static final int MEMORY_PROPERTY_DEVICE_LOCAL_BIT = 0x1;
    public static final int MEMORY_PROPERTY_HOST_VISIBLE_BIT = 0x2;
    public static final int MEMORY_PROPERTY_HOST_COHERENT_BIT = 0x4;
    public static final int MEMORY_PROPERTY_HOST_CACHED_BIT = 0x8;
    public static final int MEMORY_PROPERTY_LAZILY_ALLOCATED_BIT = 0x10;
    public static final int MEMORY_PROPERTY_PROTECTED_BIT = 0x20;
    public static final int MEMORY_HEAP_DEVICE_LOCAL_BIT = 0x1;
    public static final int MEMORY_ALLOCATE_DEVICE_ADDRESS_BIT = 0x2;

    public static final int BUFFER_USAGE_TRANSFER_SRC_BIT = 0x1;
    public static final int BUFFER_USAGE_TRANSFER_DST_BIT = 0x2;
    public static final int BUFFER_USAGE_STORAGE_BUFFER_BIT = 0x20;
    public static final int BUFFER_USAGE_SHADER_DEVICE_ADDRESS_BIT = 0x20000;
    public static final int SHARING_MODE_EXCLUSIVE = 0;

    public static final int COMMAND_POOL_CREATE_TRANSIENT_BIT = 0x1;
    public static final int COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT = 0x2;
    public static final int COMMAND_BUFFER_LEVEL_PRIMARY = 0;
    public static final int COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT = 0x1;

    public static final int PIPELINE_STAGE_TOP_OF_PIPE_BIT = 0x1;
    public static final int PIPELINE_STAGE_COMPUTE_SHADER_BIT = 0x800;
    public static final int PIPELINE_STAGE_TRANSFER_BIT = 0x1000;
    public static final int PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT = 0x2000;
    public static final int PIPELINE_STAGE_HOST_BIT = 0x4000;
    public static final int PIPELINE_STAGE_ALL_COMMANDS_BIT = 0x10000;

    public static final int ACCESS_SHADER_READ_BIT = 0x20;
    public static final int ACCESS_SHADER_WRITE_BIT = 0x40;
    public static final int ACCESS_TRANSFER_READ_BIT = 0x800;
    public static final int ACCESS_TRANSFER_WRITE_BIT = 0x1000;
    public static final int ACCESS_HOST_READ_BIT = 0x2000;
    public static final int ACCESS_HOST_WRITE_BIT = 0x4000;
    public static final int ACCESS_MEMORY_READ_BIT = 0x8000;
    public static final int ACCESS_MEMORY_WRITE_BIT = 0x10000;

    public static final int SHADER_STAGE_COMPUTE_BIT = 0x20;
    public static final int PIPELINE_BIND_POINT_COMPUTE = 1;
    public static final int PIPELINE_SHADER_STAGE_CREATE_ALLOW_VARYING_SUBGROUP_SIZE_BIT = 0x1;
    public static final int PIPELINE_SHADER_STAGE_CREATE_REQUIRE_FULL_SUBGROUPS_BIT = 0x2;

    public static final int SEMAPHORE_TYPE_TIMELINE = 1;
    public static final int INSTANCE_CREATE_ENUMERATE_PORTABILITY_BIT_KHR = 0x1;

    public static final int SUBGROUP_FEATURE_BASIC_BIT = 0x1;
    public static final int SUBGROUP_FEATURE_VOTE_BIT = 0x2;
    public static final int SUBGROUP_FEATURE_ARITHMETIC_BIT = 0x4;
    public static final int SUBGROUP_FEATURE_BALLOT_BIT = 0x8;
    public static final int SUBGROUP_FEATURE_SHUFFLE_BIT = 0x10;
    public static final int SUBGROUP_FEATURE_SHUFFLE_RELATIVE_BIT = 0x20;
    public static final int SUBGROUP_FEATURE_CLUSTERED_BIT = 0x40;
    public static final int SUBGROUP_FEATURE_QUAD_BIT = 0x80;

    public static final int UUID_SIZE = 16;
    public static final int LUID_SIZE = 8;
    public static final int MAX_PHYSICAL_DEVICE_NAME_SIZE = 256;
    public static final int MAX_EXTENSION_NAME_SIZE = 256;
    public static final int MAX_MEMORY_TYPES = 32;
    public static final int MAX_MEMORY_HEAPS = 16;
    public static final int MAX_DRIVER_NAME_SIZE = 256;
    public static final int MAX_DRIVER_INFO_SIZE = 256;

    // Structs

    public static final Struct APPLICATION_INFO = Struct.chained("VkApplicationInfo", STRUCTURE_TYPE_APPLICATION_INFO)
            .ptr("pApplicationName").u32("applicationVersion").ptr("pEngineName").u32("engineVersion", "apiVersion")
            .build();

    public static final Struct INSTANCE_CREATE_INFO = Struct
            .chained("VkInstanceCreateInfo", STRUCTURE_TYPE_INSTANCE_CREATE_INFO).u32("flags").ptr("pApplicationInfo")
            .u32("enabledLayerCount").ptr("ppEnabledLayerNames").u32("enabledExtensionCount")
            .ptr("ppEnabledExtensionNames").build();

    public static final Struct EXTENSION_PROPERTIES = Struct.plain("VkExtensionProperties")
            .u8Array("extensionName", MAX_EXTENSION_NAME_SIZE).u32("specVersion").build();

    public static final Struct PHYSICAL_DEVICE_LIMITS = Struct.plain("VkPhysicalDeviceLimits")
            .u32("maxImageDimension1D", "maxImageDimension2D", "maxImageDimension3D", "maxImageDimensionCube",
                    "maxImageArrayLayers", "maxTexelBufferElements", "maxUniformBufferRange", "maxStorageBufferRange",
                    "maxPushConstantsSize", "maxMemoryAllocationCount", "maxSamplerAllocationCount")
            .u64("bufferImageGranularity", "sparseAddressSpaceSize")
            .u32("maxBoundDescriptorSets", "maxPerStageDescriptorSamplers", "maxPerStageDescriptorUniformBuffers",
                    "maxPerStageDescriptorStorageBuffers", "maxPerStageDescriptorSampledImages",
                    "maxPerStageDescriptorStorageImages", "maxPerStageDescriptorInputAttachments",
                    "maxPerStageResources", "maxDescriptorSetSamplers", "maxDescriptorSetUniformBuffers",
                    "maxDescriptorSetUniformBuffersDynamic", "maxDescriptorSetStorageBuffers",
                    "maxDescriptorSetStorageBuffersDynamic", "maxDescriptorSetSampledImages",
                    "maxDescriptorSetStorageImages", "maxDescriptorSetInputAttachments", "maxVertexInputAttributes",
                    "maxVertexInputBindings", "maxVertexInputAttributeOffset", "maxVertexInputBindingStride",
                    "maxVertexOutputComponents", "maxTessellationGenerationLevel", "maxTessellationPatchSize",
                    "maxTessellationControlPerVertexInputComponents",
                    "maxTessellationControlPerVertexOutputComponents",
                    "maxTessellationControlPerPatchOutputComponents", "maxTessellationControlTotalOutputComponents",
                    "maxTessellationEvaluationInputComponents", "maxTessellationEvaluationOutputComponents",
                    "maxGeometryShaderInvocations", "maxGeometryInputComponents", "maxGeometryOutputComponents",
                    "maxGeometryOutputVertices", "maxGeometryTotalOutputComponents", "maxFragmentInputComponents",
                    "maxFragmentOutputAttachments", "maxFragmentDualSrcAttachments",
                    "maxFragmentCombinedOutputResources", "maxComputeSharedMemorySize")
            .u32Array("maxComputeWorkGroupCount", 3).u32("maxComputeWorkGroupInvocations")
            .u32Array("maxComputeWorkGroupSize", 3)
            .u32("subPixelPrecisionBits", "subTexelPrecisionBits", "mipmapPrecisionBits", "maxDrawIndexedIndexValue",
                    "maxDrawIndirectCount")
            .f32("maxSamplerLodBias", "maxSamplerAnisotropy").u32("maxViewports").u32Array("maxViewportDimensions", 2)
            .f32Array("viewportBoundsRange", 2).u32("viewportSubPixelBits").size("minMemoryMapAlignment")
            .u64("minTexelBufferOffsetAlignment", "minUniformBufferOffsetAlignment", "minStorageBufferOffsetAlignment")
            .i32("minTexelOffset").u32("maxTexelOffset").i32("minTexelGatherOffset").u32("maxTexelGatherOffset")
            .f32("minInterpolationOffset", "maxInterpolationOffset")
            .u32("subPixelInterpolationOffsetBits", "maxFramebufferWidth", "maxFramebufferHeight",
                    "maxFramebufferLayers", "framebufferColorSampleCounts", "framebufferDepthSampleCounts",
                    "framebufferStencilSampleCounts", "framebufferNoAttachmentsSampleCounts", "maxColorAttachments",
                    "sampledImageColorSampleCounts", "sampledImageIntegerSampleCounts",
                    "sampledImageDepthSampleCounts", "sampledImageStencilSampleCounts", "storageImageSampleCounts",
                    "maxSampleMaskWords", "timestampComputeAndGraphics")
            .f32("timestampPeriod")
            .u32("maxClipDistances", "maxCullDistances", "maxCombinedClipAndCullDistances", "discreteQueuePriorities")
            .f32Array("pointSizeRange", 2).f32Array("lineWidthRange", 2)
            .f32("pointSizeGranularity", "lineWidthGranularity").u32("strictLines", "standardSampleLocations")
            .u64("optimalBufferCopyOffsetAlignment", "optimalBufferCopyRowPitchAlignment", "nonCoherentAtomSize")
            .build();

    public static final Struct PHYSICAL_DEVICE_SPARSE_PROPERTIES = Struct.plain("VkPhysicalDeviceSparseProperties")
            .u32("residencyStandard2DBlockShape", "residencyStandard2DMultisampleBlockShape",
                    "residencyStandard3DBlockShape", "residencyAlignedMipSize", "residencyNonResidentStrict")
            .build();

    public static final Struct PHYSICAL_DEVICE_PROPERTIES = Struct.plain("VkPhysicalDeviceProperties")
            .u32("apiVersion", "driverVersion", "vendorID", "deviceID", "deviceType")
            .u8Array("deviceName", MAX_PHYSICAL_DEVICE_NAME_SIZE).u8Array("pipelineCacheUUID", UUID_SIZE)
            .struct("limits", PHYSICAL_DEVICE_LIMITS).struct("sparseProperties", PHYSICAL_DEVICE_SPARSE_PROPERTIES)
            .build();

    public static final Struct PHYSICAL_DEVICE_PROPERTIES_2 = Struct
            .chained("VkPhysicalDeviceProperties2", STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2)
            .struct("properties", PHYSICAL_DEVICE_PROPERTIES).build();

    public static final Struct PHYSICAL_DEVICE_ID_PROPERTIES = Struct
            .chained("VkPhysicalDeviceIDProperties", STRUCTURE_TYPE_PHYSICAL_DEVICE_ID_PROPERTIES)
            .u8Array("deviceUUID", UUID_SIZE).u8Array("driverUUID", UUID_SIZE).u8Array("deviceLUID", LUID_SIZE)
            .u32("deviceNodeMask", "deviceLUIDValid").build();

    public static final Struct PHYSICAL_DEVICE_SUBGROUP_PROPERTIES = Struct
            .chained("VkPhysicalDeviceSubgroupProperties", STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_PROPERTIES)
            .u32("subgroupSize", "supportedStages", "supportedOperations", "quadOperationsInAllStages").build();

    public static final Struct PHYSICAL_DEVICE_MAINTENANCE_3_PROPERTIES = Struct
            .chained("VkPhysicalDeviceMaintenance3Properties", STRUCTURE_TYPE_PHYSICAL_DEVICE_MAINTENANCE_3_PROPERTIES)
            .u32("maxPerSetDescriptors").u64("maxMemoryAllocationSize").build();

    public static final Struct PHYSICAL_DEVICE_SUBGROUP_SIZE_CONTROL_PROPERTIES = Struct
            .chained("VkPhysicalDeviceSubgroupSizeControlProperties",
                    STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_SIZE_CONTROL_PROPERTIES)
            .u32("minSubgroupSize", "maxSubgroupSize", "maxComputeWorkgroupSubgroups", "requiredSubgroupSizeStages")
            .build();

    public static final Struct CONFORMANCE_VERSION = Struct.plain("VkConformanceVersion").u8Array("major", 1)
            .u8Array("minor", 1).u8Array("subminor", 1).u8Array("patch", 1).build();

    public static final Struct PHYSICAL_DEVICE_DRIVER_PROPERTIES = Struct
            .chained("VkPhysicalDeviceDriverProperties", STRUCTURE_TYPE_PHYSICAL_DEVICE_DRIVER_PROPERTIES)
            .u32("driverID").u8Array("driverName", MAX_DRIVER_NAME_SIZE).u8Array("driverInfo", MAX_DRIVER_INFO_SIZE)
            .struct("conformanceVersion", CONFORMANCE_VERSION).build();

    public static final Struct PHYSICAL_DEVICE_PCI_BUS_INFO_PROPERTIES_EXT = Struct
            .chained("VkPhysicalDevicePCIBusInfoPropertiesEXT",
                    STRUCTURE_TYPE_PHYSICAL_DEVICE_PCI_BUS_INFO_PROPERTIES_EXT)
            .u32("pciDomain", "pciBus", "pciDevice", "pciFunction").build();

    public static final Struct PHYSICAL_DEVICE_SHADER_SM_BUILTINS_PROPERTIES_NV = Struct
            .chained("VkPhysicalDeviceShaderSMBuiltinsPropertiesNV",
                    STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_SM_BUILTINS_PROPERTIES_NV)
            .u32("shaderSMCount", "shaderWarpsPerSM").build();

    public static final Struct PHYSICAL_DEVICE_SHADER_CORE_PROPERTIES_AMD = Struct
            .chained("VkPhysicalDeviceShaderCorePropertiesAMD", STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_CORE_PROPERTIES_AMD)
            .u32("shaderEngineCount", "shaderArraysPerEngineCount", "computeUnitsPerShaderArray", "simdPerComputeUnit",
                    "wavefrontsPerSimd", "wavefrontSize", "sgprsPerSimd", "minSgprAllocation", "maxSgprAllocation",
                    "sgprAllocationGranularity", "vgprsPerSimd", "minVgprAllocation", "maxVgprAllocation",
                    "vgprAllocationGranularity")
            .build();

    public static final Struct PHYSICAL_DEVICE_FEATURES = Struct.plain("VkPhysicalDeviceFeatures")
            .u32("robustBufferAccess", "fullDrawIndexUint32", "imageCubeArray", "independentBlend", "geometryShader",
                    "tessellationShader", "sampleRateShading", "dualSrcBlend", "logicOp", "multiDrawIndirect",
                    "drawIndirectFirstInstance", "depthClamp", "depthBiasClamp", "fillModeNonSolid", "depthBounds",
                    "wideLines", "largePoints", "alphaToOne", "multiViewport", "samplerAnisotropy",
                    "textureCompressionETC2", "textureCompressionASTC_LDR", "textureCompressionBC",
                    "occlusionQueryPrecise", "pipelineStatisticsQuery", "vertexPipelineStoresAndAtomics",
                    "fragmentStoresAndAtomics", "shaderTessellationAndGeometryPointSize", "shaderImageGatherExtended",
                    "shaderStorageImageExtendedFormats", "shaderStorageImageMultisample",
                    "shaderStorageImageReadWithoutFormat", "shaderStorageImageWriteWithoutFormat",
                    "shaderUniformBufferArrayDynamicIndexing", "shaderSampledImageArrayDynamicIndexing",
                    "shaderStorageBufferArrayDynamicIndexing", "shaderStorageImageArrayDynamicIndexing",
                    "shaderClipDistance", "shaderCullDistance", "shaderFloat64", "shaderInt64", "shaderInt16",
                    "shaderResourceResidency", "shaderResourceMinLod", "sparseBinding", "sparseResidencyBuffer",
                    "sparseResidencyImage2D", "sparseResidencyImage3D", "sparseResidency2Samples",
                    "sparseResidency4Samples", "sparseResidency8Samples", "sparseResidency16Samples",
                    "sparseResidencyAliased", "variableMultisampleRate", "inheritedQueries")
            .build();

    public static final Struct PHYSICAL_DEVICE_FEATURES_2 = Struct
            .chained("VkPhysicalDeviceFeatures2", STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2)
            .struct("features", PHYSICAL_DEVICE_FEATURES).build();

    public static final Struct PHYSICAL_DEVICE_VULKAN_1_1_FEATURES = Struct
            .chained("VkPhysicalDeviceVulkan11Features", STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_1_FEATURES)
            .u32("storageBuffer16BitAccess", "uniformAndStorageBuffer16BitAccess", "storagePushConstant16",
                    "storageInputOutput16", "multiview", "multiviewGeometryShader", "multiviewTessellationShader",
                    "variablePointersStorageBuffer", "variablePointers", "protectedMemory", "samplerYcbcrConversion",
                    "shaderDrawParameters")
            .build();

    public static final Struct PHYSICAL_DEVICE_VULKAN_1_2_FEATURES = Struct
            .chained("VkPhysicalDeviceVulkan12Features", STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES)
            .u32("samplerMirrorClampToEdge", "drawIndirectCount", "storageBuffer8BitAccess",
                    "uniformAndStorageBuffer8BitAccess", "storagePushConstant8", "shaderBufferInt64Atomics",
                    "shaderSharedInt64Atomics", "shaderFloat16", "shaderInt8", "descriptorIndexing",
                    "shaderInputAttachmentArrayDynamicIndexing", "shaderUniformTexelBufferArrayDynamicIndexing",
                    "shaderStorageTexelBufferArrayDynamicIndexing", "shaderUniformBufferArrayNonUniformIndexing",
                    "shaderSampledImageArrayNonUniformIndexing", "shaderStorageBufferArrayNonUniformIndexing",
                    "shaderStorageImageArrayNonUniformIndexing", "shaderInputAttachmentArrayNonUniformIndexing",
                    "shaderUniformTexelBufferArrayNonUniformIndexing",
                    "shaderStorageTexelBufferArrayNonUniformIndexing",
                    "descriptorBindingUniformBufferUpdateAfterBind", "descriptorBindingSampledImageUpdateAfterBind",
                    "descriptorBindingStorageImageUpdateAfterBind", "descriptorBindingStorageBufferUpdateAfterBind",
                    "descriptorBindingUniformTexelBufferUpdateAfterBind",
                    "descriptorBindingStorageTexelBufferUpdateAfterBind",
                    "descriptorBindingUpdateUnusedWhilePending", "descriptorBindingPartiallyBound",
                    "descriptorBindingVariableDescriptorCount", "runtimeDescriptorArray", "samplerFilterMinmax",
                    "scalarBlockLayout", "imagelessFramebuffer", "uniformBufferStandardLayout",
                    "shaderSubgroupExtendedTypes", "separateDepthStencilLayouts", "hostQueryReset",
                    "timelineSemaphore", "bufferDeviceAddress", "bufferDeviceAddressCaptureReplay",
                    "bufferDeviceAddressMultiDevice", "vulkanMemoryModel", "vulkanMemoryModelDeviceScope",
                    "vulkanMemoryModelAvailabilityVisibilityChains", "shaderOutputViewportIndex", "shaderOutputLayer",
                    "subgroupBroadcastDynamicId")
            .build();

    public static final Struct PHYSICAL_DEVICE_VULKAN_1_3_FEATURES = Struct
            .chained("VkPhysicalDeviceVulkan13Features", STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_3_FEATURES)
            .u32("robustImageAccess", "inlineUniformBlock", "descriptorBindingInlineUniformBlockUpdateAfterBind",
                    "pipelineCreationCacheControl", "privateData", "shaderDemoteToHelperInvocation",
                    "shaderTerminateInvocation", "subgroupSizeControl", "computeFullSubgroups", "synchronization2",
                    "textureCompressionASTC_HDR", "shaderZeroInitializeWorkgroupMemory", "dynamicRendering",
                    "shaderIntegerDotProduct", "maintenance4")
            .build();

    public static final Struct PHYSICAL_DEVICE_SHADER_ATOMIC_FLOAT_FEATURES_EXT = Struct
            .chained("VkPhysicalDeviceShaderAtomicFloatFeaturesEXT",
                    STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_ATOMIC_FLOAT_FEATURES_EXT)
            .u32("shaderBufferFloat32Atomics", "shaderBufferFloat32AtomicAdd", "shaderBufferFloat64Atomics",
                    "shaderBufferFloat64AtomicAdd", "shaderSharedFloat32Atomics", "shaderSharedFloat32AtomicAdd",
                    "shaderSharedFloat64Atomics", "shaderSharedFloat64AtomicAdd", "shaderImageFloat32Atomics",
                    "shaderImageFloat32AtomicAdd", "sparseImageFloat32Atomics", "sparseImageFloat32AtomicAdd")
            .build();

    public static final Struct PHYSICAL_DEVICE_SHADER_CLOCK_FEATURES_KHR = Struct
            .chained("VkPhysicalDeviceShaderClockFeaturesKHR", STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_CLOCK_FEATURES_KHR)
            .u32("shaderSubgroupClock", "shaderDeviceClock")
            .build();

    /** {@code VK_KHR_shader_fma}: {@code OpFmaKHR}, a fused multiply-add with one rounding, per float width. */
    public static final Struct PHYSICAL_DEVICE_SHADER_FMA_FEATURES_KHR = Struct
            .chained("VkPhysicalDeviceShaderFmaFeaturesKHR", STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_FMA_FEATURES_KHR)
            .u32("shaderFmaFloat16", "shaderFmaFloat32", "shaderFmaFloat64")
            .build();

    public static final Struct MEMORY_TYPE = Struct.plain("VkMemoryType").u32("propertyFlags", "heapIndex").build();

    public static final Struct MEMORY_HEAP = Struct.plain("VkMemoryHeap").u64("size").u32("flags").build();

    public static final Struct PHYSICAL_DEVICE_MEMORY_PROPERTIES = Struct.plain("VkPhysicalDeviceMemoryProperties")
            .u32("memoryTypeCount").structArray("memoryTypes", MEMORY_TYPE, MAX_MEMORY_TYPES).u32("memoryHeapCount")
            .structArray("memoryHeaps", MEMORY_HEAP, MAX_MEMORY_HEAPS).build();

    public static final Struct EXTENT_3D = Struct.plain("VkExtent3D").u32("width", "height", "depth").build();

    public static final Struct QUEUE_FAMILY_PROPERTIES = Struct.plain("VkQueueFamilyProperties")
            .u32("queueFlags", "queueCount", "timestampValidBits").struct("minImageTransferGranularity", EXTENT_3D)
            .build();

    public static final Struct DEVICE_QUEUE_CREATE_INFO = Struct
            .chained("VkDeviceQueueCreateInfo", STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO)
            .u32("flags", "queueFamilyIndex", "queueCount").ptr("pQueuePriorities").build();

    public static final Struct DEVICE_CREATE_INFO = Struct.chained("VkDeviceCreateInfo", STRUCTURE_TYPE_DEVICE_CREATE_INFO)
            .u32("flags", "queueCreateInfoCount").ptr("pQueueCreateInfos").u32("enabledLayerCount")
            .ptr("ppEnabledLayerNames").u32("enabledExtensionCount").ptr("ppEnabledExtensionNames")
            .ptr("pEnabledFeatures").build();

    public static final Struct BUFFER_CREATE_INFO = Struct.chained("VkBufferCreateInfo", STRUCTURE_TYPE_BUFFER_CREATE_INFO)
            .u32("flags").u64("size").u32("usage", "sharingMode", "queueFamilyIndexCount").ptr("pQueueFamilyIndices")
            .build();

    public static final Struct MEMORY_REQUIREMENTS = Struct.plain("VkMemoryRequirements").u64("size", "alignment")
            .u32("memoryTypeBits").build();

    public static final Struct MEMORY_ALLOCATE_INFO = Struct
            .chained("VkMemoryAllocateInfo", STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO).u64("allocationSize")
            .u32("memoryTypeIndex").build();

    public static final Struct MEMORY_ALLOCATE_FLAGS_INFO = Struct
            .chained("VkMemoryAllocateFlagsInfo", STRUCTURE_TYPE_MEMORY_ALLOCATE_FLAGS_INFO).u32("flags", "deviceMask")
            .build();

    public static final Struct BUFFER_DEVICE_ADDRESS_INFO = Struct
            .chained("VkBufferDeviceAddressInfo", STRUCTURE_TYPE_BUFFER_DEVICE_ADDRESS_INFO).u64("buffer").build();

    public static final Struct COMMAND_POOL_CREATE_INFO = Struct
            .chained("VkCommandPoolCreateInfo", STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO)
            .u32("flags", "queueFamilyIndex").build();

    public static final Struct COMMAND_BUFFER_ALLOCATE_INFO = Struct
            .chained("VkCommandBufferAllocateInfo", STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO).u64("commandPool")
            .u32("level", "commandBufferCount").build();

    public static final Struct COMMAND_BUFFER_BEGIN_INFO = Struct
            .chained("VkCommandBufferBeginInfo", STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO).u32("flags")
            .ptr("pInheritanceInfo").build();

    public static final Struct BUFFER_COPY = Struct.plain("VkBufferCopy").u64("srcOffset", "dstOffset", "size").build();

    public static final Struct MEMORY_BARRIER = Struct.chained("VkMemoryBarrier", STRUCTURE_TYPE_MEMORY_BARRIER)
            .u32("srcAccessMask", "dstAccessMask").build();

    public static final Struct SUBMIT_INFO = Struct.chained("VkSubmitInfo", STRUCTURE_TYPE_SUBMIT_INFO)
            .u32("waitSemaphoreCount").ptr("pWaitSemaphores", "pWaitDstStageMask").u32("commandBufferCount")
            .ptr("pCommandBuffers").u32("signalSemaphoreCount").ptr("pSignalSemaphores").build();

    public static final Struct TIMELINE_SEMAPHORE_SUBMIT_INFO = Struct
            .chained("VkTimelineSemaphoreSubmitInfo", STRUCTURE_TYPE_TIMELINE_SEMAPHORE_SUBMIT_INFO)
            .u32("waitSemaphoreValueCount").ptr("pWaitSemaphoreValues").u32("signalSemaphoreValueCount")
            .ptr("pSignalSemaphoreValues").build();

    public static final Struct SEMAPHORE_CREATE_INFO = Struct
            .chained("VkSemaphoreCreateInfo", STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO).u32("flags").build();

    public static final Struct SEMAPHORE_TYPE_CREATE_INFO = Struct
            .chained("VkSemaphoreTypeCreateInfo", STRUCTURE_TYPE_SEMAPHORE_TYPE_CREATE_INFO).u32("semaphoreType")
            .u64("initialValue").build();

    public static final Struct SEMAPHORE_WAIT_INFO = Struct
            .chained("VkSemaphoreWaitInfo", STRUCTURE_TYPE_SEMAPHORE_WAIT_INFO).u32("flags", "semaphoreCount")
            .ptr("pSemaphores", "pValues").build();

    public static final Struct SHADER_MODULE_CREATE_INFO = Struct
            .chained("VkShaderModuleCreateInfo", STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO).u32("flags").size("codeSize")
            .ptr("pCode").build();

    public static final Struct PUSH_CONSTANT_RANGE = Struct.plain("VkPushConstantRange")
            .u32("stageFlags", "offset", "size").build();

    public static final Struct PIPELINE_LAYOUT_CREATE_INFO = Struct
            .chained("VkPipelineLayoutCreateInfo", STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO)
            .u32("flags", "setLayoutCount").ptr("pSetLayouts").u32("pushConstantRangeCount")
            .ptr("pPushConstantRanges").build();

    public static final Struct SPECIALIZATION_MAP_ENTRY = Struct.plain("VkSpecializationMapEntry")
            .u32("constantID", "offset").size("size").build();

    public static final Struct SPECIALIZATION_INFO = Struct.plain("VkSpecializationInfo").u32("mapEntryCount")
            .ptr("pMapEntries").size("dataSize").ptr("pData").build();

    public static final Struct PIPELINE_SHADER_STAGE_CREATE_INFO = Struct
            .chained("VkPipelineShaderStageCreateInfo", STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO)
            .u32("flags", "stage").u64("module").ptr("pName", "pSpecializationInfo").build();

    public static final Struct COMPUTE_PIPELINE_CREATE_INFO = Struct
            .chained("VkComputePipelineCreateInfo", STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO).u32("flags")
            .struct("stage", PIPELINE_SHADER_STAGE_CREATE_INFO).u64("layout", "basePipelineHandle")
            .i32("basePipelineIndex").build();

    public static final Struct PIPELINE_SHADER_STAGE_REQUIRED_SUBGROUP_SIZE_CREATE_INFO = Struct
            .chained("VkPipelineShaderStageRequiredSubgroupSizeCreateInfo",
                    STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_REQUIRED_SUBGROUP_SIZE_CREATE_INFO)
            .u32("requiredSubgroupSize").build();

    /** Every struct above, for the layout test. */
    public static final List<Struct> ALL_STRUCTS = List.of(APPLICATION_INFO, INSTANCE_CREATE_INFO,
            EXTENSION_PROPERTIES, PHYSICAL_DEVICE_LIMITS, PHYSICAL_DEVICE_SPARSE_PROPERTIES, PHYSICAL_DEVICE_PROPERTIES,
            PHYSICAL_DEVICE_PROPERTIES_2, PHYSICAL_DEVICE_ID_PROPERTIES, PHYSICAL_DEVICE_SUBGROUP_PROPERTIES,
            PHYSICAL_DEVICE_MAINTENANCE_3_PROPERTIES, PHYSICAL_DEVICE_SUBGROUP_SIZE_CONTROL_PROPERTIES,
            CONFORMANCE_VERSION, PHYSICAL_DEVICE_DRIVER_PROPERTIES, PHYSICAL_DEVICE_PCI_BUS_INFO_PROPERTIES_EXT,
            PHYSICAL_DEVICE_SHADER_SM_BUILTINS_PROPERTIES_NV, PHYSICAL_DEVICE_SHADER_CORE_PROPERTIES_AMD,
            PHYSICAL_DEVICE_FEATURES, PHYSICAL_DEVICE_FEATURES_2, PHYSICAL_DEVICE_VULKAN_1_1_FEATURES,
            PHYSICAL_DEVICE_VULKAN_1_2_FEATURES, PHYSICAL_DEVICE_VULKAN_1_3_FEATURES,
            PHYSICAL_DEVICE_SHADER_ATOMIC_FLOAT_FEATURES_EXT, MEMORY_TYPE, MEMORY_HEAP,
            PHYSICAL_DEVICE_MEMORY_PROPERTIES, EXTENT_3D, QUEUE_FAMILY_PROPERTIES, DEVICE_QUEUE_CREATE_INFO,
            DEVICE_CREATE_INFO, BUFFER_CREATE_INFO, MEMORY_REQUIREMENTS, MEMORY_ALLOCATE_INFO,
            MEMORY_ALLOCATE_FLAGS_INFO, BUFFER_DEVICE_ADDRESS_INFO, COMMAND_POOL_CREATE_INFO,
            COMMAND_BUFFER_ALLOCATE_INFO, COMMAND_BUFFER_BEGIN_INFO, BUFFER_COPY, MEMORY_BARRIER, SUBMIT_INFO,
            TIMELINE_SEMAPHORE_SUBMIT_INFO, SEMAPHORE_CREATE_INFO, SEMAPHORE_TYPE_CREATE_INFO, SEMAPHORE_WAIT_INFO,
            SHADER_MODULE_CREATE_INFO, PUSH_CONSTANT_RANGE, PIPELINE_LAYOUT_CREATE_INFO, SPECIALIZATION_MAP_ENTRY,
            SPECIALIZATION_INFO, PIPELINE_SHADER_STAGE_CREATE_INFO, COMPUTE_PIPELINE_CREATE_INFO,
            PIPELINE_SHADER_STAGE_REQUIRED_SUBGROUP_SIZE_CREATE_INFO);
}
