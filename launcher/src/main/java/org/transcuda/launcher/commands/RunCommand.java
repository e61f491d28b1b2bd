package org.transcuda.launcher.commands;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.transcuda.cuda.Cuda;
import org.transcuda.cuda.CudaContext;
import org.transcuda.cuda.CudaEvent;
import org.transcuda.cuda.CudaException;
import org.transcuda.cuda.CudaFunction;
import org.transcuda.cuda.CudaStream;
import org.transcuda.cuda.Dim3;
import org.transcuda.cuda.KernelArgs;

/**
 * {@code transcuda run FILE.ptx --kernel NAME --grid X[,Y,Z] --block X[,Y,Z] [--shared BYTES] [--dump DIR]
 * ARG...}: runs one kernel on the selected backend and prints every buffer argument afterwards.
 */
@Component(service = Function.class, property = "transcuda.command=run")
public final class RunCommand implements Function<String[], Integer> {
    static final String USAGE = "usage: transcuda run FILE.ptx --kernel NAME --grid X[,Y,Z] --block X[,Y,Z] "
            + "[--shared BYTES] [--dump DIR] ARG...\n"
            + "  ARG: TYPE:VALUE (u32:7, f32:1.5), TYPE[V,...] (f32[1,2,3]), TYPE*COUNT (f32*1024), [TYPE]@FILE\n";

    @Reference
    private Cuda cuda;

    /** The parsed command line. */
    record Options(Path ptx, String kernel, Dim3 grid, Dim3 block, int shared, Path dump, List<String> args) {
    }

    static Dim3 dim(String s, String what) {
        String[] p = s.split(",");
        if (p.length < 1 || p.length > 3) throw new IllegalArgumentException(what + " takes X[,Y,Z], not '" + s + "'");
        int[] v = {1, 1, 1};
        for (int i = 0; i < p.length; i++) {
            try {
                v[i] = Integer.parseInt(p[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(what + " takes X[,Y,Z], not '" + s + "'");
            }
            if (v[i] < 1) throw new IllegalArgumentException(what + " dimensions must be >= 1: '" + s + "'");
        }
        return new Dim3(v[0], v[1], v[2]);
    }

    static Options parse(String[] argv) {
        Path ptx = null;
        String kernel = null;
        Dim3 grid = null;
        Dim3 block = null;
        int shared = 0;
        Path dump = null;
        List<String> args = new ArrayList<>();
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (a.startsWith("--") && !a.equals("--")) {
                if (i + 1 >= argv.length) throw new IllegalArgumentException(a + " needs a value");
                String v = argv[++i];
                switch (a) {
                    case "--kernel" -> kernel = v;
                    case "--grid" -> grid = dim(v, "--grid");
                    case "--block" -> block = dim(v, "--block");
                    case "--shared" -> {
                        try {
                            shared = Integer.parseInt(v);
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException("--shared takes a byte count, not '" + v + "'");
                        }
                    }
                    case "--dump" -> dump = Path.of(v);
                    case "--backend" -> System.setProperty("transcuda.backend", v);
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            } else if (ptx == null) {
                ptx = Path.of(a);
            } else {
                args.add(a);
            }
        }
        if (ptx == null) throw new IllegalArgumentException("no PTX file given");
        if (kernel == null) throw new IllegalArgumentException("--kernel is required");
        if (grid == null || block == null) throw new IllegalArgumentException("--grid and --block are required");
        return new Options(ptx, kernel, grid, block, shared, dump, args);
    }

    @Override
    public Integer apply(String[] argv) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        Options o;
        List<KernelArg> args = new ArrayList<>();
        try {
            o = parse(argv);
            for (String a : o.args()) args.add(KernelArg.parse(a, Path.of("")));
        } catch (IllegalArgumentException e) {
            err.println("transcuda run: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
        String text;
        try {
            text = Files.readString(o.ptx(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            err.println("transcuda run: cannot read " + o.ptx() + ": " + e);
            return 1;
        }
        try {
            return run(o, text, args, out, err);
        } catch (CudaException e) {
            err.println("transcuda run: " + e.getMessage());
            return 1;
        }
    }

    private int run(Options o, String text, List<KernelArg> args, PrintStream out, PrintStream err)
            throws CudaException {
        try (CudaContext ctx = cuda.device(0).createContext()) {
            CudaFunction fn = ctx.loadModule(o.ptx().getFileName().toString(), text).function(o.kernel());
            KernelArgs ka = fn.newArgs();
            long[] pointers = new long[args.size()];
            for (int i = 0; i < args.size(); i++) {
                KernelArg a = args.get(i);
                try {
                    switch (a) {
                        case KernelArg.Scalar s -> ka.add(s.bytes());
                        case KernelArg.Buffer b -> {
                            pointers[i] = ctx.malloc(b.bytes().length);
                            ctx.memcpyHtoD(pointers[i], MemorySegment.ofArray(b.bytes()));
                            ka.add(pointers[i]);
                        }
                    }
                } catch (CudaException e) {
                    err.println("transcuda run: argument " + i + " ('" + o.args().get(i) + "'): " + e.getMessage());
                    return 1;
                }
            }
            CudaStream stream = ctx.defaultStream();
            CudaEvent start = ctx.createEvent();
            CudaEvent end = ctx.createEvent();
            start.record(stream);
            stream.launch(fn, o.grid(), o.block(), o.shared(), ka);
            end.record(stream);
            stream.synchronize();
            float ms = end.elapsedTimeSince(start);
            for (int i = 0; i < args.size(); i++) {
                if (args.get(i) instanceof KernelArg.Buffer b) {
                    byte[] result = new byte[b.bytes().length];
                    ctx.memcpyDtoH(MemorySegment.ofArray(result), pointers[i]);
                    out.println("arg" + i + " = " + KernelArg.Buffer.format(b.type(), result));
                    if (o.dump() != null) {
                        try {
                            Files.createDirectories(o.dump());
                            Files.write(o.dump().resolve("arg" + i + ".bin"), result);
                        } catch (IOException e) {
                            err.println("transcuda run: cannot write " + o.dump() + ": " + e);
                            return 1;
                        }
                    }
                }
            }
            out.println(String.format(Locale.ROOT, "kernel %s grid %s block %s on %s: %.3f ms", o.kernel(), o.grid(),
                    o.block(), ctx.device().backend(), ms));
            return 0;
        }
    }
}
