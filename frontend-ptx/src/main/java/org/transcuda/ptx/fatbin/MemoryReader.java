package org.transcuda.ptx.fatbin;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Locale;
import java.util.Objects;

/**
 * Reads bytes at raw addresses: how the fat binary reader follows the pointers that the C side hands over
 * ({@code __cudaRegisterFatBinary(void *wrapper)}, {@code cuModuleLoadData(const void *image)}) and the data
 * pointer inside a fat binary wrapper.
 *
 * <p>The reader never asks for more than the image needs: it reads headers first and sizes its later reads from
 * them, and reads NUL-terminated PTX text in pieces that never cross a 4 KiB page boundary past the terminating
 * NUL, so a reader over all of a process's memory only touches pages the image lies on.
 */
@FunctionalInterface
public interface MemoryReader {

    /**
     * Copies {@code length} bytes starting at {@code address} into {@code dst[offset .. offset + length)}.
     *
     * @throws FatBinaryException (kind {@link FatBinaryException.Kind#MALFORMED}) when the range is not readable
     */
    void read(long address, byte[] dst, int offset, int length);

    /**
     * A reader over a memory segment whose bytes lie at the segment's own addresses: byte {@code i} of the segment
     * is at address {@code segment.address() + i}. For raw pointers from native code, pass a segment over all of
     * memory ({@code MemorySegment.NULL.reinterpret(Long.MAX_VALUE)}, a restricted method); reading a bad pointer
     * through it then faults as it would in C.
     */
    static MemoryReader of(MemorySegment segment) {
        Objects.requireNonNull(segment, "segment");
        long base = segment.address();
        long size = segment.byteSize();
        return (address, dst, offset, length) -> {
            long rel = address - base;
            if (rel < 0 || length < 0 || rel > size - length) {
                throw unreadable(address, length);
            }
            MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, rel, dst, offset, length);
        };
    }

    /** A reader over {@code bytes} laid out at {@code baseAddress} (e.g. a section of an executable file). */
    static MemoryReader of(long baseAddress, byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        return (address, dst, offset, length) -> {
            long rel = address - baseAddress;
            if (rel < 0 || length < 0 || rel > bytes.length - (long) length) {
                throw unreadable(address, length);
            }
            System.arraycopy(bytes, (int) rel, dst, offset, length);
        };
    }

    /** The exception a reader throws for a range it cannot read. */
    static FatBinaryException unreadable(long address, int length) {
        return new FatBinaryException(FatBinaryException.Kind.MALFORMED, -1,
                String.format(Locale.ROOT, "cannot read 0x%x bytes at address 0x%x", length, address));
    }
}
