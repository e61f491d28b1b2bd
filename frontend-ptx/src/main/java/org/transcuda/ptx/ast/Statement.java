package org.transcuda.ptx.ast;

/** An element of a function body, in source order. */
public sealed interface Statement
        permits Instruction, Label, VariableDecl, Block, Pragma, BranchTargets, CallPrototype {
    SourcePos pos();
}
