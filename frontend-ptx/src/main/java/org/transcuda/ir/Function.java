package org.transcuda.ir;

import java.util.List;
import java.util.Objects;

/**
 * A kernel ({@code .entry}) or device function ({@code .func}) of a {@link Module}.
 *
 * @param name       the PTX name
 * @param kernel     true for {@code .entry}
 * @param params     parameters in declaration order; for kernels with their argument-buffer layout
 * @param returns    return parameters of a {@code .func}
 * @param regs       the function's virtual registers, indexed by {@link Reg#id()}
 * @param locals     function-scope variables in memory ({@code .local}, and {@code .shared} before hoisting)
 * @param blocks     the control-flow graph, entry block first; empty for a declaration without body
 * @param directives performance directives
 * @param paramRegs  for a {@code .func} after call lowering: the register that holds each parameter on entry
 *                   (same order as {@code params}); empty while parameters are still read with {@code ld.param}
 *                   and always empty for kernels, which read their arguments with {@code ld.param}
 * @param returnRegs for a {@code .func} after call lowering: the registers whose values {@code ret} returns
 */
public record Function(String name, boolean kernel, List<Param> params, List<Param> returns, List<Reg> regs,
        List<Variable> locals, List<Block> blocks, Directives directives, List<Reg> paramRegs,
        List<Reg> returnRegs) {
    public Function {
        Objects.requireNonNull(name, "name");
        params = List.copyOf(params);
        returns = List.copyOf(returns);
        regs = List.copyOf(regs);
        locals = List.copyOf(locals);
        blocks = List.copyOf(blocks);
        Objects.requireNonNull(directives, "directives");
        paramRegs = List.copyOf(paramRegs);
        returnRegs = List.copyOf(returnRegs);
        if (!paramRegs.isEmpty() && paramRegs.size() != params.size()) {
            throw new IllegalArgumentException(name + ": " + paramRegs.size() + " parameter registers for "
                    + params.size() + " parameters");
        }
    }

    /** A function before call lowering (parameters in the {@code .param} space). */
    public Function(String name, boolean kernel, List<Param> params, List<Param> returns, List<Reg> regs,
            List<Variable> locals, List<Block> blocks, Directives directives) {
        this(name, kernel, params, returns, regs, locals, blocks, directives, List.of(), List.of());
    }

    /** A signature without a body (a declaration, or a kernel known by its parameters only). */
    public Function(String name, boolean kernel, List<Param> params) {
        this(name, kernel, params, List.of(), List.of(), List.of(), List.of(), Directives.NONE, List.of(), List.of());
    }

    /** True when the function has a body. */
    public boolean isDefined() {
        return !blocks.isEmpty();
    }

    /** Size in bytes of the packed argument buffer of a launch of this function. */
    public int paramBufferSize() {
        int end = 0;
        for (Param p : params) end = Math.max(end, p.offset() + p.size());
        return end;
    }

    /** The same function with another body. */
    public Function withBody(List<Reg> newRegs, List<Variable> newLocals, List<Block> newBlocks) {
        return new Function(name, kernel, params, returns, newRegs, newLocals, newBlocks, directives, paramRegs,
                returnRegs);
    }

    /**
     * Performance directives: {@code .maxntid}, {@code .reqntid} (empty when absent), {@code .minnctapersm}
     * and {@code .maxnreg} (0 when absent), {@code .noreturn}.
     */
    public record Directives(List<Integer> maxntid, List<Integer> reqntid, int minnctapersm, int maxnreg,
            boolean noreturn) {
        public static final Directives NONE = new Directives(List.of(), List.of(), 0, 0, false);

        public Directives {
            maxntid = List.copyOf(maxntid);
            reqntid = List.copyOf(reqntid);
        }
    }
}
