package org.transcuda.backend.vulkan.spirv;

/**
 * The body of one SPIR-V function being written. Blocks start with {@link #label()} (or
 * {@link #label(int)} for an id allocated earlier, as branch targets and {@code OpPhi} operands need) and
 * end with a branch, return or {@code OpUnreachable}; the caller emits the merge instructions structured
 * control flow needs. {@link #variable(int)} may be called anywhere: SPIR-V wants function variables at
 * the start of the first block, where {@link #end()} puts them.
 */
public final class SpirvFunction {
    private final SpirvModule module;
    private final int id;
    private final Words body = new Words();
    private final Words variables = new Words();
    private int firstBlockStart = -1;
    private boolean inBlock;
    private boolean ended;
    private int currentLabel;

    SpirvFunction(SpirvModule module, int id, int returnType, int functionType, int control) {
        this.module = module;
        this.id = id;
        body.instruction(Op.Function, Words.of(returnType, id, control, functionType));
    }

    public int id() {
        return id;
    }

    public SpirvModule module() {
        return module;
    }

    /** {@code OpFunctionParameter}, before the first block. */
    public int parameter(int type) {
        if (firstBlockStart >= 0) throw new IllegalStateException("parameters come before the first block");
        int p = module.id();
        body.instruction(Op.FunctionParameter, Words.of(type, p));
        return p;
    }

    /** Starts a block with a new label id. */
    public int label() {
        int l = module.id();
        label(l);
        return l;
    }

    /** Starts the block whose label id was allocated earlier with {@link SpirvModule#id()}. */
    public void label(int labelId) {
        if (inBlock) throw new IllegalStateException("block before %" + labelId + " has no terminator");
        body.instruction(Op.Label, Words.of(labelId));
        if (firstBlockStart < 0) firstBlockStart = body.size();
        inBlock = true;
        currentLabel = labelId;
    }

    /** The label of the block being written (the predecessor an {@code OpPhi} names). */
    public int currentLabel() {
        if (!inBlock) throw new IllegalStateException("not in a block");
        return currentLabel;
    }

    /** True between a label and its block's terminator. */
    public boolean inBlock() {
        return inBlock;
    }

    /** A {@code Function}-storage variable of {@code pointerType}, placed at the top of the first block. */
    public int variable(int pointerType) {
        int v = module.id();
        variables.instruction(Op.Variable, Words.of(pointerType, v, Spv.StorageClass.Function));
        return v;
    }

    private void needBlock(int opcode) {
        if (!inBlock) throw new IllegalStateException(Op.name(opcode) + " outside a block");
    }

    /** An instruction with a result: {@code opcode resultType %new operands...}; returns the new id. */
    public int op(int opcode, int resultType, int... operands) {
        int r = module.id();
        opWithId(opcode, resultType, r, operands);
        return r;
    }

    /** An instruction with a result id chosen by the caller (allocated earlier, e.g. for {@code OpPhi}). */
    public void opWithId(int opcode, int resultType, int resultId, int... operands) {
        needBlock(opcode);
        body.instruction(opcode, Words.concat(Words.of(resultType, resultId), operands));
    }

    /** An instruction without a result ({@code OpStore}, {@code OpControlBarrier}, merges, ...). */
    public void opVoid(int opcode, int... operands) {
        needBlock(opcode);
        body.instruction(opcode, operands);
        if (isTerminator(opcode)) inBlock = false;
    }

    private static boolean isTerminator(int opcode) {
        return opcode == Op.Branch || opcode == Op.BranchConditional || opcode == Op.Switch
                || opcode == Op.Return || opcode == Op.ReturnValue || opcode == Op.Kill
                || opcode == Op.Unreachable || opcode == Op.TerminateInvocation;
    }

    // ------------------------------------------------------------ conveniences

    /** {@code OpExtInst} of an imported set. */
    public int extInst(int resultType, int set, int instruction, int... operands) {
        return op(Op.ExtInst, resultType, Words.concat(Words.of(set, instruction), operands));
    }

    public int load(int type, int pointer) {
        return op(Op.Load, type, pointer);
    }

    /** A load with {@code Aligned} (required for {@code PhysicalStorageBuffer} pointers). */
    public int loadAligned(int type, int pointer, int alignment) {
        return op(Op.Load, type, pointer, Spv.MemoryAccess.Aligned, alignment);
    }

    public void store(int pointer, int value) {
        opVoid(Op.Store, pointer, value);
    }

    public void storeAligned(int pointer, int value, int alignment) {
        opVoid(Op.Store, pointer, value, Spv.MemoryAccess.Aligned, alignment);
    }

    public int accessChain(int pointerType, int base, int... indices) {
        return op(Op.AccessChain, pointerType, Words.concat(Words.of(base), indices));
    }

    public int compositeExtract(int type, int composite, int... indices) {
        return op(Op.CompositeExtract, type, Words.concat(Words.of(composite), indices));
    }

    public int phi(int type, int... valueParentPairs) {
        return op(Op.Phi, type, valueParentPairs);
    }

    public void selectionMerge(int mergeLabel) {
        opVoid(Op.SelectionMerge, mergeLabel, Spv.SelectionControl.None);
    }

    public void loopMerge(int mergeLabel, int continueLabel) {
        opVoid(Op.LoopMerge, mergeLabel, continueLabel, Spv.LoopControl.None);
    }

    public void branch(int label) {
        opVoid(Op.Branch, label);
    }

    public void branchConditional(int condition, int trueLabel, int falseLabel) {
        opVoid(Op.BranchConditional, condition, trueLabel, falseLabel);
    }

    public void returnVoid() {
        opVoid(Op.Return);
    }

    /** {@code OpControlBarrier} with scope and semantics as constants made here. */
    public void controlBarrier(int executionScope, int memoryScope, int semantics) {
        opVoid(Op.ControlBarrier, module.constantU32(executionScope), module.constantU32(memoryScope),
                module.constantU32(semantics));
    }

    /** Ends the function ({@code OpFunctionEnd}) and hands its words to the module. */
    public void end() {
        if (ended) return;
        if (inBlock) throw new IllegalStateException("function %" + id + ": last block has no terminator");
        if (firstBlockStart >= 0) body.insert(firstBlockStart, variables);
        body.instruction(Op.FunctionEnd, new int[0]);
        ended = true;
        module.functionEnded(this, body);
    }
}
