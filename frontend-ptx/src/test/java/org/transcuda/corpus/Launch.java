package org.transcuda.corpus;

import java.util.List;

/**
 * One kernel launch: the {@code .entry} name, launch configuration, dynamic shared memory bytes and
 * the arguments in {@code .param} order. Every {@link Arg.Buffer} is its own device allocation.
 */
public record Launch(String kernel, Dim3 grid, Dim3 block, int sharedBytes, List<Arg> args) {

    public Launch {
        args = List.copyOf(args);
        if (sharedBytes < 0) {
            throw new IllegalArgumentException("negative dynamic shared size");
        }
    }

    /** The buffer arguments in parameter order. */
    public List<Arg.Buffer> buffers() {
        return args.stream().filter(a -> a instanceof Arg.Buffer).map(a -> (Arg.Buffer) a).toList();
    }

    /** Total number of threads launched. */
    public long threads() {
        return grid.count() * block.count();
    }

    @Override
    public String toString() {
        return kernel + "<<<" + grid + ", " + block + (sharedBytes > 0 ? ", " + sharedBytes : "") + ">>>" + args;
    }
}
