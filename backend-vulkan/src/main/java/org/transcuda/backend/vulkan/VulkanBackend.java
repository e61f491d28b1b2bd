package org.transcuda.backend.vulkan;

import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.transcuda.backend.vulkan.vk.Vk;
import org.transcuda.backend.vulkan.vk.VkException;
import org.transcuda.backend.vulkan.vk.VkInstance;
import org.transcuda.backend.vulkan.vk.VkLoader;
import org.transcuda.cuda.CUresult;
import org.transcuda.spi.Backend;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendInfo;

/**
 * The Vulkan backend: every Vulkan 1.2+ device with buffer device addresses, 64-bit integers and timeline
 * semaphores is a CUDA device; kernels are SPIR-V compute shaders.
 *
 * <h2>Binding: the JDK's Foreign Function &amp; Memory API</h2>
 * The backend calls {@code libvulkan.so.1} (the Khronos loader) directly through {@code java.lang.foreign}
 * (final since JDK 22): {@link org.transcuda.backend.vulkan.vk.VkLoader} opens the library with
 * {@code SymbolLookup.libraryLookup}, takes {@code vkGetInstanceProcAddr} from it and every other function
 * from {@code vkGet*ProcAddr} as downcall method handles, and the Vulkan structs are explicit layouts
 * ({@link org.transcuda.backend.vulkan.vk.Struct}, {@link org.transcuda.backend.vulkan.vk.Vk}) checked
 * against {@code vulkan_core.h} by a test that compiles the header. Why this and not the alternatives:
 * <ul>
 * <li>No native build step and no native artifact per platform: the bundle is plain Java, and the same jar
 * runs wherever a Vulkan loader is installed (JNI glue or a generated binding would need a C compiler in
 * the build and one shared library per OS and architecture inside the bundle).</li>
 * <li>No third-party dependency (LWJGL would bring its own natives, its own loader logic and a large API
 * surface into an OSGi bundle); the backend binds the ~50 functions it uses, and nothing else.</li>
 * <li>A missing loader is an ordinary, catchable condition ({@code IllegalArgumentException} from
 * {@code libraryLookup}), reported as "zero devices" with the reason, never a {@code UnsatisfiedLinkError}
 * at class loading that would fail the bundle.</li>
 * <li>Memory safety where it matters: structs are bounds-checked {@code MemorySegment}s in confined arenas,
 * freed deterministically.</li>
 * </ul>
 * Downcalls are restricted methods: the JVM must run with {@code --enable-native-access=ALL-UNNAMED}
 * (bundles are in unnamed modules; the launcher passes it). Without it the JDK prints a warning on first
 * use; with {@code --illegal-native-access=deny} the backend reports zero devices and says why.
 *
 * <p>The loader library is {@value #DEFAULT_LIBRARY} unless the system property {@value #LIBRARY_PROPERTY}
 * names another (tests name a bogus one to check the no-loader path).
 */
@Component(service = Backend.class, property = {Backend.ID_PROPERTY + "=vulkan", "service.ranking:Integer=50"})
public final class VulkanBackend implements Backend {
    private static final Logger LOG = LogManager.getLogger(VulkanBackend.class);

    /** System property naming the Vulkan loader library. */
    public static final String LIBRARY_PROPERTY = "transcuda.vulkan.library";
    /** The Vulkan loader on Linux and Android. */
    public static final String DEFAULT_LIBRARY = "libvulkan.so.1";

    private volatile BackendInfo info = new BackendInfo("vulkan", "Vulkan (SPIR-V)", "Transcuda", "0", List.of());
    private volatile List<VulkanDevice> devices = List.of();
    private VkLoader loader;
    private VkInstance instance;
    private volatile boolean stopped;

    @Activate
    void activate(BundleContext context) {
        start(context.getBundle().getVersion().toString());
    }

    @Deactivate
    void deactivate() {
        stop();
    }

    static String defaultLibrary() {
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        if (os.startsWith("windows")) return "vulkan-1.dll";
        if (os.startsWith("mac")) return "libvulkan.1.dylib";
        return DEFAULT_LIBRARY;
    }

    /** Loads the Vulkan loader and enumerates devices; never throws: problems go into the diagnostics. */
    synchronized void start(String version) {
        stopped = false;
        List<String> diagnostics = new ArrayList<>();
        List<VulkanDevice> found = new ArrayList<>();
        String library = System.getProperty(LIBRARY_PROPERTY, defaultLibrary());
        if (!VulkanBackend.class.getModule().isNativeAccessEnabled()) {
            LOG.warn("native access is not enabled for the Vulkan backend; start the JVM with "
                    + "--enable-native-access=ALL-UNNAMED");
        }
        try {
            loader = VkLoader.open(library);
            int loaderVersion = loader.instanceVersion();
            if (Integer.compareUnsigned(loaderVersion, Vk.apiVersion(1, 1)) < 0) {
                throw new VkLoader.LoadException("the Vulkan loader " + library + " is version "
                        + Vk.apiString(loaderVersion) + "; the backend needs 1.2 or later", null);
            }
            List<String> wanted = new ArrayList<>();
            if (loader.instanceExtensions().contains("VK_KHR_portability_enumeration")) {
                wanted.add("VK_KHR_portability_enumeration");
            }
            instance = loader.createInstance(Vk.apiVersion(1, 3), wanted);
            for (var pd : instance.physicalDevices()) {
                PhysicalDeviceInfo pdi = PhysicalDeviceInfo.query(instance, pd);
                found.add(new VulkanDevice(this, pdi));
                pdi.unusableReason.ifPresent(r -> diagnostics.add(pdi.name + ": " + r));
            }
            if (found.isEmpty()) {
                diagnostics.add("the Vulkan loader " + library + " found no device (is a Vulkan driver installed? "
                        + "VK_ICD_FILENAMES / VK_DRIVER_FILES select drivers)");
            }
        } catch (VkLoader.LoadException e) {
            diagnostics.add(e.getMessage());
            cleanup();
        } catch (VkException | RuntimeException | LinkageError e) {
            diagnostics.add("Vulkan initialisation failed: " + e.getMessage());
            LOG.debug("Vulkan initialisation failed", e);
            found.clear();
            cleanup();
        }
        devices = List.copyOf(found);
        info = new BackendInfo("vulkan", "Vulkan 1.2+ (SPIR-V)", "Transcuda", version, diagnostics);
        if (devices.isEmpty()) {
            LOG.info("Vulkan backend: no devices: {}", String.join("; ", diagnostics));
        } else {
            for (VulkanDevice d : devices) {
                LOG.info("Vulkan backend: {}{}", d, d.unusableReason().map(r -> " -- unusable: " + r).orElse(""));
            }
        }
    }

    private void cleanup() {
        if (instance != null) {
            instance.close();
            instance = null;
        }
        if (loader != null) {
            loader.close();
            loader = null;
        }
    }

    /** Closes every context, then the instance and the loader. */
    synchronized void stop() {
        stopped = true;
        for (VulkanDevice d : devices) d.closeAll();
        devices = List.of();
        cleanup();
    }

    VkInstance instance() {
        return instance;
    }

    VulkanContext newContext(VulkanDevice device) throws BackendException {
        synchronized (this) {
            if (stopped || instance == null) {
                throw new BackendException(CUresult.CUDA_ERROR_DEVICE_UNAVAILABLE, "the Vulkan backend is stopped");
            }
            VulkanContext c = VulkanContext.create(device);
            device.contextOpened(c);
            return c;
        }
    }

    @Override
    public BackendInfo info() {
        return info;
    }

    @Override
    public List<VulkanDevice> devices() {
        return devices;
    }
}
