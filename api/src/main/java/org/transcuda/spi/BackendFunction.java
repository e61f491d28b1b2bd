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

    /** Bytes of local memory each thread uses (CU_FUNC_ATTRIBUTE_LOCAL_SIZE_BYTES); 0 when unknown. */
    default int localBytesPerThread() {
        return 0;
    }

    /** Bytes of constant memory the kernel's module declares (CU_FUNC_ATTRIBUTE_CONST_SIZE_BYTES); 0 when unknown. */
    default int constBytes() {
        return 0;
    }

    /**
     * 32-bit registers each thread uses (CU_FUNC_ATTRIBUTE_NUM_REGS, and the register limit in occupancy
     * queries); 0 when the backend has no such limit.
     */
    default int registersPerThread() {
        return 0;
    }
}
