package org.transcuda.ptx.ast;

/** A directive between a function's parameter list and its body ({@code .maxntid}, {@code .pragma}, ...). */
public sealed interface FunctionDirective permits PerformanceDirective, Pragma {
    SourcePos pos();
}
