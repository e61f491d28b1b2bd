package org.transcuda.ptx.fatbin;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Whatever the bytes, the reader either succeeds or throws {@link FatBinaryException}: never another exception,
 * never a hang, never a large allocation. Inputs: truncations, random bytes, random byte edits and targeted header
 * field overwrites of the real nvcc fixtures, through every entry point (arrays, memory, wrappers), and every
 * successful parse is then exercised (each payload decompressed, the PTX selected for several devices).
 */
class FatBinaryFuzzTest {

    /** Only a hang guard: each try takes well under a millisecond. */
    private static final Duration HANG_GUARD = Duration.ofSeconds(10);
    /** Allocations allowed per try; a corrupt size field honoured would ask for far more (up to gigabytes). */
    private static final long MAX_ALLOCATION = 48L << 20;
    private static final int[] DEVICES = {0, 75, 80, 86, 90, 100, 120};

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Parses with {@code parse}, exercises the result, and checks every failure is a proper FatBinaryException. */
    private static void check(Supplier<FatBinary> parse) {
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            exercise(parse);
            long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
            assertTrue(allocated < MAX_ALLOCATION, "allocated " + allocated + " bytes");
        });
    }

    private static void exercise(Supplier<FatBinary> parse) {
        FatBinary fb;
        try {
            fb = parse.get();
        } catch (FatBinaryException e) {
            valid(e);
            return;
        }
        assertNotNull(fb.format());
        assertNotNull(fb.toString());
        for (Entry e : fb.entries()) {
            assertNotNull(e.describe());
            try {
                byte[] payload = e.payload();
                assertTrue(payload.length == e.size(), e.toString());
                if (e.kind() == Entry.Kind.PTX) {
                    assertTrue(e.ptx().length() <= payload.length);
                }
            } catch (FatBinaryException x) {
                valid(x);
            }
        }
        for (int device : DEVICES) {
            try {
                PtxSelection s = fb.selectPtx(device);
                assertNotNull(s.ptx());
                assertFalse(s.reason().isBlank());
            } catch (FatBinaryException x) {
                valid(x);
            }
        }
    }

    private static void valid(FatBinaryException e) {
        assertNotNull(e.kind());
        assertFalse(e.detail().isBlank());
        assertTrue(e.offset() >= -1 && e.offset() <= FatBinary.MAX_SIZE, e.getMessage());
    }

    // -------------------------------------------------------------------------------------------------------------
    // Arrays

    @Property(tries = 300)
    void truncatedFixtures(@ForAll("fatbins") String fixture, @ForAll @DoubleRange(min = 0, max = 1) double at) {
        byte[] data = Fixtures.bytes(fixture);
        byte[] cut = Arrays.copyOf(data, (int) (at * data.length));
        check(() -> FatBinary.parse(cut));
        check(() -> FatBinary.parseImage(cut));
    }

    @Property(tries = 200)
    void randomBytes(@ForAll @Size(max = 3000) byte[] bytes) {
        check(() -> FatBinary.parseImage(bytes));
        check(() -> FatBinary.parseAll(bytes).stream().findFirst().orElseThrow(
                () -> new FatBinaryException(FatBinaryException.Kind.NO_PTX, -1, "empty section")));
    }

    /** Random bytes behind a valid container header, so the entry parser sees them. */
    @Property(tries = 300)
    void randomEntriesBehindAValidHeader(@ForAll @Size(min = 0, max = 600) byte[] body,
                                         @ForAll boolean plausibleEntryHeader) {
        byte[] data = new byte[16 + body.length];
        System.arraycopy(body, 0, data, 16, body.length);
        Fixtures.putU32(data, 0, FatBinary.MAGIC);
        Fixtures.putU16(data, 4, 1);
        Fixtures.putU16(data, 6, 16);
        Fixtures.putU64(data, 8, body.length);
        if (plausibleEntryHeader && body.length >= 0x40) {
            Fixtures.putU16(data, 16, 1);
            Fixtures.putU32(data, 20, 0x40);
            Fixtures.putU64(data, 24, body.length - 0x40);
        }
        check(() -> FatBinary.parse(data));
    }

    @Property(tries = 600)
    void randomByteEdits(@ForAll("fatbins") String fixture, @ForAll("edits") List<ByteEdit> edits) {
        byte[] data = Fixtures.bytes(fixture);
        for (ByteEdit edit : edits) {
            edit.apply(data);
        }
        check(() -> FatBinary.parseImage(data));
    }

    @Property(tries = 800)
    void headerFieldOverwrites(@ForAll("fatbins") String fixture, @ForAll("fieldEdits") List<FieldEdit> edits) {
        byte[] data = Fixtures.bytes(fixture);
        List<Long> entryOffsets = FatBinary.parse(data).entries().stream().map(Entry::offset).toList();
        for (FieldEdit edit : edits) {
            edit.apply(data, entryOffsets);
        }
        check(() -> FatBinary.parse(data));
    }

    // -------------------------------------------------------------------------------------------------------------
    // Memory

    @Property(tries = 300)
    void editedExecutableSectionsInMemory(@ForAll("edits") List<ByteEdit> fatbinEdits,
                                          @ForAll("edits") List<ByteEdit> wrapperEdits,
                                          @ForAll @IntRange(min = 0, max = 2) int wrapper) {
        Fixtures.App app = Fixtures.App.load();
        byte[] fatbin = app.fatbinSection();
        byte[] wrappers = app.wrapperSection();
        fatbinEdits.forEach(e -> e.apply(fatbin));
        wrapperEdits.forEach(e -> e.apply(wrappers));
        MemoryReader memory = new Fixtures.App(app.fatbinAddress(), fatbin, app.wrapperAddress(), wrappers).memory();
        long at = app.wrapperAddress() + 24L * wrapper;
        check(() -> FatBinary.parseImage(memory, at));
        check(() -> FatBinary.parseWrapper(memory, at).fatBinary());
        check(() -> FatBinary.read(memory, app.fatbinAddress()));
    }

    @Property(tries = 200)
    void randomBytesInMemory(@ForAll @Size(max = 10000) byte[] bytes, @ForAll @IntRange(max = 4095) int pageOffset,
                             @ForAll boolean ptxPrefix) {
        byte[] image = bytes;
        if (ptxPrefix) {
            image = new byte[bytes.length + 2];
            image[0] = '/';
            image[1] = '/';
            System.arraycopy(bytes, 0, image, 2, bytes.length);
        }
        long base = 0x7f0000000000L + pageOffset;
        MemoryReader memory = MemoryReader.of(base, image);
        check(() -> FatBinary.parseImage(memory, base));
    }

    // -------------------------------------------------------------------------------------------------------------
    // Generators

    /** Overwrites one byte; half of the edits land in the first 0x200 bytes, where the headers are. */
    record ByteEdit(double at, byte value, boolean nearHeaders) {
        void apply(byte[] data) {
            if (data.length == 0) {
                return;
            }
            int span = nearHeaders ? Math.min(data.length, 0x200) : data.length;
            data[Math.min((int) (at * span), data.length - 1)] = value;
        }
    }

    /** Writes a value of 1, 2, 4 or 8 bytes at a field offset of the container header or of an entry header. */
    record FieldEdit(int entry, int field, int width, long value) {
        void apply(byte[] data, List<Long> entryOffsets) {
            long base = entry == 0 || entryOffsets.isEmpty() ? 0
                    : entryOffsets.get((entry - 1) % entryOffsets.size());
            int at = (int) base + (entry == 0 ? field % 16 : field);
            for (int i = 0; i < width && at + i < data.length; i++) {
                data[at + i] = (byte) (value >>> (8 * i));
            }
        }
    }

    @Provide
    Arbitrary<String> fatbins() {
        return Arbitraries.of(Fixtures.ALL_FATBINS);
    }

    @Provide
    Arbitrary<List<ByteEdit>> edits() {
        return Combinators.combine(Arbitraries.doubles().between(0, 1), Arbitraries.bytes(), Arbitraries.of(true, false))
                .as(ByteEdit::new).list().ofMinSize(1).ofMaxSize(6);
    }

    @Provide
    Arbitrary<List<FieldEdit>> fieldEdits() {
        Arbitrary<Long> interesting = Arbitraries.of(0L, 1L, 2L, 8L, 0x10L, 0x40L, 0x48L, 0x50L, 0x58L, 0x2000L,
                0x8000L, 0xA000L, 0x8011L, 0x2011L, 0x100011L, 0x200011L, 0x7FFFFFFFL, 0x80000000L, 0xFFFFFFFFL,
                0x100000000L, 0x3FFFFFFFL, 0x40000000L, Long.MAX_VALUE, Long.MIN_VALUE, -1L, -8L);
        Arbitrary<Long> value = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, interesting),
                net.jqwik.api.Tuple.of(2, Arbitraries.longs().between(0, 0x20000)),
                net.jqwik.api.Tuple.of(1, Arbitraries.longs()));
        // Entry fields: the 0x40 fixed bytes, and the string area up to 0x58 (the options descriptor lives at 0x40).
        Arbitrary<Integer> field = Arbitraries.integers().between(0, 0x57);
        return Combinators.combine(Arbitraries.integers().between(0, 4), field, Arbitraries.of(1, 2, 4, 8), value)
                .as(FieldEdit::new).list().ofMinSize(1).ofMaxSize(3);
    }
}
