package org.transcuda.spi;

import org.osgi.annotation.versioning.ConsumerType;
import org.transcuda.ir.Function;

/** A kernel of a loaded module, ready to launch. */
@ConsumerType
public interface BackendFunction {
    /** The IR of the kernel, which gives its name and parameter layout. */
    Function ir();

    /** Largest block this kernel can be launched with on this device (register or resource limits). */
    int maxThreadsPerBlock();

    /** Bytes of statically declared shared memory. */
    int staticSharedBytes();
}
