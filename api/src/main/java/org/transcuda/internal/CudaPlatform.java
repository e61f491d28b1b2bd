package org.transcuda.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.transcuda.cuda.BackendDescription;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.Cuda;
import org.transcuda.cuda.CudaContext;
import org.transcuda.cuda.CudaDevice;
import org.transcuda.cuda.CudaException;
import org.transcuda.spi.Backend;
import org.transcuda.spi.BackendDevice;
import org.transcuda.spi.BackendInfo;
import org.transcuda.spi.DeviceProperties;

/**
 * The front end: tracks every {@link Backend} service as it comes and goes, selects the one that serves
 * new contexts, and implements the {@link Cuda} entry point over it.
 */
@Component(service = Cuda.class, immediate = true, configurationPid = Cuda.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class CudaPlatform implements Cuda {
    private static final Logger LOG = LogManager.getLogger(CudaPlatform.class);
    /** How long a departing backend's in-flight calls may run before its contexts are closed anyway. */
    static final long DRAIN_MILLIS = 10_000;

    private final List<BackendBinding> bindings = new CopyOnWriteArrayList<>();
    /** Each thread's context stack (cuCtxPushCurrent/PopCurrent). */
    private final ThreadLocal<java.util.ArrayDeque<ContextImpl>> stack =
            ThreadLocal.withInitial(java.util.ArrayDeque::new);
    /** Primary contexts by backend device, with their retain counts. */
    private final java.util.Map<PrimaryContexts.Key, PrimaryContexts.Entry> primaries = new java.util.concurrent.ConcurrentHashMap<>();
    final PrimaryContexts primaryContexts = new PrimaryContexts(primaries);
    private volatile String configuredBackend;

    @Activate
    @Modified
    void configure(Map<String, Object> properties) {
        Object v = properties.get(BACKEND_PROPERTY);
        String configured = v == null ? null : v.toString().trim();
        configuredBackend = configured == null || configured.isEmpty() ? null : configured;
        LOG.debug("configured backend (Configuration Admin): {}", configuredBackend);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindBackend(Backend backend, Map<String, Object> properties, ServiceReference<Backend> reference) {
        Bundle b = reference.getBundle();
        String bundle = b == null ? "?" : b.getSymbolicName() + " " + b.getVersion();
        BackendBinding binding;
        try {
            binding = new BackendBinding(backend, properties, bundle);
        } catch (RuntimeException e) {
            LOG.error("ignoring backend service from {}: its info() failed", bundle, e);
            return;
        }
        bindings.add(binding);
        LOG.info("backend '{}' available (ranking {}, {})", binding.id, binding.ranking, bundle);
    }

    void unbindBackend(Backend backend) {
        for (BackendBinding binding : bindings) {
            if (binding.backend == backend) {
                bindings.remove(binding);
                primaries.keySet().removeIf(k -> k.binding() == binding);
                int live = binding.liveContexts();
                binding.revoke(DRAIN_MILLIS);
                LOG.info("backend '{}' removed; {} context(s) on it now fail with CUDA_ERROR_DEVICE_UNAVAILABLE",
                        binding.id, live);
            }
        }
    }

    /** The backend id asked for, and by what, or null when nothing is configured. */
    private String[] configured() {
        String c = configuredBackend;
        if (c != null) return new String[] {c, "Configuration Admin (" + PID + "/" + BACKEND_PROPERTY + ")"};
        c = System.getProperty("transcuda.backend");
        if (c != null && !c.isBlank()) return new String[] {c.trim(), "-Dtranscuda.backend"};
        c = System.getenv("TRANSCUDA_BACKEND");
        if (c != null && !c.isBlank()) return new String[] {c.trim(), "TRANSCUDA_BACKEND"};
        return null;
    }

    private static final Comparator<BackendBinding> BY_RANK =
            Comparator.comparingInt((BackendBinding b) -> -b.ranking).thenComparingLong(b -> b.serviceId);

    private List<BackendBinding> ranked() {
        List<BackendBinding> list = new ArrayList<>(bindings);
        list.removeIf(BackendBinding::isRevoked);
        list.sort(BY_RANK);
        return list;
    }

    private static List<BackendDevice> usableDevices(BackendBinding b) {
        List<BackendDevice> usable = new ArrayList<>();
        for (BackendDevice d : b.backend.devices()) {
            if (d.unusableReason().isEmpty()) usable.add(d);
        }
        return usable;
    }

    /** The binding that serves new contexts, or CUDA_ERROR_NO_DEVICE saying why there is none. */
    BackendBinding selected() throws CudaException {
        List<BackendBinding> ranked = ranked();
        String[] configured = configured();
        if (configured != null) {
            for (BackendBinding b : ranked) {
                if (b.id.equals(configured[0])) return b;
            }
            throw new CudaException(CUresult.CUDA_ERROR_NO_DEVICE, "backend '" + configured[0]
                    + "' (configured by " + configured[1] + ") is not installed; installed: " + ids(ranked));
        }
        StringBuilder why = new StringBuilder();
        for (BackendBinding b : ranked) {
            try {
                if (!usableDevices(b).isEmpty()) return b;
                why.append("; ").append(b.id).append(": no usable device ").append(b.backend.info().diagnostics());
            } catch (RuntimeException e) {
                why.append("; ").append(b.id).append(": ").append(e);
            }
        }
        throw new CudaException(CUresult.CUDA_ERROR_NO_DEVICE,
                ranked.isEmpty() ? "no backend is installed" : "no backend has a usable device" + why);
    }

    private static String ids(List<BackendBinding> list) {
        return list.isEmpty() ? "none" : String.join(", ", list.stream().map(b -> b.id).toList());
    }

    @Override
    public int driverVersion() {
        return 13000;
    }

    @Override
    public int deviceCount() throws CudaException {
        BackendBinding b = selected();
        return b.call(() -> usableDevices(b).size());
    }

    @Override
    public CudaDevice device(int ordinal) throws CudaException {
        BackendBinding b = selected();
        List<BackendDevice> devices = b.call(() -> usableDevices(b));
        if (ordinal < 0 || ordinal >= devices.size()) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_DEVICE,
                    "device " + ordinal + " does not exist; backend '" + b.id + "' has " + devices.size());
        }
        return new DeviceImpl(b, devices.get(ordinal), ordinal, primaryContexts);
    }

    @Override
    public String selectedBackend() throws CudaException {
        return selected().id;
    }

    private static ContextImpl impl(CudaContext context) throws CudaException {
        if (context instanceof ContextImpl c) return c;
        throw new CudaException(CUresult.CUDA_ERROR_INVALID_CONTEXT, "not a context of this platform");
    }

    @Override
    public Optional<CudaContext> currentContext() {
        return Optional.ofNullable(stack.get().peekFirst());
    }

    @Override
    public void setCurrentContext(CudaContext context) throws CudaException {
        java.util.ArrayDeque<ContextImpl> s = stack.get();
        if (context == null) {
            s.pollFirst();
            return;
        }
        ContextImpl c = impl(context);
        s.pollFirst();
        s.push(c);
    }

    @Override
    public void pushCurrentContext(CudaContext context) throws CudaException {
        stack.get().push(impl(context));
    }

    @Override
    public CudaContext popCurrentContext() throws CudaException {
        ContextImpl c = stack.get().pollFirst();
        if (c == null) throw new CudaException(CUresult.CUDA_ERROR_INVALID_CONTEXT, "no context is current");
        return c;
    }

    @Override
    public List<BackendDescription> backends() {
        BackendBinding selected;
        try {
            selected = selected();
        } catch (CudaException e) {
            selected = null;
        }
        List<BackendDescription> out = new ArrayList<>();
        for (BackendBinding b : ranked()) {
            try {
                BackendInfo info = b.backend.info();
                List<BackendDescription.Device> devices = new ArrayList<>();
                for (BackendDevice d : b.backend.devices()) {
                    DeviceProperties p = d.properties();
                    devices.add(new BackendDescription.Device(p.name(), p.totalMemory(),
                            p.computeMajor() + "." + p.computeMinor(), p.multiprocessorCount(),
                            p.maxThreadsPerBlock(), p.sharedMemoryPerBlock(), d.unusableReason()));
                }
                out.add(new BackendDescription(info.id(), info.name(), info.vendor(), info.version(), b.bundle,
                        b.ranking, b == selected, info.diagnostics(), devices));
            } catch (RuntimeException e) {
                out.add(new BackendDescription(b.id, b.id, "?", "?", b.bundle, b.ranking, false,
                        List.of("failed to describe: " + e), List.of()));
            }
        }
        return out;
    }

    /** For diagnostics: the binding of a backend id, if present. */
    Optional<BackendBinding> binding(String id) {
        return ranked().stream().filter(b -> b.id.equals(id)).findFirst();
    }
}
