package org.transcuda.ptx.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.transcuda.ir.Block;
import org.transcuda.ir.Const;
import org.transcuda.ir.Function;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Reg;
import org.transcuda.ir.ScalarType;
import org.transcuda.ir.Stmt;
import org.transcuda.ir.StructuredFunction;
import org.transcuda.ir.Terminator;
import org.transcuda.ptx.pass.StructureVerifier;

/** The structure verifier accepts SPIR-V-structured control flow and rejects each kind of violation. */
class StructureVerifierTest {
    private static final Reg P = new Reg(0, ScalarType.PRED, "p");
    private static final Reg Q = new Reg(1, ScalarType.PRED, "q");
    private static final Reg X = new Reg(2, ScalarType.U32, "x");

    private static Block br(String l, String t) {
        return new Block(l, List.of(Stmt.of(new Inst.Mov(X, Const.of(ScalarType.U32, 1)))), new Terminator.Branch(t));
    }

    private static Block cond(String l, Reg p, String a, String b) {
        return new Block(l, List.of(), new Terminator.CondBranch(p, a, b));
    }

    private static Block ret(String l) {
        return new Block(l, List.of(), new Terminator.Return());
    }

    private static StructuredFunction.Construct sel(String h, String m) {
        return new StructuredFunction.Construct(StructuredFunction.Kind.SELECTION, h, m, null);
    }

    private static StructuredFunction.Construct loop(String h, String m, String c) {
        return new StructuredFunction.Construct(StructuredFunction.Kind.LOOP, h, m, c);
    }

    private static List<String> verify(List<Block> blocks, StructuredFunction.Construct... cs) {
        Function f = new Function("f", true, List.of(), List.of(), List.of(P, Q, X), List.of(), blocks,
                Function.Directives.NONE);
        return StructureVerifier.verify(new StructuredFunction(f, List.of(cs)));
    }

    private static void assertProblem(List<String> problems, String fragment) {
        assertTrue(problems.stream().anyMatch(p -> p.contains(fragment)), "expected '" + fragment + "' in " + problems);
    }

    @Test
    void acceptsIfElseAndLoopWithBreak() {
        List<Block> b = List.of(
                cond("a", P, "t", "e"), br("t", "m"), br("e", "m"),
                br("m", "h"),
                br("h", "body"),
                cond("body", Q, "c", "exit"),
                new Block("bm", List.of(), new Terminator.Unreachable()),
                br("c", "h"),
                ret("exit"));
        assertEquals(List.of(), verify(b, sel("a", "m"), loop("h", "exit", "c"), sel("body", "bm")));
    }

    @Test
    void acceptsBreakAndContinueFromASelectionInALoop() {
        List<Block> b = List.of(
                br("entry", "h"),
                br("h", "body"),
                cond("body", P, "c", "exit"), // a selection whose arms are the loop's continue and break
                new Block("sm", List.of(), new Terminator.Unreachable()),
                br("c", "h"),
                ret("exit"));
        assertEquals(List.of(), verify(b, loop("h", "exit", "c"), sel("body", "sm")));
    }

    @Test
    void conditionalBranchNeedsAHeader() {
        List<Block> b = List.of(cond("a", P, "t", "m"), br("t", "m"), ret("m"));
        assertProblem(verify(b), "branches conditionally but heads no construct");
    }

    @Test
    void selectionCannotLeaveToAnOuterSelectionsMerge() {
        List<Block> b = List.of(
                cond("a", P, "b", "m1"),
                cond("b", Q, "c", "m2"),
                br("c", "m1"), // leaves the inner selection to the outer one's merge block
                br("m2", "m1"),
                ret("m1"));
        assertProblem(verify(b, sel("a", "m1"), sel("b", "m2")), "without a structured exit");
    }

    @Test
    void backEdgeMustGoToALoopHeader() {
        List<Block> b = List.of(br("entry", "a"), cond("a", P, "a", "m"), ret("m"));
        assertProblem(verify(b, sel("a", "m")), "does not go to a loop header");
    }

    @Test
    void backEdgeMustComeFromTheContinueConstruct() {
        List<Block> b = List.of(
                br("entry", "h"),
                br("h", "body"),
                cond("body", P, "h", "c"), // back edge from the loop body, not the continue construct
                new Block("sm", List.of(), new Terminator.Unreachable()),
                br("c", "h"),
                ret("exit"));
        assertProblem(verify(b, loop("h", "exit", "c"), sel("body", "sm")), "does not leave from the continue construct");
    }

    @Test
    void noBranchIntoAConstructButAtItsHeader() {
        List<Block> b = List.of(
                cond("entry", P, "a", "x"),
                cond("a", Q, "t", "m"),
                br("t", "m"),
                br("x", "t"), // enters a's construct at t
                br("m", "end"),
                ret("end"));
        List<String> problems = verify(b, sel("entry", "end"), sel("a", "m"));
        assertTrue(problems.stream().anyMatch(p -> p.contains("other than at its header")
                || p.contains("does not dominate")), problems.toString());
    }

    @Test
    void mergeBlockBelongsToOneConstruct() {
        List<Block> b = List.of(cond("a", P, "b", "m"), cond("b", Q, "m", "m2"), br("m2", "m"), ret("m"));
        assertProblem(verify(b, sel("a", "m"), sel("b", "m")), "merge block of two constructs");
    }

    @Test
    void headerMustDominateItsMerge() {
        List<Block> b = List.of(
                cond("entry", P, "a", "x"),
                cond("a", Q, "t", "m"),
                br("t", "m"),
                br("x", "m"), // reaches a's merge block around a
                br("m", "j"),
                ret("j"));
        assertProblem(verify(b, sel("entry", "j"), sel("a", "m")), "header a does not dominate m");
    }

    @Test
    void constructsMustNameExistingBlocks() {
        List<Block> b = List.of(cond("a", P, "t", "m"), br("t", "m"), ret("m"));
        assertProblem(verify(b, sel("a", "nowhere")), "unknown block nowhere");
    }

    @Test
    void loopHeaderMustDominateItsMerge() {
        List<Block> b = List.of(
                cond("entry", P, "h", "exit"), // reaches the loop's merge without the loop
                br("h", "body"),
                br("body", "c"),
                cond("c", Q, "h", "exit"),
                ret("exit"));
        List<String> problems = verify(b, sel("entry", "exit"), loop("h", "exit", "c"));
        assertTrue(!problems.isEmpty(), "a merge block shared and not dominated must be reported");
    }

    @Test
    void entryBlockHasNoPredecessor() {
        List<Block> b = List.of(cond("entry", P, "entry", "m"), ret("m"));
        assertProblem(verify(b, loop("entry", "m", "entry")), "continue target must differ");
        List<Block> c = List.of(br("entry", "h"), br("h", "entry"));
        assertProblem(verify(c), "is a branch target");
    }

    @Test
    void constructsNest() {
        // b's construct starts inside a's but runs past a's merge block
        List<Block> b = List.of(
                cond("a", P, "b", "ma"),
                cond("b", Q, "t", "mb"),
                br("t", "ma"),
                br("ma", "mb"),
                ret("mb"));
        List<String> problems = verify(b, sel("a", "ma"), sel("b", "mb"));
        assertTrue(!problems.isEmpty(), problems.toString());
    }
}
