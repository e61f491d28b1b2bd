package org.transcuda.corpus;

import java.util.ArrayList;
import java.util.List;

/**
 * One end-to-end test of a corpus kernel: load {@code corpus/ptx/<ptxFile>} as a fresh module,
 * apply {@link #symbols()}, run {@link #launches()} in order on the same module (normally just the
 * kernel under test; {@link #before()} and {@link #after()} are extra launches for kernels that
 * share module state, such as {@code globals_counter_*}), synchronise after each, then check every
 * buffer of every launch with {@link Arg.Buffer#mismatch(byte[])}, the printed text with
 * {@link #stdout()} and, when {@link #error()} is set, that the launch under test fails with that
 * error (buffers are then not checked).
 *
 * @param id        unique, stable name of the case (kernel name plus a variant suffix)
 * @param ptxFile   file name relative to {@code corpus/ptx}
 * @param kernel    the {@code .entry} under test
 * @param stdout    expected device printf output, or null when the kernel prints nothing
 * @param error     expected launch failure, or null when the launch must succeed
 */
public record KernelCase(String id, String ptxFile, String kernel, Dim3 grid, Dim3 block, int sharedBytes,
        List<Arg> args, List<SymbolInit> symbols, List<Launch> before, List<Launch> after, ExpectedStdout stdout,
        ExpectedError error) {

    public KernelCase {
        args = List.copyOf(args);
        symbols = List.copyOf(symbols);
        before = List.copyOf(before);
        after = List.copyOf(after);
    }

    /** The launch of the kernel under test. */
    public Launch main() {
        return new Launch(kernel, grid, block, sharedBytes, args);
    }

    /** {@link #before()}, the launch under test, then {@link #after()}: run them in this order. */
    public List<Launch> launches() {
        List<Launch> all = new ArrayList<>(before);
        all.add(main());
        all.addAll(after);
        return all;
    }

    /** Checks all buffers of all launches; {@code actual.get(l).get(b)} is buffer b of launch l read back. */
    public List<String> mismatches(List<List<byte[]>> actual) {
        List<String> out = new ArrayList<>();
        List<Launch> ls = launches();
        for (int l = 0; l < ls.size(); l++) {
            List<Arg.Buffer> bs = ls.get(l).buffers();
            for (int b = 0; b < bs.size(); b++) {
                String m = bs.get(b).mismatch(actual.get(l).get(b));
                if (m != null) {
                    out.add(ls.get(l).kernel() + " " + m);
                }
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return id;
    }
}
