package org.transcuda.backend.vulkan;

import java.util.List;
import org.transcuda.backend.vulkan.VulkanKernel.ArgsMode;
import org.transcuda.backend.vulkan.spirv.KernelFrame;
import org.transcuda.backend.vulkan.spirv.Op;
import org.transcuda.backend.vulkan.spirv.SpirvFunction;
import org.transcuda.backend.vulkan.spirv.SpirvModule;
import org.transcuda.backend.vulkan.spirv.Spv;
import org.transcuda.ir.Param;
import org.transcuda.ir.Params;
import org.transcuda.ir.ScalarType;

/** Compute shaders built with the SPIR-V writer, as the code generator will build them. */
final class TestKernels {
    private TestKernels() {
    }

    /** Emits {@code if (cond) { body }} as a structured selection. */
    static void ifThen(KernelFrame f, int cond, Runnable body) {
        SpirvFunction fn = f.fn;
        int then = f.m.id();
        int end = f.m.id();
        fn.selectionMerge(end);
        fn.branchConditional(cond, then, end);
        fn.label(then);
        body.run();
        fn.branch(end);
        fn.label(end);
    }

    /** {@code ctaid.x * ntid.x + tid.x}. */
    static int globalIdX(KernelFrame f) {
        return f.fn.op(Op.IAdd, f.tU32, f.fn.op(Op.IMul, f.tU32, f.ctaid(0), f.ntid(0)), f.tid(0));
    }

    static final List<Param> SCALE_ADD_PARAMS = new Params().add("out", ScalarType.U64).add("in", ScalarType.U64)
            .add("k", ScalarType.U32).add("n", ScalarType.U32).build();

    /** {@code out[i] = in[i] * k + i} for {@code i < n} (unsigned 32-bit). */
    static VulkanKernel scaleAdd(ArgsMode mode) {
        KernelFrame f = new KernelFrame("scale_add", mode == ArgsMode.PUSH_CONSTANTS, 24);
        SpirvFunction fn = f.fn;
        int gid = globalIdX(f);
        int inRange = fn.op(Op.ULessThan, f.tBool, gid, f.argU32(20));
        ifThen(f, inRange, () -> {
            int x = f.loadGlobal(f.tU32, f.index64(f.argU64(8), gid, 4), 4);
            int y = fn.op(Op.IAdd, f.tU32, fn.op(Op.IMul, f.tU32, x, f.argU32(16)), gid);
            f.storeGlobal(f.tU32, f.index64(f.argU64(0), gid, 4), y, 4);
        });
        return new VulkanKernel("scale_add", f.finish(), SCALE_ADD_PARAMS, mode, 0);
    }

    static final List<Param> OUT_IN_PARAMS = new Params().add("out", ScalarType.U64).add("in", ScalarType.U64).build();

    /** Reverses each block's slice through dynamic shared memory: {@code out[b*n+t] = in[b*n + n-1-t]}. */
    static VulkanKernel blockReverse() {
        KernelFrame f = new KernelFrame("block_reverse", true, 16);
        SpirvFunction fn = f.fn;
        f.sharedArray(0);
        int tid = f.tid(0);
        int gid = globalIdX(f);
        int x = f.loadGlobal(f.tU32, f.index64(f.argU64(8), gid, 4), 4);
        fn.store(f.sharedWord(tid), x);
        f.syncthreads();
        int mirror = fn.op(Op.ISub, f.tU32, fn.op(Op.ISub, f.tU32, f.ntid(0), f.m.constantU32(1)), tid);
        int y = fn.load(f.tU32, f.sharedWord(mirror));
        f.storeGlobal(f.tU32, f.index64(f.argU64(0), gid, 4), y, 4);
        return new VulkanKernel("block_reverse", f.finish(), OUT_IN_PARAMS, ArgsMode.PUSH_CONSTANTS, 0);
    }

    static final int BLOCK_SUM_STATIC_SHARED = 1024;

    /**
     * Per-block tree reduction in static shared memory, with a structured loop ({@code OpLoopMerge},
     * {@code OpPhi}) and a barrier per step: {@code out[ctaid] = sum(in[block])}; block size a power of two.
     */
    static VulkanKernel blockSum() {
        KernelFrame f = new KernelFrame("block_sum", true, 16);
        SpirvModule m = f.m;
        SpirvFunction fn = f.fn;
        f.sharedArray(BLOCK_SUM_STATIC_SHARED);
        int tid = f.tid(0);
        int gid = globalIdX(f);
        fn.store(f.sharedWord(tid), f.loadGlobal(f.tU32, f.index64(f.argU64(8), gid, 4), 4));
        f.syncthreads();
        int s0 = fn.op(Op.ShiftRightLogical, f.tU32, f.ntid(0), m.constantU32(1));
        int pre = fn.currentLabel();
        int header = m.id();
        int body = m.id();
        int cont = m.id();
        int merge = m.id();
        int sNext = m.id();
        fn.branch(header);
        fn.label(header);
        int s = fn.phi(f.tU32, s0, pre, sNext, cont);
        int more = fn.op(Op.UGreaterThan, f.tBool, s, m.constantU32(0));
        fn.loopMerge(merge, cont); // must come right before the header's branch
        fn.branchConditional(more, body, merge);
        fn.label(body);
        ifThen(f, fn.op(Op.ULessThan, f.tBool, tid, s), () -> {
            int a = fn.load(f.tU32, f.sharedWord(tid));
            int b = fn.load(f.tU32, f.sharedWord(fn.op(Op.IAdd, f.tU32, tid, s)));
            fn.store(f.sharedWord(tid), fn.op(Op.IAdd, f.tU32, a, b));
        });
        f.syncthreads();
        fn.branch(cont);
        fn.label(cont);
        fn.opWithId(Op.ShiftRightLogical, f.tU32, sNext, s, m.constantU32(1));
        fn.branch(header);
        fn.label(merge);
        ifThen(f, fn.op(Op.IEqual, f.tBool, tid, m.constantU32(0)), () -> {
            int sum = fn.load(f.tU32, f.sharedWord(m.constantU32(0)));
            f.storeGlobal(f.tU32, f.index64(f.argU64(0), f.ctaid(0), 4), sum, 4);
        });
        return new VulkanKernel("block_sum", f.finish(), OUT_IN_PARAMS, ArgsMode.PUSH_CONSTANTS,
                BLOCK_SUM_STATIC_SHARED);
    }

    static final List<Param> GRID_PARAMS = new Params().add("out", ScalarType.U64).add("dims", ScalarType.U64)
            .build();

    /**
     * Every thread writes {@code index + 1} at its linear index over the whole 3-D grid; thread 0 of block
     * (0,0,0) writes {@code nctaid.xyz} to {@code dims[0..2]}.
     */
    static VulkanKernel gridIds() {
        KernelFrame f = new KernelFrame("grid_ids", true, 16);
        SpirvModule m = f.m;
        SpirvFunction fn = f.fn;
        int u = f.tU32;
        int nx = f.nctaid(0);
        int ny = f.nctaid(1);
        int block = fn.op(Op.IAdd, u, fn.op(Op.IMul, u, fn.op(Op.IAdd, u, fn.op(Op.IMul, u, f.ctaid(2), ny),
                f.ctaid(1)), nx), f.ctaid(0));
        int linear = fn.op(Op.IAdd, u, fn.op(Op.IMul, u, block, f.ntid(0)), f.tid(0));
        f.storeGlobal(u, f.index64(f.argU64(0), linear, 4), fn.op(Op.IAdd, u, linear, m.constantU32(1)), 4);
        ifThen(f, fn.op(Op.IEqual, f.tBool, linear, m.constantU32(0)), () -> {
            int dims = f.argU64(8);
            for (int d = 0; d < 3; d++) f.storeGlobal(u, f.add64(dims, 4L * d), f.nctaid(d), 4);
        });
        return new VulkanKernel("grid_ids", f.finish(), GRID_PARAMS, ArgsMode.PUSH_CONSTANTS, 0);
    }

    static final int BIG_ARGS_COUNT = 1000;
    static final List<Param> BIG_ARGS_PARAMS = new Params().add("out", ScalarType.U64).add("n", ScalarType.U32)
            .add("vals", ScalarType.F32, BIG_ARGS_COUNT, 4).build();

    /** {@code out[i] = vals[i] * 2 + 1} with {@code vals} a 4000-byte by-value argument (buffer mode). */
    static VulkanKernel bigArgs() {
        KernelFrame f = new KernelFrame("big_args", false, 12 + 4 * BIG_ARGS_COUNT);
        SpirvFunction fn = f.fn;
        int gid = globalIdX(f);
        ifThen(f, fn.op(Op.ULessThan, f.tBool, gid, f.argU32(8)), () -> {
            int v = f.loadGlobal(f.tF32, f.index64(f.add64(f.argsAddress(), 12), gid, 4), 4);
            int r = fn.op(Op.FAdd, f.tF32, fn.op(Op.FMul, f.tF32, v, f.m.constantF32(2f)), f.m.constantF32(1f));
            f.storeGlobal(f.tF32, f.index64(f.argU64(0), gid, 4), r, 4);
        });
        return new VulkanKernel("big_args", f.finish(), BIG_ARGS_PARAMS, ArgsMode.BUFFER, 0);
    }

    static final List<Param> DATA_N_PARAMS = new Params().add("data", ScalarType.U64).add("n", ScalarType.U32).build();

    /** {@code data[i] += 1} for {@code i < n}. */
    static VulkanKernel addOne() {
        KernelFrame f = new KernelFrame("add_one", true, 12);
        SpirvFunction fn = f.fn;
        int gid = globalIdX(f);
        ifThen(f, fn.op(Op.ULessThan, f.tBool, gid, f.argU32(8)), () -> {
            int addr = f.index64(f.argU64(0), gid, 4);
            int x = f.loadGlobal(f.tU32, addr, 4);
            f.storeGlobal(f.tU32, addr, fn.op(Op.IAdd, f.tU32, x, f.m.constantU32(1)), 4);
        });
        return new VulkanKernel("add_one", f.finish(), DATA_N_PARAMS, ArgsMode.PUSH_CONSTANTS, 0);
    }

    static final List<Param> OUT_PARAMS = new Params().add("out", ScalarType.U64).build();

    /** {@code out[2*gid] = SubgroupSize; out[2*gid+1] = SubgroupLocalInvocationId}. */
    static VulkanKernel subgroupInfo() {
        KernelFrame f = new KernelFrame("subgroup_info", true, 8);
        f.m.capability(Spv.Capability.GroupNonUniform);
        SpirvFunction fn = f.fn;
        int gid = globalIdX(f);
        int base = f.index64(f.argU64(0), fn.op(Op.IMul, f.tU32, gid, f.m.constantU32(2)), 4);
        f.storeGlobal(f.tU32, base, f.builtinU32(Spv.BuiltIn.SubgroupSize), 4);
        f.storeGlobal(f.tU32, f.add64(base, 4), f.builtinU32(Spv.BuiltIn.SubgroupLocalInvocationId), 4);
        return new VulkanKernel("subgroup_info", f.finish(), OUT_PARAMS, ArgsMode.PUSH_CONSTANTS, 0);
    }

    /** Every test kernel, for validation. */
    static List<VulkanKernel> all() {
        return List.of(scaleAdd(ArgsMode.PUSH_CONSTANTS), scaleAdd(ArgsMode.BUFFER), blockReverse(), blockSum(),
                gridIds(), bigArgs(), addOne(), subgroupInfo());
    }
}
