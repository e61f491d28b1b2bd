/**
 * The typed intermediate representation (IR) that the PTX front end produces and every backend consumes.
 *
 * <p>A {@link org.transcuda.ir.Module} holds module variables ({@link org.transcuda.ir.Variable}) and
 * functions. A {@link org.transcuda.ir.Function} has typed virtual registers ({@link org.transcuda.ir.Reg},
 * mutable like PTX registers: the IR is not SSA), memory variables of its own, and an explicit control-flow
 * graph of {@link org.transcuda.ir.Block}s, each a list of {@link org.transcuda.ir.Stmt}s (an
 * {@link org.transcuda.ir.Inst} with an optional guard predicate and a source location) ending in a
 * {@link org.transcuda.ir.Terminator}. {@link org.transcuda.ir.IrPrinter} dumps it as text;
 * {@link org.transcuda.ir.IrVerifier} checks its invariants.
 *
 * <p>What a backend can rely on in a module handed to {@code BackendContext.loadModule}:
 * <ul>
 * <li>Every operand is typed; vector operands are expanded to scalar registers; immediates are
 * {@link org.transcuda.ir.Const}s of the instruction's type.</li>
 * <li>Kernel parameters are read with {@code Load(PARAM, type, address = SymbolAddr(param) + offset)}; the
 * bytes come from the launch's packed argument buffer at {@code param.offset() + offset}.</li>
 * <li>Special registers are {@code ReadSpecial}; the implicit carry flag of {@code add.cc}/{@code addc} is an
 * explicit predicate register of {@code CarryArith}.</li>
 * <li>Device functions take and return values in registers ({@code Function.paramRegs/returnRegs},
 * {@code Inst.Call}); aggregate ({@code .b8} array) parameters are passed as the generic address of a
 * caller-owned local copy.</li>
 * <li>Statements may still carry guards unless the backend asks for the predication pass; a backend that needs
 * structured control flow (Vulkan) gets the structurizer's output.</li>
 * <li>Function-scope {@code .shared} variables are hoisted to module variables; an unsized
 * {@code .extern .shared} array is dynamic shared memory, placed after the static shared variables and sized
 * at launch.</li>
 * <li>Addresses in a space other than generic are offsets/addresses in that space's window; {@code Cvta}
 * converts between a space and generic addresses.</li>
 * </ul>
 * Backends depend on this package and on {@code org.transcuda.spi}, never on each other.
 */
@Export
@Version("0.2.0")
package org.transcuda.ir;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
