package org.transcuda.launcher.nativeabi;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.CudaContext;
import org.transcuda.cuda.CudaException;
import org.transcuda.cuda.Memcpy3D;

/**
 * Reads a {@code CUDA_MEMCPY3D} (cuMemcpy3D_v2 and cuMemcpy3DAsync_v2) into the API's {@link Memcpy3D}: pure
 * marshalling, at the offsets native/check/header_check.c verifies against cuda.h.
 */
final class Driver3D {
    /** sizeof(CUDA_MEMCPY3D). */
    static final long SIZE = 200;
    /** CUmemorytype. */
    private static final int HOST = 1, DEVICE = 2, ARRAY = 3, UNIFIED = 4;
    /** Offsets of the source side; the destination's are {@link #DST} further. */
    private static final long X = 0, Y = 8, Z = 16, MEMORY_TYPE = 32, HOST_PTR = 40, DEVICE_PTR = 48, ARRAY_PTR = 56,
            PITCH = 72, HEIGHT = 80;
    private static final long DST = 88;
    private static final long WIDTH_IN_BYTES = 176, ROWS = 184, DEPTH = 192;

    private Driver3D() {
    }

    /** One side: a host segment (offsets count from its start) or a device pointer. */
    private record Side(MemorySegment host, long device) {
    }

    static Memcpy3D read(CudaContext context, MemorySegment p) throws CudaException {
        long width = p.get(ValueLayout.JAVA_LONG, WIDTH_IN_BYTES);
        long height = p.get(ValueLayout.JAVA_LONG, ROWS);
        long depth = p.get(ValueLayout.JAVA_LONG, DEPTH);
        Side src = side(context, p, 0, width, height, depth, "source");
        Side dst = side(context, p, DST, width, height, depth, "destination");
        return new Memcpy3D(p.get(ValueLayout.JAVA_LONG, X), p.get(ValueLayout.JAVA_LONG, Y),
                p.get(ValueLayout.JAVA_LONG, Z), src.host(), src.device(), p.get(ValueLayout.JAVA_LONG, PITCH),
                p.get(ValueLayout.JAVA_LONG, HEIGHT), p.get(ValueLayout.JAVA_LONG, DST + X),
                p.get(ValueLayout.JAVA_LONG, DST + Y), p.get(ValueLayout.JAVA_LONG, DST + Z), dst.host(), dst.device(),
                p.get(ValueLayout.JAVA_LONG, DST + PITCH), p.get(ValueLayout.JAVA_LONG, DST + HEIGHT), width, height,
                depth);
    }

    private static Side side(CudaContext context, MemorySegment p, long base, long width, long height, long depth,
            String what) throws CudaException {
        int type = p.get(ValueLayout.JAVA_INT, base + MEMORY_TYPE);
        long pointer;
        boolean host;
        switch (type) {
            case HOST -> {
                pointer = p.get(ValueLayout.JAVA_LONG, base + HOST_PTR);
                host = true;
            }
            case DEVICE -> {
                pointer = p.get(ValueLayout.JAVA_LONG, base + DEVICE_PTR);
                host = false;
            }
            case UNIFIED -> {
                // A unified pointer is read from the device pointer field and is either kind of memory.
                pointer = p.get(ValueLayout.JAVA_LONG, base + DEVICE_PTR);
                host = !Copies.isDevice(context, pointer);
            }
            case ARRAY -> throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE,
                    "CUDA arrays are not supported (cuMemcpy3D " + what + " 0x"
                            + Long.toHexString(p.get(ValueLayout.JAVA_LONG, base + ARRAY_PTR)) + ")");
            default -> throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE,
                    "cuMemcpy3D " + what + " memory type " + type);
        }
        if (!host) return new Side(null, pointer);
        if (pointer == 0) throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, "NULL host " + what);
        // The host memory the copy touches: from the side's start to the end of its last row.
        long span = 0;
        if (width > 0 && height > 0 && depth > 0) {
            long x = p.get(ValueLayout.JAVA_LONG, base + X);
            long y = p.get(ValueLayout.JAVA_LONG, base + Y);
            long z = p.get(ValueLayout.JAVA_LONG, base + Z);
            long pitch = p.get(ValueLayout.JAVA_LONG, base + PITCH);
            long rows = p.get(ValueLayout.JAVA_LONG, base + HEIGHT);
            try {
                long lastRow = Math.addExact(Math.multiplyExact(z + depth - 1, rows), y + height - 1);
                span = Math.addExact(Math.multiplyExact(lastRow, pitch), x + width);
            } catch (ArithmeticException e) {
                throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, "cuMemcpy3D " + what + " out of range");
            }
            if (span < 0) throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, "cuMemcpy3D " + what + " out of range");
        }
        return new Side(MemorySegment.ofAddress(pointer).reinterpret(span), 0);
    }
}
