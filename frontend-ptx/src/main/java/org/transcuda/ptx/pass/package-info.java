/**
 * The translation passes, one file each with one public entry point {@code run(...)}, run in order by
 * {@link org.transcuda.ptx.PtxTranslator}: {@link org.transcuda.ptx.pass.ResolveNames} and
 * {@link org.transcuda.ptx.pass.ExpandOperands} work on the resolved PTX of {@link org.transcuda.ptx.lower};
 * {@link org.transcuda.ptx.pass.SelectInstructions} produces the IR; the rest rewrite IR
 * ({@link org.transcuda.ptx.pass.SpecialRegisters}, {@link org.transcuda.ptx.pass.CarryFlags},
 * {@link org.transcuda.ptx.pass.ImplicitConversions}, {@link org.transcuda.ptx.pass.LowerCalls},
 * {@link org.transcuda.ptx.pass.AddressSpaces}, {@link org.transcuda.ptx.pass.HoistShared},
 * {@link org.transcuda.ptx.pass.DeadCode}, on request {@link org.transcuda.ptx.pass.Predication} and, after it,
 * {@link org.transcuda.ptx.pass.UniformCollectives}).
 * {@link org.transcuda.ptx.pass.ExplicitStack} (run by backends without recursion, after predication) turns recursive
 * calls into loops over a per-thread stack.
 * {@link org.transcuda.ptx.pass.Structurize} and {@link org.transcuda.ptx.pass.StructureVerifier} produce and check
 * SPIR-V structured control flow. A function a pass cannot translate is dropped from the module with its reason
 * ({@link org.transcuda.ptx.pass.Problems}), and with it every function that uses it.
 */
package org.transcuda.ptx.pass;
