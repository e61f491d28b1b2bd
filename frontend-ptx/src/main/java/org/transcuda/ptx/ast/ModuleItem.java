package org.transcuda.ptx.ast;

/** A top-level element of a PTX module, in source order. */
public sealed interface ModuleItem
        permits VersionDirective, TargetDirective, AddressSizeDirective, FileDirective, SectionDirective,
                AliasDirective, Pragma, VariableDecl, Function {
    SourcePos pos();
}
