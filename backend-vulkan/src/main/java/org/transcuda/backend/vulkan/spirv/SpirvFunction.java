package org.transcuda.backend.vulkan.spirv;

/**
 * The body of one SPIR-V function being written. Blocks start with {@link #label()} (or
 * {@link #label(int)} for an id allocated earlier, as branch targets and {@code OpPhi} operands need) and
 * end with a branch, return or {@code OpUnreachable}; the caller emits the merge instructions structured
 * control flow needs. {@link #variable(int)} may be called anywhere: SPIR-V wants function variables at
 * the start of the first block, where {@link #end()} puts them.
 *
 * <p>When the module watches loop exits ({@link SpirvModule#watchLoopExits}), every loop gets a {@code Function} bool
 * "exited" flag: a branch (or switch) to the loop's merge block sets it for the threads that take it (before the
 * merge instruction of the branching block, which must stay right before its branch), and the merge block, before its
 * first non-{@code OpPhi} instruction, ORs "not exited" into the module's cut variable and clears the flag for the
 * next entry of the loop. A thread can only reach a loop's merge by such a branch, so the cut variable is set exactly
 * for threads whose loop the driver ended (lavapipe stops all loops of an invocation after 65535 iterations).
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
    /** Watched loops: merge label -> the loop's "exited" flag variable. */
    private final java.util.Map<Integer, Integer> exitFlags = new java.util.HashMap<>();
    /** A merge instruction held back until the block's branch (the exit flags are set before it). */
    private int[] pendingMerge;
    /** The merge label whose check is due before the next non-phi instruction, or 0. */
    private int pendingCheck;

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
        if (exitFlags.containsKey(labelId)) pendingCheck = labelId;
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
        if (opcode != Op.Phi) checkPending();
        body.instruction(opcode, Words.concat(Words.of(resultType, resultId), operands));
    }

    /** An instruction without a result ({@code OpStore}, {@code OpControlBarrier}, merges, ...). */
    public void opVoid(int opcode, int... operands) {
        needBlock(opcode);
        checkPending();
        if (module.loopCutVar() != 0) {
            if (opcode == Op.LoopMerge || opcode == Op.SelectionMerge) {
                if (opcode == Op.LoopMerge) exitFlags.put(operands[0], flagVariable());
                pendingMerge = new int[operands.length + 1];
                pendingMerge[0] = opcode;
                System.arraycopy(operands, 0, pendingMerge, 1, operands.length);
                return;
            }
            if (opcode == Op.Branch || opcode == Op.BranchConditional || opcode == Op.Switch) markExits(opcode, operands);
            if (pendingMerge != null) {
                body.instruction(pendingMerge[0], java.util.Arrays.copyOfRange(pendingMerge, 1, pendingMerge.length));
                pendingMerge = null;
            }
        }
        body.instruction(opcode, operands);
        if (isTerminator(opcode)) inBlock = false;
    }

    // ------------------------------------------------------------ loop-exit watch

    private int raw(int opcode, int type, int... operands) {
        int r = module.id();
        body.instruction(opcode, Words.concat(Words.of(type, r), operands));
        return r;
    }

    private int flagVariable() {
        int v = module.id();
        variables.instruction(Op.Variable, Words.of(module.typePointer(Spv.StorageClass.Function, module.typeBool()), v,
                Spv.StorageClass.Function, module.constantBool(false)));
        return v;
    }

    /** Sets the exit flag of each watched loop whose merge this branch or switch targets, for the threads going there. */
    private void markExits(int opcode, int[] ops) {
        int bool = module.typeBool();
        int yes = module.constantBool(true);
        java.util.Set<Integer> targets = new java.util.LinkedHashSet<>();
        switch (opcode) {
            case Op.Branch -> targets.add(ops[0]);
            case Op.BranchConditional -> {
                targets.add(ops[1]);
                targets.add(ops[2]);
            }
            default -> {
                targets.add(ops[1]);
                for (int i = 3; i < ops.length; i += 2) targets.add(ops[i]);
            }
        }
        for (int target : targets) {
            Integer flag = exitFlags.get(target);
            if (flag == null) continue;
            int goes; // whether this thread branches to target
            if (opcode == Op.Branch) {
                goes = yes;
            } else if (opcode == Op.BranchConditional) {
                goes = ops[1] == target && ops[2] == target ? yes
                        : ops[1] == target ? ops[0] : raw(Op.LogicalNot, bool, ops[0]);
            } else {
                // a case literal equal to the selector goes to its label; any other value to the default
                int caseHit = 0;
                int otherHit = 0;
                for (int i = 2; i + 1 < ops.length; i += 2) {
                    int eq = raw(Op.IEqual, bool, ops[0], module.constantU32(ops[i]));
                    if (ops[i + 1] == target) caseHit = caseHit == 0 ? eq : raw(Op.LogicalOr, bool, caseHit, eq);
                    else otherHit = otherHit == 0 ? eq : raw(Op.LogicalOr, bool, otherHit, eq);
                }
                if (ops[1] == target) goes = otherHit == 0 ? yes : raw(Op.LogicalNot, bool, otherHit);
                else goes = caseHit == 0 ? module.constantBool(false) : caseHit;
            }
            // "and the opaque zero is 0": true, but not to the driver, which could otherwise prove the flag true at
            // the merge (every thread there took a branch to it, by SPIR-V's rules) and drop the check
            int opaque = raw(Op.IEqual, bool, raw(Op.Load, module.typeInt(32, false), module.loopOpaqueZero()),
                    module.constantU32(0));
            int old = raw(Op.Load, bool, flag);
            body.instruction(Op.Store, Words.of(flag, raw(Op.Select, bool, raw(Op.LogicalAnd, bool, goes, opaque), yes,
                    old)));
        }
    }

    /** At a watched loop's merge block: "not exited" into the cut variable, and the flag cleared for the next entry. */
    private void checkPending() {
        if (pendingCheck == 0) return;
        int flag = exitFlags.get(pendingCheck);
        pendingCheck = 0;
        int bool = module.typeBool();
        int cut = raw(Op.LogicalNot, bool, raw(Op.Load, bool, flag));
        int cutVar = module.loopCutVar();
        body.instruction(Op.Store, Words.of(cutVar, raw(Op.LogicalOr, bool, raw(Op.Load, bool, cutVar), cut)));
        body.instruction(Op.Store, Words.of(flag, module.constantBool(false)));
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
