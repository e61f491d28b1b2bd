package org.transcuda.ptx.fatbin;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;
import org.transcuda.ptx.fatbin.FatBinaryException.Kind;

/**
 * A parsed CUDA fat binary: the entries (PTX, SASS, LTO IR for various architectures) of one fat binary container,
 * or a bare PTX or cubin image given to {@code cuModuleLoadData}. Parsing reads and checks every header; PTX
 * payloads are decompressed when asked for ({@link Entry#ptx()}, {@link #selectPtx(int)}). Transcuda only uses
 * PTX; SASS (cubin/ELF) and LTO IR entries are listed but never decoded.
 *
 * <h2>Format</h2>
 * NVIDIA does not document these structures. What follows was verified on the output of nvcc 13.0 (V13.0.88,
 * {@code fatbinary} of the same release) for x86-64 Linux: {@code -fatbin} files, the {@code .nv_fatbin} and
 * {@code .nvFatBinSegment} sections of executables, {@code --keep} intermediates, and fat binaries built with
 * {@code fatbinary --create} from hand-written PTX. All integers are little-endian.
 *
 * <h3>Wrapper</h3>
 * {@code __fatBinC_Wrapper_t} (declared in nvcc's {@code fatbinary_section.h}), 24 bytes, 8-aligned, in section
 * {@code .nvFatBinSegment}; {@code __cudaRegisterFatBinary} receives a pointer to it:
 * <pre>
 * 0x00 u32 magic 0x466243B1
 * 0x04 u32 version: 1 for a compiled unit; 2 for the device-link unit (see below)
 * 0x08 u64 pointer to the fat binary container (in .nv_fatbin; for -rdc units in __nv_relfatbin)
 * 0x10 u64 version 1: 0; version 2: pointer to the array of prelinked fat binaries (__cudaPrelinkedFatbins)
 * </pre>
 * nvcc 13 device-links every executable, with or without {@code -rdc}: besides one version-1 wrapper per
 * translation unit there is a version-2 wrapper whose container holds only SASS ({@code sm_NN} of each
 * {@code code=sm_NN} target) and no PTX; parsing it succeeds and {@link #selectPtx(int)} reports
 * {@link FatBinaryException.Kind#NO_PTX}. The containers of the units lie back to back in {@code .nv_fatbin}
 * (each one's size is a multiple of 8; {@link #parseAll(byte[])} reads such a section).
 *
 * <h3>Container</h3>
 * A 16-byte header followed by the entries, back to back:
 * <pre>
 * 0x00 u32 magic 0xBA55ED50
 * 0x04 u16 version, 1
 * 0x06 u16 header size, 16 (the entries start there)
 * 0x08 u64 size of the entries after the header
 * </pre>
 *
 * <h3>Entry</h3>
 * Each entry is a header of the size its own field gives (0x40 for SASS, 0x50 for PTX, more with strings)
 * followed by the payload:
 * <pre>
 * 0x00 u16 kind: 1 PTX, 2 ELF (SASS cubin), 8 LTO IR (-gencode code=lto_NN)
 * 0x02 u16 0x0101 in every entry seen
 * 0x04 u32 header size; the payload starts at the entry start plus this
 * 0x08 u64 payload size as stored, a multiple of 8 (the next entry follows it)
 * 0x10 u32 compressed size, without the padding to 8 (0 if not compressed)
 * 0x14 u32 header offset of the options descriptor, 0 if none (PTX entries always have one)
 * 0x18 u16 PTX ISA minor version, 0x1A u16 PTX ISA major version (9.0 for nvcc 13.0)
 * 0x1C u32 architecture: 75, 80, 90, 100, 120 ...
 * 0x20 u32 header offset of the identifier string, 0x24 u32 its length (0 and 0 unless, e.g., -G, which
 *          stores the source file name)
 * 0x28 u64 flags: 0x1 64-bit code, 0x2 debug (-G), 0x10 Linux host, 0x2000 LZ4-compressed,
 *          0x8000 Zstd-compressed, 0x100000 arch-specific (compute_90a), 0x200000 family (compute_100f);
 *          sm_100 and newer SASS also carry 0x1000000 (meaning unknown)
 * 0x30 u64 0 in every entry seen
 * 0x38 u64 decompressed size of a compressed payload (counting the PTX text's NUL), 0 if not compressed
 * 0x40 ... strings, each padded to 8: the identifier, the options descriptor (u32 header offset of the
 *          options string, u32 its length; nvcc writes it at 0x40 with length 0 when there are no options),
 *          the ptxas options (e.g. "-O1" for -Xptxas -O1, "--compile-only" for -rdc units,
 *          " -g --dont-merge-basicblocks --return-at-end " for -G)
 * </pre>
 * A PTX payload is the text, NUL-terminated and (when stored uncompressed) NUL-padded to 8 bytes. It is not the
 * text {@code nvcc -ptx} writes: {@code fatbinary} removes comments and indentation and collapses each run of two
 * or more blanks to one space (a lone blank, such as the tab in {@code .loc\t1 4 5}, is kept; string literals are
 * kept). A compressed payload is one raw LZ4 block (no LZ4 frame) or one Zstandard frame (with its content size,
 * without checksum); the header's compressed and decompressed sizes are exact.
 *
 * <h3>Compression</h3>
 * nvcc 13 compresses PTX by default and SASS only when asked:
 * <ul>
 * <li>default (no option), {@code --compress-mode=default} and {@code --compress-mode=balance}: PTX with Zstd,
 *     SASS not compressed (the two modes produce identical bytes);</li>
 * <li>{@code --compress-mode=size}: PTX and SASS with Zstd at a higher level;</li>
 * <li>{@code --compress-mode=speed}: PTX with LZ4, SASS not compressed;</li>
 * <li>{@code -Xfatbin -compress-all}: PTX and SASS with Zstd;</li>
 * <li>{@code --compress-mode=none} and {@code --no-compress}: nothing compressed.</li>
 * </ul>
 *
 * <h2>Robustness</h2>
 * Any input either parses or raises {@link FatBinaryException}; every size field is checked against the bytes
 * actually present before it is used, a declared decompressed size is checked against the most that the
 * compressed size can expand to (and against the Zstandard frame's own content size) before the output is
 * allocated, and no size may exceed {@link #MAX_SIZE}.
 */
public final class FatBinary {

    /** Magic number of a fat binary wrapper ({@code __fatBinC_Wrapper_t}). */
    public static final int WRAPPER_MAGIC = 0x466243B1;
    /** Magic number of a fat binary container. */
    public static final int MAGIC = 0xBA55ED50;
    /** Magic number of an ELF file (a bare cubin), "\x7fELF" read little-endian. */
    static final int ELF_MAGIC = 0x464C457F;
    /** The largest container, PTX text or decompressed payload accepted: 1 GiB. */
    public static final long MAX_SIZE = 1L << 30;

    static final int HEADER_SIZE = 16;
    static final int WRAPPER_SIZE = 24;
    static final int MIN_ENTRY_HEADER = 0x40;
    static final long FLAG_DEBUG = 0x2;
    static final long FLAG_LZ4 = 0x2000;
    static final long FLAG_ZSTD = 0x8000;
    static final long FLAG_ARCH_SPECIFIC = 0x100000;
    static final long FLAG_FAMILY = 0x200000;
    private static final int PAGE = 4096;
    private static final int CHUNK = 1 << 20;

    private static final VarHandle U16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle U32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle U64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** What kind of image was parsed. */
    public enum Format {
        /** A fat binary container (directly, or through a wrapper). */
        FATBIN,
        /** Bare PTX text; its one entry is the text. */
        PTX,
        /** A bare cubin (ELF): SASS only, no entries listed. */
        ELF
    }

    private final Format format;
    private final int version;
    private final long size;
    private final List<Entry> entries;

    private FatBinary(Format format, int version, long size, List<Entry> entries) {
        this.format = format;
        this.version = version;
        this.size = size;
        this.entries = List.copyOf(entries);
    }

    /** What kind of image this is. */
    public Format format() {
        return format;
    }

    /** The container's version (1), or 0 for a bare PTX or cubin image. */
    public int version() {
        return version;
    }

    /**
     * The bytes the image occupies: header plus entries of a container; the text and its NUL of a PTX image; the
     * bytes given of an ELF image from an array, -1 for one read from memory (its size is not needed).
     */
    public long size() {
        return size;
    }

    /** All entries, in image order (PTX, SASS, LTO IR, unknown kinds). */
    public List<Entry> entries() {
        return entries;
    }

    /** The PTX entries, in image order. */
    public List<Entry> ptxEntries() {
        return entries.stream().filter(e -> e.kind() == Entry.Kind.PTX).toList();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Parsing from arrays and segments

    /**
     * Parses the fat binary container at the start of {@code data} (which must begin with {@link #MAGIC}); bytes
     * after the container are ignored. Offsets in errors and in {@link Entry#offset()} are from the start of
     * {@code data}. The container's bytes are copied: later changes to {@code data} do not affect the result.
     */
    public static FatBinary parse(byte[] data) {
        return parseContainer(Objects.requireNonNull(data, "data"), 0);
    }

    /** Like {@link #parse(byte[])}, for the container at the start of a segment (copied out of it). */
    public static FatBinary parse(MemorySegment data) {
        long available = data.byteSize();
        byte[] head = new byte[(int) Math.min(HEADER_SIZE, available)];
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, 0, head, 0, head.length);
        long size = checkHeader(head, 0, available, true);
        return parseContainer(data.asSlice(0, size).toArray(ValueLayout.JAVA_BYTE), 0);
    }

    /**
     * Parses every container of a {@code .nv_fatbin} section: containers back to back, each starting at a multiple
     * of 8; zero bytes after the last are ignored. Errors name the container's offset in the section, then the
     * offset within the container.
     */
    public static List<FatBinary> parseAll(byte[] section) {
        List<FatBinary> out = new ArrayList<>();
        int pos = 0;
        while (pos < section.length) {
            if (section.length - pos < 4 || u32(section, pos) != MAGIC) {
                if (allZero(section, pos)) {
                    break;
                }
            }
            FatBinary fb;
            try {
                fb = parseContainer(section, pos);
            } catch (FatBinaryException e) {
                throw e.within(String.format(Locale.ROOT, "fat binary at offset 0x%x of the section", pos));
            }
            out.add(fb);
            long next = (pos + fb.size() + 7) & ~7L;
            if (next >= section.length) {
                break;
            }
            pos = (int) next;
        }
        return out;
    }

    /**
     * Parses an image as {@code cuModuleLoadData} accepts it from an array: a fat binary container, bare PTX text
     * (starting, after blanks, with {@code //}, {@code /*} or {@code .version}; it ends at the first NUL or the end
     * of the array), or a bare cubin (ELF), which parses to an image without entries. A wrapper cannot be given as
     * an array, since it holds a pointer: use {@link #parseImage(MemoryReader, long)}.
     */
    public static FatBinary parseImage(byte[] image) {
        Objects.requireNonNull(image, "image");
        if (image.length >= 4) {
            int magic = u32(image, 0);
            if (magic == MAGIC) {
                return parse(image);
            }
            if (magic == WRAPPER_MAGIC) {
                throw new FatBinaryException(Kind.UNSUPPORTED, 0, "this is a fat binary wrapper (magic 0x466243b1),"
                        + " which holds a pointer to its fat binary: read it from memory with a MemoryReader");
            }
            if (magic == ELF_MAGIC) {
                return new FatBinary(Format.ELF, 0, image.length, List.of());
            }
        }
        int end = 0;
        while (end < image.length && image[end] != 0) {
            end++;
        }
        if (ptxStart(image, end) != Sniff.YES) {
            throw notAnImage(image, end);
        }
        return ptxImage(image, end, end < image.length);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Parsing from raw memory

    /**
     * Reads the image at {@code address} as {@code cuModuleLoadData} accepts it: a fat binary wrapper, a fat
     * binary container, a bare cubin (ELF; parsed to an image without entries) or NUL-terminated PTX text. Only the
     * bytes the image occupies are read; see {@link MemoryReader}.
     */
    public static FatBinary parseImage(MemoryReader memory, long address) {
        Objects.requireNonNull(memory, "memory");
        String where = String.format(Locale.ROOT, "image at 0x%x", address);
        if (address == 0) {
            throw new FatBinaryException(Kind.MALFORMED, -1, where + ": null pointer");
        }
        int first = (int) Math.min(16, PAGE - (address & (PAGE - 1)));
        byte[] head;
        try {
            head = readBytes(memory, address, first);
        } catch (FatBinaryException e) {
            throw e.within(where);
        }
        if (first >= 4) {
            int magic = u32(head, 0);
            if (magic == WRAPPER_MAGIC) {
                return parseWrapper(memory, address).fatBinary();
            }
            if (magic == MAGIC) {
                return read(memory, address);
            }
            if (magic == ELF_MAGIC) {
                return new FatBinary(Format.ELF, 0, -1, List.of());
            }
        }
        try {
            return readPtxText(memory, address, head);
        } catch (FatBinaryException e) {
            throw e.within(where);
        }
    }

    /**
     * Reads the fat binary wrapper at {@code address} (what {@code __cudaRegisterFatBinary} receives) and the
     * container it points to.
     */
    public static Wrapper parseWrapper(MemoryReader memory, long address) {
        Objects.requireNonNull(memory, "memory");
        String where = String.format(Locale.ROOT, "fat binary wrapper at 0x%x", address);
        if (address == 0) {
            throw new FatBinaryException(Kind.MALFORMED, -1, where + ": null pointer");
        }
        byte[] w;
        try {
            w = readBytes(memory, address, WRAPPER_SIZE);
        } catch (FatBinaryException e) {
            throw e.within(where);
        }
        int magic = u32(w, 0);
        if (magic != WRAPPER_MAGIC) {
            throw FatBinaryException.malformed(0, "not a fat binary wrapper: magic 0x%08x, expected 0x466243b1",
                    magic).within(where);
        }
        int version = u32(w, 4);
        if (version != 1 && version != 2) {
            throw new FatBinaryException(Kind.UNSUPPORTED, 4,
                    "fat binary wrapper version " + Integer.toUnsignedString(version) + "; versions 1 and 2 are known")
                    .within(where);
        }
        long data = u64(w, 8);
        if (data == 0) {
            throw FatBinaryException.malformed(8, "null fat binary pointer").within(where);
        }
        return new Wrapper(address, version, data, u64(w, 16), read(memory, data));
    }

    /** Reads the fat binary container at {@code address}. Offsets in errors are from {@code address}. */
    public static FatBinary read(MemoryReader memory, long address) {
        Objects.requireNonNull(memory, "memory");
        String where = String.format(Locale.ROOT, "fat binary at 0x%x", address);
        if (address == 0) {
            throw new FatBinaryException(Kind.MALFORMED, -1, where + ": null pointer");
        }
        try {
            byte[] head = readBytes(memory, address, HEADER_SIZE);
            long size = checkHeader(head, 0, MAX_SIZE, false);
            // Read in chunks and assemble at the end, so a corrupt size field against a bounded reader fails at the
            // end of the readable range before a buffer of the claimed size is allocated.
            List<byte[]> chunks = new ArrayList<>();
            for (long done = 0; done < size; ) {
                int n = (int) Math.min(CHUNK, size - done);
                chunks.add(readBytes(memory, address + done, n));
                done += n;
            }
            byte[] all = new byte[(int) size];
            int at = 0;
            for (byte[] c : chunks) {
                System.arraycopy(c, 0, all, at, c.length);
                at += c.length;
            }
            return parseContainer(all, 0);
        } catch (FatBinaryException e) {
            throw e.within(where);
        }
    }

    private static FatBinary readPtxText(MemoryReader memory, long address, byte[] head) {
        byte[] buf = head;
        int len = head.length;
        int nul = indexOfNul(head, 0, len);
        long at = address + len;
        Sniff sniff = ptxStart(buf, nul >= 0 ? nul : len);
        while (nul < 0 && sniff != Sniff.NO) {
            if (len >= MAX_SIZE) {
                throw new FatBinaryException(Kind.MALFORMED, -1,
                        "PTX text without a NUL terminator in its first 0x40000000 bytes");
            }
            int n = (int) Math.min(PAGE - (at & (PAGE - 1)), MAX_SIZE - len);
            if (len + n > buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min(MAX_SIZE, Math.max(len + n, 2L * buf.length)));
            }
            byte[] piece = readBytes(memory, at, n);
            System.arraycopy(piece, 0, buf, len, n);
            int i = indexOfNul(buf, len, len + n);
            len += n;
            at += n;
            if (i >= 0) {
                nul = i;
            }
            if (sniff == Sniff.MORE) {
                sniff = ptxStart(buf, nul >= 0 ? nul : len);
            }
        }
        if (sniff != Sniff.YES) {
            throw notAnImage(buf, nul >= 0 ? nul : len);
        }
        return ptxImage(buf, nul, true);
    }

    private static byte[] readBytes(MemoryReader memory, long address, int length) {
        if (Long.compareUnsigned(address + length, address) < 0) {
            throw MemoryReader.unreadable(address, length);
        }
        byte[] b = new byte[length];
        memory.read(address, b, 0, length);
        return b;
    }

    // ---------------------------------------------------------------------------------------------------------
    // The container

    /**
     * Checks the container header at {@code d[start..]} with {@code available} bytes from {@code start} on (or
     * {@link #MAX_SIZE} for memory) and returns the container's size, header included.
     */
    private static long checkHeader(byte[] d, int start, long available, boolean bounded) {
        if (available < HEADER_SIZE || d.length - start < HEADER_SIZE) {
            throw FatBinaryException.malformed(start, "truncated fat binary header: 0x%x bytes, the header has 16",
                    Math.min(available, d.length - start));
        }
        int magic = u32(d, start);
        if (magic != MAGIC) {
            throw FatBinaryException.malformed(start, "not a fat binary: magic 0x%08x, expected 0xba55ed50", magic);
        }
        int version = u16(d, start + 4);
        if (version != 1) {
            throw new FatBinaryException(Kind.UNSUPPORTED, start + 4,
                    "fat binary version " + version + "; only version 1 is known");
        }
        int headerSize = u16(d, start + 6);
        if (headerSize < HEADER_SIZE) {
            throw FatBinaryException.malformed(start + 6, "header size 0x%x is less than 16", headerSize);
        }
        long limit = Math.min(available, MAX_SIZE);
        String end = bounded
                ? String.format(Locale.ROOT, "the end of the data (0x%x bytes)", available)
                : String.format(Locale.ROOT, "the 0x%x-byte limit", MAX_SIZE);
        if (headerSize > limit) {
            throw FatBinaryException.malformed(start + 6, "header size 0x%x runs past %s", headerSize, end);
        }
        long total = u64(d, start + 8);
        if (total < 0 || total > limit - headerSize) {
            throw FatBinaryException.malformed(start + 8,
                    "size 0x%s of the entries after the 0x%x-byte header runs past %s",
                    Long.toUnsignedString(total, 16), headerSize, end);
        }
        return headerSize + total;
    }

    /** Parses the container at {@code data[start..]}; offsets are from {@code start}. */
    private static FatBinary parseContainer(byte[] data, int start) {
        long size = checkHeader(data, start, data.length - start, true);
        byte[] d = Arrays.copyOfRange(data, start, (int) (start + size));
        int version = u16(d, 4);
        int end = d.length;
        List<Entry> entries = new ArrayList<>();
        int p = u16(d, 6);
        for (int index = 0; p < end; index++) {
            Entry e = parseEntry(d, p, end, index);
            entries.add(e);
            // parseEntry checked that header and payload end by 'end'.
            p = (int) (p + u32u(d, p + 4) + u64(d, p + 8));
        }
        return new FatBinary(Format.FATBIN, version, size, entries);
    }

    private static Entry parseEntry(byte[] d, int p, int end, int index) {
        String name = "entry " + index;
        long left = end - p;
        if (left < MIN_ENTRY_HEADER) {
            throw FatBinaryException.malformed(p,
                    "%s: truncated header: 0x%x bytes left in the fat binary, an entry header has at least 0x40",
                    name, left);
        }
        int kindCode = u16(d, p);
        long headerSize = u32u(d, p + 4);
        if (headerSize < MIN_ENTRY_HEADER) {
            throw FatBinaryException.malformed(p + 4, "%s: header size 0x%x is less than 0x40", name, headerSize);
        }
        if (headerSize > left) {
            throw FatBinaryException.malformed(p + 4,
                    "%s: header size 0x%x runs past the end of the fat binary (0x%x bytes left)", name, headerSize,
                    left);
        }
        long payloadSize = u64(d, p + 8);
        if (payloadSize < 0 || payloadSize > left - headerSize) {
            throw FatBinaryException.malformed(p + 8,
                    "%s: payload size 0x%s runs past the end of the fat binary (0x%x bytes left after the header)",
                    name, Long.toUnsignedString(payloadSize, 16), left - headerSize);
        }
        long compressedSize = u32u(d, p + 0x10);
        long optionsDescriptor = u32u(d, p + 0x14);
        int ptxMinor = u16(d, p + 0x18);
        int ptxMajor = u16(d, p + 0x1A);
        long arch = u32u(d, p + 0x1C);
        long identifierOffset = u32u(d, p + 0x20);
        long identifierLength = u32u(d, p + 0x24);
        long flags = u64(d, p + 0x28);
        long uncompressedSize = u64(d, p + 0x38);

        if (arch > 0xFFFF) {
            throw FatBinaryException.malformed(p + 0x1C, "%s: implausible architecture number %d", name, arch);
        }
        boolean lz4 = (flags & FLAG_LZ4) != 0;
        boolean zstd = (flags & FLAG_ZSTD) != 0;
        if (lz4 && zstd) {
            throw FatBinaryException.malformed(p + 0x28, "%s: flags 0x%x ask for both LZ4 and Zstd compression",
                    name, flags);
        }
        Entry.Compression compression = lz4 ? Entry.Compression.LZ4
                : zstd ? Entry.Compression.ZSTD : Entry.Compression.NONE;
        boolean specific = (flags & FLAG_ARCH_SPECIFIC) != 0;
        boolean family = (flags & FLAG_FAMILY) != 0;
        if (specific && family) {
            throw FatBinaryException.malformed(p + 0x28, "%s: flags 0x%x mark the code both arch-specific and family",
                    name, flags);
        }
        Entry.Variant variant = specific ? Entry.Variant.ARCH_SPECIFIC
                : family ? Entry.Variant.FAMILY : Entry.Variant.GENERIC;

        long stored = payloadSize;
        if (compression != Entry.Compression.NONE) {
            if (compressedSize == 0 || compressedSize > payloadSize) {
                throw FatBinaryException.malformed(p + 0x10,
                        "%s: compressed size 0x%x does not fit the 0x%x-byte payload", name, compressedSize,
                        payloadSize);
            }
            long max = Math.min(MAX_SIZE, Decompression.maxExpansion(compression, compressedSize));
            if (uncompressedSize <= 0 || uncompressedSize > max) {
                throw FatBinaryException.malformed(p + 0x38,
                        "%s: decompressed size 0x%s is impossible for 0x%x bytes of %s data (at most 0x%x)", name,
                        Long.toUnsignedString(uncompressedSize, 16), compressedSize,
                        compression == Entry.Compression.LZ4 ? "LZ4" : "Zstd", max);
            }
            stored = compressedSize;
        }
        String identifier = headerString(d, p, headerSize, identifierOffset, identifierLength, p + 0x20, name,
                "identifier");
        String options = "";
        if (optionsDescriptor != 0) {
            if (optionsDescriptor < MIN_ENTRY_HEADER || optionsDescriptor > headerSize - 8) {
                throw FatBinaryException.malformed(p + 0x14,
                        "%s: options descriptor at header offset 0x%x is outside the header's string area "
                                + "(0x40 to 0x%x)", name, optionsDescriptor, headerSize);
            }
            int at = (int) (p + optionsDescriptor);
            options = headerString(d, p, headerSize, u32u(d, at), u32u(d, at + 4), at, name, "options").strip();
        }
        return new Entry(index, p, kindCode, (int) arch, variant, ptxMajor, ptxMinor, flags, compression,
                identifier, options, d, (int) (p + headerSize), (int) stored, uncompressedSize);
    }

    /** A string of {@code length} bytes at {@code offset} within the entry header at {@code p}, up to a NUL. */
    private static String headerString(byte[] d, int p, long headerSize, long offset, long length, long field,
            String entry, String what) {
        if (length == 0) {
            return "";
        }
        if (offset < MIN_ENTRY_HEADER || offset > headerSize || length > headerSize - offset) {
            throw FatBinaryException.malformed(field,
                    "%s: %s string (header offset 0x%x, 0x%x bytes) is outside the header's string area "
                            + "(0x40 to 0x%x)", entry, what, offset, length, headerSize);
        }
        int from = (int) (p + offset);
        int to = (int) (from + length);
        int nul = indexOfNul(d, from, to);
        return new String(d, from, (nul >= 0 ? nul : to) - from, StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Bare PTX

    private enum Sniff { YES, NO, MORE }

    private static final byte[][] PTX_STARTS = {
        "//".getBytes(StandardCharsets.US_ASCII),
        "/*".getBytes(StandardCharsets.US_ASCII),
        ".version".getBytes(StandardCharsets.US_ASCII),
    };

    /** Whether {@code b[0..len)} starts like PTX text: blanks, then a comment or {@code .version}. */
    private static Sniff ptxStart(byte[] b, int len) {
        int i = 0;
        while (i < len && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n')) {
            i++;
        }
        if (i == len) {
            return Sniff.MORE;
        }
        boolean partial = false;
        for (byte[] start : PTX_STARTS) {
            int n = Math.min(start.length, len - i);
            if (Arrays.equals(b, i, i + n, start, 0, n)) {
                if (n == start.length) {
                    return Sniff.YES;
                }
                partial = true;
            }
        }
        return partial ? Sniff.MORE : Sniff.NO;
    }

    private static FatBinaryException notAnImage(byte[] b, int len) {
        StringBuilder first = new StringBuilder();
        for (int i = 0; i < Math.min(8, b.length); i++) {
            first.append(String.format(Locale.ROOT, "%s%02x", i == 0 ? "" : " ", b[i] & 0xFF));
        }
        String what = len == 0 ? "it is empty" : "it starts with " + first;
        return FatBinaryException.malformed(0, "not a fat binary (magic 0xba55ed50), fat binary wrapper (0x466243b1),"
                + " cubin (ELF) or PTX text: %s", what);
    }

    /** A PTX image of {@code text[0..len)}, plus its NUL if {@code nul}. */
    private static FatBinary ptxImage(byte[] text, int len, boolean nul) {
        int[] h = ptxHeader(text, len);
        int stored = nul ? len + 1 : len;
        Entry e = new Entry(0, 0, 1, h[2], Entry.Variant.values()[h[3]], h[0], h[1], 0, Entry.Compression.NONE, "",
                "", Arrays.copyOf(text, stored), 0, stored, stored);
        return new FatBinary(Format.PTX, 0, stored, List.of(e));
    }

    /**
     * The {@code .version major.minor} and the first {@code sm_NN[a|f]} of {@code .target} of PTX text, as
     * {major, minor, arch, variant ordinal}; zeros for what is not found. Looks only at directives that start a
     * line (after blanks), so commented-out ones are skipped.
     */
    static int[] ptxHeader(byte[] b, int len) {
        int[] h = {0, 0, 0, 0};
        boolean version = false;
        boolean target = false;
        int i = 0;
        while (i < len && !(version && target)) {
            int lineEnd = i;
            while (lineEnd < len && b[lineEnd] != '\n') {
                lineEnd++;
            }
            int j = skipBlanks(b, i, lineEnd);
            if (!version && startsWith(b, j, lineEnd, ".version")) {
                int k = skipBlanks(b, j + 8, lineEnd);
                int[] major = number(b, k, lineEnd);
                if (major[1] > k && major[1] < lineEnd && b[major[1]] == '.') {
                    int[] minor = number(b, major[1] + 1, lineEnd);
                    if (minor[1] > major[1] + 1) {
                        h[0] = major[0];
                        h[1] = minor[0];
                        version = true;
                    }
                }
            } else if (!target && startsWith(b, j, lineEnd, ".target")) {
                for (int k = j + 7; k + 3 <= lineEnd; k++) {
                    if (startsWith(b, k, lineEnd, "sm_")) {
                        int[] arch = number(b, k + 3, lineEnd);
                        if (arch[1] > k + 3) {
                            h[2] = arch[0];
                            int s = arch[1] < lineEnd ? b[arch[1]] : 0;
                            h[3] = s == 'a' ? Entry.Variant.ARCH_SPECIFIC.ordinal()
                                    : s == 'f' ? Entry.Variant.FAMILY.ordinal() : Entry.Variant.GENERIC.ordinal();
                        }
                        break;
                    }
                }
                target = true;
            }
            i = lineEnd + 1;
        }
        return h;
    }

    private static int skipBlanks(byte[] b, int i, int end) {
        while (i < end && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r')) {
            i++;
        }
        return i;
    }

    private static boolean startsWith(byte[] b, int i, int end, String s) {
        if (end - i < s.length()) {
            return false;
        }
        for (int k = 0; k < s.length(); k++) {
            if (b[i + k] != s.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** A decimal number of at most 5 digits at {@code b[i..]}: {value, index after it}. */
    private static int[] number(byte[] b, int i, int end) {
        int v = 0;
        int k = i;
        while (k < end && k - i < 5 && b[k] >= '0' && b[k] <= '9') {
            v = v * 10 + (b[k] - '0');
            k++;
        }
        return new int[] {v, k};
    }

    // ---------------------------------------------------------------------------------------------------------
    // Choosing the PTX

    /**
     * The PTX of this image best suited to a device of architecture {@code deviceSmArch} (e.g. 86 for sm_86); see
     * {@link #selectPtx(List, int)}.
     *
     * @throws FatBinaryException {@link FatBinaryException.Kind#NO_PTX} when the image holds no PTX,
     *                            {@link FatBinaryException.Kind#MALFORMED} when the chosen PTX cannot be decompressed
     */
    public PtxSelection selectPtx(int deviceSmArch) {
        if (format == Format.ELF) {
            throw new FatBinaryException(Kind.NO_PTX, -1,
                    "the image is a cubin (ELF) holding SASS only; Transcuda needs PTX (build with "
                            + "-gencode arch=compute_NN,code=compute_NN to embed it)");
        }
        return selectPtx(entries, deviceSmArch);
    }

    /**
     * Chooses the PTX for a device of architecture {@code deviceSmArch}. As CUDA does: among the PTX entries the
     * device can run (generic PTX for its architecture or older; family PTX, {@code compute_NNf}, for an
     * architecture of the device's major version not newer than it; arch-specific PTX, {@code compute_NNa}, for
     * exactly its architecture), the newest architecture, and at equal architecture the most specific (arch-specific,
     * then family, then generic): code built for the exact chip is what CUDA would run, and libraries often put only
     * a stub in the generic variant of a kernel that needs arch-specific instructions.
     *
     * <p>When none is compatible, real CUDA fails, but the translator can often handle PTX written for a newer
     * architecture, so this falls back to generic PTX, the closest architecture above the device first, then to
     * family and arch-specific PTX, the closest architecture first (older on a tie), and says so in
     * {@link PtxSelection#match()} and {@link PtxSelection#reason()}. Among equal candidates the first in the image
     * wins.
     *
     * @throws FatBinaryException {@link FatBinaryException.Kind#NO_PTX} when there is no PTX entry,
     *                            {@link FatBinaryException.Kind#MALFORMED} when the chosen PTX cannot be decompressed
     */
    public static PtxSelection selectPtx(List<Entry> entries, int deviceSmArch) {
        List<Entry> ptx = entries.stream().filter(e -> e.kind() == Entry.Kind.PTX).toList();
        if (ptx.isEmpty()) {
            String held = entries.isEmpty() ? "no entries at all"
                    : "only " + entries.stream().map(FatBinary::shortName).distinct().collect(Collectors.joining(", "));
            throw new FatBinaryException(Kind.NO_PTX, -1,
                    "no PTX for the device to translate: the image holds " + held);
        }
        String device = "sm_" + deviceSmArch;
        Entry chosen = ptx.stream()
                .filter(e -> compatible(e, deviceSmArch))
                .max(Comparator.<Entry>comparingInt(Entry::smArch)
                        .thenComparingInt(e -> specificity(e.variant()))
                        .thenComparing(Comparator.comparingInt(Entry::index).reversed()))
                .orElse(null);
        PtxSelection.Match match;
        String why;
        if (chosen != null) {
            match = PtxSelection.Match.COMPATIBLE;
            why = "the newest PTX a " + device + " device can run";
        } else {
            chosen = ptx.stream()
                    .min(Comparator.<Entry>comparingInt(e -> specificity(e.variant()))
                            .thenComparingInt(e -> Math.abs(e.smArch() - deviceSmArch))
                            .thenComparingInt(Entry::smArch)
                            .thenComparingInt(Entry::index))
                    .orElseThrow();
            if (chosen.smArch() > deviceSmArch) {
                match = PtxSelection.Match.NEWER_THAN_DEVICE;
                why = "no PTX a " + device + " device can run is present; CUDA would refuse this PTX for a newer "
                        + "architecture, but the translator can usually handle it";
            } else {
                match = PtxSelection.Match.OTHER_VARIANT;
                why = "no PTX a " + device + " device can run is present; CUDA would refuse this "
                        + (chosen.variant() == Entry.Variant.FAMILY ? "family" : "arch-specific")
                        + " PTX for another architecture, but the translator may handle it";
            }
        }
        Entry c = chosen;
        String others = ptx.stream().filter(e -> e != c).map(Entry::archName).collect(Collectors.joining(", "));
        String reason = c.archName() + " PTX: " + why + (others.isEmpty() ? "" : " (also present: " + others + ")");
        return new PtxSelection(c, c.ptx(), match, reason);
    }

    /** Whether CUDA would JIT this PTX for the device. */
    static boolean compatible(Entry e, int device) {
        return switch (e.variant()) {
            case GENERIC -> e.smArch() <= device;
            case FAMILY -> e.smArch() <= device && e.smArch() / 10 == device / 10;
            case ARCH_SPECIFIC -> e.smArch() == device;
        };
    }

    private static int specificity(Entry.Variant v) {
        return switch (v) {
            case GENERIC -> 0;
            case FAMILY -> 1;
            case ARCH_SPECIFIC -> 2;
        };
    }

    private static String shortName(Entry e) {
        return e.archName() + switch (e.kind()) {
            case PTX -> " PTX";
            case ELF -> " SASS";
            case LTO_IR -> " LTO IR";
            case OTHER -> " (kind " + e.kindCode() + ")";
        };
    }

    // ---------------------------------------------------------------------------------------------------------
    // Bytes

    static int u16(byte[] d, int at) {
        return (short) U16.get(d, at) & 0xFFFF;
    }

    static int u32(byte[] d, int at) {
        return (int) U32.get(d, at);
    }

    static long u32u(byte[] d, int at) {
        return u32(d, at) & 0xFFFFFFFFL;
    }

    static long u64(byte[] d, int at) {
        return (long) U64.get(d, at);
    }

    private static int indexOfNul(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    private static boolean allZero(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return switch (format) {
            case FATBIN -> "fat binary (" + entries.stream().map(FatBinary::shortName)
                    .collect(Collectors.joining(", ")) + ")";
            case PTX -> "PTX image (" + shortName(entries.getFirst()) + ")";
            case ELF -> "cubin (ELF) image";
        };
    }
}
