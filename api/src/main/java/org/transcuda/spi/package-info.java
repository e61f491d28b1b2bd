/**
 * The backend SPI: what a backend bundle implements so that Transcuda can run kernels on its hardware.
 *
 * <p>A backend registers a {@link org.transcuda.spi.Backend} as an OSGi service (the property
 * {@value org.transcuda.spi.Backend#ID_PROPERTY} names it; {@code service.ranking} orders backends when
 * none is configured). The front end in this bundle finds it, enumerates its
 * {@link org.transcuda.spi.BackendDevice devices}, creates {@link org.transcuda.spi.BackendContext contexts}
 * on them, hands them {@link org.transcuda.ir.Module translated IR modules} to load, and enqueues copies,
 * fills and launches on {@link org.transcuda.spi.BackendStream streams}.
 *
 * <p>Contract for implementations: every object is safe to call from several threads; every failure is a
 * {@link org.transcuda.spi.BackendException} carrying a CUDA result code; after
 * {@link org.transcuda.spi.BackendContext#close()} (which the front end calls when the backend service goes
 * away, after in-flight calls have drained) all of the context's resources are released and later calls
 * fail. A backend depends on this package, {@code org.transcuda.cuda} (result codes, {@code Dim3}) and
 * {@code org.transcuda.ir} alone.
 */
@Export
@Version("0.3.0")
package org.transcuda.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
