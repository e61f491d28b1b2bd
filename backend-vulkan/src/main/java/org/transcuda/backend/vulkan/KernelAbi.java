package org.transcuda.backend.vulkan;

/**
 * The contract between a kernel's SPIR-V and the runtime that launches it. The code generator emits
 * shaders that follow it ({@link org.transcuda.backend.vulkan.spirv.KernelFrame} declares all of it);
 * {@link VulkanStream} fills it at each launch.
 *
 * <h2>Push constants</h2>
 * One push-constant block, compute stage, at offset 0:
 * <pre>
 * offset  0  uint32 nctaid.x, nctaid.y, nctaid.z     -- %nctaid: the CUDA grid, whole
 * offset 12  uint32 ctaidBase.x, ctaidBase.y, ctaidBase.z -- block index of this dispatch's first workgroup
 * offset 24  uint64 argsAddress                      -- ArgsMode.BUFFER: device address of the argument bytes
 * offset 32  bytes  args[]                           -- ArgsMode.PUSH_CONSTANTS: the argument bytes inline
 * then, at {@link #boundsOffset} (8-aligned, after the inline arguments):
 *            uint64 boundsLo, boundsSize             -- the context's device memory at the launch: kernels check
 *                                                       every global access against [boundsLo, boundsLo + boundsSize)
 * </pre>
 * {@code %ctaid = WorkgroupId + ctaidBase}: a grid larger than {@code maxComputeWorkGroupCount} is split
 * into several dispatches (each updates {@code ctaidBase}), so shaders must not use
 * {@code GlobalInvocationId} or {@code NumWorkgroups} for CUDA's indices.
 *
 * <h2>Kernel arguments</h2>
 * The packed argument buffer of the launch (laid out as {@link org.transcuda.ir.Function#params()} says, up
 * to CUDA's 32 764 bytes) reaches the shader in one of two ways, chosen per kernel by the code generator:
 * <ul>
 * <li>{@link VulkanKernel.ArgsMode#PUSH_CONSTANTS}: inline at offset {@value #ARGS_OFFSET}, when
 * {@code 32 + size (8-aligned) + 16 <= maxPushConstantsSize} (128 bytes is the Vulkan minimum, so 80 bytes of
 * arguments always fit). Fastest: no memory load per argument. Read as 32-bit words (8/16-bit push-constant access is
 * optional in Vulkan).</li>
 * <li>{@link VulkanKernel.ArgsMode#BUFFER}: the bytes are copied into a host-visible, device-addressable
 * upload buffer owned by the stream (recycled when the launch completes) and the shader loads them through
 * a {@code PhysicalStorageBuffer} pointer made from {@code argsAddress} (16-byte aligned).</li>
 * </ul>
 *
 * <h2>Specialization constants</h2>
 * <pre>
 * SpecId 0, 1, 2  block size x, y, z (%ntid): the shader decorates a WorkgroupSize
 *                 OpSpecConstantComposite of them, so one SPIR-V module serves every block size
 * SpecId 3        dynamic shared memory bytes of the launch: the shader sizes its Workgroup array with it
 * </pre>
 * A pipeline is created per (kernel, block size, dynamic shared size) and cached in the context.
 *
 * <h2>Shared memory and subgroups</h2>
 * CUDA shared memory is {@code Workgroup} storage: static {@code .shared} variables and then the dynamic
 * {@code extern .shared} array, whose size is SpecId 3. CUDA's warp is 32 threads, but a Vulkan subgroup
 * has the device's size ({@code 8} on lavapipe, 32 on NVIDIA, 32 or 64 on AMD, 8 to 32 on Intel): warp
 * intrinsics must be emulated with Workgroup memory where the subgroup size is not 32, or the pipeline
 * must request a 32-wide subgroup ({@link VulkanKernel#requiredSubgroupSize()}) where
 * {@code subgroupSizeControl} allows it.
 */
public final class KernelAbi {
    private KernelAbi() {
    }

    /** Offset of {@code nctaid} (three uint32). */
    public static final int NCTAID_OFFSET = 0;
    /** Offset of {@code ctaidBase} (three uint32). */
    public static final int CTAID_BASE_OFFSET = 12;
    /** Offset of the argument buffer's device address (uint64). */
    public static final int ARGS_ADDRESS_OFFSET = 24;
    /** Offset of inline arguments, and size of the header every kernel's push constants start with. */
    public static final int ARGS_OFFSET = 32;
    /** Bytes of the bounds ({@code boundsLo}, {@code boundsSize}) at {@link #boundsOffset}. */
    public static final int BOUNDS_BYTES = 16;

    /**
     * Offset of the bounds of the context's device memory ({@code boundsLo} u64, then {@code boundsSize} u64):
     * right after the header, or after the inline arguments (rounded up to 8 bytes).
     */
    public static int boundsOffset(boolean inlineArgs, int argBytes) {
        return ARGS_OFFSET + (inlineArgs ? (argBytes + 7) & ~7 : 0);
    }

    /** Alignment of the argument buffer in {@code BUFFER} mode. */
    public static final int ARGS_BUFFER_ALIGNMENT = 16;
    /** CUDA's limit on a kernel's argument bytes (CUDA 12.1+: 32764). */
    public static final int MAX_ARGS_BYTES = 32764;

    /** Specialization constant ids of the block size x, y, z. */
    public static final int SPEC_BLOCK_X = 0;
    public static final int SPEC_BLOCK_Y = 1;
    public static final int SPEC_BLOCK_Z = 2;
    /** Specialization constant id of the launch's dynamic shared memory bytes. */
    public static final int SPEC_DYNAMIC_SHARED_BYTES = 3;
    /** Number of specialization constants the runtime sets. */
    public static final int SPEC_COUNT = 4;
}
