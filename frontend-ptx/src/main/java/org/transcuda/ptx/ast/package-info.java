/**
 * The PTX syntax tree: what {@link org.transcuda.ptx.parse.PtxParser} produces from PTX source text.
 *
 * <p>The tree is a faithful, untyped picture of the source: instruction modifiers are kept as an ordered
 * list of strings ({@code ".rn"}, {@code ".global"}, {@code ".v4"}, {@code ".u32"}), operands as a small
 * sealed hierarchy ({@link org.transcuda.ptx.ast.Operand}), and every directive and instruction carries its
 * {@link org.transcuda.ptx.ast.SourcePos}. Lowering into the typed IR happens in a later stage.
 * {@link org.transcuda.ptx.ast.PtxPrinter} writes a tree back as PTX.
 */
@Export
@Version("0.1.0")
package org.transcuda.ptx.ast;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
