package org.transcuda.backend.vulkan.vk;

import static org.transcuda.backend.vulkan.vk.Native.I;
import static org.transcuda.backend.vulkan.vk.Native.P;
import static org.transcuda.backend.vulkan.vk.Native.fn;
import static org.transcuda.backend.vulkan.vk.Native.proc;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;

/** A {@code VkInstance} with the instance-level functions the backend calls. */
public final class VkInstance implements AutoCloseable {
    private final VkLoader loader;
    private final MemorySegment handle;
    private final MethodHandle destroyInstance;
    private final MethodHandle enumeratePhysicalDevices;
    private final MethodHandle getPhysicalDeviceProperties;
    private final MethodHandle getPhysicalDeviceProperties2;
    private final MethodHandle getPhysicalDeviceFeatures2;
    private final MethodHandle getPhysicalDeviceMemoryProperties;
    private final MethodHandle getPhysicalDeviceQueueFamilyProperties;
    private final MethodHandle enumerateDeviceExtensionProperties;
    private final MethodHandle createDevice;
    private final MethodHandle getDeviceProcAddr;
    private boolean closed;

    VkInstance(VkLoader loader, MemorySegment handle) {
        this.loader = loader;
        this.handle = handle;
        this.destroyInstance = f("vkDestroyInstance", proc(P, P));
        this.enumeratePhysicalDevices = f("vkEnumeratePhysicalDevices", fn(I, P, P, P));
        this.getPhysicalDeviceProperties = f("vkGetPhysicalDeviceProperties", proc(P, P));
        this.getPhysicalDeviceProperties2 = f("vkGetPhysicalDeviceProperties2", proc(P, P));
        this.getPhysicalDeviceFeatures2 = f("vkGetPhysicalDeviceFeatures2", proc(P, P));
        this.getPhysicalDeviceMemoryProperties = f("vkGetPhysicalDeviceMemoryProperties", proc(P, P));
        this.getPhysicalDeviceQueueFamilyProperties = f("vkGetPhysicalDeviceQueueFamilyProperties", proc(P, P, P));
        this.enumerateDeviceExtensionProperties = f("vkEnumerateDeviceExtensionProperties", fn(I, P, P, P, P));
        this.createDevice = f("vkCreateDevice", fn(I, P, P, P, P));
        this.getDeviceProcAddr = f("vkGetDeviceProcAddr", fn(P, P, P));
    }

    private MethodHandle f(String name, FunctionDescriptor d) {
        return Native.bind(name, loader.procAddr(handle, name), d);
    }

    public MemorySegment handle() {
        return handle;
    }

    public List<MemorySegment> physicalDevices() throws VkException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment count = a.allocate(ValueLayout.JAVA_INT);
            VkException.check("vkEnumeratePhysicalDevices",
                    (int) enumeratePhysicalDevices.invokeExact(handle, count, MemorySegment.NULL));
            int n = count.get(ValueLayout.JAVA_INT, 0);
            if (n == 0) return List.of();
            MemorySegment array = a.allocate(ValueLayout.ADDRESS, n);
            VkException.check("vkEnumeratePhysicalDevices",
                    (int) enumeratePhysicalDevices.invokeExact(handle, count, array));
            n = count.get(ValueLayout.JAVA_INT, 0);
            List<MemorySegment> result = new ArrayList<>(n);
            for (int i = 0; i < n; i++) result.add(array.getAtIndex(ValueLayout.ADDRESS, i));
            return result;
        } catch (VkException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Fills a {@code VkPhysicalDeviceProperties}. */
    public void properties(MemorySegment physicalDevice, MemorySegment properties) {
        try {
            getPhysicalDeviceProperties.invokeExact(physicalDevice, properties);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Fills a {@code VkPhysicalDeviceProperties2} and its pNext chain. */
    public void properties2(MemorySegment physicalDevice, MemorySegment properties2) {
        try {
            getPhysicalDeviceProperties2.invokeExact(physicalDevice, properties2);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Fills a {@code VkPhysicalDeviceFeatures2} and its pNext chain. */
    public void features2(MemorySegment physicalDevice, MemorySegment features2) {
        try {
            getPhysicalDeviceFeatures2.invokeExact(physicalDevice, features2);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public void memoryProperties(MemorySegment physicalDevice, MemorySegment properties) {
        try {
            getPhysicalDeviceMemoryProperties.invokeExact(physicalDevice, properties);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** The queue families, as an array of {@code VkQueueFamilyProperties} allocated in {@code arena}. */
    public MemorySegment queueFamilies(MemorySegment physicalDevice, Arena arena) {
        try {
            MemorySegment count = arena.allocate(ValueLayout.JAVA_INT);
            getPhysicalDeviceQueueFamilyProperties.invokeExact(physicalDevice, count, MemorySegment.NULL);
            int n = count.get(ValueLayout.JAVA_INT, 0);
            MemorySegment props = Vk.QUEUE_FAMILY_PROPERTIES.allocate(arena, Math.max(1, n));
            getPhysicalDeviceQueueFamilyProperties.invokeExact(physicalDevice, count, props);
            n = count.get(ValueLayout.JAVA_INT, 0);
            return props.asSlice(0, n * Vk.QUEUE_FAMILY_PROPERTIES.size());
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public List<String> deviceExtensions(MemorySegment physicalDevice) throws VkException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment count = a.allocate(ValueLayout.JAVA_INT);
            VkException.check("vkEnumerateDeviceExtensionProperties", (int) enumerateDeviceExtensionProperties
                    .invokeExact(physicalDevice, MemorySegment.NULL, count, MemorySegment.NULL));
            int n = count.get(ValueLayout.JAVA_INT, 0);
            MemorySegment props = Vk.EXTENSION_PROPERTIES.allocate(a, Math.max(1, n));
            VkException.check("vkEnumerateDeviceExtensionProperties", (int) enumerateDeviceExtensionProperties
                    .invokeExact(physicalDevice, MemorySegment.NULL, count, props));
            n = count.get(ValueLayout.JAVA_INT, 0);
            List<String> names = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                names.add(Vk.EXTENSION_PROPERTIES.getString(Vk.EXTENSION_PROPERTIES.element(props, i), "extensionName"));
            }
            return names;
        } catch (VkException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** {@code vkCreateDevice} with a filled {@code VkDeviceCreateInfo}. */
    public VkDevice createDevice(MemorySegment physicalDevice, MemorySegment createInfo) throws VkException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ValueLayout.ADDRESS);
            VkException.check("vkCreateDevice",
                    (int) createDevice.invokeExact(physicalDevice, createInfo, MemorySegment.NULL, out));
            return new VkDevice(this, out.get(ValueLayout.ADDRESS, 0));
        } catch (VkException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    MemorySegment deviceProcAddr(MemorySegment device, String name) {
        try (Arena a = Arena.ofConfined()) {
            return (MemorySegment) getDeviceProcAddr.invokeExact(device, a.allocateFrom(name));
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Destroys the instance; every device must be destroyed first. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            destroyInstance.invokeExact(handle, MemorySegment.NULL);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
