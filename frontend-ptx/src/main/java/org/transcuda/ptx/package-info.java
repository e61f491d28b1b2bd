/**
 * The PTX front end's entry point, {@link org.transcuda.ptx.PtxTranslator}: PTX text to the IR of
 * {@link org.transcuda.ir}, through the passes of {@link org.transcuda.ptx.pass} (the order is on
 * {@link org.transcuda.ptx.PtxTranslator}), and structured control flow for SPIR-V backends
 * ({@link org.transcuda.ptx.PtxTranslator#structurize}).
 */
@Export
@Version("0.2.0")
package org.transcuda.ptx;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
