/**
 * A SPIR-V module writer for the code generator: {@link org.transcuda.backend.vulkan.spirv.SpirvModule}
 * (ids, sections in logical-layout order, deduplicated types and constants, decorations, entry points),
 * {@link org.transcuda.backend.vulkan.spirv.SpirvFunction} (blocks, instructions, function variables hoisted to
 * the entry block), {@link org.transcuda.backend.vulkan.spirv.Op} and
 * {@link org.transcuda.backend.vulkan.spirv.Spv} (opcodes and operand enums, checked against
 * {@code spirv-dis}), and {@link org.transcuda.backend.vulkan.spirv.KernelFrame}, which declares the
 * {@link org.transcuda.backend.vulkan.KernelAbi} every kernel shader follows.
 *
 * <p>Rules the generator must respect (spirv-val enforces them): structured control flow
 * ({@code OpSelectionMerge}/{@code OpLoopMerge} immediately before the block's branch, the loop condition
 * computed in the header before the merge instruction); {@code Aligned} on every
 * {@code PhysicalStorageBuffer} load and store; every global variable in the entry point's interface
 * (SPIR-V 1.4+); {@code OpPhi} only at the start of a block.
 */
package org.transcuda.backend.vulkan.spirv;
