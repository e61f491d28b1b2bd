package org.transcuda.launcher.nativeabi;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.CudaContext;
import org.transcuda.cuda.CudaException;
import org.transcuda.cuda.CudaRuntime;
import org.transcuda.cuda.CudaRuntimeException;
import org.transcuda.cuda.CudaStream;
import org.transcuda.cuda.PointerAttributes;
import org.transcuda.cuda.cudaError;

/**
 * Copies of native programs that the runtime API of the Java platform has no single call for: asynchronous
 * copies with CUDA's rules for pageable host memory, and copies to and from module variables (symbols).
 */
final class Copies {
    private Copies() {
    }

    /** Whether {@code pointer} is in a device allocation of {@code context}. */
    static boolean isDevice(CudaContext context, long pointer) throws CudaException {
        return memoryType(context, pointer) == PointerAttributes.MemoryType.DEVICE;
    }

    /** Whether {@code pointer} is in page-locked host memory of {@code context}. */
    static boolean isPinned(CudaContext context, long pointer) throws CudaException {
        return memoryType(context, pointer) == PointerAttributes.MemoryType.HOST;
    }

    private static PointerAttributes.MemoryType memoryType(CudaContext context, long pointer) throws CudaException {
        try {
            return context.pointerAttributes(pointer).memoryType();
        } catch (CudaException e) {
            if (e.result() == CUresult.CUDA_ERROR_NOT_FOUND) return null;
            throw e;
        }
    }

    /** A cudaMemcpyKind with cudaMemcpyDefault resolved from the pointers. */
    static int kind(CudaContext context, long dst, long src, int kind) throws CudaException, CudaRuntimeException {
        if (kind == CudaRuntime.DEFAULT) {
            boolean d = isDevice(context, dst);
            boolean s = isDevice(context, src);
            return s ? (d ? CudaRuntime.DEVICE_TO_DEVICE : CudaRuntime.DEVICE_TO_HOST)
                    : (d ? CudaRuntime.HOST_TO_DEVICE : CudaRuntime.HOST_TO_HOST);
        }
        if (kind < CudaRuntime.HOST_TO_HOST || kind > CudaRuntime.DEFAULT) {
            throw new CudaRuntimeException(cudaError.cudaErrorInvalidMemcpyDirection, "cudaMemcpyKind " + kind, null);
        }
        return kind;
    }

    static MemorySegment host(long address, long count) throws CudaException {
        if (address == 0) throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, "NULL host pointer");
        return MemorySegment.ofAddress(address).reinterpret(count);
    }

    /**
     * An asynchronous copy on {@code stream}. As in CUDA, the copy is asynchronous only with page-locked host
     * memory: a pageable source is staged (the program may reuse it once the call returns) and a copy into pageable
     * memory has completed when the call returns.
     */
    static void copyAsync(CudaContext context, CudaStream stream, long dst, long src, long count, int kind)
            throws CudaException, CudaRuntimeException {
        if (count < 0) throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, "count " + Long.toUnsignedString(count));
        int k = kind(context, dst, src, kind);
        if (count == 0) return;
        switch (k) {
            case CudaRuntime.HOST_TO_DEVICE -> stream.memcpyHtoDAsync(dst, source(context, src, count));
            case CudaRuntime.DEVICE_TO_HOST -> {
                stream.memcpyDtoHAsync(host(dst, count), src);
                if (!isPinned(context, dst)) stream.synchronize();
            }
            case CudaRuntime.DEVICE_TO_DEVICE -> stream.memcpyDtoDAsync(dst, src, count);
            default -> {
                MemorySegment from = source(context, src, count);
                MemorySegment to = host(dst, count);
                stream.launchHostFunc(() -> MemorySegment.copy(from, 0, to, 0, count));
                if (!isPinned(context, dst)) stream.synchronize();
            }
        }
    }

    /** A host source of an asynchronous copy: pinned memory as it is, pageable memory staged. */
    private static MemorySegment source(CudaContext context, long src, long count) throws CudaException {
        MemorySegment s = host(src, count);
        if (isPinned(context, src)) return s;
        MemorySegment staged = Arena.ofAuto().allocate(count, 16);
        MemorySegment.copy(s, 0, staged, 0, count);
        return staged;
    }

    /** The device address of a module variable, checked for {@code count} bytes at {@code offset}. */
    static long symbolRange(long[] global, long count, long offset) throws CudaRuntimeException {
        if (count < 0 || offset < 0 || Long.compareUnsigned(offset + count, global[1]) > 0 || offset + count < 0) {
            throw new CudaRuntimeException(cudaError.cudaErrorInvalidValue, Long.toUnsignedString(count)
                    + " bytes at offset " + Long.toUnsignedString(offset) + " of a " + global[1] + "-byte symbol", null);
        }
        return global[0] + offset;
    }
}
