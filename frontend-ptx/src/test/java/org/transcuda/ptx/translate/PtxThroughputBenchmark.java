package org.transcuda.ptx.translate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.transcuda.ir.Module;
import org.transcuda.ptx.PtxTranslator;
import org.transcuda.ptx.ast.PtxModule;
import org.transcuda.ptx.parse.PtxParser;

/**
 * Throughput benchmark (not a test): builds one large PTX module from renamed copies of every corpus function and
 * times parsing plus translation against {@code ptxas -arch=sm_80} on the same file.
 *
 * <pre>
 * frontend-ptx/src/test/bench/ptx-throughput.sh [COPIES]     # default 60 copies, about 24 MB of PTX
 * </pre>
 *
 * Arguments: {@code [copies] [output.ptx] [--no-ptxas]}. Prints sizes, times (best of three runs after a warm-up),
 * where the translation time goes pass by pass, and the ratio. Without ptxas on the PATH (or with
 * {@code --no-ptxas}) only the translator is timed; ptxas takes minutes on tens of MB.
 */
public final class PtxThroughputBenchmark {
    private PtxThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int copies = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        Path out = args.length > 1 ? Path.of(args[1]) : Files.createTempFile("ptx-throughput", ".ptx");
        String ptx = build(copies);
        Files.writeString(out, ptx, StandardCharsets.UTF_8);
        System.out.printf(Locale.ROOT, "module: %s, %.1f MB, %d lines, %d copies of the corpus%n", out,
                ptx.length() / 1e6, ptx.lines().count(), copies);

        // warm-up on a smaller module
        String warm = build(Math.max(1, copies / 10));
        for (int i = 0; i < 2; i++) PtxTranslator.translate("warm.ptx", warm);

        long bestParse = Long.MAX_VALUE;
        long bestTotal = Long.MAX_VALUE;
        Module m = null;
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            PtxModule ast = PtxParser.parse("big.ptx", ptx);
            long t1 = System.nanoTime();
            m = PtxTranslator.translate(ast, PtxTranslator.Options.DEFAULT, null);
            long t2 = System.nanoTime();
            bestParse = Math.min(bestParse, t1 - t0);
            bestTotal = Math.min(bestTotal, t2 - t0);
        }
        System.out.printf(Locale.ROOT, "transcuda: parse %.2f s, parse+translate %.2f s (%.1f MB/s), %d functions,"
                + " %d problems%n", bestParse / 1e9, bestTotal / 1e9, ptx.length() / 1e6 / (bestTotal / 1e9),
                m.functions().size(), m.problems().size());

        // where the time goes, pass by pass (one more run)
        long[] last = {System.nanoTime()};
        StringBuilder perPass = new StringBuilder("per pass:");
        PtxModule ast = PtxParser.parse("big.ptx", ptx);
        last[0] = System.nanoTime();
        PtxTranslator.translate(ast, PtxTranslator.Options.DEFAULT, new PtxTranslator.PassListener() {
            @Override
            public void afterPass(String pass, Module after) {
                long now = System.nanoTime();
                perPass.append(String.format(Locale.ROOT, " %s %.2f s,", pass, (now - last[0]) / 1e9));
                last[0] = System.nanoTime();
            }

            @Override
            public void afterPtxPass(String pass, String dump) {
                long now = System.nanoTime();
                perPass.append(String.format(Locale.ROOT, " %s %.2f s (+dump),", pass, (now - last[0]) / 1e9));
                last[0] = System.nanoTime();
            }
        });
        System.out.println(perPass);

        String ptxas = args.length > 2 && args[2].equals("--no-ptxas") ? null : findPtxas();
        if (ptxas == null) {
            System.out.println("ptxas: not run (not on PATH, or --no-ptxas)");
            return;
        }
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(ptxas, "-arch=sm_80", out.toString(), "-o", "/dev/null")
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.MINUTES)) p.destroyForcibly();
        long t1 = System.nanoTime();
        if (p.exitValue() != 0) System.out.println("ptxas failed: " + log);
        System.out.printf(Locale.ROOT, "ptxas -arch=sm_80: %.2f s%n", (t1 - t0) / 1e9);
        System.out.printf(Locale.ROOT, "ratio ptxas / transcuda parse+translate: %.1fx%n",
                (double) (t1 - t0) / bestTotal);
    }

    private static String findPtxas() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, "ptxas");
            if (Files.isExecutable(p)) return p.toString();
        }
        return null;
    }

    /** The corpus, {@code copies} times, every module-scope name of copy k renamed with a suffix _ck. */
    static String build(int copies) throws IOException {
        List<Path> files = TranslateSupport.corpusFiles();
        StringBuilder sb = new StringBuilder(copies * 420_000);
        sb.append(".version 9.0\n.target sm_80\n.address_size 64\n\n");
        Set<String> externs = new LinkedHashSet<>();
        List<String> bodies = new ArrayList<>();
        List<Set<String>> names = new ArrayList<>();
        for (Path f : files) {
            String text = Files.readString(f);
            PtxModule ast = PtxParser.parse(f.getFileName().toString(), text);
            Set<String> local = new HashSet<>();
            for (var fn : ast.functions()) if (fn.hasBody()) local.add(fn.name());
            for (var v : ast.variables()) local.add(v.name());
            StringBuilder body = new StringBuilder();
            for (String line : text.split("\n", -1)) {
                String t = line.strip();
                if (t.startsWith(".version") || t.startsWith(".target") || t.startsWith(".address_size")) continue;
                body.append(line).append('\n');
            }
            // extern declarations (vprintf, __assertfail) once, unrenamed
            String b = body.toString();
            int at;
            while ((at = b.indexOf(".extern .func")) >= 0) {
                int end = b.indexOf(';', at);
                externs.add(b.substring(at, end + 1));
                b = b.substring(0, at) + b.substring(end + 1);
            }
            bodies.add(b);
            names.add(local);
        }
        for (String e : externs) sb.append(e).append('\n');
        for (int k = 0; k < copies; k++) {
            for (int i = 0; i < bodies.size(); i++) {
                sb.append(rename(bodies.get(i), names.get(i), "_c" + k + "_" + i));
            }
        }
        return sb.toString();
    }

    private static boolean identChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    /** Appends suffix to every whole-word occurrence of the names. */
    static String rename(String text, Set<String> names, String suffix) {
        StringBuilder out = new StringBuilder(text.length() + 4096);
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (identChar(c) && (i == 0 || !identChar(text.charAt(i - 1)) && text.charAt(i - 1) != '%')) {
                int j = i;
                while (j < n && identChar(text.charAt(j))) j++;
                String word = text.substring(i, j);
                out.append(word);
                if (names.contains(word)) out.append(suffix);
                i = j;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
