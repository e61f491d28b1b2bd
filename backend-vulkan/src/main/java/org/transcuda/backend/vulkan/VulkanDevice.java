package org.transcuda.backend.vulkan;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.Dim3;
import org.transcuda.spi.BackendDevice;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.DeviceProperties;

/**
 * One Vulkan physical device as a CUDA device. Properties are what Vulkan reports, translated: the block
 * limits are the compute workgroup limits (capped at CUDA's), shared memory is
 * {@code maxComputeSharedMemorySize}, total memory the device-local heap, and the grid limit is CUDA's
 * because the runtime splits large grids into several dispatches. Clock rates, bus width and L2 size are
 * not exposed by Vulkan and are reported as 0.
 */
final class VulkanDevice implements BackendDevice {
    /** The PTX feature level the translator targets, reported as the compute capability. */
    static final int COMPUTE_MAJOR = 8;
    static final int COMPUTE_MINOR = 0;

    private final VulkanBackend backend;
    private final PhysicalDeviceInfo info;
    private final DeviceProperties properties;
    private final Set<VulkanContext> contexts = ConcurrentHashMap.newKeySet();

    VulkanDevice(VulkanBackend backend, PhysicalDeviceInfo info) {
        this.backend = backend;
        this.info = info;
        this.properties = describe(info);
    }

    static DeviceProperties describe(PhysicalDeviceInfo info) {
        int[] wg = info.maxComputeWorkGroupSize;
        int maxThreads = Math.max(1, Math.min(1024, info.maxComputeWorkGroupInvocations));
        Dim3 block = new Dim3(Math.max(1, Math.min(1024, wg[0])), Math.max(1, Math.min(1024, wg[1])),
                Math.max(1, Math.min(64, wg[2])));
        Dim3 grid = new Dim3(Integer.MAX_VALUE, 65535, 65535);
        return new DeviceProperties(info.name, info.uuid, info.deviceMemoryBytes(), COMPUTE_MAJOR, COMPUTE_MINOR,
                info.multiprocessorCount, maxThreads, block, grid, info.maxComputeSharedMemorySize, 64 * 1024, 32,
                65536, 0, 0, 0, 0, info.integrated(), info.pciBusId);
    }

    VulkanBackend backend() {
        return backend;
    }

    PhysicalDeviceInfo info() {
        return info;
    }

    @Override
    public DeviceProperties properties() {
        return properties;
    }

    @Override
    public Optional<String> unusableReason() {
        return info.unusableReason;
    }

    @Override
    public VulkanContext createContext() throws BackendException {
        Optional<String> why = info.unusableReason;
        if (why.isPresent()) {
            throw new BackendException(CUresult.CUDA_ERROR_NOT_SUPPORTED, info.name + " cannot run kernels: "
                    + why.get());
        }
        return backend.newContext(this);
    }

    void contextOpened(VulkanContext c) {
        contexts.add(c);
    }

    void contextClosed(VulkanContext c) {
        contexts.remove(c);
    }

    int liveContexts() {
        return contexts.size();
    }

    void closeAll() {
        for (VulkanContext c : contexts) c.close();
    }

    @Override
    public String toString() {
        return info.toString();
    }
}
