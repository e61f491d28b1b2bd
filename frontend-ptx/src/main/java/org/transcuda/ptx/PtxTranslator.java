package org.transcuda.ptx;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.transcuda.ir.Function;
import org.transcuda.ir.IrVerifier;
import org.transcuda.ir.Module;
import org.transcuda.ir.StructuredFunction;
import org.transcuda.ptx.ast.PtxModule;
import org.transcuda.ptx.lower.PtxUnit;
import org.transcuda.ptx.lower.PtxUnitPrinter;
import org.transcuda.ptx.parse.PtxParseException;
import org.transcuda.ptx.parse.PtxParser;
import org.transcuda.ptx.pass.AddressSpaces;
import org.transcuda.ptx.pass.CarryFlags;
import org.transcuda.ptx.pass.DeadCode;
import org.transcuda.ptx.pass.ExpandOperands;
import org.transcuda.ptx.pass.HoistShared;
import org.transcuda.ptx.pass.ImplicitConversions;
import org.transcuda.ptx.pass.LowerCalls;
import org.transcuda.ptx.pass.Predication;
import org.transcuda.ptx.pass.ResolveNames;
import org.transcuda.ptx.pass.SelectInstructions;
import org.transcuda.ptx.pass.SpecialRegisters;
import org.transcuda.ptx.pass.Structurize;

/**
 * The PTX front end's entry point: parses PTX and runs the translation passes, in this order (see
 * {@link #PASSES}):
 * <ol>
 * <li>{@code resolve} ({@link ResolveNames}): names and scopes; PTX level</li>
 * <li>{@code expand-operands} ({@link ExpandOperands}): vector operands, addresses, typed immediates; PTX level</li>
 * <li>{@code select} ({@link SelectInstructions}): instruction selection and the control-flow graph; the first IR</li>
 * <li>{@code special-registers} ({@link SpecialRegisters}): special registers as {@code ReadSpecial}</li>
 * <li>{@code carry} ({@link CarryFlags}): the carry flag as explicit predicate registers</li>
 * <li>{@code implicit-conversions} ({@link ImplicitConversions}): PTX's relaxed type rules made explicit</li>
 * <li>{@code lower-calls} ({@link LowerCalls}): the {@code .param} space and calls in registers</li>
 * <li>{@code address-spaces} ({@link AddressSpaces}): generic accesses whose space is known</li>
 * <li>{@code hoist-shared} ({@link HoistShared}): function-scope {@code .shared} variables to module scope</li>
 * <li>{@code dead-code} ({@link DeadCode}): unreachable blocks and unused pure instructions</li>
 * </ol>
 * and, when asked ({@link Options}), {@code predication} ({@link Predication}: guards become branches). A backend
 * that emulates 32-lane warps with block-wide barriers runs {@link #uniformCollectives(Module)} on the predicated
 * module (warp collectives and barriers out of divergent control flow); a backend that needs structured control flow
 * runs {@link #structurize(Module)} on the result.
 *
 * <p>Malformed PTX throws {@link PtxParseException} ({@code file:line:col: ...}): syntax errors, and two definitions of
 * one module-scope name; nothing else escapes. A function
 * that cannot be translated lands in {@link Module#problems()} with {@code file:line:col: message}; the rest of the
 * module stays usable.
 */
public final class PtxTranslator {
    /** The passes of a default translation, in order. */
    public static final List<String> PASSES = List.of("resolve", "expand-operands", "select", "special-registers",
            "carry", "implicit-conversions", "lower-calls", "address-spaces", "hoist-shared", "dead-code");

    /** Passes run only when asked for. */
    public static final List<String> OPTIONAL_PASSES = List.of("predication");

    /** The PTX-level passes, whose output is not yet IR ({@link PassListener#afterPtxPass}). */
    public static final List<String> PTX_LEVEL_PASSES = List.of("resolve", "expand-operands");

    private PtxTranslator() {
    }

    /** Called after each pass. */
    @FunctionalInterface
    public interface PassListener {
        /** After a pass that produces IR, with its output. */
        void afterPass(String passName, Module after);

        /** After a PTX-level pass, with the dump of its output ({@code resolve}, {@code expand-operands}). */
        default void afterPtxPass(String passName, String dump) {
        }
    }

    /**
     * Translation options.
     *
     * @param predication run the predication pass (no guards left)
     * @param verify      run {@link IrVerifier} after every IR pass and fail with {@link IllegalStateException} on a
     *                    problem (for tests; a correct front end never trips it)
     */
    public record Options(boolean predication, boolean verify) {
        public static final Options DEFAULT = new Options(false, false);
    }

    /** Every pass name a listener can see, in the order they run (optional ones last). */
    public static List<String> allPassNames() {
        List<String> all = new ArrayList<>(PASSES);
        all.addAll(OPTIONAL_PASSES);
        return List.copyOf(all);
    }

    public static Module translate(String fileName, CharSequence ptx) {
        return translate(fileName, ptx, Options.DEFAULT, null);
    }

    public static Module translate(String fileName, CharSequence ptx, PassListener listener) {
        return translate(fileName, ptx, Options.DEFAULT, listener);
    }

    /**
     * Parses and translates a PTX module.
     *
     * @throws PtxParseException for malformed PTX
     */
    public static Module translate(String fileName, CharSequence ptx, Options options, PassListener listener) {
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(ptx, "ptx");
        PtxModule ast = PtxParser.parse(fileName, ptx);
        return translate(ast, options, listener);
    }

    /** Translates a parsed module. */
    public static Module translate(PtxModule ast, Options options, PassListener listener) {
        try {
            return run(ast, options, listener);
        } catch (PtxParseException e) {
            throw e; // malformed beyond syntax: a second definition of a module-scope name
        } catch (ListenerFailure e) {
            throw e.getCause();
        } catch (IllegalStateException e) {
            if (options != null && options.verify() && String.valueOf(e.getMessage()).startsWith("invalid IR")) {
                throw e;
            }
            return internalError(ast, e);
        } catch (RuntimeException | StackOverflowError e) {
            return internalError(ast, e);
        }
    }

    /** An exception thrown by the caller's listener, passed through unchanged. */
    private static final class ListenerFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ListenerFailure(RuntimeException cause) {
            super(cause);
        }

        @Override
        public synchronized RuntimeException getCause() {
            return (RuntimeException) super.getCause();
        }
    }

    private static PassListener guarded(PassListener l) {
        return new PassListener() {
            @Override
            public void afterPass(String passName, Module after) {
                try {
                    l.afterPass(passName, after);
                } catch (RuntimeException e) {
                    throw new ListenerFailure(e);
                }
            }

            @Override
            public void afterPtxPass(String passName, String dump) {
                try {
                    l.afterPtxPass(passName, dump);
                } catch (RuntimeException e) {
                    throw new ListenerFailure(e);
                }
            }
        };
    }

    /** A bug in a pass must not escape: every function of the module is reported as untranslatable. */
    private static Module internalError(PtxModule ast, Throwable e) {
        List<Module.Problem> problems = new ArrayList<>();
        for (org.transcuda.ptx.ast.Function f : ast.functions()) {
            if (f.hasBody()) problems.add(new Module.Problem(f.name(), f.pos() + ": internal error: " + e));
        }
        return new Module(ast.file(), List.of(), List.of(), problems);
    }

    private static Module run(PtxModule ast, Options options, PassListener listener) {
        Options opts = options == null ? Options.DEFAULT : options;
        PassListener l = listener == null ? (p, m) -> { } : guarded(listener);
        PtxUnit unit = ResolveNames.run(ast);
        if (listener != null) l.afterPtxPass("resolve", PtxUnitPrinter.print(unit));
        unit = ExpandOperands.run(unit);
        if (listener != null) l.afterPtxPass("expand-operands", PtxUnitPrinter.print(unit));
        Module m = SelectInstructions.run(unit);
        m = after("select", m, opts, l);
        m = after("special-registers", SpecialRegisters.run(m), opts, l);
        m = after("carry", CarryFlags.run(m), opts, l);
        m = after("implicit-conversions", ImplicitConversions.run(m), opts, l);
        m = after("lower-calls", LowerCalls.run(m), opts, l);
        m = after("address-spaces", AddressSpaces.run(m), opts, l);
        m = after("hoist-shared", HoistShared.run(m), opts, l);
        m = after("dead-code", DeadCode.run(m), opts, l);
        if (opts.predication()) m = after("predication", Predication.run(m), opts, l);
        return m;
    }

    private static Module after(String pass, Module m, Options opts, PassListener l) {
        if (opts.verify()) {
            List<String> problems = IrVerifier.verify(m, false, stageAfter(pass));
            if (!problems.isEmpty()) {
                throw new IllegalStateException("invalid IR after " + pass + ":\n  " + String.join("\n  ", problems));
            }
        }
        l.afterPass(pass, m);
        return m;
    }

    /** What {@link IrVerifier} can check of the output of the named pass (an IR pass of {@link #allPassNames()}). */
    public static IrVerifier.Stage stageAfter(String pass) {
        int i = PASSES.indexOf(pass);
        if (i < 0 && !OPTIONAL_PASSES.contains(pass)) throw new IllegalArgumentException("no IR pass " + pass);
        if (i < 0 || i >= PASSES.indexOf("lower-calls")) return IrVerifier.Stage.LOWERED;
        return i >= PASSES.indexOf("implicit-conversions") ? IrVerifier.Stage.TYPED : IrVerifier.Stage.SELECTED;
    }

    /**
     * Structured control flow for every defined function of a translated module (for SPIR-V backends; run
     * {@link #predicate} first when the backend wants no guards, since predication adds blocks).
     *
     * @throws Structurize.StructurizeException for irreducible control flow (never produced by nvcc)
     */
    public static List<StructuredFunction> structurize(Module m) {
        List<StructuredFunction> out = new ArrayList<>();
        for (Function f : m.functions()) {
            if (f.isDefined()) out.add(Structurize.run(f));
        }
        return out;
    }

    /**
     * The {@code explicit-stack} pass ({@link org.transcuda.ptx.pass.ExplicitStack}) for backends whose target has no
     * recursion: every cycle of the direct-call graph becomes a loop over a per-thread stack of {@code stackBytes}
     * bytes in local memory; an overflow calls {@link #STACK_OVERFLOW}. The module itself when nothing recurses. Run
     * it after {@link #predicate} and before {@link #structurize}.
     */
    public static Module explicitStack(Module m, int stackBytes) {
        return org.transcuda.ptx.pass.ExplicitStack.run(m, stackBytes);
    }

    /** The function the {@code explicit-stack} pass calls on a stack overflow (no arguments; it does not return). */
    public static final String STACK_OVERFLOW = org.transcuda.ptx.pass.ExplicitStack.STACK_OVERFLOW;

    /** The predication pass on an already translated module: guards become branches. */
    public static Module predicate(Module m) {
        return Predication.run(m);
    }

    /**
     * The {@code uniform-collectives} pass ({@link org.transcuda.ptx.pass.UniformCollectives}) on a predicated module:
     * warp collectives and barriers in divergent control flow move to block-uniform control flow, the divergent code
     * around them predicated (for backends that emulate 32-lane warps with block-wide barriers).
     */
    public static Module uniformCollectives(Module m) {
        return org.transcuda.ptx.pass.UniformCollectives.run(m);
    }

    /**
     * The shape that keeps the {@code uniform-collectives} pass from moving a collective of {@code f} (its output) out
     * of divergent control flow, for error messages; null when it leaves none.
     */
    public static String uniformCollectivesUnsupportedShape(Function f,
            java.util.function.Predicate<String> calleeIsCollective) {
        return org.transcuda.ptx.pass.UniformCollectives.unsupportedShape(f, calleeIsCollective);
    }

    /** SPIR-V's structured control-flow rules checked on a structurizer result; empty when it follows them. */
    public static List<String> verifyStructure(StructuredFunction sf) {
        return org.transcuda.ptx.pass.StructureVerifier.verify(sf);
    }
}
