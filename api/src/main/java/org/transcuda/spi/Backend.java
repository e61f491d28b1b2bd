package org.transcuda.spi;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A backend: one vendor runtime (or the host CPU) that runs translated kernels. Registered as an OSGi
 * service with the property {@value #ID_PROPERTY} equal to {@link BackendInfo#id()}.
 */
@ConsumerType
public interface Backend {
    /** Service property that carries the backend id, so that the front end can select it by filter. */
    String ID_PROPERTY = "transcuda.backend.id";

    /** Identity of this backend. */
    BackendInfo info();

    /**
     * Every device this backend found, usable or not. Never throws for missing hardware or a missing
     * vendor runtime: it returns an empty list and explains why in {@link BackendInfo#diagnostics()}.
     */
    List<? extends BackendDevice> devices();
}
