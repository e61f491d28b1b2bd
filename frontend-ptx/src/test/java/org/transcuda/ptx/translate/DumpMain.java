package org.transcuda.ptx.translate;

import java.nio.file.Files;
import java.nio.file.Path;
import org.transcuda.ir.IrPrinter;
import org.transcuda.ir.Module;
import org.transcuda.ptx.PtxTranslator;

/** Prints the IR of a PTX file after a pass: {@code DumpMain FILE [PASS|all]} (a development aid). */
public final class DumpMain {
    private DumpMain() {
    }

    public static void main(String[] args) throws Exception {
        Path p = Path.of(args[0]);
        String want = args.length > 1 ? args[1] : "dead-code";
        Module result = PtxTranslator.translate(p.getFileName().toString(), Files.readString(p),
                new PtxTranslator.Options(args.length > 2, true), new PtxTranslator.PassListener() {
                    @Override
                    public void afterPass(String pass, Module m) {
                        if (want.equals("all") || want.equals(pass)) {
                            System.out.println("=== after " + pass);
                            System.out.println(IrPrinter.print(m));
                        }
                    }

                    @Override
                    public void afterPtxPass(String pass, String dump) {
                        if (want.equals("all") || want.equals(pass)) {
                            System.out.println("=== after " + pass);
                            System.out.println(dump);
                        }
                    }
                });
        if (want.equals("structured")) {
            for (org.transcuda.ir.StructuredFunction sf : PtxTranslator.structurize(result)) {
                System.out.println(IrPrinter.print(sf.function()));
                for (var c : sf.constructs()) System.out.println("  " + c);
                System.out.println(org.transcuda.ptx.pass.StructureVerifier.verify(sf));
            }
        }
    }
}
