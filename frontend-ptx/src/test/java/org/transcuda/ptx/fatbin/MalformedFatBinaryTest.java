package org.transcuda.ptx.fatbin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.transcuda.ptx.fatbin.Fixtures.putU16;
import static org.transcuda.ptx.fatbin.Fixtures.putU32;
import static org.transcuda.ptx.fatbin.Fixtures.putU64;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.transcuda.ptx.fatbin.FatBinaryException.Kind;

/** Malformed images raise FatBinaryException of the right kind, naming the offset and what is wrong. */
class MalformedFatBinaryTest {

    /** Entry offsets in the fixtures (see the fixture layout: 16-byte header, then 0x50-byte PTX headers). */
    private static final int E0 = 0x10;

    private static byte[] patched(String fixture, Consumer<byte[]> patch) {
        byte[] b = Fixtures.bytes(fixture);
        patch.accept(b);
        return b;
    }

    private static FatBinaryException fails(Kind kind, long offset, String text, Executable action) {
        FatBinaryException e = assertThrows(FatBinaryException.class, action);
        assertEquals(kind, e.kind(), e.getMessage());
        assertEquals(offset, e.offset(), e.getMessage());
        assertTrue(e.getMessage().contains(text), () -> "'" + e.getMessage() + "' should contain '" + text + "'");
        if (offset >= 0) {
            assertTrue(e.getMessage().contains(String.format("offset 0x%x: ", offset)), e.getMessage());
        }
        return e;
    }

    private static FatBinaryException failsToParse(long offset, String text, byte[] data) {
        return fails(Kind.MALFORMED, offset, text, () -> FatBinary.parse(data));
    }

    @Test
    void emptyAndTruncatedHeaders() {
        failsToParse(0, "truncated fat binary header: 0x0 bytes", new byte[0]);
        failsToParse(0, "truncated fat binary header: 0xf bytes",
                Arrays.copyOf(Fixtures.bytes("kernels.default.fatbin"), 15));
        fails(Kind.MALFORMED, 0, "it is empty", () -> FatBinary.parseImage(new byte[0]));
    }

    @Test
    void wrongMagicAndVersion() {
        failsToParse(0, "not a fat binary: magic 0xba55ed51",
                patched("kernels.default.fatbin", b -> b[0] = 0x51));
        fails(Kind.UNSUPPORTED, 4, "fat binary version 2; only version 1 is known",
                () -> FatBinary.parse(patched("kernels.default.fatbin", b -> putU16(b, 4, 2))));
        failsToParse(6, "header size 0x8 is less than 16", patched("kernels.default.fatbin", b -> putU16(b, 6, 8)));
    }

    @Test
    void containerSizeBeyondTheData() {
        byte[] data = Fixtures.bytes("kernels.default.fatbin");
        failsToParse(8, "runs past the end of the data (0x" + Integer.toHexString(data.length - 1) + " bytes)",
                Arrays.copyOf(data, data.length - 1));
        failsToParse(8, "size 0xffffffffffffffff of the entries", patched("kernels.default.fatbin",
                b -> putU64(b, 8, -1)));
        failsToParse(6, "header size 0xffff runs past", patched("kernels.default.fatbin",
                b -> putU16(b, 6, 0xFFFF)));
    }

    @Test
    void entryHeaderProblems() {
        failsToParse(E0 + 4, "entry 0: header size 0x10 is less than 0x40",
                patched("kernels.default.fatbin", b -> putU32(b, E0 + 4, 0x10)));
        failsToParse(E0 + 4, "entry 0: header size 0xffffffff runs past the end of the fat binary",
                patched("kernels.default.fatbin", b -> putU32(b, E0 + 4, 0xFFFFFFFFL)));
        failsToParse(E0 + 8, "entry 0: payload size 0x100000000 runs past the end",
                patched("kernels.default.fatbin", b -> putU64(b, E0 + 8, 1L << 32)));
        failsToParse(E0 + 0x1C, "entry 0: implausible architecture number 4294967295",
                patched("kernels.default.fatbin", b -> putU32(b, E0 + 0x1C, 0xFFFFFFFFL)));
        failsToParse(E0 + 0x28, "entry 0: flags 0xa011 ask for both LZ4 and Zstd compression",
                patched("kernels.default.fatbin", b -> putU64(b, E0 + 0x28, 0xA011)));
        failsToParse(E0 + 0x28, "both arch-specific and family",
                patched("kernels.default.fatbin", b -> putU64(b, E0 + 0x28, 0x308011)));
        failsToParse(E0 + 0x14, "entry 0: options descriptor at header offset 0x4c is outside",
                patched("kernels.default.fatbin", b -> putU32(b, E0 + 0x14, 0x4C)));
        failsToParse(E0 + 0x40, "entry 0: options string (header offset 0x48, 0x9 bytes) is outside",
                patched("kernels.default.fatbin", b -> putU32(b, E0 + 0x44, 9)));
        failsToParse(E0 + 0x20, "entry 0: identifier string (header offset 0x10, 0x4 bytes) is outside",
                patched("kernels.default.fatbin", b -> {
                    putU32(b, E0 + 0x20, 0x10);
                    putU32(b, E0 + 0x24, 4);
                }));
        // The last entry's header cut off: the container says it ends 0x20 bytes into the SASS entry header.
        byte[] cut = patched("kernels.default.fatbin", b -> putU64(b, 8, 0x680 + 0x20 - 16));
        failsToParse(0x680, "entry 2: truncated header: 0x20 bytes left in the fat binary", cut);
    }

    @Test
    void impossibleCompressedSizesAreRejectedBeforeAllocating() {
        failsToParse(E0 + 0x10, "entry 0: compressed size 0x2e9 does not fit the 0x2e8-byte payload",
                patched("kernels.default.fatbin", b -> putU32(b, E0 + 0x10, 0x2E9)));
        failsToParse(E0 + 0x10, "compressed size 0x0 does not fit",
                patched("kernels.default.fatbin", b -> putU32(b, E0 + 0x10, 0)));
        // 0x2e2 bytes of Zstd cannot hold 2 GiB (and no buffer that large is allocated to find out).
        failsToParse(E0 + 0x38, "entry 0: decompressed size 0x7fffffff is impossible for 0x2e2 bytes of Zstd data"
                        + " (at most 0x1710000)",
                patched("kernels.default.fatbin", b -> putU64(b, E0 + 0x38, 0x7FFFFFFF)));
        failsToParse(E0 + 0x38, "decompressed size 0x1000000 is impossible for 0x428 bytes of LZ4 data",
                patched("kernels.mode-speed.fatbin", b -> putU64(b, E0 + 0x38, 0x1000000)));
        failsToParse(E0 + 0x38, "decompressed size 0xffffffffffffffff is impossible",
                patched("kernels.default.fatbin", b -> putU64(b, E0 + 0x38, -1)));
    }

    @Test
    void corruptCompressedPayloadsFailWhenDecompressed() {
        int payload = E0 + 0x50;
        // The Zstd frame's own content size disagrees with the header.
        FatBinary fb = FatBinary.parse(patched("kernels.default.fatbin", b -> putU64(b, E0 + 0x38, 0x95F + 1)));
        fails(Kind.MALFORMED, payload, "Zstd frame declares 0x95f decompressed bytes, the entry header says 0x960",
                () -> fb.entries().getFirst().ptx());
        // A reserved block type.
        FatBinary reserved = FatBinary.parse(patched("kernels.default.fatbin", b -> {
            b[payload + 7] = (byte) 0xFF;
            b[payload + 8] = (byte) 0xFF;
        }));
        fails(Kind.MALFORMED, payload, "corrupt Zstd-compressed payload", () -> reserved.selectPtx(75));
        // Not a Zstd frame at all.
        FatBinary notZstd = FatBinary.parse(patched("kernels.default.fatbin", b -> b[payload] = 0));
        fails(Kind.MALFORMED, payload, "corrupt Zstd-compressed payload", () -> notZstd.entries().get(0).payload());
        // The other entry is unaffected: decompression is per entry.
        assertTrue(notZstd.entries().get(1).ptx().contains(".target sm_80"));
        // LZ4: literal lengths that run past the input.
        FatBinary lz4 = FatBinary.parse(patched("kernels.mode-speed.fatbin",
                b -> Arrays.fill(b, payload, payload + 0x428, (byte) 0xFF)));
        fails(Kind.MALFORMED, payload, "corrupt LZ4-compressed payload", () -> lz4.entries().getFirst().ptx());
        // LZ4 that decodes to less than the header says.
        FatBinary shortLz4 = FatBinary.parse(patched("kernels.mode-speed.fatbin",
                b -> putU64(b, E0 + 0x38, Fixtures.u64(b, E0 + 0x38) + 8)));
        FatBinaryException e = assertThrows(FatBinaryException.class, () -> shortLz4.entries().getFirst().ptx());
        assertEquals(payload, e.offset());
        assertTrue(e.getMessage().contains("LZ4"), e.getMessage());
    }

    @Test
    void noPtxIsADistinctOutcome() {
        byte[] empty = Arrays.copyOf(Fixtures.bytes("kernels.default.fatbin"), 16);
        putU64(empty, 8, 0);
        FatBinary fb = FatBinary.parse(empty);
        assertTrue(fb.entries().isEmpty());
        fails(Kind.NO_PTX, -1, "no PTX for the device to translate: the image holds no entries at all",
                () -> fb.selectPtx(80));
        // Only unknown kinds and SASS.
        FatBinary odd = FatBinary.parse(patched("kernels.default.fatbin", b -> {
            putU16(b, E0, 5);
            putU16(b, 0x348, 8);
        }));
        assertEquals(Entry.Kind.OTHER, odd.entries().get(0).kind());
        assertEquals(Entry.Kind.LTO_IR, odd.entries().get(1).kind());
        fails(Kind.NO_PTX, -1, "the image holds only compute_75 (kind 5), lto_80 LTO IR, sm_80 SASS",
                () -> odd.selectPtx(80));
    }

    @Test
    void imagesThatAreNothingKnown() {
        fails(Kind.MALFORMED, 0, "or PTX text: it starts with 68 65 6c 6c 6f",
                () -> FatBinary.parseImage("hello".getBytes(StandardCharsets.US_ASCII)));
        fails(Kind.MALFORMED, 0, "it starts with 20 20 0a 09",
                () -> FatBinary.parseImage("  \n\t".getBytes(StandardCharsets.US_ASCII)));
        fails(Kind.MALFORMED, 0, "it starts with 2e 76 65 72 73",
                () -> FatBinary.parseImage(".vers".getBytes(StandardCharsets.US_ASCII)));
        byte[] wrapper = Arrays.copyOf(Fixtures.App.load().wrapperSection(), 24);
        fails(Kind.UNSUPPORTED, 0, "fat binary wrapper", () -> FatBinary.parseImage(wrapper));
    }

    @Test
    void wrapperProblemsNameTheWrapper() {
        Fixtures.App app = Fixtures.App.load();
        long at = app.wrapperAddress() + 24;
        MemoryReader good = app.memory();
        FatBinaryException e = fails(Kind.MALFORMED, 0, "not a fat binary wrapper: magic 0x00000000",
                () -> FatBinary.parseWrapper(good, app.fatbinAddress() + 12));
        assertTrue(e.getMessage().startsWith(String.format("fat binary wrapper at 0x%x: offset 0x0: ",
                app.fatbinAddress() + 12)), e.getMessage());

        byte[] w = app.wrapperSection().clone();
        putU32(w, 28, 3);
        MemoryReader v3 = patchedWrappers(app, w);
        fails(Kind.UNSUPPORTED, 4, "fat binary wrapper version 3", () -> FatBinary.parseWrapper(v3, at));

        w = app.wrapperSection().clone();
        putU64(w, 32, 0);
        MemoryReader nullData = patchedWrappers(app, w);
        fails(Kind.MALFORMED, 8, "null fat binary pointer", () -> FatBinary.parseImage(nullData, at));

        w = app.wrapperSection().clone();
        putU64(w, 32, 0x10);
        MemoryReader wild = patchedWrappers(app, w);
        e = fails(Kind.MALFORMED, -1, "cannot read 0x10 bytes at address 0x10", () -> FatBinary.parseWrapper(wild, at));
        assertTrue(e.getMessage().startsWith("fat binary at 0x10: "), e.getMessage());

        fails(Kind.MALFORMED, -1, "null pointer", () -> FatBinary.parseWrapper(good, 0));
        fails(Kind.MALFORMED, -1, "null pointer", () -> FatBinary.parseImage(good, 0));
        fails(Kind.MALFORMED, -1, "cannot read 0x18 bytes at address 0x8", () -> FatBinary.parseWrapper(good, 8));
        fails(Kind.MALFORMED, -1, "cannot read", () -> FatBinary.parseWrapper(good, -8));
    }

    @Test
    void aContainerInMemoryWithACorruptSizeFailsAtTheEndOfReadableMemory() {
        byte[] data = patched("kernels.default.fatbin", b -> putU64(b, 8, 0x3FFF0000L));
        long base = 0x10000;
        FatBinaryException e = fails(Kind.MALFORMED, -1, "cannot read", () -> FatBinary.read(MemoryReader.of(base,
                data), base));
        assertTrue(e.getMessage().startsWith("fat binary at 0x10000: "), e.getMessage());
        fails(Kind.MALFORMED, 8, "runs past the 0x40000000-byte limit",
                () -> FatBinary.read(MemoryReader.of(base, patched("kernels.default.fatbin",
                        b -> putU64(b, 8, 0x40000000L))), base));
    }

    @Test
    void ptxInMemoryWithoutATerminatorFailsAtTheEndOfReadableMemory() {
        byte[] text = Fixtures.bytes("kernels.compute_80.ptx");
        long base = 0x20000;
        FatBinaryException e = fails(Kind.MALFORMED, -1, "cannot read",
                () -> FatBinary.parseImage(MemoryReader.of(base, text), base));
        assertTrue(e.getMessage().startsWith("image at 0x20000: "), e.getMessage());
        byte[] binary = new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
        fails(Kind.MALFORMED, 0, "it starts with 01 02 03 04",
                () -> FatBinary.parseImage(MemoryReader.of(base, binary), base));
    }

    private static MemoryReader patchedWrappers(Fixtures.App app, byte[] wrappers) {
        return new Fixtures.App(app.fatbinAddress(), app.fatbinSection(), app.wrapperAddress(), wrappers).memory();
    }
}
