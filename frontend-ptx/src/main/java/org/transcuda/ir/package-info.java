/**
 * The typed intermediate representation (IR) that the PTX front end produces and every backend consumes.
 *
 * <p>A {@link org.transcuda.ir.Module} holds kernels ({@code .entry}) and device functions ({@code .func})
 * with explicit parameter types and layouts, and module-level variables with their address spaces.
 * Backends depend on this package and on {@code org.transcuda.spi}, never on each other.
 */
@Export
@Version("0.1.0")
package org.transcuda.ir;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
