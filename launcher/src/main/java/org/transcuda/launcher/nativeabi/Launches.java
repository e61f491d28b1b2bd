package org.transcuda.launcher.nativeabi;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.transcuda.cuda.CUdevice_attribute;
import org.transcuda.cuda.CudaRuntime;
import org.transcuda.cuda.CudaRuntimeException;
import org.transcuda.cuda.Dim3;
import org.transcuda.cuda.cudaError;
import org.transcuda.ptx.fatbin.FatBinaryException;
import org.transcuda.ptx.fatbin.PtxSelection;

/**
 * Kernel launches from native code ({@code <<<...>>>}, {@code cudaLaunchKernel}): the one place the launch
 * path is wired.
 *
 * <p>Done: the kernel's fat binary is read and the PTX for the current device chosen
 * ({@code org.transcuda.ptx.fatbin}); a fat binary without usable PTX fails as CUDA fails. Not wired yet:
 * translating that PTX ({@code org.transcuda.ptx.PtxTranslator}, not exported by the front end's bundle yet)
 * and running the kernel, so every launch fails with {@code cudaErrorNotYetImplemented}, said once per kernel
 * on stderr. Wiring it means: translate {@code ptx.ptx()} to an IR module once per fat binary, load it into the
 * current device's primary context ({@code Cuda.device(runtime.getDevice()).retainPrimaryContext()
 * .loadModule(...)}, once per context), look the kernel up by {@code kernel.deviceName()}, fill its
 * {@code KernelArgs} from {@code args} (a {@code void*[]}: one pointer per parameter, whose sizes the IR
 * signature gives) and launch on {@code stream} (0: the context's default stream) with {@code sharedMem} bytes
 * of dynamic shared memory.
 */
final class Launches {
    private final Set<Long> reported = ConcurrentHashMap.newKeySet();

    /** Launches {@code kernel}; returns when it is queued (errors of its execution surface later, as in CUDA). */
    void launch(CudaRuntime runtime, Registry.Kernel kernel, Dim3 grid, Dim3 block, long args, long sharedMem,
            long stream) throws CudaRuntimeException {
        PtxSelection ptx = ptx(runtime, kernel);
        if (reported.add(kernel.id())) {
            System.err.println("transcuda: cannot launch kernel " + kernel.deviceName() + grid + block + ": its PTX is"
                    + " there (" + ptx.reason() + ", " + ptx.ptx().length() + " characters) but translating and"
                    + " running kernels of native programs is not wired yet");
        }
        throw new CudaRuntimeException(cudaError.cudaErrorNotYetImplemented,
                "kernel launches from native programs are not wired yet", null);
    }

    /** The PTX of the kernel's fat binary for the current device. */
    private PtxSelection ptx(CudaRuntime runtime, Registry.Kernel kernel) throws CudaRuntimeException {
        int device = runtime.getDevice();
        int arch = 10 * runtime.deviceGetAttribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR,
                device) + runtime.deviceGetAttribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR,
                device);
        try {
            return kernel.binary().parsed().fatBinary().selectPtx(arch);
        } catch (FatBinaryException e) {
            cudaError error = e.kind() == FatBinaryException.Kind.NO_PTX ? cudaError.cudaErrorNoKernelImageForDevice
                    : cudaError.cudaErrorInvalidKernelImage;
            if (reported.add(kernel.id())) {
                System.err.println("transcuda: cannot launch kernel " + kernel.deviceName() + ": " + e.getMessage());
            }
            throw new CudaRuntimeException(error, e.getMessage(), e);
        }
    }
}
