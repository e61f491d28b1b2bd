package org.transcuda.ptx.fatbin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.FieldSource;
import org.transcuda.ptx.fatbin.Entry.Compression;
import org.transcuda.ptx.fatbin.Entry.Variant;
import org.transcuda.ptx.fatbin.PtxSelection.Match;

/** Fat binaries nvcc 13 produced (src/test/resources/fatbin/generate.sh) parse to the PTX nvcc -ptx produces. */
class NvccFatBinaryTest {

    static final List<String> COMPRESSION_FIXTURES = Fixtures.COMPRESSION_FIXTURES;

    private static String expectedPtx(String arch) {
        return Fixtures.asFatbinaryStoresIt(Fixtures.text("kernels.compute_" + arch + ".ptx"));
    }

    /** What each nvcc setting does to the PTX and to the SASS, as found in the fixtures. */
    private static Compression[] compressionOf(String fixture) {
        return switch (fixture) {
            case "kernels.no-compress.fatbin", "kernels.mode-none.fatbin" ->
                    new Compression[] {Compression.NONE, Compression.NONE};
            case "kernels.default.fatbin", "kernels.mode-default.fatbin", "kernels.mode-balance.fatbin" ->
                    new Compression[] {Compression.ZSTD, Compression.NONE};
            case "kernels.mode-speed.fatbin" -> new Compression[] {Compression.LZ4, Compression.NONE};
            case "kernels.mode-size.fatbin", "kernels.compress-all.fatbin" ->
                    new Compression[] {Compression.ZSTD, Compression.ZSTD};
            default -> throw new AssertionError(fixture);
        };
    }

    @ParameterizedTest
    @FieldSource("COMPRESSION_FIXTURES")
    void everyCompressionSettingYieldsThePtxNvccWrites(String fixture) {
        byte[] data = Fixtures.bytes(fixture);
        FatBinary fb = FatBinary.parse(data);
        assertEquals(FatBinary.Format.FATBIN, fb.format());
        assertEquals(1, fb.version());
        assertEquals(data.length, fb.size());
        List<Entry> entries = fb.entries();
        assertEquals(List.of("compute_75", "compute_80", "sm_80"), entries.stream().map(Entry::archName).toList());
        assertEquals(List.of(Entry.Kind.PTX, Entry.Kind.PTX, Entry.Kind.ELF),
                entries.stream().map(Entry::kind).toList());
        Compression[] expected = compressionOf(fixture);
        for (Entry e : fb.ptxEntries()) {
            assertEquals(expected[0], e.compression(), e.toString());
            assertEquals(9, e.ptxMajor());
            assertEquals(0, e.ptxMinor());
            assertEquals(Variant.GENERIC, e.variant());
            assertFalse(e.debug());
            assertEquals("", e.options());
            assertEquals("", e.identifier());
            assertEquals(expectedPtx(Integer.toString(e.smArch())), e.ptx(), fixture + " " + e);
            assertTrue(e.ptx().contains("\n.target sm_" + e.smArch() + "\n"));
        }
        Entry sass = entries.get(2);
        assertEquals(expected[1], sass.compression());
        byte[] elf = sass.payload();
        assertEquals(elf.length, sass.size());
        assertArrayEquals(new byte[] {0x7F, 'E', 'L', 'F'}, Arrays.copyOf(elf, 4), "SASS payload is an ELF file");
        assertThrows(IllegalStateException.class, sass::ptx);
    }

    @Test
    void compressedPayloadsDecompressToTheUncompressedOnes() {
        FatBinary plain = FatBinary.parse(Fixtures.bytes("kernels.no-compress.fatbin"));
        for (String fixture : COMPRESSION_FIXTURES) {
            FatBinary fb = FatBinary.parse(Fixtures.bytes(fixture));
            for (int i = 0; i < 3; i++) {
                byte[] want = plain.entries().get(i).payload();
                byte[] got = fb.entries().get(i).payload();
                // An uncompressed payload carries NUL padding to 8 bytes that the decompressed one lacks.
                assertTrue(got.length <= want.length && want.length - got.length < 8, fixture + " entry " + i);
                assertArrayEquals(Arrays.copyOf(want, got.length), got, fixture + " entry " + i);
                for (int k = got.length; k < want.length; k++) {
                    assertEquals(0, want[k]);
                }
            }
        }
    }

    @ParameterizedTest
    @CsvSource({
        "75, compute_75, COMPATIBLE",
        "80, compute_80, COMPATIBLE",
        "86, compute_80, COMPATIBLE",
        "120, compute_80, COMPATIBLE",
        "70, compute_75, NEWER_THAN_DEVICE",
        "0, compute_75, NEWER_THAN_DEVICE",
    })
    void selectionPicksTheNewestPtxTheDeviceCanRun(int device, String arch, Match match) {
        for (String fixture : COMPRESSION_FIXTURES) {
            PtxSelection s = FatBinary.parse(Fixtures.bytes(fixture)).selectPtx(device);
            assertEquals(arch, s.entry().archName(), fixture);
            assertEquals(match, s.match(), s.reason());
            assertEquals(expectedPtx(arch.substring("compute_".length())), s.ptx());
            assertTrue(s.reason().startsWith(arch + " PTX: "), s.reason());
            assertTrue(s.reason().contains("sm_" + device), s.reason());
        }
    }

    @Test
    void ptxasOptionsAreRecorded() {
        Entry e = FatBinary.parse(Fixtures.bytes("kernels.options.fatbin")).entries().getFirst();
        assertEquals("compute_80", e.archName());
        assertEquals("-O1", e.options());
        assertEquals(Compression.ZSTD, e.compression());
        assertEquals(expectedPtx("80"), e.ptx());
    }

    @Test
    void debugBuildsCarryTheDebugFlagTheSourceNameAndTheirPtxasOptions() {
        Entry e = FatBinary.parse(Fixtures.bytes("kernels.debug.fatbin")).entries().getFirst();
        assertTrue(e.debug());
        assertEquals("kernels.cu", e.identifier());
        assertEquals("-g --dont-merge-basicblocks --return-at-end", e.options());
        assertEquals(Fixtures.asFatbinaryStoresIt(Fixtures.text("kernels.debug.compute_80.ptx")), e.ptx());
        assertTrue(e.ptx().contains(".file\t1 \"/tmp/transcuda-fatbin-fixtures/kernels.cu\""), "a lone tab is kept");
    }

    @Test
    void archSpecificAndFamilyVariantsAreRecognised() {
        FatBinary fb = FatBinary.parse(Fixtures.bytes("variants.fatbin"));
        assertEquals(List.of("compute_86", "compute_90a", "compute_100f", "compute_120"),
                fb.entries().stream().map(Entry::archName).toList());
        assertEquals(List.of(Variant.GENERIC, Variant.ARCH_SPECIFIC, Variant.FAMILY, Variant.GENERIC),
                fb.entries().stream().map(Entry::variant).toList());
        for (Entry e : fb.entries()) {
            String arch = e.smArch() + e.variant().suffix();
            assertEquals(expectedPtx(arch), e.ptx(), e.toString());
            assertTrue(e.ptx().contains("\n.target sm_" + arch + "\n"));
        }
    }

    @ParameterizedTest
    @CsvSource({
        "86, compute_86, COMPATIBLE",
        "89, compute_86, COMPATIBLE",
        "90, compute_90a, COMPATIBLE",
        "100, compute_100f, COMPATIBLE",
        "103, compute_100f, COMPATIBLE",
        "110, compute_86, COMPATIBLE",
        "120, compute_120, COMPATIBLE",
        "121, compute_120, COMPATIBLE",
        "80, compute_86, NEWER_THAN_DEVICE",
    })
    void selectionFollowsCudasRulesForVariants(int device, String arch, Match match) {
        PtxSelection s = FatBinary.parse(Fixtures.bytes("variants.fatbin")).selectPtx(device);
        assertEquals(arch, s.entry().archName(), s.reason());
        assertEquals(match, s.match(), s.reason());
    }

    @Test
    void withOnlyVariantsForOtherArchitecturesTheClosestIsChosenAndFlagged() {
        List<Entry> variants = FatBinary.parse(Fixtures.bytes("variants.fatbin")).entries();
        List<Entry> specific = variants.stream().filter(e -> e.variant() != Variant.GENERIC).toList();
        PtxSelection s = FatBinary.selectPtx(specific, 110);
        assertEquals("compute_100f", s.entry().archName(), s.reason());
        assertEquals(Match.OTHER_VARIANT, s.match());
        assertTrue(s.reason().contains("family"), s.reason());
        s = FatBinary.selectPtx(specific, 89);
        assertEquals("compute_100f", s.entry().archName(), "family before arch-specific: " + s.reason());
        assertEquals(Match.NEWER_THAN_DEVICE, s.match());
        s = FatBinary.selectPtx(List.of(variants.get(1)), 100);
        assertEquals(Match.OTHER_VARIANT, s.match());
        assertTrue(s.reason().contains("arch-specific"), s.reason());
    }

    @Test
    void theExecutablesWrappersLeadToItsFatBinaries() {
        Fixtures.App app = Fixtures.App.load();
        MemoryReader memory = app.memory();
        assertEquals(3, app.wrapperCount());
        List<Wrapper> wrappers = new ArrayList<>();
        for (int i = 0; i < app.wrapperCount(); i++) {
            wrappers.add(FatBinary.parseWrapper(memory, app.wrapperAddress() + 24L * i));
        }
        // nvcc 13 device-links every executable: a version-2 wrapper for the link output, SASS only...
        Wrapper dlink = wrappers.get(0);
        assertEquals(2, dlink.version());
        assertEquals(app.fatbinAddress(), dlink.dataAddress());
        assertEquals(List.of("sm_80"), dlink.fatBinary().entries().stream().map(Entry::archName).toList());
        FatBinaryException e = assertThrows(FatBinaryException.class, () -> dlink.fatBinary().selectPtx(80));
        assertEquals(FatBinaryException.Kind.NO_PTX, e.kind());
        assertTrue(e.getMessage().contains("only sm_80 SASS"), e.getMessage());
        // ...then a version-1 wrapper per translation unit.
        Wrapper kernels = wrappers.get(1);
        assertEquals(1, kernels.version());
        assertEquals(0, kernels.filenameOrFatbins());
        PtxSelection s = kernels.fatBinary().selectPtx(86);
        assertEquals("compute_80", s.entry().archName());
        assertEquals(expectedPtx("80"), s.ptx());
        assertTrue(s.ptx().contains(".entry _Z5saxpyifPKfPf("));
        Wrapper main = wrappers.get(2);
        assertEquals(1, main.version());
        assertFalse(main.fatBinary().selectPtx(80).ptx().contains(".entry"), "app_main.cu has no kernels");

        // cuModuleLoadData accepts the wrapper or the container itself.
        FatBinary viaImage = FatBinary.parseImage(memory, app.wrapperAddress() + 24);
        assertEquals(expectedPtx("75"), viaImage.selectPtx(75).ptx());
        FatBinary direct = FatBinary.parseImage(memory, kernels.dataAddress());
        assertEquals(expectedPtx("75"), direct.selectPtx(75).ptx());
        assertEquals(FatBinary.parse(Fixtures.bytes("kernels.default.fatbin")).size(), direct.size());
    }

    @Test
    void aWholeFatbinSectionParsesContainerByContainer() {
        Fixtures.App app = Fixtures.App.load();
        List<FatBinary> all = FatBinary.parseAll(app.fatbinSection());
        assertEquals(3, all.size());
        assertEquals(app.fatbinSection().length, all.stream().mapToLong(FatBinary::size).sum());
        assertEquals(List.of("compute_75", "compute_80", "sm_80"),
                all.get(1).entries().stream().map(Entry::archName).toList());
        byte[] padded = Arrays.copyOf(app.fatbinSection(), app.fatbinSection().length + 24);
        assertEquals(3, FatBinary.parseAll(padded).size(), "trailing zero padding is ignored");
        // The default-compressed unit of the executable is the kernels.default.fatbin nvcc -fatbin wrote.
        int second = (int) all.get(0).size();
        byte[] unit = Arrays.copyOfRange(app.fatbinSection(), second, second + (int) all.get(1).size());
        assertArrayEquals(Fixtures.bytes("kernels.default.fatbin"), unit);
    }

    @Test
    void barePtxTextIsAnImageOfOneEntry() {
        byte[] text = Fixtures.bytes("kernels.compute_75.ptx");
        FatBinary fb = FatBinary.parseImage(text);
        assertEquals(FatBinary.Format.PTX, fb.format());
        Entry e = fb.entries().getFirst();
        assertEquals(75, e.smArch());
        assertEquals(9, e.ptxMajor());
        assertEquals(0, e.ptxMinor());
        assertEquals(Fixtures.text("kernels.compute_75.ptx"), e.ptx());
        PtxSelection s = fb.selectPtx(80);
        assertEquals(Match.COMPATIBLE, s.match());
        assertEquals(Match.NEWER_THAN_DEVICE, fb.selectPtx(70).match());

        // NUL-terminated with trailing bytes, starting with .version, arch-specific target
        byte[] withNul = (".version 8.7\n.target sm_90a\n.address_size 64\n\0garbage")
                .getBytes(StandardCharsets.US_ASCII);
        FatBinary v = FatBinary.parseImage(withNul);
        assertEquals(".version 8.7\n.target sm_90a\n.address_size 64\n", v.entries().getFirst().ptx());
        assertEquals(90, v.entries().getFirst().smArch());
        assertEquals(Variant.ARCH_SPECIFIC, v.entries().getFirst().variant());
        assertEquals(8, v.entries().getFirst().ptxMajor());
        assertEquals(7, v.entries().getFirst().ptxMinor());
        assertEquals(46, v.size());
    }

    @Test
    void barePtxIsReadFromMemoryWithoutTouchingThePageAfterItsNul() {
        byte[] text = Fixtures.bytes("kernels.compute_80.ptx");
        byte[] image = Arrays.copyOf(text, text.length + 1);
        // Lay the text out so that its NUL is the last byte of a page, and make the next page unreadable.
        long pageEnd = 0x7f0000010000L;
        long address = pageEnd - image.length;
        MemoryReader memory = MemoryReader.of(address, image);
        FatBinary fb = FatBinary.parseImage(memory, address);
        assertEquals(FatBinary.Format.PTX, fb.format());
        assertEquals(Fixtures.text("kernels.compute_80.ptx"), fb.selectPtx(80).ptx());
        assertEquals(image.length, fb.size());
    }

    @Test
    void aCubinIsAnImageWithoutPtx() {
        byte[] elf = FatBinary.parse(Fixtures.bytes("kernels.no-compress.fatbin")).entries().get(2).payload();
        FatBinary fb = FatBinary.parseImage(elf);
        assertEquals(FatBinary.Format.ELF, fb.format());
        assertTrue(fb.entries().isEmpty());
        FatBinaryException e = assertThrows(FatBinaryException.class, () -> fb.selectPtx(80));
        assertEquals(FatBinaryException.Kind.NO_PTX, e.kind());
        assertTrue(e.getMessage().contains("cubin"), e.getMessage());
        FatBinary fromMemory = FatBinary.parseImage(MemoryReader.of(0x1000, elf), 0x1000);
        assertEquals(FatBinary.Format.ELF, fromMemory.format());
    }

    @Test
    void theMemorySegmentOverloadReadsTheSameContainer() {
        byte[] data = Fixtures.bytes("kernels.mode-speed.fatbin");
        byte[] withTail = Arrays.copyOf(data, data.length + 100);
        FatBinary fb = FatBinary.parse(java.lang.foreign.MemorySegment.ofArray(withTail));
        assertEquals(data.length, fb.size());
        assertEquals(expectedPtx("80"), fb.selectPtx(80).ptx());
        try (var arena = java.lang.foreign.Arena.ofConfined()) {
            var segment = arena.allocate(data.length);
            java.lang.foreign.MemorySegment.copy(data, 0, segment, java.lang.foreign.ValueLayout.JAVA_BYTE, 0,
                    data.length);
            FatBinary viaReader = FatBinary.parseImage(MemoryReader.of(segment), segment.address());
            assertEquals(expectedPtx("75"), viaReader.selectPtx(75).ptx());
        }
    }

    @Test
    void theOracleReproducesWhatFatbinaryStoresUncompressed() {
        // Cross-check of the test oracle itself against the uncompressed fixture's raw bytes.
        byte[] raw = Fixtures.bytes("kernels.no-compress.fatbin");
        Entry e = FatBinary.parse(raw).entries().getFirst();
        int start = (int) (e.offset() + 0x50);
        byte[] stored = expectedPtx("75").getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(stored, Arrays.copyOfRange(raw, start, start + stored.length));
        assertEquals(0, raw[start + stored.length]);
        assertTrue(Fixtures.text("kernels.compute_75.ptx").startsWith("//\n// Generated by NVIDIA NVVM Compiler"),
                "the reference is the commented text nvcc -ptx writes");
    }
}
