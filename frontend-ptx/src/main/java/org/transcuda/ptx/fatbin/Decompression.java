package org.transcuda.ptx.fatbin;

import io.airlift.compress.lz4.Lz4Decompressor;
import io.airlift.compress.zstd.ZstdDecompressor;

/**
 * Decompresses entry payloads with aircompressor's pure-Java LZ4 and Zstandard decoders. The output buffer is
 * allocated at the size the entry header declares, which {@link FatBinary} has already bounded by what the
 * compressed size can possibly expand to ({@link #maxExpansion}); any failure of the decoders (they throw
 * unchecked exceptions on corrupt input) becomes a {@link FatBinaryException}.
 */
final class Decompression {

    /**
     * An LZ4 block expands at most about 255-fold: beyond a 15-byte match length, each further input byte adds at
     * most 255 bytes of match.
     */
    static final int LZ4_MAX_RATIO = 256;

    /**
     * A Zstandard block expands at most 32768-fold: every block has a 3-byte header and at least one byte of
     * content and decodes to at most 128 KiB.
     */
    static final int ZSTD_MAX_RATIO = 32768;

    private Decompression() {
    }

    /** The largest size {@code compressedSize} bytes can decompress to. */
    static long maxExpansion(Entry.Compression compression, long compressedSize) {
        return switch (compression) {
            case NONE -> compressedSize;
            case LZ4 -> compressedSize * LZ4_MAX_RATIO + 64;
            case ZSTD -> compressedSize * ZSTD_MAX_RATIO;
        };
    }

    static byte[] lz4(byte[] in, int offset, int length, int size, long at) {
        byte[] out = new byte[size];
        int n;
        try {
            n = new Lz4Decompressor().decompress(in, offset, length, out, 0, size);
        } catch (RuntimeException e) {
            throw corrupt(at, "LZ4", e);
        }
        if (n != size) {
            throw FatBinaryException.malformed(at, "LZ4 payload decompresses to 0x%x bytes, the entry header says 0x%x",
                    n, size);
        }
        return out;
    }

    static byte[] zstd(byte[] in, int offset, int length, int size, long at) {
        long frameSize;
        try {
            frameSize = ZstdDecompressor.getDecompressedSize(in, offset, length);
        } catch (RuntimeException e) {
            throw corrupt(at, "Zstd", e);
        }
        if (frameSize >= 0 && frameSize != size) {
            throw FatBinaryException.malformed(at,
                    "Zstd frame declares 0x%x decompressed bytes, the entry header says 0x%x", frameSize, size);
        }
        byte[] out = new byte[size];
        int n;
        try {
            n = new ZstdDecompressor().decompress(in, offset, length, out, 0, size);
        } catch (RuntimeException e) {
            throw corrupt(at, "Zstd", e);
        }
        if (n != size) {
            throw FatBinaryException.malformed(at,
                    "Zstd payload decompresses to 0x%x bytes, the entry header says 0x%x", n, size);
        }
        return out;
    }

    private static FatBinaryException corrupt(long at, String algorithm, RuntimeException e) {
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new FatBinaryException(FatBinaryException.Kind.MALFORMED, at,
                "corrupt " + algorithm + "-compressed payload: " + why, e);
    }
}
