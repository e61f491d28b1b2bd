package org.transcuda.itest.probe;

import java.util.Hashtable;
import java.util.Map;
import java.util.function.Function;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.util.tracker.ServiceTracker;
import org.transcuda.cuda.Cuda;

/**
 * Test-only probe bundle: runs CUDA API work inside the framework for the integration tests, which drive
 * it through a {@code Function<Map, Map>} service (JDK types only cross the framework boundary).
 */
public final class Activator implements BundleActivator {
    private ServiceTracker<Cuda, Cuda> cuda;
    private ServiceRegistration<?> registration;
    private Probe probe;

    @Override
    public void start(BundleContext context) {
        cuda = new ServiceTracker<>(context, Cuda.class, null);
        cuda.open();
        probe = new Probe(context, cuda);
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("transcuda.probe", "true");
        registration = context.registerService(Function.class, (Function<Map<String, Object>, Map<String, Object>>) probe::handle, props);
    }

    @Override
    public void stop(BundleContext context) {
        registration.unregister();
        probe.stopWorkers();
        cuda.close();
    }
}
