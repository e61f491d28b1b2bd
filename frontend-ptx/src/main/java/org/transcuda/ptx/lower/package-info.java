/**
 * PTX after name resolution, before instruction selection: {@link org.transcuda.ptx.lower.PtxUnit} holds module
 * variables and signatures in IR terms and each body as a flat list of {@link org.transcuda.ptx.lower.LStmt}s whose
 * operands ({@link org.transcuda.ptx.lower.LOp}) are bound to registers, symbols, labels and prototypes. Also the
 * tables the PTX-level passes share: types and state spaces ({@link org.transcuda.ptx.lower.PtxTypes}), operand
 * types ({@link org.transcuda.ptx.lower.OperandTypes}), literals, special registers, unsupported instructions.
 */
package org.transcuda.ptx.lower;
