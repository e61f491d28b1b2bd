package org.transcuda.spi;

import java.util.Objects;
import org.transcuda.cuda.Dim3;

/**
 * Geometry of a kernel launch, already checked against the device's limits by the front end.
 *
 * @param grid               blocks per grid
 * @param block              threads per block
 * @param dynamicSharedBytes dynamic shared memory per block
 */
public record LaunchConfig(Dim3 grid, Dim3 block, int dynamicSharedBytes) {
    public LaunchConfig {
        Objects.requireNonNull(grid, "grid");
        Objects.requireNonNull(block, "block");
        if (dynamicSharedBytes < 0) throw new IllegalArgumentException("negative shared memory size");
    }
}
