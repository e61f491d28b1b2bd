package org.transcuda.launcher.commands;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.transcuda.ir.IrPrinter;
import org.transcuda.ir.Module;
import org.transcuda.ptx.PtxTranslator;
import org.transcuda.ptx.parse.PtxParseException;
import org.transcuda.spi.CodeGenerator;

/**
 * {@code transcuda translate FILE.ptx [--dump-after PASS|all] [-o OUT]}: translates PTX to the IR and prints
 * it (or writes it to OUT); {@code --dump-after} also prints the output of one pass, or of every pass.
 *
 * <p>{@code --target NAME [--kernel K] [-o OUT] [--disassemble]} compiles the kernels with the
 * {@link CodeGenerator} service of that target (registered by a backend bundle, e.g. {@code spirv-vulkan}):
 * with {@code -o}, one kernel is written to OUT and several to {@code OUT-STEM.KERNEL.EXT}; without {@code -o},
 * or with {@code --disassemble}, the disassembly is printed. A kernel that cannot be compiled is reported on
 * stderr and makes the exit code 1.
 */
@Component(service = Function.class, property = "transcuda.command=translate")
public final class TranslateCommand implements Function<String[], Integer> {
    static final String USAGE = "usage: transcuda translate FILE.ptx [--dump-after PASS|all] [-o OUT]\n"
            + "       transcuda translate FILE.ptx --target NAME [--kernel K] [-o OUT] [--disassemble]\n  passes: "
            + String.join(", ", PtxTranslator.allPassNames()) + "\n";

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile List<CodeGenerator> generators = new CopyOnWriteArrayList<>();

    @Override
    public Integer apply(String[] argv) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        Path file = null;
        Path output = null;
        String dumpAfter = null;
        String targetName = null;
        String kernel = null;
        boolean disassemble = false;
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if ((a.equals("--dump-after") || a.equals("-o") || a.equals("--target") || a.equals("--kernel"))
                    && i + 1 < argv.length) {
                switch (a) {
                    case "-o" -> output = Path.of(argv[++i]);
                    case "--target" -> targetName = argv[++i];
                    case "--kernel" -> kernel = argv[++i];
                    default -> dumpAfter = argv[++i];
                }
            } else if (a.equals("--disassemble")) {
                disassemble = true;
            } else if (a.startsWith("-")) {
                err.println("transcuda translate: unknown option " + a);
                err.print(USAGE);
                return 2;
            } else if (file == null) {
                file = Path.of(a);
            } else {
                err.println("transcuda translate: one PTX file at a time");
                return 2;
            }
        }
        if (file == null) {
            err.print(USAGE);
            return 2;
        }
        CodeGenerator generator = null;
        if (targetName != null) {
            for (CodeGenerator g : generators) if (g.target().equals(targetName)) generator = g;
            if (generator == null) {
                List<String> known = new ArrayList<>();
                for (CodeGenerator g : generators) known.add(g.target());
                err.println("transcuda translate: no code generator for target '" + targetName + "' (installed: "
                        + (known.isEmpty() ? "none" : String.join(", ", known)) + ")");
                return 2;
            }
        } else if (kernel != null || disassemble) {
            err.println("transcuda translate: --kernel and --disassemble need --target");
            err.print(USAGE);
            return 2;
        }
        if (dumpAfter != null && !dumpAfter.equals("all") && !PtxTranslator.allPassNames().contains(dumpAfter)) {
            err.println("transcuda translate: no pass named '" + dumpAfter + "'");
            err.print(USAGE);
            return 2;
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            err.println("transcuda translate: cannot read " + file + ": " + e);
            return 1;
        }
        String wanted = dumpAfter;
        PtxTranslator.PassListener listener = new PtxTranslator.PassListener() {
            @Override
            public void afterPass(String pass, Module after) {
                if (wanted != null && (wanted.equals("all") || wanted.equals(pass))) {
                    out.println("// ---- after " + pass + " ----");
                    out.print(IrPrinter.print(after));
                }
            }

            @Override
            public void afterPtxPass(String pass, String dump) {
                if (wanted != null && (wanted.equals("all") || wanted.equals(pass))) {
                    out.println("// ---- after " + pass + " ----");
                    out.print(dump);
                }
            }
        };
        Module module;
        try {
            boolean predication = "predication".equals(dumpAfter) || "all".equals(dumpAfter);
            module = PtxTranslator.translate(file.getFileName().toString(), text,
                    new PtxTranslator.Options(predication, false), listener);
        } catch (PtxParseException e) {
            err.println(e.getMessage());
            return 1;
        }
        if (generator != null) return generate(generator, module, kernel, output, disassemble, out, err);
        String dump = IrPrinter.print(module);
        if (output != null) {
            try {
                Files.writeString(output, dump, StandardCharsets.UTF_8);
            } catch (IOException e) {
                err.println("transcuda translate: cannot write " + output + ": " + e);
                return 1;
            }
        } else if (dumpAfter == null) {
            out.print(dump);
        }
        for (Module.Problem p : module.problems()) {
            err.println(p.message() + " (function " + p.function() + " is not translated)");
        }
        return module.problems().isEmpty() ? 0 : 1;
    }

    private static int generate(CodeGenerator generator, Module module, String kernel, Path output,
            boolean disassemble, PrintStream out, PrintStream err) {
        List<CodeGenerator.Artifact> artifacts = new ArrayList<>();
        for (CodeGenerator.Artifact a : generator.generate(module)) {
            if (kernel == null || a.kernel().equals(kernel)) artifacts.add(a);
        }
        if (kernel != null && artifacts.isEmpty()) {
            err.println("transcuda translate: " + module.name() + " has no kernel " + kernel);
            return 1;
        }
        int status = 0;
        for (CodeGenerator.Artifact a : artifacts) {
            if (a.error() != null) {
                err.println(a.kernel() + ": not compiled for " + generator.target() + ": " + a.error());
                status = 1;
                continue;
            }
            if (output != null) {
                Path file = artifacts.size() == 1 ? output : perKernel(output, a.kernel(), generator.extension());
                try {
                    Files.write(file, a.bytes());
                } catch (IOException e) {
                    err.println("transcuda translate: cannot write " + file + ": " + e);
                    return 1;
                }
            }
            if (output == null || disassemble) {
                out.println("; ---- kernel " + a.kernel() + " (" + generator.target() + ") ----");
                out.print(generator.disassemble(a));
            }
        }
        for (Module.Problem p : module.problems()) {
            err.println(p.message() + " (function " + p.function() + " is not translated)");
        }
        return status;
    }

    /** {@code dir/name.ext} to {@code dir/name.KERNEL.ext}. */
    static Path perKernel(Path output, String kernel, String extension) {
        String name = output.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot + 1) : extension;
        return output.resolveSibling(stem + "." + kernel + "." + ext);
    }
}
