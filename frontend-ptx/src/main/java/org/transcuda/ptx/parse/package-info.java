/**
 * The PTX parser: a hand-written lexer and recursive-descent parser that turns PTX text into the syntax tree of
 * {@link org.transcuda.ptx.ast}. Entry point: {@link org.transcuda.ptx.parse.PtxParser#parse(String, CharSequence)};
 * malformed input raises {@link org.transcuda.ptx.parse.PtxParseException} with {@code file:line:col}.
 */
@Export
@Version("0.1.0")
package org.transcuda.ptx.parse;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
