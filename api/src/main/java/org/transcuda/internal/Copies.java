package org.transcuda.internal;

import java.lang.foreign.MemorySegment;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.CudaException;
import org.transcuda.cuda.Memcpy3D;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendStream;

/** 2D and 3D copies (cuMemcpy2D/3D and their async forms) as row copies on a backend stream. */
final class Copies {
    private Copies() {
    }

    static Memcpy3D from2D(MemorySegment dstHost, long dst, long dstPitch, MemorySegment srcHost, long src,
            long srcPitch, long widthBytes, long height) {
        return new Memcpy3D(0, 0, 0, srcHost, src, srcPitch, height, 0, 0, 0, dstHost, dst, dstPitch, height,
                widthBytes, height, 1);
    }

    /** CUDA's argument rules for a 3D copy: CUDA_ERROR_INVALID_VALUE when violated. */
    static void check(Memcpy3D c) throws CudaException {
        if (c == null) throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, "no copy description");
        if (c.widthInBytes() < 0 || c.height() < 0 || c.depth() < 0 || c.srcXInBytes() < 0 || c.srcY() < 0
                || c.srcZ() < 0 || c.dstXInBytes() < 0 || c.dstY() < 0 || c.dstZ() < 0) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, "negative extent or offset in " + c);
        }
        boolean rows = c.height() > 1 || c.depth() > 1 || c.srcY() > 0 || c.srcZ() > 0;
        if (rows && c.srcPitch() < c.srcXInBytes() + c.widthInBytes()) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, "source pitch " + c.srcPitch()
                    + " is less than x offset + width (" + (c.srcXInBytes() + c.widthInBytes()) + ")");
        }
        rows = c.height() > 1 || c.depth() > 1 || c.dstY() > 0 || c.dstZ() > 0;
        if (rows && c.dstPitch() < c.dstXInBytes() + c.widthInBytes()) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, "destination pitch " + c.dstPitch()
                    + " is less than x offset + width (" + (c.dstXInBytes() + c.widthInBytes()) + ")");
        }
        boolean slices = c.depth() > 1 || c.srcZ() > 0 || c.dstZ() > 0;
        if (slices && (c.srcHeight() < c.srcY() + c.height() || c.dstHeight() < c.dstY() + c.height())) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, "slice heights (source " + c.srcHeight()
                    + ", destination " + c.dstHeight() + ") must cover the row offset + height");
        }
    }

    private static long offset(long x, long y, long z, long pitch, long sliceHeight) {
        return Math.addExact(Math.multiplyExact(Math.addExact(Math.multiplyExact(z, sliceHeight), y), pitch), x);
    }

    private static MemorySegment slice(MemorySegment host, long offset, long bytes) throws BackendException {
        if (offset < 0 || offset + bytes > host.byteSize()) {
            throw new BackendException(CUresult.CUDA_ERROR_INVALID_VALUE, "host range [" + offset + ", +" + bytes
                    + ") is outside the " + host.byteSize() + "-byte host buffer");
        }
        return host.asSlice(offset, bytes);
    }

    /** Enqueues the copy's rows on {@code stream}; host ranges are checked before anything is queued. */
    static void enqueue(ContextImpl context, BackendStream stream, Memcpy3D c) throws BackendException {
        long w = c.widthInBytes();
        if (w == 0 || c.height() == 0 || c.depth() == 0) return;
        int rows = Math.toIntExact(c.height() * c.depth());
        MemorySegment[] srcRows = new MemorySegment[rows];
        MemorySegment[] dstRows = new MemorySegment[rows];
        long[] srcAddr = new long[rows];
        long[] dstAddr = new long[rows];
        int i = 0;
        for (long z = 0; z < c.depth(); z++) {
            for (long y = 0; y < c.height(); y++, i++) {
                long so = offset(c.srcXInBytes(), c.srcY() + y, c.srcZ() + z, c.srcPitch(), c.srcHeight());
                long d0 = offset(c.dstXInBytes(), c.dstY() + y, c.dstZ() + z, c.dstPitch(), c.dstHeight());
                if (c.srcHost() != null) srcRows[i] = slice(c.srcHost(), so, w);
                else srcAddr[i] = c.srcDevice() + so;
                if (c.dstHost() != null) dstRows[i] = slice(c.dstHost(), d0, w);
                else dstAddr[i] = c.dstDevice() + d0;
            }
        }
        if (c.srcHost() != null && c.dstHost() != null) {
            stream.enqueueHostCallback(() -> {
                for (int r = 0; r < rows; r++) dstRows[r].copyFrom(srcRows[r]);
            });
            return;
        }
        for (int r = 0; r < rows; r++) {
            if (c.srcHost() != null) stream.copyHostToDevice(dstAddr[r], srcRows[r]);
            else if (c.dstHost() != null) stream.copyDeviceToHost(dstRows[r], srcAddr[r]);
            else stream.copyDeviceToDevice(dstAddr[r], srcAddr[r], w);
        }
    }
}
