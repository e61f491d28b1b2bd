package org.transcuda.backend.vulkan.vk;

import static org.transcuda.backend.vulkan.vk.Native.I;
import static org.transcuda.backend.vulkan.vk.Native.P;
import static org.transcuda.backend.vulkan.vk.Native.fn;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * The Vulkan loader library ({@code libvulkan.so.1}), opened with {@code dlopen} through
 * {@link SymbolLookup#libraryLookup(String, Arena)}. Only {@code vkGetInstanceProcAddr} is looked up by
 * symbol; every other function comes from it, as the loader specification recommends.
 */
public final class VkLoader implements AutoCloseable {
    /** Why the loader could not be used; the message goes into the backend's diagnostics. */
    public static final class LoadException extends Exception {
        private static final long serialVersionUID = 1L;

        public LoadException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final String library;
    private final Arena arena;
    private final MethodHandle getInstanceProcAddr;

    private VkLoader(String library, Arena arena, MethodHandle getInstanceProcAddr) {
        this.library = library;
        this.arena = arena;
        this.getInstanceProcAddr = getInstanceProcAddr;
    }

    /** Opens the loader; never throws anything but {@link LoadException}. */
    public static VkLoader open(String library) throws LoadException {
        if (ValueLayout.ADDRESS.byteSize() != 8) {
            throw new LoadException("the Vulkan backend needs a 64-bit JVM", null);
        }
        Arena arena = Arena.ofShared();
        try {
            SymbolLookup lookup = SymbolLookup.libraryLookup(library, arena);
            MemorySegment gipa = lookup.find("vkGetInstanceProcAddr")
                    .orElseThrow(() -> new LoadException(library + " has no vkGetInstanceProcAddr: not a Vulkan loader",
                            null));
            return new VkLoader(library, arena, Native.bind("vkGetInstanceProcAddr", gipa, fn(P, P, P)));
        } catch (IllegalCallerException e) {
            arena.close();
            throw new LoadException("native access is denied to the Vulkan backend: start the JVM with "
                    + "--enable-native-access=ALL-UNNAMED (" + e.getMessage() + ")", e);
        } catch (IllegalArgumentException e) {
            arena.close();
            throw new LoadException("cannot load the Vulkan loader " + library + ": " + e.getMessage()
                    + " (install libvulkan1 and a Vulkan driver, e.g. mesa-vulkan-drivers)", e);
        } catch (LoadException e) {
            arena.close();
            throw e;
        } catch (RuntimeException | LinkageError e) {
            arena.close();
            throw new LoadException("cannot use the Vulkan loader " + library + ": " + e, e);
        }
    }

    public String library() {
        return library;
    }

    /** {@code vkGetInstanceProcAddr(instance, name)}; NULL when absent. */
    MemorySegment procAddr(MemorySegment instance, String name) {
        try (Arena a = Arena.ofConfined()) {
            return (MemorySegment) getInstanceProcAddr.invokeExact(instance, a.allocateFrom(name));
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    MethodHandle global(String name, java.lang.foreign.FunctionDescriptor d) {
        return Native.bind(name, procAddr(MemorySegment.NULL, name), d);
    }

    /** The loader's instance-level API version; 1.0 for a loader without {@code vkEnumerateInstanceVersion}. */
    public int instanceVersion() throws VkException {
        MemorySegment f = procAddr(MemorySegment.NULL, "vkEnumerateInstanceVersion");
        if (f.equals(MemorySegment.NULL)) return Vk.apiVersion(1, 0);
        MethodHandle h = Native.bind("vkEnumerateInstanceVersion", f, fn(I, P));
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(ValueLayout.JAVA_INT);
            VkException.check("vkEnumerateInstanceVersion", (int) h.invokeExact(v));
            return v.get(ValueLayout.JAVA_INT, 0);
        } catch (VkException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Names of the instance extensions the loader and its drivers offer. */
    public List<String> instanceExtensions() throws VkException {
        MethodHandle h = global("vkEnumerateInstanceExtensionProperties", fn(I, P, P, P));
        try (Arena a = Arena.ofConfined()) {
            MemorySegment count = a.allocate(ValueLayout.JAVA_INT);
            VkException.check("vkEnumerateInstanceExtensionProperties",
                    (int) h.invokeExact(MemorySegment.NULL, count, MemorySegment.NULL));
            int n = count.get(ValueLayout.JAVA_INT, 0);
            MemorySegment props = Vk.EXTENSION_PROPERTIES.allocate(a, Math.max(1, n));
            VkException.check("vkEnumerateInstanceExtensionProperties",
                    (int) h.invokeExact(MemorySegment.NULL, count, props));
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

    /**
     * Creates an instance for {@code apiVersion} with the given extensions (and the portability flag when
     * {@code VK_KHR_portability_enumeration} is among them, so that MoltenVK devices are listed).
     */
    public VkInstance createInstance(int apiVersion, List<String> extensions) throws VkException {
        MethodHandle h = global("vkCreateInstance", fn(I, P, P, P));
        try (Arena a = Arena.ofConfined()) {
            MemorySegment app = Vk.APPLICATION_INFO.allocate(a);
            Vk.APPLICATION_INFO.setPtr(app, "pApplicationName", a.allocateFrom("Transcuda"));
            Vk.APPLICATION_INFO.setPtr(app, "pEngineName", a.allocateFrom("Transcuda"));
            Vk.APPLICATION_INFO.setInt(app, "apiVersion", apiVersion);
            MemorySegment info = Vk.INSTANCE_CREATE_INFO.allocate(a);
            Vk.INSTANCE_CREATE_INFO.setPtr(info, "pApplicationInfo", app);
            if (extensions.contains("VK_KHR_portability_enumeration")) {
                Vk.INSTANCE_CREATE_INFO.setInt(info, "flags", Vk.INSTANCE_CREATE_ENUMERATE_PORTABILITY_BIT_KHR);
            }
            Vk.INSTANCE_CREATE_INFO.setInt(info, "enabledExtensionCount", extensions.size());
            Vk.INSTANCE_CREATE_INFO.setPtr(info, "ppEnabledExtensionNames", strings(a, extensions));
            MemorySegment out = a.allocate(ValueLayout.ADDRESS);
            VkException.check("vkCreateInstance", (int) h.invokeExact(info, MemorySegment.NULL, out));
            return new VkInstance(this, out.get(ValueLayout.ADDRESS, 0));
        } catch (VkException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** A {@code const char* const*} array. */
    static MemorySegment strings(Arena a, List<String> values) {
        if (values.isEmpty()) return MemorySegment.NULL;
        MemorySegment array = a.allocate(ValueLayout.ADDRESS, values.size());
        for (int i = 0; i < values.size(); i++) {
            array.setAtIndex(ValueLayout.ADDRESS, i, a.allocateFrom(values.get(i)));
        }
        return array;
    }

    /** Unloads the library ({@code dlclose}); every instance must be destroyed first. */
    @Override
    public void close() {
        arena.close();
    }
}
