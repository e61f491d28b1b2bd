package org.transcuda.backend.vulkan.spirv;

import java.util.HashMap;
import java.util.Map;

/**
 * The skeleton every kernel shader shares, per {@link org.transcuda.backend.vulkan.KernelAbi}: a SPIR-V 1.5
 * module for Vulkan 1.2 with {@code PhysicalStorageBuffer64} addressing, the push-constant block (grid,
 * block-index base, argument address, inline arguments), the block size as specialization constants
 * decorated {@code WorkgroupSize}, the dynamic shared size as a specialization constant, and one
 * {@code GLCompute} entry point whose first block is open for the body. Accessors emit, in the current
 * block, the values PTX's special registers and {@code ld.param} need; {@link #finish()} closes the function
 * and returns the words.
 *
 * <p>Device memory is reached by address arithmetic on 64-bit integers and {@code OpConvertUToPtr} to
 * {@code PhysicalStorageBuffer} pointers ({@link #pointer}), as PTX addresses memory.
 */
public final class KernelFrame {
    public final SpirvModule m;
    public final SpirvFunction fn;
    private final String name;
    private final boolean inlineArgs;

    public final int tVoid;
    public final int tBool;
    public final int tU32;
    public final int tU64;
    public final int tF32;
    public final int tV2U32;
    public final int tV3U32;

    /** Specialization constants: block size x, y, z (SpecId 0-2) and dynamic shared bytes (SpecId 3). */
    public final int blockX;
    public final int blockY;
    public final int blockZ;
    public final int workgroupSize;
    public final int dynamicSharedBytes;

    private final int pcVar;
    private final int ptrPcU32;
    private final int ptrPcU64;
    private final Map<Integer, Integer> builtins = new HashMap<>();
    private final Map<Integer, Integer> pointerTypes = new HashMap<>();
    private SpirvFunction cur;
    private int sharedVar;
    private int sharedWords;

    private static final int MEMBER_NCTAID = 0;
    private static final int MEMBER_BASE = 3;
    private static final int MEMBER_ARGS_ADDRESS = 6;
    private static final int MEMBER_ARGS = 7;
    /** Member of {@code boundsLo} ({@code boundsSize} follows): after the inline arguments, if any. */
    private final int memberBounds;

    /**
     * Starts a kernel.
     *
     * @param name       entry point name
     * @param inlineArgs true for {@code ArgsMode.PUSH_CONSTANTS} (then {@code argBytes} bytes are declared)
     * @param argBytes   size of the packed argument buffer
     */
    public KernelFrame(String name, boolean inlineArgs, int argBytes) {
        this.name = name;
        this.inlineArgs = inlineArgs;
        m = new SpirvModule(Spv.VERSION_1_5);
        m.capability(Spv.Capability.Shader).capability(Spv.Capability.Int64)
                .capability(Spv.Capability.PhysicalStorageBufferAddresses);
        m.memoryModel(Spv.AddressingModel.PhysicalStorageBuffer64, Spv.MemoryModel.GLSL450);
        tVoid = m.typeVoid();
        tBool = m.typeBool();
        tU32 = m.typeInt(32, false);
        tU64 = m.typeInt(64, false);
        tF32 = m.typeFloat(32);
        tV2U32 = m.typeVector(tU32, 2);
        tV3U32 = m.typeVector(tU32, 3);

        // Push constants, per KernelAbi.
        int words = (argBytes + 3) / 4;
        int pc;
        boolean argMember = inlineArgs && words > 0;
        memberBounds = argMember ? MEMBER_ARGS + 1 : MEMBER_ARGS;
        if (argMember) {
            int argArray = m.typeArray(tU32, m.constantU32(words));
            m.decorate(argArray, Spv.Decoration.ArrayStride, 4);
            pc = m.typeStruct(tU32, tU32, tU32, tU32, tU32, tU32, tU64, argArray, tU64, tU64);
            m.memberDecorate(pc, MEMBER_ARGS, Spv.Decoration.Offset, 32);
            m.memberName(pc, MEMBER_ARGS, "args");
        } else {
            pc = m.typeStruct(tU32, tU32, tU32, tU32, tU32, tU32, tU64, tU64, tU64);
        }
        int boundsOffset = org.transcuda.backend.vulkan.KernelAbi.boundsOffset(argMember, argBytes);
        m.memberDecorate(pc, memberBounds, Spv.Decoration.Offset, boundsOffset);
        m.memberDecorate(pc, memberBounds + 1, Spv.Decoration.Offset, boundsOffset + 8);
        m.memberName(pc, memberBounds, "boundsLo");
        m.memberName(pc, memberBounds + 1, "boundsSize");
        m.decorate(pc, Spv.Decoration.Block);
        for (int i = 0; i < 6; i++) m.memberDecorate(pc, i, Spv.Decoration.Offset, 4 * i);
        m.memberDecorate(pc, MEMBER_ARGS_ADDRESS, Spv.Decoration.Offset, 24);
        m.name(pc, "KernelAbi");
        String[] names = {"nctaid_x", "nctaid_y", "nctaid_z", "ctaidBase_x", "ctaidBase_y", "ctaidBase_z",
            "argsAddress"};
        for (int i = 0; i < names.length; i++) m.memberName(pc, i, names[i]);
        pcVar = m.globalVariable(m.typePointer(Spv.StorageClass.PushConstant, pc), Spv.StorageClass.PushConstant);
        m.name(pcVar, "abi");
        ptrPcU32 = m.typePointer(Spv.StorageClass.PushConstant, tU32);
        ptrPcU64 = m.typePointer(Spv.StorageClass.PushConstant, tU64);

        // Block size and dynamic shared memory, set at pipeline creation.
        blockX = m.specConstant(tU32, 1);
        blockY = m.specConstant(tU32, 1);
        blockZ = m.specConstant(tU32, 1);
        m.decorate(blockX, Spv.Decoration.SpecId, 0);
        m.decorate(blockY, Spv.Decoration.SpecId, 1);
        m.decorate(blockZ, Spv.Decoration.SpecId, 2);
        workgroupSize = m.specConstantComposite(tV3U32, blockX, blockY, blockZ);
        m.decorate(workgroupSize, Spv.Decoration.BuiltIn, Spv.BuiltIn.WorkgroupSize);
        dynamicSharedBytes = m.specConstant(tU32, 0);
        m.decorate(dynamicSharedBytes, Spv.Decoration.SpecId, 3);
        m.name(dynamicSharedBytes, "dynamicSharedBytes");

        fn = m.function(tVoid, m.typeFunction(tVoid), Spv.FunctionControl.None);
        m.name(fn.id(), name);
        fn.label();
        cur = fn;
    }

    /**
     * Makes the accessors below emit into {@code f} (a device function of the kernel's module) instead of
     * the entry point; {@code at(fn)} switches back.
     */
    public void at(SpirvFunction f) {
        cur = f;
    }

    /** An {@code Input} variable for a built-in, declared once. */
    public int builtinVariable(int builtIn, int type) {
        return builtins.computeIfAbsent(builtIn, b -> {
            int v = m.globalVariable(m.typePointer(Spv.StorageClass.Input, type), Spv.StorageClass.Input);
            m.decorate(v, Spv.Decoration.BuiltIn, b);
            return v;
        });
    }

    /** Loads a {@code uvec3} built-in's component. */
    private int builtinComponent(int builtIn, int dim) {
        int v = cur.load(tV3U32, builtinVariable(builtIn, tV3U32));
        return cur.compositeExtract(tU32, v, dim);
    }

    private int pcU32(int member) {
        return cur.load(tU32, cur.accessChain(ptrPcU32, pcVar, m.constantU32(member)));
    }

    /** {@code %ctaid.dim}: the workgroup id plus this dispatch's base. */
    public int ctaid(int dim) {
        return cur.op(Op.IAdd, tU32, builtinComponent(Spv.BuiltIn.WorkgroupId, dim), pcU32(MEMBER_BASE + dim));
    }

    /** {@code %nctaid.dim}: the whole grid, from the push constants. */
    public int nctaid(int dim) {
        return pcU32(MEMBER_NCTAID + dim);
    }

    /** {@code %tid.dim}. */
    public int tid(int dim) {
        return builtinComponent(Spv.BuiltIn.LocalInvocationId, dim);
    }

    /** {@code %ntid.dim}: the specialization constant (a constant id, usable anywhere). */
    public int ntid(int dim) {
        return switch (dim) {
            case 0 -> blockX;
            case 1 -> blockY;
            case 2 -> blockZ;
            default -> throw new IllegalArgumentException("dimension " + dim);
        };
    }

    /** A 32-bit built-in such as {@code SubgroupSize} (the caller adds the capability it needs). */
    public int builtinU32(int builtIn) {
        return cur.load(tU32, builtinVariable(builtIn, tU32));
    }

    /** The lowest address of the context's device memory at this launch ({@code boundsLo}, u64). */
    public int boundsLo() {
        return cur.load(tU64, cur.accessChain(ptrPcU64, pcVar, m.constantU32(memberBounds)));
    }

    /** The size of the range of the context's device memory from {@link #boundsLo} ({@code boundsSize}, u64). */
    public int boundsSize() {
        return cur.load(tU64, cur.accessChain(ptrPcU64, pcVar, m.constantU32(memberBounds + 1)));
    }

    /** The argument buffer's device address ({@code ArgsMode.BUFFER}). */
    public int argsAddress() {
        return cur.load(tU64, cur.accessChain(ptrPcU64, pcVar, m.constantU32(MEMBER_ARGS_ADDRESS)));
    }

    /** The 32-bit argument word at byte {@code offset} (a multiple of 4) of the argument buffer. */
    public int argU32(int offset) {
        if (offset % 4 != 0) throw new IllegalArgumentException("unaligned argument offset " + offset);
        if (inlineArgs) {
            return cur.load(tU32, cur.accessChain(ptrPcU32, pcVar, m.constantU32(MEMBER_ARGS),
                    m.constantU32(offset / 4)));
        }
        return loadGlobal(tU32, add64(argsAddress(), offset), 4);
    }

    /** The 64-bit argument at byte {@code offset} (a multiple of 8). */
    public int argU64(int offset) {
        if (offset % 8 != 0) throw new IllegalArgumentException("unaligned argument offset " + offset);
        if (inlineArgs) {
            int lo = argU32(offset);
            int hi = argU32(offset + 4);
            return cur.op(Op.Bitcast, tU64, cur.op(Op.CompositeConstruct, tV2U32, lo, hi));
        }
        return loadGlobal(tU64, add64(argsAddress(), offset), 8);
    }

    /** The 32-bit float argument at byte {@code offset}. */
    public int argF32(int offset) {
        return cur.op(Op.Bitcast, tF32, argU32(offset));
    }

    /** {@code address + offset} on 64-bit integers. */
    public int add64(int address, long offset) {
        return offset == 0 ? address : cur.op(Op.IAdd, tU64, address, m.constantU64(offset));
    }

    /** {@code base + index * scale} on 64-bit integers, {@code index} a 32-bit unsigned value. */
    public int index64(int base, int index32, int scale) {
        int wide = cur.op(Op.UConvert, tU64, index32);
        return cur.op(Op.IAdd, tU64, base, cur.op(Op.IMul, tU64, wide, m.constantU64(scale)));
    }

    /** A {@code PhysicalStorageBuffer} pointer to {@code type} at a 64-bit device address. */
    public int pointer(int type, int address64) {
        int ptrType = pointerTypes.computeIfAbsent(type, t -> m.typePointer(Spv.StorageClass.PhysicalStorageBuffer, t));
        return cur.op(Op.ConvertUToPtr, ptrType, address64);
    }

    public int loadGlobal(int type, int address64, int alignment) {
        return cur.loadAligned(type, pointer(type, address64), alignment);
    }

    public void storeGlobal(int type, int address64, int value, int alignment) {
        cur.storeAligned(pointer(type, address64), value, alignment);
    }

    /**
     * The shared-memory array: 32-bit words, {@code staticBytes} of static shared memory followed by the
     * launch's dynamic shared memory (at least one word). Declared once; returns the variable.
     */
    public int sharedArray(int staticBytes) {
        if (sharedVar != 0) return sharedVar;
        // words = staticWords + (dyn == 0 ? 0 : (dyn + 3) / 4), at least 1
        int staticWords = (staticBytes + 3) / 4;
        int rounded = m.specConstantOp(tU32, Op.IAdd, dynamicSharedBytes, m.constantU32(3));
        int dynWords = m.specConstantOp(tU32, Op.UDiv, rounded, m.constantU32(4));
        int total = m.specConstantOp(tU32, Op.IAdd, dynWords, m.constantU32(staticWords));
        int isZero = m.specConstantOp(tBool, Op.IEqual, total, m.constantU32(0));
        sharedWords = m.specConstantOp(tU32, Op.Select, isZero, m.constantU32(1), total);
        int array = m.typeArray(tU32, sharedWords);
        sharedVar = m.globalVariable(m.typePointer(Spv.StorageClass.Workgroup, array), Spv.StorageClass.Workgroup);
        m.name(sharedVar, "shared");
        return sharedVar;
    }

    /** A pointer to word {@code index} of the shared array. */
    public int sharedWord(int index32) {
        if (sharedVar == 0) throw new IllegalStateException("sharedArray() first");
        return cur.accessChain(m.typePointer(Spv.StorageClass.Workgroup, tU32), sharedVar, index32);
    }

    /** {@code __syncthreads()}: workgroup execution and memory barrier. */
    public void syncthreads() {
        cur.controlBarrier(Spv.Scope.Workgroup, Spv.Scope.Workgroup,
                Spv.MemorySemantics.AcquireRelease | Spv.MemorySemantics.WorkgroupMemory);
    }

    /** Returns from the entry point if still in a block, ends it, declares it, and returns the module. */
    public int[] finish() {
        if (fn.inBlock()) fn.returnVoid();
        fn.end();
        return finishModule();
    }

    /** Declares the entry point (after the kernel's function and every other function are ended); the words. */
    public int[] finishModule() {
        m.entryPoint(Spv.ExecutionModel.GLCompute, fn.id(), name, m.globalVariables());
        m.executionMode(fn.id(), Spv.ExecutionMode.LocalSize, 1, 1, 1); // overridden by WorkgroupSize
        return m.words();
    }
}
