/**
 * The Java CUDA API, modelled on the CUDA driver API: devices and their attributes, contexts, modules,
 * functions, device memory, launches, streams and events. Obtain the {@link org.transcuda.cuda.Cuda}
 * service from the OSGi service registry. Every failure is a {@link org.transcuda.cuda.CudaException}
 * carrying CUDA's numeric {@link org.transcuda.cuda.CUresult}.
 */
@Export
@Version("0.3.0")
package org.transcuda.cuda;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
