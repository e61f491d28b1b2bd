package org.transcuda.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.transcuda.corpus.FpFormat.F16;
import static org.transcuda.corpus.FpFormat.F32;
import static org.transcuda.corpus.FpFormat.F64;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.transcuda.corpus.Ieee.Rnd;

/**
 * Checks the corpus test data itself (not any backend): coverage of corpus/kernels.tsv, agreement
 * with the PTX entry signatures, launch-configuration contracts from the corpus sources, the ability
 * of every expectation to fail, determinism, and the reference arithmetic against the JDK.
 */
class CorpusCasesTest {

    private static final Pattern ENTRY = Pattern.compile("\\.visible\\s+\\.entry\\s+([A-Za-z_$][\\w$]*)\\s*\\(([^)]*)\\)");
    private static final Pattern PARAM = Pattern.compile(
            "\\.param\\s+\\.(\\w+)(?:\\s+\\.ptr(?:\\.\\w+)*)?(?:\\s+\\.align\\s+\\d+)?\\s+[\\w$]+(?:\\[(\\d+)\\])?");

    /** Kernels whose warp/cooperative-group/named-barrier code needs blockDim.x % 32 == 0. */
    private static final Set<String> WARP_KERNELS = Set.of("sync_warp_exchange", "sync_named_barrier");
    /** Kernels with static shared arrays of 256 entries (blockDim.x <= 256). */
    private static final Set<String> SHARED_256 = Set.of("mem_generic", "mem_address_spaces", "mem_shared_static",
            "atom_shared_32", "atom_shared_64_float", "sync_block_sum", "sync_stencil_loop", "sync_warp_exchange",
            "sync_named_barrier", "cg_warp_block");

    private static List<KernelCase> cases;
    private static Map<String, List<String>> entries; // "file.ptx/kernel" -> param types ("u64", "u32", "b8[12]")

    @BeforeAll
    static void load() throws IOException {
        cases = CorpusCases.all();
        entries = new HashMap<>();
        try (var files = Files.list(CorpusCases.ptxDir())) {
            for (Path p : files.filter(f -> f.toString().endsWith(".ptx")).toList()) {
                String text = Files.readString(p, StandardCharsets.UTF_8);
                Matcher m = ENTRY.matcher(text);
                while (m.find()) {
                    List<String> params = new ArrayList<>();
                    Matcher pm = PARAM.matcher(m.group(2));
                    while (pm.find()) {
                        params.add(pm.group(2) == null ? pm.group(1) : pm.group(1) + "[" + pm.group(2) + "]");
                    }
                    entries.put(p.getFileName() + "/" + m.group(1), params);
                }
            }
        }
    }

    @Test
    void everyIndexedKernelHasACaseAndNothingElse() throws IOException {
        List<String> lines = Files.readAllLines(CorpusCases.root().resolve("corpus").resolve("kernels.tsv"));
        Map<String, String> index = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t");
            index.put(f[1], f[0].replaceFirst("\\.cu$", ".ptx"));
        }
        assertTrue(index.size() >= 130, "kernels.tsv lists " + index.size());
        Set<String> covered = new HashSet<>();
        for (KernelCase c : cases) {
            for (Launch l : c.launches()) {
                assertEquals(index.get(l.kernel()), c.ptxFile(), c.id() + ": " + l.kernel() + " is not indexed in "
                        + c.ptxFile());
            }
            covered.add(c.kernel());
        }
        Set<String> missing = new TreeSet<>(index.keySet());
        missing.removeAll(covered);
        assertTrue(missing.isEmpty(), "kernels without a case: " + missing);
    }

    @Test
    void caseIdsAreUnique() {
        Set<String> ids = new HashSet<>();
        for (KernelCase c : cases) {
            assertTrue(ids.add(c.id()), "duplicate id " + c.id());
        }
    }

    @Test
    void argumentsMatchThePtxSignatures() {
        for (KernelCase c : cases) {
            for (Launch l : c.launches()) {
                List<String> params = entries.get(c.ptxFile() + "/" + l.kernel());
                assertNotNull(params, c.id() + ": no .entry " + l.kernel() + " in " + c.ptxFile());
                assertEquals(params.size(), l.args().size(), c.id() + ": parameter count of " + l.kernel());
                for (int k = 0; k < params.size(); k++) {
                    String type = params.get(k);
                    Arg arg = l.args().get(k);
                    String where = c.id() + ": " + l.kernel() + " parameter " + k + " (" + arg.name() + ", ." + type + ")";
                    if (type.equals("u64")) {
                        assertTrue(arg instanceof Arg.Buffer, where + " is a device pointer");
                    } else {
                        assertTrue(arg instanceof Arg.Scalar, where + " is passed by value");
                        assertEquals(sizeOf(type), ((Arg.Scalar) arg).size(), where + " size");
                    }
                }
            }
        }
    }

    private static int sizeOf(String type) {
        Matcher m = Pattern.compile("[a-z]+(\\d+)(?:\\[(\\d+)\\])?").matcher(type);
        assertTrue(m.matches(), type);
        int bits = Integer.parseInt(m.group(1));
        return bits / 8 * (m.group(2) == null ? 1 : Integer.parseInt(m.group(2)));
    }

    @Test
    void launchConfigurationsHonourTheCorpusContracts() {
        for (KernelCase c : cases) {
            for (Launch l : c.launches()) {
                String k = l.kernel(), id = c.id();
                Dim3 b = l.block(), g = l.grid();
                assertTrue(b.count() <= 1024 && b.x() <= 1024 && b.y() <= 1024 && b.z() <= 64, id + ": block " + b);
                assertTrue(g.y() <= 65535 && g.z() <= 65535, id + ": grid " + g);
                boolean warp = c.ptxFile().equals("warp.ptx") || c.ptxFile().equals("coop_groups.ptx")
                        || WARP_KERNELS.contains(k);
                if (warp) {
                    assertEquals(0, b.x() % 32, id + ": blockDim.x must be a multiple of 32");
                }
                if (SHARED_256.contains(k) || k.equals("red_inline_ptx")) {
                    assertTrue(b.x() <= 256, id + ": blockDim.x <= 256");
                }
                if (k.equals("sync_block_sum")) {
                    assertEquals(1, Integer.bitCount(b.x()), id + ": blockDim.x must be a power of two");
                }
                int m = b.x();
                switch (k) {
                    case "dyn_shared_reverse" -> assertEquals(4 * m, l.sharedBytes(), id);
                    case "dyn_shared_scan" -> assertEquals(8 * m, l.sharedBytes(), id);
                    case "dyn_shared_typed" -> assertEquals(16 * m, l.sharedBytes(), id);
                    case "dyn_shared_transpose" -> {
                        assertEquals(16 * 17 * 4, l.sharedBytes(), id);
                        assertEquals(Dim3.of(16, 16), b, id);
                    }
                    case "sreg_invariants" -> assertEquals(l.sharedBytes(), Le.getI32(((Arg.Scalar) l.args().get(1))
                            .value(), 0), id + ": dyn must be the dynamic shared size");
                    default -> assertEquals(0, l.sharedBytes(), id + ": no dynamic shared memory declared");
                }
                if (!k.equals("sreg_3d_index") && !k.equals("dyn_shared_transpose")) {
                    assertEquals(1, b.y() * b.z() * g.y() * g.z(), id + ": 1D launch expected");
                }
            }
        }
    }

    @Test
    void printfAndErrorCasesAreWellFormed() {
        int printf = 0, errors = 0;
        for (KernelCase c : cases) {
            if (c.ptxFile().equals("printf.ptx")) {
                assertNotNull(c.stdout(), c.id());
                printf++;
            } else {
                assertNull(c.stdout(), c.id());
            }
            if (c.error() != null) {
                errors++;
                assertTrue(c.error().cuResult().startsWith("CUDA_ERROR_"), c.id());
                for (Arg.Buffer b : c.main().buffers()) {
                    assertTrue(b.expect() instanceof Expect.Unchanged || b.expect() instanceof Expect.Anything,
                            c.id() + ": buffers of a failing launch cannot be checked");
                }
            }
        }
        assertTrue(printf >= 3 && errors >= 4, printf + " printf cases, " + errors + " failing cases");
    }

    /** Every expectation accepts its own expected bytes and rejects the untouched output buffer and garbage. */
    @Test
    void expectationsAcceptTheReferenceAndCanFail() {
        for (KernelCase c : cases) {
            for (Launch l : c.launches()) {
                for (Arg.Buffer b : l.buffers()) {
                    String where = c.id() + " " + l.kernel() + "." + b.name();
                    switch (b.expect()) {
                        case Expect.Unchanged u -> {
                            assertNull(b.mismatch(b.initial()), where);
                            byte[] bad = b.initial();
                            bad[bad.length - 1] ^= 1;
                            assertNotNull(b.mismatch(bad), where);
                        }
                        case Expect.Anything a -> assertTrue(c.error() != null, where + ": unchecked buffer");
                        case Expect.Exact e -> {
                            assertNull(b.mismatch(e.bytes()), where);
                            assertNotNull(b.mismatch(b.initial()), where + ": a kernel that does nothing would pass");
                        }
                        case Expect.Fp f -> checkFp(where, b, f);
                        case Expect.Check ch -> assertNotNull(b.mismatch(b.initial()), where);
                    }
                }
            }
        }
    }

    private static void checkFp(String where, Arg.Buffer b, Expect.Fp f) {
        FpFormat fm = f.format();
        long[] bits = f.bits();
        assertNull(b.mismatch(Le.bits(bits, fm.bytes)), where + ": rejects its own reference");
        if (f.alt() != null) {
            assertNull(b.mismatch(Le.bits(f.alt(), fm.bytes)), where + ": rejects its alternative");
        }
        assertNotNull(b.mismatch(b.initial()), where + ": a kernel that does nothing would pass");
        // element-wise: a value far away (or NaN for a number, a number for NaN) must be rejected
        Tol[] tol = f.tol();
        for (int k = 0; k < bits.length; k++) {
            long wrong;
            if (fm.isNaN(bits[k])) {
                wrong = encode(fm, 1.0);
            } else if (fm.isInf(bits[k]) || fm.isZero(bits[k]) && tol[k].abs() < 0) {
                wrong = fm.nan();
            } else {
                double e = fm.toDouble(bits[k]);
                wrong = encode(fm, e + Math.copySign(Math.abs(e) * 0.5 + 4, e));
            }
            assertTrue(!tol[k].accepts(fm, wrong, bits[k]) || !tol[k].accepts(fm, bits[k], wrong),
                    where + "[" + k + "] accepts " + fm.show(wrong) + " for " + fm.show(bits[k]) + tol[k].show());
            assertTrue(!tol[k].accepts(fm, bits[k], wrong), where + "[" + k + "] tolerance too loose");
        }
    }

    @Test
    void dataIsDeterministic() throws Exception {
        assertEquals(fingerprint(cases), fingerprint(CorpusCases.generate()));
    }

    private static String fingerprint(List<KernelCase> list) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (KernelCase c : list) {
            md.update((c.id() + c.ptxFile() + c.error() + (c.stdout() == null ? "" : c.stdout().text()))
                    .getBytes(StandardCharsets.UTF_8));
            for (SymbolInit s : c.symbols()) {
                md.update(s.name().getBytes(StandardCharsets.UTF_8));
                md.update(s.bytes());
            }
            for (Launch l : c.launches()) {
                md.update(l.toString().getBytes(StandardCharsets.UTF_8));
                for (Arg a : l.args()) {
                    if (a instanceof Arg.Scalar s) {
                        md.update(s.value());
                    } else if (a instanceof Arg.Buffer b) {
                        md.update(b.initial());
                        switch (b.expect()) {
                            case Expect.Exact e -> md.update(e.bytes());
                            case Expect.Fp f -> {
                                md.update(Le.i64(f.bits()));
                                if (f.alt() != null) {
                                    md.update(Le.i64(f.alt()));
                                }
                                for (Tol t : f.tol()) {
                                    md.update(Le.f64(t.ulps(), t.abs()));
                                }
                            }
                            default -> md.update(b.expect().describe().getBytes(StandardCharsets.UTF_8));
                        }
                    }
                }
            }
        }
        return java.util.HexFormat.of().formatHex(md.digest());
    }

    // ------------------------------------------------------------------ the reference arithmetic itself

    @Test
    void ieeeRoundToNearestAgreesWithTheJdk() {
        Random r = new Random(42);
        for (int k = 0; k < 20000; k++) {
            float x = Float.intBitsToFloat(r.nextInt()), y = Float.intBitsToFloat(r.nextInt());
            float z = Float.intBitsToFloat(r.nextInt());
            if (k % 3 == 0) {
                y = -Float.intBitsToFloat(Float.floatToRawIntBits(x) + r.nextInt(5) - 2);
            }
            long bx = bits(x), by = bits(y), bz = bits(z);
            same(F32, bits(x + y), Ieee.add(F32, bx, by, Rnd.RN));
            same(F32, bits(x - y), Ieee.sub(F32, bx, by, Rnd.RN));
            same(F32, bits(x * y), Ieee.mul(F32, bx, by, Rnd.RN));
            same(F32, bits(x / y), Ieee.div(F32, bx, by, Rnd.RN));
            same(F32, bits(Math.fma(x, y, z)), Ieee.fma(F32, bx, by, bz, Rnd.RN));
            same(F32, bits((float) Math.sqrt(x)), Ieee.sqrt(F32, bx, Rnd.RN));
            same(F16, Float.floatToFloat16(x) & 0xffffL, Ieee.convert(F32, bx, F16, Rnd.RN));
            double dx = Double.longBitsToDouble(r.nextLong()), dy = Double.longBitsToDouble(r.nextLong());
            double dz = Double.longBitsToDouble(r.nextLong());
            long lx = Double.doubleToRawLongBits(dx), ly = Double.doubleToRawLongBits(dy);
            long lz = Double.doubleToRawLongBits(dz);
            same(F64, Double.doubleToRawLongBits(dx + dy), Ieee.add(F64, lx, ly, Rnd.RN));
            same(F64, Double.doubleToRawLongBits(dx * dy), Ieee.mul(F64, lx, ly, Rnd.RN));
            same(F64, Double.doubleToRawLongBits(dx / dy), Ieee.div(F64, lx, ly, Rnd.RN));
            same(F64, Double.doubleToRawLongBits(Math.fma(dx, dy, dz)), Ieee.fma(F64, lx, ly, lz, Rnd.RN));
            same(F64, Double.doubleToRawLongBits(Math.sqrt(dx)), Ieee.sqrt(F64, lx, Rnd.RN));
            same(F32, bits((float) dx), Ieee.convert(F64, lx, F32, Rnd.RN));
            same(F64, Double.doubleToRawLongBits(Math.rint(dx)), Ieee.roundIntegral(F64, lx, Rnd.RN));
            same(F64, Double.doubleToRawLongBits(Math.floor(dx)), Ieee.roundIntegral(F64, lx, Rnd.RD));
            same(F64, Double.doubleToRawLongBits(Math.ceil(dx)), Ieee.roundIntegral(F64, lx, Rnd.RU));
            long li = r.nextLong() >> r.nextInt(64);
            same(F32, bits((float) li), Ieee.fromLong(F32, li, false, Rnd.RN));
            same(F64, Double.doubleToRawLongBits((double) li), Ieee.fromLong(F64, li, false, Rnd.RN));
        }
    }

    @Test
    void directedRoundingBracketsTheExactResult() {
        Random r = new Random(7);
        for (int k = 0; k < 5000; k++) {
            long x = bits(Float.intBitsToFloat(r.nextInt())), y = bits(Float.intBitsToFloat(r.nextInt()));
            if (!F32.isFinite(x) || !F32.isFinite(y) || F32.isZero(y)) {
                continue;
            }
            long dn = Ieee.div(F32, x, y, Rnd.RD), up = Ieee.div(F32, x, y, Rnd.RU), rz = Ieee.div(F32, x, y, Rnd.RZ);
            Ieee.Q q = Ieee.Q.of(F32, x).div(Ieee.Q.of(F32, y));
            if (F32.isFinite(dn)) {
                assertTrue(Ieee.Q.of(F32, dn).compareTo(q) <= 0);
            }
            if (F32.isFinite(up)) {
                assertTrue(Ieee.Q.of(F32, up).compareTo(q) >= 0);
            }
            assertTrue(F32.ordinal(up) - F32.ordinal(dn) <= 1, "adjacent");
            assertEquals(q.signum() < 0 ? up : dn, rz, "rz is toward zero");
        }
        // spot values
        assertEquals(0x3eaaaaabL, Ieee.div(F32, bits(1f), bits(3f), Rnd.RU));
        assertEquals(0x3eaaaaaaL, Ieee.div(F32, bits(1f), bits(3f), Rnd.RZ));
        assertEquals(bits(-0f), Ieee.add(F32, bits(1f), bits(-1f), Rnd.RD));
        assertEquals(bits(0f), Ieee.add(F32, bits(1f), bits(-1f), Rnd.RU));
        assertEquals(bits(Float.MAX_VALUE), Ieee.mul(F32, bits(1e30f), bits(1e30f), Rnd.RZ));
        assertEquals(bits(Float.NEGATIVE_INFINITY), Ieee.mul(F32, bits(-1e30f), bits(1e30f), Rnd.RD));
        assertEquals(0x3fb504f3L, Ieee.sqrt(F32, bits(2f), Rnd.RZ));
        assertEquals(0x3fb504f3L, Ieee.sqrt(F32, bits(2f), Rnd.RN));
        assertEquals(0x3fb504f4L, Ieee.sqrt(F32, bits(2f), Rnd.RU));
        assertEquals(0x7bffL, Ieee.convert(F32, bits(65520f), F16, Rnd.RZ));
        assertEquals(0x7c00L, Ieee.convert(F32, bits(65520f), F16, Rnd.RN));
        assertEquals(0x0001L, Ieee.convert(F32, bits(1e-45f), F16, Rnd.RU));
        assertEquals(-2147483648L & 0xffffffffL, Ieee.toInt(F32, bits(-3e9f), Rnd.RN, 32, true));
        assertEquals(Long.MIN_VALUE, Ieee.toInt(F32, bits(Float.NaN), Rnd.RN, 64, false)); // H100, 2026-11-26
        assertEquals(0, Ieee.toInt(F32, bits(Float.NaN), Rnd.RN, 32, true));
        assertEquals(0x80000000L, Ieee.toInt(FpFormat.F64, Double.doubleToRawLongBits(Double.NaN), Rnd.RZ, 32, true));
        assertEquals(0, Ieee.toInt(F32, bits(-0.7f), Rnd.RD, 32, false));
        assertEquals(bits(-0f), Ieee.roundIntegral(F32, bits(-0.3f), Rnd.RN));
        assertEquals(bits(-1f), ConvertCases.roundHalfAway(F32, bits(-0.5f)));
        assertEquals(bits(0f), ConvertCases.roundHalfAway(F32, bits(0.49999997f)));
        assertEquals(bits(-0f), Ieee.min(F32, bits(0f), bits(-0f)));
        assertEquals(bits(0f), Ieee.max(F32, bits(-0f), bits(0f)));
        assertEquals(bits(2f), Ieee.min(F32, bits(Float.NaN), bits(2f)));
    }

    @Test
    void bitAndFormatHelpers() {
        assertEquals(0x44332211, BitsCases.prmt(0x11223344, 0x55667788, 0x0123));
        assertEquals(0x444444ff, BitsCases.prmt(0x11223344, 0x55667788, 0x000c));
        assertEquals(0x88888800, BitsCases.prmt(0x11223344, 0x55667788, 0x4448));
        assertEquals(0x44332211 >>> 0, BitsCases.prmtMode(0x44332211, 0x88776655, 0, 0));
        assertEquals(0x55443322, BitsCases.prmtMode(0x44332211, 0x88776655, 1, 0));
        assertEquals(0xffffffff, (int) BitsCases.bfe(0x000000f0L, 4, 4, 32, true));
        assertEquals(0x0000000f, (int) BitsCases.bfe(0x000000f0L, 4, 4, 32, false));
        assertEquals(0, (int) BitsCases.bfe(0xffffffffL, 40, 4, 32, false));
        assertEquals(0xffffffff, (int) BitsCases.bfe(0x80000000L, 31, 9, 32, true));
        assertEquals(0x12345ab8, BitsCases.bfi(0xab, 0x12345678, 4, 8));
        assertEquals(0x96, BitsCases.lop3(0xf0, 0xcc, 0xaa, 0x96) & 0xff);
        assertEquals(0xe8, BitsCases.lop3(0xf0, 0xcc, 0xaa, 0xe8) & 0xff);
        assertEquals(0x3f802000, ConvertCases.tf32(Float.intBitsToFloat(0x3f801000)));
        assertEquals(0x3f800000, ConvertCases.tf32(Float.intBitsToFloat(0x3f800fff)));
        assertEquals("1.234568e+04", PrintfCases.sci(12345.678));
        assertEquals("1.000000e-05", PrintfCases.sci(1e-5));
        assertEquals("-2.500000e+300", PrintfCases.sci(-2.5e300));
        assertEquals("0.000000e+00", PrintfCases.sci(0));
        assertEquals("-1.200", PrintfCases.fixed(-1.2f, 3));
        assertEquals("28571.428", PrintfCases.fixed((float) (200000 / 7.0), 3));
        assertEquals(0.5204998778130465, MathApproxCases.erf(0.5), 1e-15);
        assertEquals(0.8427007929497149, MathApproxCases.erf(1), 1e-15);
        assertEquals(-0.9953222650189527, MathApproxCases.erf(-2), 1e-15);
        assertEquals(0.9999999845827421, MathApproxCases.erf(4), 1e-15);
        assertEquals(128, ArithIntCases.sad(3, 127, 4, true));
        assertEquals(-2, ArithIntCases.sad(-1, 0, -3, true));
        assertEquals(-4, ArithIntCases.sad(-1, 0, -3, false));
        int[] limbs = ArithIntCases.mulChain(-1L, -1L);
        assertEquals(List.of(1, 0, -2, -1), List.of(limbs[0], limbs[1], limbs[2], limbs[3]));
    }

    private static long encode(FpFormat fm, double v) {
        return switch (fm) {
            case F64 -> Double.doubleToRawLongBits(v);
            case F32 -> bits((float) v);
            case F16 -> Float.floatToFloat16((float) v) & 0xffffL;
            case BF16 -> Ieee.fromDouble(fm, v);
        };
    }

    private static long bits(float f) {
        return Float.floatToRawIntBits(f) & 0xffffffffL;
    }

    private static void same(FpFormat f, long expected, long actual) {
        if (f.isNaN(expected) && f.isNaN(actual)) {
            return;
        }
        if (expected != actual) {
            fail("expected " + f.show(expected) + ", reference gave " + f.show(actual));
        }
    }

    /** Regression: ulp distances of doubles were computed in double precision and rounded to 1024. */
    @org.junit.jupiter.api.Test
    void ulpToleranceOfDoublesCountsSingleUlps() {
        long e = Double.doubleToRawLongBits(0.7417617388994415);
        Tol three = Tol.ulps(3);
        org.junit.jupiter.api.Assertions.assertTrue(three.accepts(FpFormat.F64, e, e + 1));
        org.junit.jupiter.api.Assertions.assertTrue(three.accepts(FpFormat.F64, e, e - 3));
        org.junit.jupiter.api.Assertions.assertFalse(three.accepts(FpFormat.F64, e, e + 4));
        org.junit.jupiter.api.Assertions.assertFalse(three.accepts(FpFormat.F64, e, Double.doubleToRawLongBits(-0.7417617388994415)));
    }
}
