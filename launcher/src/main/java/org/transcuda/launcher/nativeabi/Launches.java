package org.transcuda.launcher.nativeabi;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.transcuda.cuda.CUdevice_attribute;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.CudaContext;
import org.transcuda.cuda.CudaDevice;
import org.transcuda.cuda.CudaException;
import org.transcuda.cuda.CudaFunction;
import org.transcuda.cuda.CudaModule;
import org.transcuda.cuda.CudaRuntimeException;
import org.transcuda.cuda.Dim3;
import org.transcuda.cuda.KernelArgs;
import org.transcuda.cuda.cudaError;
import org.transcuda.ir.Param;
import org.transcuda.ptx.fatbin.FatBinaryException;
import org.transcuda.ptx.fatbin.PtxSelection;

/**
 * Kernel launches from native code ({@code <<<...>>>}, {@code cudaLaunchKernel}, {@code cuLaunchKernel}): the one
 * place the launch path is wired.
 *
 * <p>A registered fat binary is read on first use and the PTX best suited to the context's device chosen
 * ({@code org.transcuda.ptx.fatbin}); it is translated and loaded once per (fat binary, context)
 * ({@link CudaContext#loadModule(String, CharSequence)}), each kernel looked up by its device name once per
 * context, and each launch packs the program's {@code void*[]} (one pointer per parameter, sizes and offsets from
 * the kernel's IR signature) into the kernel's argument buffer and enqueues it on the stream.
 */
final class Launches {
    /** A kernel resolved in a context. */
    private record Resolved(CudaContext context, CudaFunction function, int maxThreads, long[] sizes) {
    }

    /** The device limits the runtime checks launch configurations against. */
    private record Limits(Dim3 block, Dim3 grid, int threads) {
    }

    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private final Map<Long, Resolved> resolved = new ConcurrentHashMap<>();
    private final Map<CudaDevice, Limits> limits = new ConcurrentHashMap<>();

    /**
     * Launches a registered kernel in {@code context} (the runtime's current one) on {@code stream}; returns when
     * it is queued (errors of its execution surface later, as in CUDA). Configurations beyond the device's limits
     * are {@code cudaErrorInvalidValue}, as CUDA 13 reports them (an H100 with driver 580 does; older runtimes said
     * cudaErrorInvalidConfiguration); more threads than the kernel's resources allow are
     * {@code cudaErrorLaunchOutOfResources}.
     */
    void launch(CudaContext context, Registry.Kernel kernel, Dim3 grid, Dim3 block, long args, long sharedMem,
            org.transcuda.cuda.CudaStream stream) throws CudaRuntimeException, CudaException {
        Resolved r = resolved(context, kernel);
        Limits l = limits(context.device());
        if (block.x() > l.block().x() || block.y() > l.block().y() || block.z() > l.block().z()
                || block.volume() > l.threads() || grid.x() > l.grid().x() || grid.y() > l.grid().y()
                || grid.z() > l.grid().z()) {
            throw new CudaRuntimeException(cudaError.cudaErrorInvalidValue, "grid " + grid + ", block "
                    + block + " for " + kernel.deviceName() + ": the device allows blocks up to " + l.block() + " with "
                    + l.threads() + " threads and grids up to " + l.grid(), null);
        }
        if (block.volume() > r.maxThreads()) {
            throw new CudaRuntimeException(cudaError.cudaErrorLaunchOutOfResources, "block " + block + " for "
                    + kernel.deviceName() + ": the kernel's resources allow " + r.maxThreads() + " threads per block",
                    null);
        }
        if (sharedMem < 0 || sharedMem > Integer.MAX_VALUE) {
            throw new CudaRuntimeException(cudaError.cudaErrorInvalidValue,
                    "dynamic shared memory " + Long.toUnsignedString(sharedMem), null);
        }
        stream.launch(r.function(), grid, block, (int) sharedMem, pack(r.function(), r.sizes(), args));
    }

    /** The function of a registered kernel in {@code context} (for attributes and occupancy). */
    CudaFunction function(CudaContext context, Registry.Kernel kernel) throws CudaRuntimeException, CudaException {
        return resolved(context, kernel).function();
    }

    private Resolved resolved(CudaContext context, Registry.Kernel kernel) throws CudaRuntimeException, CudaException {
        Resolved r = resolved.get(kernel.id());
        if (r == null || r.context() != context) {
            r = resolve(context, kernel);
            resolved.put(kernel.id(), r);
        }
        return r;
    }

    private Limits limits(CudaDevice device) throws CudaException {
        Limits l = limits.get(device);
        if (l == null) {
            l = new Limits(new Dim3(device.attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_X),
                    device.attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Y),
                    device.attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Z)),
                    new Dim3(device.attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_X),
                            device.attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Y),
                            device.attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Z)),
                    device.attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK));
            limits.put(device, l);
        }
        return l;
    }

    private Resolved resolve(CudaContext context, Registry.Kernel kernel) throws CudaRuntimeException, CudaException {
        CudaModule module = module(context, kernel.binary());
        CudaFunction f;
        try {
            f = module.function(kernel.deviceName());
        } catch (CudaException e) {
            if (reported.add("kernel " + kernel.deviceName())) {
                System.err.println("transcuda: kernel " + kernel.deviceName() + " cannot run: " + e.getMessage());
            }
            if (e.result() == CUresult.CUDA_ERROR_NOT_FOUND) {
                throw new CudaRuntimeException(cudaError.cudaErrorInvalidDeviceFunction, e.getMessage(), e);
            }
            throw e;
        }
        return new Resolved(context, f, f.maxThreadsPerBlock(), sizes(f.newArgs().function().params()));
    }

    /** The module of a registered fat binary in {@code context}: translated and loaded on first use. */
    CudaModule module(CudaContext context, Registry.FatBinary binary) throws CudaRuntimeException, CudaException {
        CudaModule m = binary.modules.get(context);
        if (m != null) return m;
        synchronized (binary) {
            m = binary.modules.get(context);
            if (m == null) {
                PtxSelection ptx = ptx(context.device(), binary);
                try {
                    m = context.loadModule(binary.fileName(), ptx.ptx());
                } catch (CudaException e) {
                    if (reported.add("binary " + binary.handle)) {
                        System.err.println("transcuda: the PTX of " + binary.fileName() + " (" + ptx.reason()
                                + ") cannot be loaded: " + e.getMessage());
                    }
                    throw e;
                }
                binary.modules.put(context, m);
            }
            return m;
        }
    }

    /** The PTX of a registered fat binary for {@code device}. */
    private PtxSelection ptx(CudaDevice device, Registry.FatBinary binary) throws CudaRuntimeException, CudaException {
        try {
            return binary.parsed().fatBinary().selectPtx(arch(device));
        } catch (FatBinaryException e) {
            cudaError error = e.kind() == FatBinaryException.Kind.NO_PTX ? cudaError.cudaErrorNoKernelImageForDevice
                    : cudaError.cudaErrorInvalidKernelImage;
            if (reported.add("binary " + binary.handle)) {
                System.err.println("transcuda: cannot load " + binary.fileName() + ": " + e.getMessage());
            }
            throw new CudaRuntimeException(error, e.getMessage(), e);
        }
    }

    /** The device's architecture as fat binaries number it (sm_XY: 10 * major + minor). */
    static int arch(CudaDevice device) throws CudaException {
        return 10 * device.attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR)
                + device.attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
    }

    /**
     * The arguments of a launch from a {@code void*[]} as CUDA takes it ({@code kernelParams}, the runtime's
     * {@code args}): one pointer per parameter, each to a value of the parameter's size.
     */
    static KernelArgs pack(CudaFunction function, long argv) throws CudaException {
        return pack(function, sizes(function.newArgs().function().params()), argv);
    }

    /** The parameters' sizes in order (computed once per resolved kernel). */
    private static long[] sizes(List<Param> params) {
        long[] sizes = new long[params.size()];
        for (int i = 0; i < sizes.length; i++) sizes[i] = params.get(i).size();
        return sizes;
    }

    /** {@link #pack(CudaFunction, long)} with the parameters' sizes known: each value copied in place. */
    private static KernelArgs pack(CudaFunction function, long[] sizes, long argv) throws CudaException {
        KernelArgs args = function.newArgs();
        if (sizes.length == 0) return args;
        if (argv == 0) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE,
                    function.name() + " takes " + sizes.length + " parameters; the argument array is NULL");
        }
        MemorySegment vector = MemorySegment.ofAddress(argv).reinterpret(8L * sizes.length);
        for (int i = 0; i < sizes.length; i++) {
            long p = vector.getAtIndex(ValueLayout.JAVA_LONG, i);
            if (p == 0) {
                throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE,
                        "argument " + i + " of " + function.name() + " is a NULL pointer");
            }
            args.add(MemorySegment.ofAddress(p).reinterpret(sizes[i]));
        }
        return args;
    }

    /**
     * The arguments of a launch from a packed buffer ({@code cuLaunchKernel}'s {@code extra} with
     * {@code CU_LAUNCH_PARAM_BUFFER_POINTER}): each parameter at its offset in CUDA's parameter layout.
     */
    static KernelArgs packBuffer(CudaFunction function, long buffer, long size) throws CudaException {
        KernelArgs args = function.newArgs();
        List<Param> params = args.function().params();
        int needed = params.isEmpty() ? 0 : args.function().paramBufferSize();
        if (size < needed || (needed > 0 && buffer == 0)) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, function.name() + " needs a " + needed
                    + "-byte parameter buffer; got " + size + " bytes at 0x" + Long.toHexString(buffer));
        }
        if (needed == 0) return args;
        MemorySegment b = MemorySegment.ofAddress(buffer).reinterpret(size);
        for (Param p : params) {
            args.add(b.asSlice(p.offset(), p.size()).toArray(ValueLayout.JAVA_BYTE));
        }
        return args;
    }

    /** cudaDeviceReset: kernels resolved in destroyed contexts are forgotten with them. */
    void forget(CudaContext context) {
        resolved.values().removeIf(r -> r.context() == context);
    }
}
