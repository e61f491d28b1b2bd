package org.transcuda.launcher.nativeabi;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongBinaryOperator;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.transcuda.cuda.CUdevice_attribute;
import org.transcuda.cuda.CUfunction_attribute;
import org.transcuda.cuda.CUlimit;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.Cuda;
import org.transcuda.cuda.CudaContext;
import org.transcuda.cuda.CudaDevice;
import org.transcuda.cuda.CudaException;
import org.transcuda.cuda.CudaFunction;
import org.transcuda.cuda.CudaModule;
import org.transcuda.cuda.CudaRuntime;
import org.transcuda.cuda.CudaRuntimeException;
import org.transcuda.cuda.CudaStream;
import org.transcuda.cuda.Dim3;
import org.transcuda.cuda.FuncAttributes;
import org.transcuda.cuda.KernelArgs;
import org.transcuda.cuda.Memcpy3D;
import org.transcuda.cuda.cudaError;
import org.transcuda.ptx.fatbin.FatBinary;
import org.transcuda.ptx.fatbin.FatBinaryException;
import org.transcuda.ptx.fatbin.PtxSelection;

/**
 * Decodes each native call's argument block (native/functions.txt) and calls the Java CUDA API: the runtime
 * functions on {@link CudaRuntime}, the driver functions on {@link Cuda} and its contexts and devices. Returns
 * the cudaError_t or CUresult code the C function returns. Registered for {@link NativeBridge}, outside the
 * framework, as a {@link LongBinaryOperator} {@code (function, argBlock) -> code}.
 */
@Component(service = LongBinaryOperator.class, property = "transcuda.native=dispatcher")
public final class Dispatcher implements LongBinaryOperator {
    private static final int SUCCESS = 0;
    private static final int INVALID_VALUE = 1; // cudaErrorInvalidValue, CUDA_ERROR_INVALID_VALUE
    /** cudaErrorNotReady and CUDA_ERROR_NOT_READY: a query's answer, not an error (never the last error). */
    private static final int NOT_READY = 600;
    /** cudaDeviceMapHost: host memory is always mapped (the backends' memory is host memory or shared). */
    private static final int DEVICE_MAP_HOST = 0x08;

    @Reference
    private CudaRuntime runtime;
    @Reference
    private Cuda cuda;

    private final Registry registry = new Registry();
    private final Launches launches = new Launches();
    private final Contexts contexts = new Contexts();
    private final Streams streams = new Streams();
    private final Handles<DriverModule> modules = new Handles<>(0x7c0de3000000L);
    private final Handles<DriverFunction> functions = new Handles<>(0x7c0de4000000L);

    /** A module loaded by cuModuleLoadData, in its context. */
    private record DriverModule(CudaContext context, CudaModule module, Map<String, Long> functions) {
    }

    /** A function of a driver module. */
    private record DriverFunction(CudaContext context, CudaFunction function) {
    }

    private final Trace trace = Trace.fromEnvironment();
    /**
     * The calling thread's last runtime error as native code sees it: every failing runtime call, including the
     * ones that fail here before reaching {@link CudaRuntime} (null pointers, launches).
     */
    private final ThreadLocal<int[]> lastError = ThreadLocal.withInitial(() -> new int[1]);
    private final Map<Integer, Integer> deviceFlags = new ConcurrentHashMap<>();
    /** cuInit was called, or the runtime (which initializes the driver implicitly) was used. */
    private volatile boolean driverInitialized;

    @Override
    public long applyAsLong(long function, long argBlock) {
        int fn = (int) function;
        Args args = new Args(argBlock);
        Trace t = trace;
        long start = t == null ? 0 : t.now();
        int result;
        if (fn < 100) {
            result = runtimeCall(fn, args);
        } else if (fn < 200) {
            result = driverCall(fn, args);
        } else {
            result = internalCall(fn, args);
        }
        if (t != null) t.log(fn, args, result, start, t.now());
        return result;
    }

    // ---------------------------------------------------------------- runtime API

    private int runtimeCall(int fn, Args a) {
        // The runtime initializes the driver on its first API call (not on the registrations made at load time).
        if ((fn < Fn.__cudaRegisterFatBinary || fn > Fn.cudaLaunchKernel) && !driverInitialized) driverInitialized = true;
        int code;
        try {
            code = runtime(fn, a);
        } catch (CudaRuntimeException e) {
            code = e.error().code();
        } catch (CudaException e) {
            code = CudaRuntimeException.map(e.result()).code();
        } catch (Args.NullPointer e) {
            code = cudaError.cudaErrorInvalidValue.code();
        }
        if (code != SUCCESS && code != NOT_READY && fn != Fn.cudaGetLastError && fn != Fn.cudaPeekAtLastError) {
            lastError.get()[0] = code;
        }
        return code;
    }

    private int runtime(int fn, Args a) throws CudaRuntimeException, CudaException, Args.NullPointer {
        switch (fn) {
            case Fn.cudaGetDeviceCount -> {
                Args.requireNonNull(a.get(0));
                Args.putInt(a.get(0), runtime.getDeviceCount());
            }
            case Fn.cudaSetDevice -> runtime.setDevice(a.i32(0));
            case Fn.cudaGetDevice -> Args.putInt(a.get(0), runtime.getDevice());
            case Fn.cudaDeviceGetAttribute -> {
                Args.requireNonNull(a.get(0));
                CUdevice_attribute attribute = CUdevice_attribute.of(a.i32(1)).orElseThrow(
                        () -> runtimeError(cudaError.cudaErrorInvalidValue, "unknown device attribute " + a.i32(1)));
                Args.putInt(a.get(0), runtime.deviceGetAttribute(attribute, a.i32(2)));
            }
            case Fn.cudaGetDeviceProperties -> deviceProperties(a);
            case Fn.cudaSetDeviceFlags -> deviceFlags.put(runtime.getDevice(), a.i32(0));
            case Fn.cudaGetDeviceFlags -> {
                Args.requireNonNull(a.get(0));
                Args.putInt(a.get(0), deviceFlags.getOrDefault(runtime.getDevice(), 0) | DEVICE_MAP_HOST);
            }
            case Fn.cudaMalloc -> {
                Args.requireNonNull(a.get(0));
                Args.putLong(a.get(0), runtime.malloc(size(a.get(1))));
            }
            case Fn.cudaFree -> runtime.free(a.get(0));
            case Fn.cudaMallocHost, Fn.cudaHostAlloc -> {
                Args.requireNonNull(a.get(0));
                Args.putLong(a.get(0), runtime.mallocHost(size(a.get(1))));
            }
            case Fn.cudaFreeHost -> runtime.freeHost(a.get(0));
            case Fn.cudaMemcpy -> runtime.memcpy(a.get(0), a.get(1), count(a.get(2)), a.i32(3));
            case Fn.cudaMemset -> runtime.memset(a.get(0), a.i32(1), count(a.get(2)));
            case Fn.cudaMemGetInfo -> {
                Args.requireNonNull(a.get(0));
                Args.requireNonNull(a.get(1));
                long[] info = runtime.memGetInfo();
                Args.putLong(a.get(0), info[0]);
                Args.putLong(a.get(1), info[1]);
            }
            case Fn.cudaDeviceSynchronize -> runtime.deviceSynchronize();
            case Fn.cudaDeviceReset -> runtime.deviceReset();
            case Fn.cudaGetLastError -> {
                int[] own = lastError.get();
                int mine = own[0];
                own[0] = SUCCESS;
                int theirs = runtime.getLastError().code(); // resets the runtime's record too
                return mine != SUCCESS ? mine : theirs;
            }
            case Fn.cudaPeekAtLastError -> {
                int mine = lastError.get()[0];
                return mine != SUCCESS ? mine : runtime.peekAtLastError().code();
            }
            case Fn.cudaRuntimeGetVersion -> Args.putInt(a.get(0), runtime.runtimeGetVersion());
            case Fn.cudaDriverGetVersion -> Args.putInt(a.get(0), runtime.driverGetVersion());
            case Fn.__cudaRegisterFatBinary -> registry.registerFatBinary(a.get(0), a.get(1));
            case Fn.__cudaRegisterFatBinaryEnd -> registry.endFatBinary(a.get(0));
            case Fn.__cudaUnregisterFatBinary -> registry.unregisterFatBinary(a.get(0));
            case Fn.__cudaRegisterFunction ->
                registry.registerFunction(a.get(0), a.get(1), Args.cString(a.get(3)), a.i32(4));
            case Fn.__cudaRegisterVar, Fn.__cudaRegisterManagedVar ->
                registry.registerVariable(a.get(0), a.get(1), Args.cString(a.get(3)), a.get(5), a.i32(6) != 0,
                        a.i32(7) != 0, a.i32(4) != 0, fn == Fn.__cudaRegisterManagedVar);
            case Fn.__cudaGetKernel -> {
                Args.requireNonNull(a.get(0));
                Registry.Kernel k = registry.kernelByHostFunction(a.get(1)).orElseThrow(() -> runtimeError(
                        cudaError.cudaErrorInvalidDeviceFunction, "no kernel registered at 0x" + Long.toHexString(a.get(1))));
                Args.putLong(a.get(0), k.id());
            }
            case Fn.__cudaLaunchKernel, Fn.cudaLaunchKernel -> {
                Optional<Registry.Kernel> k = fn == Fn.cudaLaunchKernel ? registry.kernelByHostFunction(a.get(0))
                        : registry.kernelById(a.get(0));
                if (k.isEmpty()) {
                    throw runtimeError(fn == Fn.cudaLaunchKernel ? notAKernel(a.get(0))
                            : cudaError.cudaErrorInvalidDeviceFunction, "no kernel 0x" + Long.toHexString(a.get(0)));
                }
                Dim3 grid = dim3(a.get(1), a.get(2));
                Dim3 block = dim3(a.get(3), a.get(4));
                CudaContext c = context();
                CudaStream s = streams.stream(c, a.get(7));
                onStream(s, a.get(7), k.get().deviceName(), "kernel",
                        () -> launches.launch(c, k.get(), grid, block, a.get(5), a.get(6), s));
            }
            case Fn.cudaLaunchKernelExC -> {
                // cudaLaunchConfig_t: dim3 gridDim at 0, dim3 blockDim at 12, size_t dynamicSmemBytes at 24,
                // cudaStream_t stream at 32, attrs at 40, unsigned numAttrs at 48 (native/check verifies them).
                MemorySegment config = Args.memory(a.get(0), 56);
                Registry.Kernel k = registry.kernelByHostFunction(a.get(1)).orElseThrow(() -> runtimeError(
                        notAKernel(a.get(1)), "no kernel 0x" + Long.toHexString(a.get(1))));
                int attributes = config.get(ValueLayout.JAVA_INT, 48);
                if (attributes != 0) {
                    throw runtimeError(cudaError.cudaErrorNotSupported,
                            "launch attributes are not supported (" + attributes + " given)");
                }
                Dim3 grid = dim3(config.get(ValueLayout.JAVA_LONG_UNALIGNED, 0), config.get(ValueLayout.JAVA_INT, 8));
                Dim3 block = dim3(config.get(ValueLayout.JAVA_INT, 12) & 0xffffffffL
                        | (long) config.get(ValueLayout.JAVA_INT, 16) << 32, config.get(ValueLayout.JAVA_INT, 20));
                long shared = config.get(ValueLayout.JAVA_LONG, 24);
                long handle = config.get(ValueLayout.JAVA_LONG, 32);
                long argv = a.get(2);
                CudaContext c = context();
                CudaStream s = streams.stream(c, handle);
                onStream(s, handle, k.deviceName(), "kernel", () -> launches.launch(c, k, grid, block, argv, shared, s));
            }
            case Fn.cudaStreamCreate -> {
                Args.requireNonNull(a.get(0));
                CudaContext c = context();
                Args.putLong(a.get(0), streams.add(c, runtime.streamCreateWithPriority(a.i32(1), a.i32(2))));
            }
            case Fn.cudaStreamDestroy -> {
                context();
                streams.destroy(a.get(0));
            }
            case Fn.cudaStreamSynchronize -> stream(a.get(0)).synchronize();
            case Fn.cudaStreamQuery -> {
                if (!stream(a.get(0)).query()) return NOT_READY;
            }
            case Fn.cudaStreamWaitEvent -> stream(a.get(0)).waitEvent(streams.event(a.get(1)).event());
            case Fn.cudaEventCreate -> {
                Args.requireNonNull(a.get(0));
                CudaContext c = context();
                Args.putLong(a.get(0), streams.addEvent(c, runtime.eventCreate(a.i32(1))));
            }
            case Fn.cudaEventDestroy -> streams.destroyEvent(a.get(0));
            case Fn.cudaEventRecord -> {
                Streams.Event e = streams.event(a.get(0));
                e.event().record(streams.stream(e.context(), a.get(1)));
            }
            case Fn.cudaEventSynchronize -> streams.event(a.get(0)).event().synchronize();
            case Fn.cudaEventQuery -> {
                if (!streams.event(a.get(0)).event().query()) return NOT_READY;
            }
            case Fn.cudaEventElapsedTime -> {
                Args.requireNonNull(a.get(0));
                Streams.Event start = streams.event(a.get(1));
                Streams.Event end = streams.event(a.get(2));
                Args.putInt(a.get(0), Float.floatToRawIntBits(runtime.eventElapsedTime(start.event(), end.event())));
            }
            case Fn.cudaMemcpyAsync -> {
                CudaContext c = context();
                CudaStream s = streams.stream(c, a.get(4));
                long n = count(a.get(2));
                onStream(s, a.get(4), "memcpy " + n + " B", "stream-copy",
                        () -> Copies.copyAsync(c, s, a.get(0), a.get(1), n, a.i32(3)));
            }
            case Fn.cudaMemsetAsync -> {
                CudaContext c = context();
                CudaStream s = streams.stream(c, a.get(3));
                long n = count(a.get(2));
                onStream(s, a.get(3), "memset " + n + " B", "stream-copy",
                        () -> s.memsetAsync(a.get(0), a.i32(1) & 0xff, 1, n));
            }
            case Fn.cudaMemcpyToSymbol -> symbolCopy(true, a.get(0), a.get(1), a.get(2), a.get(3), a.i32(4), a.get(5),
                    a.i32(6) != 0);
            case Fn.cudaMemcpyFromSymbol -> symbolCopy(false, a.get(1), a.get(0), a.get(2), a.get(3), a.i32(4),
                    a.get(5), a.i32(6) != 0);
            case Fn.cudaLaunchHostFunc -> {
                if (a.get(1) == 0) throw runtimeError(cudaError.cudaErrorInvalidValue, "NULL host function");
                CudaStream s = stream(a.get(0));
                if (a.i32(3) == 0) runtime.launchHostFunc(s, HostCalls.hostFunction(a.get(1), a.get(2)));
                else runtime.streamAddCallback(s, HostCalls.streamCallback(a.get(1), a.get(0), a.get(2), false));
            }
            case Fn.cudaGetSymbolAddress -> {
                Args.requireNonNull(a.get(0));
                Args.putLong(a.get(0), global(a.get(1))[0]);
            }
            case Fn.cudaGetSymbolSize -> {
                Args.requireNonNull(a.get(0));
                Args.putLong(a.get(0), global(a.get(1))[1]);
            }
            case Fn.cudaStreamGetPriority -> {
                Args.requireNonNull(a.get(1));
                Args.putInt(a.get(1), runtime.streamGetPriority(stream(a.get(0))));
            }
            case Fn.cudaStreamGetFlags -> {
                Args.requireNonNull(a.get(1));
                Args.putInt(a.get(1), runtime.streamGetFlags(stream(a.get(0))));
            }
            case Fn.cudaDeviceGetStreamPriorityRange -> {
                int[] range = runtime.deviceGetStreamPriorityRange();
                if (a.get(0) != 0) Args.putInt(a.get(0), range[0]);
                if (a.get(1) != 0) Args.putInt(a.get(1), range[1]);
            }
            case Fn.cudaFuncGetAttributes -> {
                MemorySegment out = Args.memory(a.get(0), FUNC_ATTRIBUTES_SIZE);
                putFuncAttributes(out, runtime.funcGetAttributes(kernelFunction(a.get(1))));
            }
            case Fn.cudaFuncSetAttribute -> {
                // cudaFuncAttribute numbers its settable attributes as CUfunction_attribute does (8, 9, ...).
                CUfunction_attribute attribute = CUfunction_attribute.of(a.i32(1)).orElseThrow(
                        () -> runtimeError(cudaError.cudaErrorInvalidValue, "unknown function attribute " + a.i32(1)));
                runtime.funcSetAttribute(kernelFunction(a.get(0)), attribute, a.i32(2));
            }
            case Fn.cudaFuncSetCacheConfig -> runtime.funcSetCacheConfig(kernelFunction(a.get(0)), a.i32(1));
            case Fn.cudaOccupancyMaxActiveBlocksPerMultiprocessor -> {
                Args.requireNonNull(a.get(0));
                occupancyFlags(a.i32(4));
                Args.putInt(a.get(0), runtime.occupancyMaxActiveBlocksPerMultiprocessor(kernelFunction(a.get(1)),
                        a.i32(2), count(a.get(3))));
            }
            case Fn.cudaOccupancyAvailableDynamicSMemPerBlock -> {
                Args.requireNonNull(a.get(0));
                Args.putLong(a.get(0), runtime.occupancyAvailableDynamicSMemPerBlock(kernelFunction(a.get(1)),
                        a.i32(2), a.i32(3)));
            }
            case Fn.cudaMallocManaged -> {
                Args.requireNonNull(a.get(0));
                Args.putLong(a.get(0), runtime.mallocManaged(size(a.get(1)), a.i32(2)));
            }
            case Fn.cudaMallocPitch -> {
                Args.requireNonNull(a.get(0));
                Args.requireNonNull(a.get(1));
                long[] pitched = runtime.mallocPitch(size(a.get(2)), size(a.get(3)));
                Args.putLong(a.get(0), pitched[0]);
                Args.putLong(a.get(1), pitched[1]);
            }
            case Fn.cudaMallocAsync -> {
                Args.requireNonNull(a.get(0));
                Args.putLong(a.get(0), runtime.mallocAsync(size(a.get(1)), stream(a.get(2))));
            }
            case Fn.cudaFreeAsync -> runtime.freeAsync(a.get(0), stream(a.get(1)));
            case Fn.cudaMemcpy3D -> memcpy3D(a.get(0), a.get(1), a.i32(2) != 0);
            case Fn.cudaDeviceGetLimit -> {
                Args.requireNonNull(a.get(0));
                Args.putLong(a.get(0), runtime.deviceGetLimit(runtimeLimit(a.i32(1))));
            }
            case Fn.cudaDeviceSetLimit -> runtime.deviceSetLimit(runtimeLimit(a.i32(0)), a.get(1));
            default -> throw runtimeError(cudaError.cudaErrorNotSupported, "unknown runtime function " + fn);
        }
        return SUCCESS;
    }

    @FunctionalInterface
    private interface StreamOp {
        void run() throws CudaException, CudaRuntimeException;
    }

    /**
     * Enqueues work on a stream; when tracing, host callbacks queued before and after it time it on the stream's
     * track.
     */
    private void onStream(CudaStream stream, long handle, String name, String category, StreamOp op)
            throws CudaException, CudaRuntimeException {
        Trace t = trace;
        if (t == null) {
            op.run();
            return;
        }
        long[] start = {0};
        stream.launchHostFunc(() -> start[0] = t.now());
        op.run();
        String label = Streams.isDefault(handle) ? "default stream" : "stream 0x" + Long.toHexString(handle);
        stream.launchHostFunc(() -> t.streamSpan(stream, label, name, category, start[0], t.now()));
    }

    /** The runtime's context: the driver context current on the thread, else the current device's primary context. */
    private CudaContext context() throws CudaRuntimeException {
        return runtime.currentContext();
    }

    private CudaStream stream(long handle) throws CudaRuntimeException, CudaException {
        return streams.stream(context(), handle);
    }

    /** {device address, size} of a registered variable in the runtime's context. */
    private long[] global(long symbol) throws CudaRuntimeException, CudaException {
        Registry.Variable v = registry.variableByHostAddress(symbol).orElseThrow(() -> runtimeError(
                cudaError.cudaErrorInvalidSymbol, "no __device__ or __constant__ variable at 0x" + Long.toHexString(symbol)));
        try {
            return launches.module(context(), v.binary()).global(v.deviceName());
        } catch (CudaException e) {
            if (e.result() != CUresult.CUDA_ERROR_NOT_FOUND) throw e;
            throw new CudaRuntimeException(cudaError.cudaErrorInvalidSymbol, e.getMessage(), e);
        }
    }

    /**
     * cudaMemcpyToSymbol(Async) ({@code toSymbol}, {@code other} the source) and cudaMemcpyFromSymbol(Async)
     * ({@code other} the destination): the symbol is device memory, the other side host or device memory.
     */
    private void symbolCopy(boolean toSymbol, long symbol, long other, long count, long offset, int kind, long stream,
            boolean async) throws CudaRuntimeException, CudaException {
        long address = Copies.symbolRange(global(symbol), count, offset);
        CudaContext c = context();
        int k = kind;
        if (k == CudaRuntime.DEFAULT) {
            boolean device = Copies.isDevice(c, other);
            k = device ? CudaRuntime.DEVICE_TO_DEVICE : toSymbol ? CudaRuntime.HOST_TO_DEVICE : CudaRuntime.DEVICE_TO_HOST;
        }
        int hostKind = toSymbol ? CudaRuntime.HOST_TO_DEVICE : CudaRuntime.DEVICE_TO_HOST;
        if (k != hostKind && k != CudaRuntime.DEVICE_TO_DEVICE) {
            throw runtimeError(cudaError.cudaErrorInvalidMemcpyDirection, "cudaMemcpyKind " + kind + " with a symbol");
        }
        long dst = toSymbol ? address : other;
        long src = toSymbol ? other : address;
        if (async) {
            Copies.copyAsync(c, streams.stream(c, stream), dst, src, count, k);
        } else if (count == 0) {
            return;
        } else if (k == CudaRuntime.DEVICE_TO_DEVICE) {
            c.memcpyDtoD(dst, src, count);
        } else if (toSymbol) {
            c.memcpyHtoD(dst, Copies.host(src, count));
        } else {
            c.memcpyDtoH(Copies.host(dst, count), src);
        }
    }

    /** sizeof(struct cudaFuncAttributes) in CUDA 13 (native/check verifies it and the offsets written here). */
    private static final long FUNC_ATTRIBUTES_SIZE = 144;

    /**
     * cudaFuncAttributes: size_t sharedSizeBytes at 0, constSizeBytes at 8, localSizeBytes at 16; ints
     * maxThreadsPerBlock at 24, numRegs 28, ptxVersion 32, binaryVersion 36, cacheModeCA 40,
     * maxDynamicSharedSizeBytes 44, preferredShmemCarveout 48; the cluster fields and the rest stay 0.
     */
    private static void putFuncAttributes(MemorySegment out, FuncAttributes f) {
        out.fill((byte) 0);
        out.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, f.sharedSizeBytes());
        out.set(ValueLayout.JAVA_LONG_UNALIGNED, 8, f.constSizeBytes());
        out.set(ValueLayout.JAVA_LONG_UNALIGNED, 16, f.localSizeBytes());
        out.set(ValueLayout.JAVA_INT_UNALIGNED, 24, f.maxThreadsPerBlock());
        out.set(ValueLayout.JAVA_INT_UNALIGNED, 28, f.numRegs());
        out.set(ValueLayout.JAVA_INT_UNALIGNED, 32, f.ptxVersion());
        out.set(ValueLayout.JAVA_INT_UNALIGNED, 36, f.binaryVersion());
        out.set(ValueLayout.JAVA_INT_UNALIGNED, 40, f.cacheModeCA());
        out.set(ValueLayout.JAVA_INT_UNALIGNED, 44, f.maxDynamicSharedSizeBytes());
        out.set(ValueLayout.JAVA_INT_UNALIGNED, 48, f.preferredShmemCarveout());
    }

    /** The function of a registered kernel (by its host stub) in the runtime's context. */
    private CudaFunction kernelFunction(long hostFunction) throws CudaRuntimeException, CudaException {
        Registry.Kernel k = registry.kernelByHostFunction(hostFunction).orElseThrow(() -> runtimeError(
                notAKernel(hostFunction), "no kernel registered at 0x" + Long.toHexString(hostFunction)));
        return launches.function(context(), k);
    }

    /**
     * The error for a kernel pointer (cudaLaunchKernel, cudaFuncGetAttributes, ...) that is no registered kernel, as
     * CUDA 13 on an H100 answers: NULL is cudaErrorInvalidDeviceFunction, any other pointer (a host function, say)
     * cudaErrorInvalidResourceHandle.
     */
    static cudaError notAKernel(long pointer) {
        return pointer == 0 ? cudaError.cudaErrorInvalidDeviceFunction : cudaError.cudaErrorInvalidResourceHandle;
    }

    /** cudaOccupancyDefault (0) and cudaOccupancyDisableCachingOverride (1); CU_OCCUPANCY_* have the same values. */
    private static void occupancyFlags(int flags) throws CudaRuntimeException {
        if (flags != 0 && flags != 1) throw runtimeError(cudaError.cudaErrorInvalidValue, "occupancy flags " + flags);
    }

    /** cudaLimit numbers its limits as CUlimit does; a number that is no limit at all is an invalid value. */
    private static CUlimit runtimeLimit(int code) throws CudaRuntimeException {
        return CUlimit.of(code).orElseThrow(() -> runtimeError(cudaError.cudaErrorInvalidValue, "limit " + code));
    }

    /**
     * cudaMemcpy3D(Async): cudaMemcpy3DParms read at srcArray 0, srcPos 8 (x, y, z: size_t), srcPtr 32
     * (cudaPitchedPtr: ptr, pitch, xsize, ysize), dstArray 64, dstPos 72, dstPtr 96, extent 128 (width, height,
     * depth), kind 152 (native/check verifies the offsets). CUDA arrays do not exist here.
     */
    private void memcpy3D(long parms, long stream, boolean async) throws CudaRuntimeException, CudaException,
            Args.NullPointer {
        MemorySegment p = Args.memory(parms, 160);
        if (p.get(ValueLayout.JAVA_LONG, 0) != 0 || p.get(ValueLayout.JAVA_LONG, 64) != 0) {
            throw runtimeError(cudaError.cudaErrorInvalidValue, "CUDA arrays are not supported (cudaMemcpy3D with an array)");
        }
        long[] srcPos = {p.get(ValueLayout.JAVA_LONG, 8), p.get(ValueLayout.JAVA_LONG, 16), p.get(ValueLayout.JAVA_LONG, 24)};
        long[] dstPos = {p.get(ValueLayout.JAVA_LONG, 72), p.get(ValueLayout.JAVA_LONG, 80), p.get(ValueLayout.JAVA_LONG, 88)};
        CudaRuntime.PitchedPtr src = new CudaRuntime.PitchedPtr(p.get(ValueLayout.JAVA_LONG, 32),
                p.get(ValueLayout.JAVA_LONG, 40), p.get(ValueLayout.JAVA_LONG, 48), p.get(ValueLayout.JAVA_LONG, 56));
        CudaRuntime.PitchedPtr dst = new CudaRuntime.PitchedPtr(p.get(ValueLayout.JAVA_LONG, 96),
                p.get(ValueLayout.JAVA_LONG, 104), p.get(ValueLayout.JAVA_LONG, 112), p.get(ValueLayout.JAVA_LONG, 120));
        long[] extent = {p.get(ValueLayout.JAVA_LONG, 128), p.get(ValueLayout.JAVA_LONG, 136), p.get(ValueLayout.JAVA_LONG, 144)};
        int kind = p.get(ValueLayout.JAVA_INT, 152);
        if (async) runtime.memcpy3DAsync(dst, dstPos, src, srcPos, extent, kind, stream(stream));
        else runtime.memcpy3D(dst, dstPos, src, srcPos, extent, kind);
    }

    /** cudaGetDeviceProperties: the attributes the C side lists, the name, the UUID and the memory size. */
    private void deviceProperties(Args a) throws CudaRuntimeException, CudaException, Args.NullPointer {
        int device = a.i32(0);
        int count = a.i32(2);
        int available = runtime.getDeviceCount();
        if (device < 0 || device >= available) {
            throw runtimeError(cudaError.cudaErrorInvalidDevice, "device " + device + " of " + available);
        }
        MemorySegment attributes = Args.memory(a.get(1), 4L * count);
        MemorySegment values = Args.memory(a.get(3), 4L * count);
        for (int i = 0; i < count; i++) {
            Optional<CUdevice_attribute> attribute = CUdevice_attribute.of(attributes.getAtIndex(ValueLayout.JAVA_INT, i));
            int value = attribute.isPresent() ? runtime.deviceGetAttribute(attribute.get(), device) : 0;
            values.setAtIndex(ValueLayout.JAVA_INT, i, value);
        }
        CudaDevice d = cuda.device(device);
        Args.putCString(a.get(4), a.get(5), d.name());
        putUuid(a.get(6), d.uuid());
        Args.putLong(a.get(7), d.totalMemory());
    }

    private static void putUuid(long address, UUID uuid) throws Args.NullPointer {
        MemorySegment out = Args.memory(address, 16);
        out.set(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), 0, uuid.getMostSignificantBits());
        out.set(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), 8, uuid.getLeastSignificantBits());
    }

    private static CudaRuntimeException runtimeError(cudaError error, String message) {
        return new CudaRuntimeException(error, message, null);
    }

    /** An allocation size: beyond 2^63 bytes no allocation can succeed. */
    private static long size(long bytes) throws CudaRuntimeException {
        if (bytes < 0) throw runtimeError(cudaError.cudaErrorMemoryAllocation, "cannot allocate " + Long.toUnsignedString(bytes));
        return bytes;
    }

    private static long count(long bytes) throws CudaRuntimeException {
        if (bytes < 0) throw runtimeError(cudaError.cudaErrorInvalidValue, "count " + Long.toUnsignedString(bytes));
        return bytes;
    }

    /** A dim3 packed as xy = x | y << 32 and z; a zero dimension is an invalid value (CUDA 13's code for it). */
    private static Dim3 dim3(long xy, long z) throws CudaRuntimeException {
        int x = (int) xy;
        int y = (int) (xy >>> 32);
        int zz = (int) z;
        if (x <= 0 || y <= 0 || zz <= 0) {
            throw runtimeError(cudaError.cudaErrorInvalidValue, "dimensions (" + Integer.toUnsignedString(x)
                    + "," + Integer.toUnsignedString(y) + "," + Integer.toUnsignedString(zz) + ")");
        }
        return new Dim3(x, y, zz);
    }

    // ---------------------------------------------------------------- driver API

    private int driverCall(int fn, Args a) {
        try {
            if (!driverInitialized && fn != Fn.cuInit && fn != Fn.cuDriverGetVersion) {
                throw new CudaException(CUresult.CUDA_ERROR_NOT_INITIALIZED, "cuInit has not been called");
            }
            driver(fn, a);
            return SUCCESS;
        } catch (CudaException e) {
            return e.result().code();
        } catch (Args.NullPointer e) {
            return CUresult.CUDA_ERROR_INVALID_VALUE.code();
        }
    }

    private CudaContext current() throws CudaException {
        return cuda.currentContext().orElseThrow(
                () -> new CudaException(CUresult.CUDA_ERROR_INVALID_CONTEXT, "no context is current"));
    }

    private static CudaException invalidValue(String message) {
        return new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, message);
    }

    private void driver(int fn, Args a) throws CudaException, Args.NullPointer {
        switch (fn) {
            case Fn.cuInit -> {
                if (a.i32(0) != 0) throw invalidValue("cuInit flags must be 0");
                cuda.deviceCount(); // CUDA_ERROR_NO_DEVICE, with the reason, when no backend can serve
                driverInitialized = true;
            }
            case Fn.cuDriverGetVersion -> Args.putInt(a.get(0), cuda.driverVersion());
            case Fn.cuDeviceGetCount -> {
                Args.requireNonNull(a.get(0));
                Args.putInt(a.get(0), cuda.deviceCount());
            }
            case Fn.cuDeviceGet -> {
                Args.requireNonNull(a.get(0));
                Args.putInt(a.get(0), cuda.device(a.i32(1)).ordinal());
            }
            case Fn.cuDeviceGetName -> {
                Args.requireNonNull(a.get(0));
                if (a.i32(1) <= 0) throw invalidValue("length " + a.i32(1));
                Args.putCString(a.get(0), a.i32(1), cuda.device(a.i32(2)).name());
            }
            case Fn.cuDeviceTotalMem -> {
                Args.requireNonNull(a.get(0));
                Args.putLong(a.get(0), cuda.device(a.i32(1)).totalMemory());
            }
            case Fn.cuDeviceGetAttribute -> {
                Args.requireNonNull(a.get(0));
                CUdevice_attribute attribute = CUdevice_attribute.of(a.i32(1))
                        .orElseThrow(() -> invalidValue("unknown device attribute " + a.i32(1)));
                Args.putInt(a.get(0), cuda.device(a.i32(2)).attribute(attribute));
            }
            case Fn.cuDeviceGetUuid -> {
                Args.requireNonNull(a.get(0));
                putUuid(a.get(0), cuda.device(a.i32(1)).uuid());
            }
            case Fn.cuCtxCreate -> {
                Args.requireNonNull(a.get(0));
                CudaContext c = cuda.device(a.i32(2)).createContext();
                cuda.pushCurrentContext(c);
                Args.putLong(a.get(0), contexts.handle(c));
            }
            case Fn.cuCtxDestroy -> {
                CudaContext c = contexts.context(a.get(0));
                c.close();
                if (cuda.currentContext().orElse(null) == c) cuda.popCurrentContext();
                contexts.forget(a.get(0));
            }
            case Fn.cuCtxGetCurrent -> {
                Args.requireNonNull(a.get(0));
                Args.putLong(a.get(0), contexts.handle(cuda.currentContext().orElse(null)));
            }
            case Fn.cuCtxSetCurrent -> cuda.setCurrentContext(a.get(0) == 0 ? null : contexts.context(a.get(0)));
            case Fn.cuCtxPushCurrent -> cuda.pushCurrentContext(contexts.context(a.get(0)));
            case Fn.cuCtxPopCurrent -> {
                CudaContext c = cuda.popCurrentContext();
                if (a.get(0) != 0) Args.putLong(a.get(0), contexts.handle(c));
            }
            case Fn.cuCtxGetDevice -> {
                Args.requireNonNull(a.get(0));
                Args.putInt(a.get(0), current().device().ordinal());
            }
            case Fn.cuCtxSynchronize -> current().synchronize();
            case Fn.cuCtxGetApiVersion -> {
                Args.requireNonNull(a.get(1));
                if (a.get(0) == 0) current();
                else contexts.context(a.get(0));
                Args.putInt(a.get(1), cuda.driverVersion());
            }
            case Fn.cuMemAlloc -> {
                Args.requireNonNull(a.get(0));
                if (a.get(1) == 0) throw invalidValue("cuMemAlloc of 0 bytes");
                if (a.get(1) < 0) {
                    throw new CudaException(CUresult.CUDA_ERROR_OUT_OF_MEMORY,
                            "cannot allocate " + Long.toUnsignedString(a.get(1)) + " bytes");
                }
                Args.putLong(a.get(0), current().malloc(a.get(1)));
            }
            case Fn.cuMemFree -> current().free(a.get(0));
            case Fn.cuMemcpyHtoD -> current().memcpyHtoD(a.get(0), hostMemory(a.get(1), a.get(2)));
            case Fn.cuMemcpyDtoH -> current().memcpyDtoH(hostMemory(a.get(0), a.get(2)), a.get(1));
            case Fn.cuMemcpyDtoD -> current().memcpyDtoD(a.get(0), a.get(1), driverCount(a.get(2)));
            case Fn.cuMemsetD8 -> current().memsetD8(a.get(0), (byte) a.get(1), driverCount(a.get(2)));
            case Fn.cuMemsetD16 -> current().memsetD16(a.get(0), (short) a.get(1), driverCount(a.get(2)));
            case Fn.cuMemsetD32 -> current().memsetD32(a.get(0), (int) a.get(1), driverCount(a.get(2)));
            case Fn.cuMemGetInfo -> {
                Args.requireNonNull(a.get(0));
                Args.requireNonNull(a.get(1));
                long[] info = current().memoryInfo();
                Args.putLong(a.get(0), info[0]);
                Args.putLong(a.get(1), info[1]);
            }
            case Fn.cuMemAllocHost -> {
                Args.requireNonNull(a.get(0));
                Args.putLong(a.get(0), current().mallocHost(a.get(1)).address());
            }
            case Fn.cuMemFreeHost -> current().freeHost(MemorySegment.ofAddress(a.get(0)));
            case Fn.cuDevicePrimaryCtxRetain -> {
                Args.requireNonNull(a.get(0));
                Args.putLong(a.get(0), contexts.handle(cuda.device(a.i32(1)).retainPrimaryContext()));
            }
            case Fn.cuDevicePrimaryCtxRelease -> cuda.device(a.i32(0)).releasePrimaryContext();
            case Fn.cuDevicePrimaryCtxReset -> cuda.device(a.i32(0)).resetPrimaryContext();
            case Fn.cuDevicePrimaryCtxGetState -> {
                Args.requireNonNull(a.get(1));
                Args.requireNonNull(a.get(2));
                CudaDevice d = cuda.device(a.i32(0));
                Args.putInt(a.get(1), 0);
                Args.putInt(a.get(2), d.isPrimaryContextActive() ? 1 : 0);
            }
            case Fn.cuModuleLoadData -> {
                Args.requireNonNull(a.get(0));
                Args.requireNonNull(a.get(1));
                CudaContext c = current();
                PtxSelection ptx;
                try {
                    ptx = FatBinary.parseImage(Registry.PROCESS_MEMORY, a.get(1)).selectPtx(Launches.arch(c.device()));
                } catch (FatBinaryException e) {
                    throw new CudaException(e.kind() == FatBinaryException.Kind.NO_PTX
                            ? CUresult.CUDA_ERROR_NO_BINARY_FOR_GPU : CUresult.CUDA_ERROR_INVALID_IMAGE, e.getMessage());
                }
                CudaModule m = c.loadModule("module@0x" + Long.toHexString(a.get(1)), ptx.ptx());
                Args.putLong(a.get(0), modules.add(new DriverModule(c, m, new ConcurrentHashMap<>())));
            }
            case Fn.cuModuleUnload -> {
                DriverModule m = modules.remove(a.get(0));
                if (m == null) throw Streams.invalidHandle("module", a.get(0));
                m.module().close();
            }
            case Fn.cuModuleGetFunction -> {
                Args.requireNonNull(a.get(0));
                DriverModule m = module(a.get(1));
                String name = Args.cString(a.get(2));
                if (name == null) throw invalidValue("NULL function name");
                Long h = m.functions().get(name);
                if (h == null) {
                    h = functions.add(new DriverFunction(m.context(), m.module().function(name)));
                    m.functions().put(name, h);
                }
                Args.putLong(a.get(0), h);
            }
            case Fn.cuModuleGetGlobal -> {
                DriverModule m = module(a.get(2));
                String name = Args.cString(a.get(3));
                if (name == null) throw invalidValue("NULL variable name");
                long[] g = m.module().global(name);
                if (a.get(0) != 0) Args.putLong(a.get(0), g[0]);
                if (a.get(1) != 0) Args.putLong(a.get(1), g[1]);
            }
            case Fn.cuLaunchKernel -> cuLaunchKernel(a);
            case Fn.cuStreamCreate -> {
                Args.requireNonNull(a.get(0));
                CudaContext c = current();
                Args.putLong(a.get(0), streams.add(c, c.createStream(a.i32(1))));
            }
            case Fn.cuStreamDestroy -> streams.destroy(a.get(0));
            case Fn.cuStreamSynchronize -> driverStream(a.get(0)).synchronize();
            case Fn.cuMemcpyHtoDAsync, Fn.cuMemcpyDtoHAsync -> {
                CudaContext c = current();
                boolean toDevice = fn == Fn.cuMemcpyHtoDAsync;
                try {
                    Copies.copyAsync(c, streams.stream(c, a.get(3)), a.get(0), a.get(1), driverCount(a.get(2)),
                            toDevice ? CudaRuntime.HOST_TO_DEVICE : CudaRuntime.DEVICE_TO_HOST);
                } catch (CudaRuntimeException e) {
                    throw invalidValue(e.getMessage());
                }
            }
            case Fn.cuFuncGetAttribute -> {
                Args.requireNonNull(a.get(0));
                Args.putInt(a.get(0), driverFunction(a.get(2)).attribute(functionAttribute(a.i32(1))));
            }
            case Fn.cuFuncSetAttribute -> driverFunction(a.get(0)).setAttribute(functionAttribute(a.i32(1)), a.i32(2));
            case Fn.cuFuncSetCacheConfig -> driverFunction(a.get(0)).setCacheConfig(a.i32(1));
            case Fn.cuOccupancyMaxActiveBlocksPerMultiprocessor -> {
                Args.requireNonNull(a.get(0));
                if (a.i32(4) != 0 && a.i32(4) != 1) throw invalidValue("occupancy flags " + a.i32(4));
                Args.putInt(a.get(0), driverFunction(a.get(1)).maxActiveBlocksPerMultiprocessor(a.i32(2),
                        driverCount(a.get(3))));
            }
            case Fn.cuMemAllocManaged -> {
                Args.requireNonNull(a.get(0));
                Args.putLong(a.get(0), current().mallocManaged(a.get(1), a.i32(2)));
            }
            case Fn.cuMemAllocAsync -> {
                Args.requireNonNull(a.get(0));
                Args.putLong(a.get(0), driverStream(a.get(2)).mallocAsync(a.get(1)));
            }
            case Fn.cuMemFreeAsync -> driverStream(a.get(1)).freeAsync(a.get(0));
            case Fn.cuMemGetAddressRange -> {
                long[] range = current().addressRange(a.get(2));
                if (a.get(0) != 0) Args.putLong(a.get(0), range[0]);
                if (a.get(1) != 0) Args.putLong(a.get(1), range[1]);
            }
            case Fn.cuMemcpy3D -> {
                CudaContext c = current();
                Memcpy3D copy = Driver3D.read(c, Args.memory(a.get(0), Driver3D.SIZE));
                if (a.i32(2) != 0) driverStream(a.get(1)).memcpy3DAsync(copy);
                else c.memcpy3D(copy);
            }
            case Fn.cuCtxGetLimit -> {
                Args.requireNonNull(a.get(0));
                Args.putLong(a.get(0), current().limit(driverLimit(a.i32(1))));
            }
            case Fn.cuCtxSetLimit -> current().setLimit(driverLimit(a.i32(0)), a.get(1));
            case Fn.cuStreamCreateWithPriority -> {
                Args.requireNonNull(a.get(0));
                CudaContext c = current();
                Args.putLong(a.get(0), streams.add(c, c.createStream(a.i32(1), a.i32(2))));
            }
            case Fn.cuStreamGetPriority -> {
                Args.requireNonNull(a.get(1));
                Args.putInt(a.get(1), driverStream(a.get(0)).priority());
            }
            case Fn.cuStreamGetFlags -> {
                Args.requireNonNull(a.get(1));
                Args.putInt(a.get(1), driverStream(a.get(0)).flags());
            }
            case Fn.cuCtxGetStreamPriorityRange -> {
                int[] range = current().streamPriorityRange();
                if (a.get(0) != 0) Args.putInt(a.get(0), range[0]);
                if (a.get(1) != 0) Args.putInt(a.get(1), range[1]);
            }
            case Fn.cuLaunchHostFunc -> {
                if (a.get(1) == 0) throw invalidValue("NULL host function");
                if ((a.get(3) >>> 32) != 0) throw invalidValue("cuStreamAddCallback flags must be 0");
                CudaStream s = driverStream(a.get(0));
                if ((int) a.get(3) == 0) s.launchHostFunc(HostCalls.hostFunction(a.get(1), a.get(2)));
                else s.addCallback(HostCalls.streamCallback(a.get(1), a.get(0), a.get(2), true));
            }
            default -> throw new CudaException(CUresult.CUDA_ERROR_NOT_SUPPORTED, "unknown driver function " + fn);
        }
    }

    /** A driver stream handle: a created stream in its own context, a special handle in the current context. */
    private CudaStream driverStream(long handle) throws CudaException {
        return Streams.isDefault(handle) ? current().specialStream(handle) : streams.entry(handle).stream();
    }

    private CudaFunction driverFunction(long handle) throws CudaException {
        DriverFunction f = functions.get(handle);
        if (f == null) throw Streams.invalidHandle("function", handle);
        return f.function();
    }

    private static CUfunction_attribute functionAttribute(int code) throws CudaException {
        return CUfunction_attribute.of(code).orElseThrow(() -> invalidValue("unknown function attribute " + code));
    }

    /** A number that is no CUlimit at all is CUDA_ERROR_INVALID_VALUE (as CUDA 13 on an H100 answers). */
    private static CUlimit driverLimit(int code) throws CudaException {
        return CUlimit.of(code).orElseThrow(
                () -> new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, "unknown limit " + code));
    }

    private DriverModule module(long handle) throws CudaException {
        DriverModule m = modules.get(handle);
        if (m == null) throw Streams.invalidHandle("module", handle);
        return m;
    }

    /** CU_LAUNCH_PARAM_END, CU_LAUNCH_PARAM_BUFFER_POINTER and CU_LAUNCH_PARAM_BUFFER_SIZE. */
    private static final long PARAM_END = 0, PARAM_BUFFER_POINTER = 1, PARAM_BUFFER_SIZE = 2;
    /** How many entries of {@code extra} are read before it counts as unterminated. */
    private static final int MAX_EXTRA = 64;

    private void cuLaunchKernel(Args a) throws CudaException, Args.NullPointer {
        DriverFunction f = functions.get(a.get(0));
        if (f == null) throw Streams.invalidHandle("function", a.get(0));
        int gx = (int) a.get(1), gy = (int) (a.get(1) >>> 32), bx = (int) a.get(2), by = (int) (a.get(2) >>> 32);
        int gz = (int) a.get(3), bz = (int) (a.get(3) >>> 32);
        if (gx <= 0 || gy <= 0 || gz <= 0 || bx <= 0 || by <= 0 || bz <= 0) {
            throw invalidValue("grid (" + Integer.toUnsignedString(gx) + "," + Integer.toUnsignedString(gy) + ","
                    + Integer.toUnsignedString(gz) + "), block (" + Integer.toUnsignedString(bx) + ","
                    + Integer.toUnsignedString(by) + "," + Integer.toUnsignedString(bz) + ")");
        }
        int shared = a.i32(4);
        if (shared < 0) throw invalidValue("shared memory " + Integer.toUnsignedString(shared));
        CudaStream stream = streams.stream(f.context(), a.get(5));
        long params = a.get(6);
        long extra = a.get(7);
        KernelArgs args;
        if (params != 0 && extra != 0) {
            throw invalidValue("cuLaunchKernel takes kernelParams or extra, not both");
        } else if (extra != 0) {
            long buffer = 0;
            long size = -1;
            MemorySegment e = MemorySegment.ofAddress(extra).reinterpret(8L * MAX_EXTRA);
            int i = 0;
            while (true) {
                if (i + 1 >= MAX_EXTRA) throw invalidValue("extra is not terminated by CU_LAUNCH_PARAM_END");
                long key = e.getAtIndex(ValueLayout.JAVA_LONG, i);
                if (key == PARAM_END) break;
                long value = e.getAtIndex(ValueLayout.JAVA_LONG, i + 1);
                if (key == PARAM_BUFFER_POINTER) {
                    buffer = value;
                } else if (key == PARAM_BUFFER_SIZE) {
                    size = Args.memory(value, 8).get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
                } else {
                    throw invalidValue("unknown extra key 0x" + Long.toHexString(key));
                }
                i += 2;
            }
            if (buffer != 0 && size < 0) throw invalidValue("CU_LAUNCH_PARAM_BUFFER_POINTER without its size");
            args = Launches.packBuffer(f.function(), buffer, Math.max(0, size));
        } else {
            args = Launches.pack(f.function(), params);
        }
        try {
            onStream(stream, a.get(5), f.function().name(), "kernel",
                    () -> stream.launch(f.function(), new Dim3(gx, gy, gz), new Dim3(bx, by, bz), shared, args));
        } catch (CudaRuntimeException e) {
            throw new CudaException(CUresult.CUDA_ERROR_UNKNOWN, e.getMessage(), e); // not thrown by a driver launch
        }
    }

    private static MemorySegment hostMemory(long address, long bytes) throws CudaException, Args.NullPointer {
        return Args.memory(address, driverCount(bytes));
    }

    private static long driverCount(long bytes) throws CudaException {
        if (bytes < 0) throw invalidValue("count " + Long.toUnsignedString(bytes));
        return bytes;
    }

    // ---------------------------------------------------------------- internal

    @FunctionalInterface
    private interface DriverText {
        String get() throws CudaException;
    }

    /** cuGetErrorName/cuGetErrorString's text, or empty for a code the driver does not know. */
    private static Optional<String> driverText(DriverText text) {
        try {
            return Optional.of(text.get());
        } catch (CudaException e) {
            return Optional.empty();
        }
    }

    private int internalCall(int fn, Args a) {
        if (fn != Fn.tcErrorText) return INVALID_VALUE;
        int table = a.i32(0);
        int code = a.i32(1);
        Optional<String> text = switch (table) {
            case 0 -> Optional.of(runtime.getErrorName(code));
            case 1 -> Optional.of(runtime.getErrorString(code));
            case 2 -> driverText(() -> cuda.errorName(code));
            case 3 -> driverText(() -> cuda.errorString(code));
            default -> Optional.empty();
        };
        if (text.isEmpty()) return INVALID_VALUE;
        try {
            Args.putCString(a.get(2), a.get(3), text.get());
        } catch (Args.NullPointer e) {
            return INVALID_VALUE;
        }
        return SUCCESS;
    }
}
