package org.transcuda.itest.testbackend;

import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.transcuda.spi.Backend;

/**
 * A test-only backend bundle (built by the integration tests, shipped nowhere). It registers a
 * {@link Backend} with id {@code testbe} and ranking 1000, and reports its live resources into a ledger
 * ({@code java.util.Map} service with {@code transcuda.ledger=true}) that outlives the bundle.
 */
public final class Activator implements BundleActivator {
    private ServiceRegistration<Backend> registration;
    private TestBackend backend;

    @Override
    @SuppressWarnings("unchecked")
    public void start(BundleContext context) throws Exception {
        Map<String, AtomicLong> ledger = Map.of();
        for (ServiceReference<?> ref : context.getServiceReferences(Map.class.getName(), "(transcuda.ledger=true)")) {
            ledger = (Map<String, AtomicLong>) context.getService(ref);
        }
        backend = new TestBackend(context.getBundle().getVersion().toString(), ledger);
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Backend.ID_PROPERTY, "testbe");
        props.put("service.ranking", 1000);
        registration = context.registerService(Backend.class, backend, props);
    }

    @Override
    public void stop(BundleContext context) {
        // Unregistering first lets the front end drain in-flight calls and close our contexts.
        registration.unregister();
        backend.closeAll();
    }
}
