package org.transcuda.backend.cpu;

import org.transcuda.cuda.CUresult;

/**
 * A failure raised by running kernel code (bad address, trap, assertion, deadlock, ...). It unwinds the
 * compiled kernel to the block scheduler, which stops the launch and reports it as a
 * {@link org.transcuda.spi.BackendException} with the same result code; faults are sticky on the context.
 * No stack trace is captured: faults are data, and kernels may raise one per thread.
 */
final class KernelFault extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient CUresult result;

    KernelFault(CUresult result, String message) {
        super(message, null, false, false);
        this.result = result;
    }

    CUresult result() {
        return result;
    }

    static KernelFault illegalAddress(String what) {
        return new KernelFault(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, what);
    }

    static KernelFault misaligned(long address, int size) {
        return new KernelFault(CUresult.CUDA_ERROR_MISALIGNED_ADDRESS,
                "misaligned address 0x" + Long.toHexString(address) + " for a " + size + "-byte access");
    }
}
