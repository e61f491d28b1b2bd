package org.transcuda.backend.vulkan.codegen;

import org.transcuda.backend.vulkan.spirv.Op;
import org.transcuda.backend.vulkan.spirv.SpirvFunction;
import org.transcuda.ir.Inst;

/**
 * {@code bar.sync}/{@code barrier.sync} with a thread count ({@code bar.sync id, count}) for {@link SpirvCodegen}.
 *
 * <p>Vulkan has one workgroup barrier, which every invocation of the workgroup must reach. A count equal to the
 * block's threads (what {@code __syncthreads}-style code with named barriers passes, e.g. {@code blockDim.x}) is that
 * barrier, whatever the barrier id. A smaller count means that only some warps meet (producer/consumer warp
 * specialisation); emulating that with arrival counters in shared memory needs the waiting warps to spin until
 * others arrive, and Vulkan gives no forward-progress guarantee between subgroups (lavapipe runs a workgroup's
 * subgroups one after another between barriers, so such a spin never ends). So the count is checked when the
 * barrier runs (a helper): equal to the block's threads, the workgroup barrier; otherwise the thread claims the fault
 * record ({@link SpirvCodegen#FAULT_COUNTED_BARRIER}, with the count and the block's threads) and goes on without
 * waiting, and the launch fails with {@code CUDA_ERROR_NOT_SUPPORTED} naming both. The count must be uniform in the
 * block (checked at compile time with {@link Uniformity}), so every thread takes the same branch.
 * {@code bar.arrive} and {@code bar.red} with a count stay unsupported (compile error).
 */
final class NamedBarriers {
    private NamedBarriers() {
    }

    /** Whether {@code i} can report {@link SpirvCodegen#FAULT_COUNTED_BARRIER}. */
    static boolean mayFault(Inst i) {
        return i instanceof Inst.Barrier b && b.kind() == Inst.BarrierKind.SYNC && b.threads() != null;
    }

    /** {@code bar.sync id, count} with the count as a u32 id. */
    static void countedSync(SpirvCodegen g, int count) throws CodegenException {
        if (!g.hasFaultRecord()) {
            throw new CodegenException("bar.sync with a thread count needs the runtime's fault record (compiled"
                    + " without one)");
        }
        int fn = g.helper("countedBarrier", g.m().typeVoid(), new int[] {g.tU32()}, p -> {
            SpirvFunction h = g.f();
            int threads = g.threads();
            int all = h.op(Op.IEqual, g.tBool(), p[0], threads);
            int lAll = g.m().id(), lOther = g.m().id(), merge = g.m().id();
            h.selectionMerge(merge);
            h.branchConditional(all, lAll, lOther);
            h.label(lAll);
            g.workgroupBarrier();
            h.branch(merge);
            h.label(lOther);
            g.faultWith(SpirvCodegen.FAULT_COUNTED_BARRIER, p[0], threads);
            h.branch(merge);
            h.label(merge);
            h.returnVoid();
        });
        g.f().op(Op.FunctionCall, g.m().typeVoid(), fn, count);
    }
}
