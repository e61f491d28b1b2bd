package org.transcuda.launcher.commands;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import org.osgi.service.component.annotations.Component;
import org.transcuda.ir.IrPrinter;
import org.transcuda.ir.Module;
import org.transcuda.ptx.PtxTranslator;
import org.transcuda.ptx.parse.PtxParseException;

/**
 * {@code transcuda translate FILE.ptx [--dump-after PASS|all] [-o OUT]}: translates PTX to the IR and prints
 * it (or writes it to OUT); {@code --dump-after} also prints the output of one pass, or of every pass.
 */
@Component(service = Function.class, property = "transcuda.command=translate")
public final class TranslateCommand implements Function<String[], Integer> {
    static final String USAGE = "usage: transcuda translate FILE.ptx [--dump-after PASS|all] [-o OUT]\n  passes: "
            + String.join(", ", PtxTranslator.allPassNames()) + "\n";

    @Override
    public Integer apply(String[] argv) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        Path file = null;
        Path output = null;
        String dumpAfter = null;
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if ((a.equals("--dump-after") || a.equals("-o")) && i + 1 < argv.length) {
                if (a.equals("-o")) output = Path.of(argv[++i]);
                else dumpAfter = argv[++i];
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
}
