/**
 * The PTX parser: a hand-written lexer and recursive-descent parser that turns PTX text into the syntax tree of
 * {@link org.transcuda.ptx.ast}. Entry point: {@link org.transcuda.ptx.parse.PtxParser#parse(String, CharSequence)};
 * malformed input raises {@link org.transcuda.ptx.parse.PtxParseException} with {@code file:line:col}, a {@code .version}
 * newer than the newest implemented ({@link org.transcuda.ptx.parse.PtxParser#NEWEST_ISA_MAJOR}) its subclass
 * {@link org.transcuda.ptx.parse.UnsupportedPtxVersionException}.
 */
@Export
@Version("0.2.0")
package org.transcuda.ptx.parse;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
