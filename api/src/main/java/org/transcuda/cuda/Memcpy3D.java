package org.transcuda.cuda;

import java.lang.foreign.MemorySegment;

/**
 * A 3D copy ({@code CUDA_MEMCPY3D} without arrays): {@code depth} slices of {@code height} rows of
 * {@code widthInBytes} bytes. Each side is host memory when its segment is non-null (offsets then count
 * from the segment's start), else device memory at its device pointer. Byte offset of (x, y, z) on a side:
 * {@code ((z + zOrigin) * heightOfSlice + (y + yOrigin)) * pitch + xInBytes}. CUDA requires
 * {@code pitch >= xInBytes + widthInBytes} when more than one row is copied and
 * {@code heightOfSlice >= yOrigin + height} when more than one slice is; violations are
 * CUDA_ERROR_INVALID_VALUE.
 *
 * @param srcXInBytes  source x offset in bytes
 * @param srcY         source row offset
 * @param srcZ         source slice offset
 * @param srcHost      source host memory, or null for device memory
 * @param srcDevice    source device pointer (when {@code srcHost} is null)
 * @param srcPitch     source row pitch in bytes
 * @param srcHeight    source rows per slice
 * @param dstXInBytes  destination x offset in bytes
 * @param dstY         destination row offset
 * @param dstZ         destination slice offset
 * @param dstHost      destination host memory, or null for device memory
 * @param dstDevice    destination device pointer (when {@code dstHost} is null)
 * @param dstPitch     destination row pitch in bytes
 * @param dstHeight    destination rows per slice
 * @param widthInBytes bytes per row
 * @param height       rows per slice
 * @param depth        slices
 */
public record Memcpy3D(long srcXInBytes, long srcY, long srcZ, MemorySegment srcHost, long srcDevice, long srcPitch,
        long srcHeight, long dstXInBytes, long dstY, long dstZ, MemorySegment dstHost, long dstDevice, long dstPitch,
        long dstHeight, long widthInBytes, long height, long depth) {

    /** A copy between the origins of two pitched volumes. */
    public static Memcpy3D of(MemorySegment srcHost, long srcDevice, long srcPitch, long srcHeight,
            MemorySegment dstHost, long dstDevice, long dstPitch, long dstHeight, long widthInBytes, long height,
            long depth) {
        return new Memcpy3D(0, 0, 0, srcHost, srcDevice, srcPitch, srcHeight, 0, 0, 0, dstHost, dstDevice, dstPitch,
                dstHeight, widthInBytes, height, depth);
    }
}
