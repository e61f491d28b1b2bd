package org.transcuda.corpus;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The end-to-end test data for the kernel corpus ({@code corpus/} at the repository root): every
 * kernel of {@code corpus/kernels.tsv} with launch configuration, inputs and expected outputs
 * computed by the Java references in this package (never by a backend).
 *
 * <p>A backend runner does, for each {@link KernelCase} of {@link #all()}:
 * <ol>
 * <li>load {@link #ptx(KernelCase)} as a fresh module (each case starts from the module's initial
 * global state) and apply {@link KernelCase#symbols()};</li>
 * <li>for each {@link Launch} of {@link KernelCase#launches()}: allocate one device buffer per
 * {@link Arg.Buffer} and copy {@link Arg.Buffer#initial()} in, pass buffers as device pointers and
 * {@link Arg.Scalar#value()} bytes as by-value parameters, launch with grid, block and
 * {@code sharedBytes} of dynamic shared memory, and synchronise;</li>
 * <li>if {@link KernelCase#error()} is set, require that the launch under test fails with that
 * {@code CUresult}; otherwise require success, read every buffer back and require
 * {@link Arg.Buffer#mismatch(byte[])} (or {@link KernelCase#mismatches(List)}) to be null/empty;</li>
 * <li>if {@link KernelCase#stdout()} is set, compare the device printf output with it.</li>
 * </ol>
 */
public final class CorpusCases {

    private static List<KernelCase> all;

    private CorpusCases() {
    }

    /** Case generators per corpus source file. */
    static Map<String, Supplier<List<KernelCase>>> generators() {
        Map<String, Supplier<List<KernelCase>>> m = new TreeMap<>();
        m.put("arith_int", ArithIntCases::cases);
        m.put("arith_float", ArithFloatCases::cases);
        m.put("arith_double", ArithDoubleCases::cases);
        m.put("half", HalfCases::cases);
        m.put("bits", BitsCases::cases);
        m.put("compare", CompareCases::cases);
        m.put("convert", ConvertCases::cases);
        m.put("memory", MemoryCases::cases);
        m.put("atomics", AtomicsCases::cases);
        m.put("sync", SyncCases::cases);
        m.put("warp", WarpCases::cases);
        m.put("math_approx", MathApproxCases::cases);
        m.put("functions", FunctionsCases::cases);
        m.put("local", LocalCases::cases);
        m.put("shared_dynamic", SharedDynamicCases::cases);
        m.put("constant", ConstantCases::cases);
        m.put("globals", GlobalsCases::cases);
        m.put("control", ControlCases::cases);
        m.put("printf", PrintfCases::cases);
        m.put("assert", AssertCases::cases);
        m.put("coop_groups", CoopGroupsCases::cases);
        m.put("special_regs", SpecialRegsCases::cases);
        return m;
    }

    /** Every case (computed once, then cached; the data is immutable). */
    public static synchronized List<KernelCase> all() {
        if (all == null) {
            all = Collections.unmodifiableList(generate());
        }
        return all;
    }

    /** A fresh computation of all cases, bypassing the cache (for determinism checks). */
    static List<KernelCase> generate() {
        List<KernelCase> out = new ArrayList<>();
        for (Supplier<List<KernelCase>> s : generators().values()) {
            out.addAll(s.get());
        }
        return out;
    }

    /** The cases of one corpus source, by its base name (e.g. {@code "warp"} for warp.cu / warp.ptx). */
    public static List<KernelCase> of(String file) {
        String ptx = file.replaceFirst("\\.(cu|ptx)$", "") + ".ptx";
        return all().stream().filter(c -> c.ptxFile().equals(ptx)).toList();
    }

    /** The case with this {@link KernelCase#id()}. */
    public static KernelCase byId(String id) {
        return all().stream().filter(c -> c.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no case " + id));
    }

    /**
     * The repository root: the nearest directory at or above the working directory (or the
     * {@code transcuda.root} system property) that contains {@code corpus/ptx}.
     */
    public static Path root() {
        String prop = System.getProperty("transcuda.root");
        Path dir = (prop != null ? Path.of(prop) : Path.of("")).toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("corpus").resolve("ptx"))) {
                return d;
            }
        }
        throw new IllegalStateException("no directory containing corpus/ptx at or above " + dir);
    }

    /** {@code corpus/ptx} under {@link #root()}. */
    public static Path ptxDir() {
        return root().resolve("corpus").resolve("ptx");
    }

    /** The PTX file of a case. */
    public static Path ptx(KernelCase c) {
        return ptxDir().resolve(c.ptxFile());
    }
}
