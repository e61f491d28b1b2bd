package org.transcuda.ptx.fatbin;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * One entry of a fat binary: a PTX module, a SASS cubin (ELF) or LTO IR for one architecture, with its payload.
 * The header fields are read and checked when the fat binary is parsed; a compressed payload is decompressed on
 * the first call of {@link #payload()} or {@link #ptx()} (which may therefore throw {@link FatBinaryException}) and
 * kept. See {@link FatBinary} for the layout.
 */
public final class Entry {

    /** What an entry holds (the {@code kind} field of its header). */
    public enum Kind {
        /** PTX text (kind 1). */
        PTX,
        /** A SASS cubin, an ELF file (kind 2). Transcuda cannot run SASS and ignores these. */
        ELF,
        /** NVVM IR for link-time optimisation, from {@code -gencode code=lto_NN} (kind 8). Ignored. */
        LTO_IR,
        /** Any other kind code; see {@link #kindCode()}. Ignored. */
        OTHER
    }

    /** Which devices the code targets, beyond its architecture number (header flags 0x100000 and 0x200000). */
    public enum Variant {
        /** Plain {@code compute_NN} / {@code sm_NN}: that architecture and every newer one. */
        GENERIC(""),
        /** {@code compute_NNa}: exactly that architecture (arch-specific features such as wgmma). */
        ARCH_SPECIFIC("a"),
        /** {@code compute_NNf}: that architecture and newer ones of the same major version (family features). */
        FAMILY("f");

        private final String suffix;

        Variant(String suffix) {
            this.suffix = suffix;
        }

        /** The suffix nvcc writes after the architecture number: "", "a" or "f". */
        public String suffix() {
            return suffix;
        }
    }

    /** How the payload is stored (header flags 0x2000 and 0x8000). */
    public enum Compression {
        /** Stored as is. */
        NONE,
        /** One raw LZ4 block (no frame), nvcc's {@code --compress-mode=speed}. */
        LZ4,
        /** One Zstandard frame, nvcc 13's default and its {@code size}, {@code balance} and {@code -compress-all}. */
        ZSTD
    }

    private final int index;
    private final long offset;
    private final int kindCode;
    private final Kind kind;
    private final int smArch;
    private final Variant variant;
    private final int ptxMajor;
    private final int ptxMinor;
    private final long flags;
    private final Compression compression;
    private final String identifier;
    private final String options;
    private final byte[] data;
    private final int payloadOffset;
    private final int storedSize;
    private final long uncompressedSize;
    private volatile byte[] decompressed;
    private volatile String text;

    Entry(int index, long offset, int kindCode, int smArch, Variant variant, int ptxMajor, int ptxMinor, long flags,
            Compression compression, String identifier, String options, byte[] data, int payloadOffset,
            int storedSize, long uncompressedSize) {
        this.index = index;
        this.offset = offset;
        this.kindCode = kindCode;
        this.kind = switch (kindCode) {
            case 1 -> Kind.PTX;
            case 2 -> Kind.ELF;
            case 8 -> Kind.LTO_IR;
            default -> Kind.OTHER;
        };
        this.smArch = smArch;
        this.variant = variant;
        this.ptxMajor = ptxMajor;
        this.ptxMinor = ptxMinor;
        this.flags = flags;
        this.compression = compression;
        this.identifier = identifier;
        this.options = options;
        this.data = data;
        this.payloadOffset = payloadOffset;
        this.storedSize = storedSize;
        this.uncompressedSize = uncompressedSize;
    }

    /** Position of the entry in its fat binary, from 0. */
    public int index() {
        return index;
    }

    /** Byte offset of the entry's header from the start of the fat binary (0 for a bare PTX image). */
    public long offset() {
        return offset;
    }

    /** What the entry holds. */
    public Kind kind() {
        return kind;
    }

    /** The raw kind code of the header (1 PTX, 2 ELF, 8 LTO IR). */
    public int kindCode() {
        return kindCode;
    }

    /** The architecture number, e.g. 80 for {@code compute_80} / {@code sm_80}; 0 when unknown. */
    public int smArch() {
        return smArch;
    }

    /** Generic, arch-specific ({@code a}) or family ({@code f}) code. */
    public Variant variant() {
        return variant;
    }

    /** The PTX ISA major version of a PTX entry (9 for {@code .version 9.0}); 0 when unknown. */
    public int ptxMajor() {
        return ptxMajor;
    }

    /** The PTX ISA minor version of a PTX entry. */
    public int ptxMinor() {
        return ptxMinor;
    }

    /** The header's flags word (0x1 64-bit, 0x2 debug, 0x10 Linux host, compression and variant bits). */
    public long flags() {
        return flags;
    }

    /** Whether the code was built with {@code -G} (header flag 0x2). */
    public boolean debug() {
        return (flags & FatBinary.FLAG_DEBUG) != 0;
    }

    /** How the payload is stored. */
    public Compression compression() {
        return compression;
    }

    /** Whether the payload is stored compressed. */
    public boolean compressed() {
        return compression != Compression.NONE;
    }

    /** The identifier string of the header (nvcc puts the source file name there for {@code -G}), or "". */
    public String identifier() {
        return identifier;
    }

    /**
     * The ptxas options recorded for the entry (e.g. {@code -O1} from {@code -Xptxas -O1}, or
     * {@code -g --dont-merge-basicblocks --return-at-end} for {@code -G}), as stored, or "".
     */
    public String options() {
        return options;
    }

    /** The number of payload bytes as stored in the image (compressed size, or the padded size if uncompressed). */
    public int storedSize() {
        return storedSize;
    }

    /**
     * The size of the payload once decompressed: the header's uncompressed-size field for a compressed entry
     * (which counts the PTX text's terminating NUL), else the stored size.
     */
    public long size() {
        return compressed() ? uncompressedSize : storedSize;
    }

    /** {@code compute_80}, {@code compute_90a}, {@code sm_80}: how nvcc names the entry's architecture. */
    public String archName() {
        return (kind == Kind.ELF ? "sm_" : kind == Kind.LTO_IR ? "lto_" : "compute_") + smArch + variant.suffix();
    }

    /**
     * The payload, decompressed: for a PTX entry the text followed by its NUL terminator (and, when stored
     * uncompressed, the NUL padding to 8 bytes). A fresh copy on each call.
     *
     * @throws FatBinaryException (MALFORMED) when the compressed payload cannot be decompressed
     */
    public byte[] payload() {
        return decompressed().clone();
    }

    /**
     * The PTX text of a PTX entry: the payload up to its first NUL, decoded as UTF-8 (PTX is ASCII).
     *
     * @throws FatBinaryException (MALFORMED) when the compressed payload cannot be decompressed
     * @throws IllegalStateException when this is not a PTX entry
     */
    public String ptx() {
        if (kind != Kind.PTX) {
            throw new IllegalStateException(describe() + " is not PTX");
        }
        String t = text;
        if (t == null) {
            byte[] p = decompressed();
            int end = 0;
            while (end < p.length && p[end] != 0) {
                end++;
            }
            t = new String(p, 0, end, StandardCharsets.UTF_8);
            text = t;
        }
        return t;
    }

    private byte[] decompressed() {
        byte[] d = decompressed;
        if (d == null) {
            long at = payloadOffset;
            d = switch (compression) {
                case NONE -> Arrays.copyOfRange(data, payloadOffset, payloadOffset + storedSize);
                case LZ4 -> Decompression.lz4(data, payloadOffset, storedSize, (int) uncompressedSize, at);
                case ZSTD -> Decompression.zstd(data, payloadOffset, storedSize, (int) uncompressedSize, at);
            };
            decompressed = d;
        }
        return d;
    }

    /** E.g. {@code entry 1 (compute_80 PTX, Zstd-compressed)}. */
    public String describe() {
        String what = switch (kind) {
            case PTX -> "PTX";
            case ELF -> "SASS";
            case LTO_IR -> "LTO IR";
            case OTHER -> "kind " + kindCode;
        };
        String how = switch (compression) {
            case NONE -> "";
            case LZ4 -> ", LZ4-compressed";
            case ZSTD -> ", Zstd-compressed";
        };
        return String.format(Locale.ROOT, "entry %d (%s %s%s)", index, archName(), what, how);
    }

    @Override
    public String toString() {
        return describe();
    }
}
