package org.transcuda.itest.probe;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.Cuda;
import org.transcuda.cuda.CudaContext;
import org.transcuda.cuda.CudaException;
import org.transcuda.cuda.CudaFunction;
import org.transcuda.cuda.Dim3;
import org.transcuda.ir.Function;
import org.transcuda.ir.Module;
import org.transcuda.ir.Params;
import org.transcuda.ir.ScalarType;

/** The probe's operations; every result is a map of JDK types. */
final class Probe {
    static final Module MODULE = new Module("probe", List.of(new Function("iota", true,
            new Params().add("out", ScalarType.U64).add("n", ScalarType.U32).add("mul", ScalarType.U32).build())));

    private final BundleContext context;
    private final ServiceTracker<Cuda, Cuda> cuda;
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean stop;
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong wrong = new AtomicLong();
    private final Map<String, Long> errors = new ConcurrentHashMap<>();
    private final List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Long> okByBackend = new ConcurrentHashMap<>();

    Probe(BundleContext context, ServiceTracker<Cuda, Cuda> cuda) {
        this.context = context;
        this.cuda = cuda;
    }

    Map<String, Object> handle(Map<String, Object> request) {
        Map<String, Object> out = new HashMap<>();
        try {
            switch ((String) request.get("op")) {
                case "selected" -> out.put("backend", cuda().selectedBackend());
                case "compute" -> out.putAll(compute(((Number) request.get("n")).intValue(),
                        ((Number) request.get("mul")).intValue()));
                case "configure" -> configure((String) request.get("backend"));
                case "startWorkers" -> startWorkers(((Number) request.get("threads")).intValue());
                case "stopWorkers" -> out.putAll(stopWorkers());
                default -> throw new IllegalArgumentException("unknown op " + request.get("op"));
            }
        } catch (CudaException e) {
            out.put("error", e.result().name());
            out.put("message", e.getMessage());
        } catch (Exception e) {
            out.put("exception", e.toString());
        }
        return out;
    }

    private Cuda cuda() throws InterruptedException {
        Cuda c = cuda.waitForService(10_000);
        if (c == null) throw new IllegalStateException("no Cuda service");
        return c;
    }

    /** One full round trip on the selected backend, checked against a Java reference. */
    private Map<String, Object> compute(int n, int mul) throws Exception {
        Cuda c = cuda();
        try (CudaContext ctx = c.device(0).createContext()) {
            long wrongCount = runIota(ctx, ctx.loadModule(MODULE).function("iota"), n, mul);
            return Map.of("backend", ctx.device().backend(), "wrong", wrongCount);
        }
    }

    /** Runs iota and returns how many elements differ from {@code i * mul}. */
    static long runIota(CudaContext ctx, CudaFunction fn, int n, int mul) throws CudaException {
        long d = ctx.malloc(4L * n);
        try {
            ctx.memsetD32(d, 0xdeadbeef, n);
            ctx.defaultStream().launch(fn, Dim3.of((n + 255) / 256), Dim3.of(256), 0,
                    fn.newArgs().add(d).add(n).add(mul));
            int[] host = new int[n];
            ctx.memcpyDtoH(MemorySegment.ofArray(host), d);
            long bad = 0;
            for (int i = 0; i < n; i++) {
                if (host[i] != i * mul) bad++;
            }
            return bad;
        } finally {
            ctx.free(d);
        }
    }

    private void configure(String backend) throws Exception {
        ServiceReference<ConfigurationAdmin> ref = context.getServiceReference(ConfigurationAdmin.class);
        ConfigurationAdmin admin = context.getService(ref);
        try {
            Configuration config = admin.getConfiguration(Cuda.PID, "?");
            if (backend == null) {
                config.delete();
            } else {
                Hashtable<String, Object> props = new Hashtable<>();
                props.put(Cuda.BACKEND_PROPERTY, backend);
                config.update(props);
            }
        } finally {
            context.ungetService(ref);
        }
    }

    private synchronized void startWorkers(int threads) {
        stop = false;
        ok.set(0);
        wrong.set(0);
        errors.clear();
        unexpected.clear();
        okByBackend.clear();
        for (int i = 0; i < threads; i++) {
            workers.add(Thread.ofPlatform().name("probe-worker-" + i).start(this::work));
        }
    }

    synchronized Map<String, Object> stopWorkers() {
        stop = true;
        for (Thread t : workers) {
            try {
                t.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) unexpected.add("worker " + t.getName() + " hangs: " + List.of(t.getStackTrace()));
        }
        workers.clear();
        Map<String, Object> out = new HashMap<>();
        out.put("ok", ok.get());
        out.put("wrong", wrong.get());
        out.put("errors", new HashMap<>(errors));
        out.put("unexpected", new ArrayList<>(unexpected));
        out.put("okByBackend", new HashMap<>(okByBackend));
        return out;
    }

    private void work() {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        CudaContext ctx = null;
        CudaFunction fn = null;
        while (!stop) {
            try {
                if (ctx == null) {
                    ctx = cuda().device(0).createContext();
                    fn = ctx.loadModule(MODULE).function("iota");
                }
                int n = 1 + rnd.nextInt(5000);
                int mul = rnd.nextInt(1000);
                long bad = runIota(ctx, fn, n, mul);
                if (bad == 0) {
                    ok.incrementAndGet();
                    okByBackend.merge(ctx.device().backend(), 1L, Long::sum);
                } else {
                    wrong.incrementAndGet();
                }
                if (rnd.nextInt(8) == 0) {
                    ctx.close();
                    ctx = null;
                }
            } catch (CudaException e) {
                if (e.result() == CUresult.CUDA_ERROR_UNKNOWN) unexpected.add(e.toString());
                errors.merge(e.result().name(), 1L, Long::sum);
                closeQuietly(ctx);
                ctx = null;
                try {
                    Thread.sleep(1);
                } catch (InterruptedException ie) {
                    return;
                }
            } catch (Throwable t) {
                unexpected.add(t.toString());
                ctx = null;
            }
        }
        closeQuietly(ctx);
    }

    private void closeQuietly(CudaContext ctx) {
        if (ctx == null) return;
        try {
            ctx.close();
        } catch (CudaException e) {
            if (e.result() != CUresult.CUDA_ERROR_DEVICE_UNAVAILABLE) unexpected.add("close: " + e);
        } catch (RuntimeException e) {
            unexpected.add("close: " + e);
        }
    }
}
