package org.transcuda.ptx.pass;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.transcuda.ir.Block;
import org.transcuda.ir.Const;
import org.transcuda.ir.Function;
import org.transcuda.ir.Inst;
import org.transcuda.ir.IrPrinter;
import org.transcuda.ir.IrVerifier;
import org.transcuda.ir.Module;
import org.transcuda.ir.Param;
import org.transcuda.ir.Reg;
import org.transcuda.ir.ScalarType;
import org.transcuda.ir.Stmt;
import org.transcuda.ir.SymbolAddr;
import org.transcuda.ir.Terminator;
import org.transcuda.ir.Value;
import org.transcuda.ptx.PtxTranslator;

/**
 * The {@code uniform-collectives} pass. Structure: on hand-written divergent shapes and on the whole corpus the
 * result passes the IR verifier (no guards), structurizes with a clean {@link StructureVerifier}, and every
 * collective lies in a block the divergence analysis finds uniform; functions without divergent collectives are
 * returned unchanged. Semantics: {@link BlockEval} runs all threads of a block, each on its own until it reaches a
 * collective, and executes a collective only when every thread of the block stands at that same statement (a
 * dynamic proof of uniformity; a thread that ended while others wait fails the test), with the 32-lane rules of the
 * warp emulation; results are compared with Java models of maximal convergence written here.
 */
class UniformCollectivesTest {
    private static final String HEAD = ".version 8.0\n.target sm_80\n.address_size 64\n";

    /** Nested if/else: ballot, redux.add, activemask + vote.all, each in its own branch. */
    private static final String NESTED = HEAD + """
            .visible .entry nested(.param .u64 p_in, .param .u64 p_out)
            {
                .reg .pred %p<8>;
                .reg .b32 %r<20>;
                .reg .b64 %rd<8>;
                ld.param.u64 %rd1, [p_in];
                ld.param.u64 %rd2, [p_out];
                mov.u32 %r1, %tid.x;
                mul.wide.u32 %rd3, %r1, 4;
                add.s64 %rd4, %rd1, %rd3;
                ld.global.u32 %r2, [%rd4];
                mov.u32 %r10, 0;
                and.b32 %r3, %r2, 1;
                setp.eq.u32 %p1, %r3, 0;
                @%p1 bra ELSE;
                and.b32 %r4, %r2, 2;
                setp.eq.u32 %p2, %r4, 0;
                @%p2 bra INNER_ELSE;
                setp.gt.u32 %p3, %r2, 40;
                vote.sync.ballot.b32 %r10, %p3, -1;
                bra JOIN;
            INNER_ELSE:
                redux.sync.add.u32 %r10, %r2, -1;
                bra JOIN;
            ELSE:
                activemask.b32 %r11;
                setp.gt.u32 %p4, %r2, 50;
                vote.sync.all.pred %p5, %p4, %r11;
                selp.u32 %r12, 1, 0, %p5;
                xor.b32 %r10, %r11, %r12;
            JOIN:
                add.s64 %rd5, %rd2, %rd3;
                st.global.u32 [%rd5], %r10;
                ret;
            }
            """;

    /** Early return, then a loop with a per-thread trip count and a divergent break around activemask. */
    private static final String LOOP = HEAD + """
            .visible .entry loop(.param .u64 p_in, .param .u64 p_out, .param .u32 p_n)
            {
                .reg .pred %p<8>;
                .reg .b32 %r<24>;
                .reg .b64 %rd<8>;
                ld.param.u64 %rd1, [p_in];
                ld.param.u64 %rd2, [p_out];
                ld.param.u32 %r20, [p_n];
                mov.u32 %r1, %tid.x;
                setp.ge.u32 %p1, %r1, %r20;
                @%p1 bra END;
                mul.wide.u32 %rd3, %r1, 4;
                add.s64 %rd4, %rd1, %rd3;
                ld.global.u32 %r2, [%rd4];
                and.b32 %r3, %r2, 3;
                mov.u32 %r5, 0;
                mov.u32 %r10, 0;
            LOOP:
                setp.ge.u32 %p2, %r5, %r3;
                @%p2 bra DONE;
                activemask.b32 %r6;
                popc.b32 %r7, %r6;
                mul.lo.u32 %r10, %r10, 7;
                add.u32 %r10, %r10, %r7;
                and.b32 %r8, %r2, 16;
                setp.ne.u32 %p3, %r8, 0;
                setp.eq.u32 %p4, %r5, 1;
                and.pred %p5, %p3, %p4;
                @%p5 bra DONE;
                add.u32 %r5, %r5, 1;
                bra LOOP;
            DONE:
                add.s64 %rd5, %rd2, %rd3;
                st.global.u32 [%rd5], %r10;
            END:
                ret;
            }
            """;

    /** Early return, then bar.red.popc and bar.sync under a branch on the thread's value. */
    private static final String BARRIERS = HEAD + """
            .visible .entry barriers(.param .u64 p_in, .param .u64 p_out, .param .u32 p_n)
            {
                .reg .pred %p<8>;
                .reg .b32 %r<24>;
                .reg .b64 %rd<8>;
                ld.param.u64 %rd1, [p_in];
                ld.param.u64 %rd2, [p_out];
                ld.param.u32 %r20, [p_n];
                mov.u32 %r1, %tid.x;
                setp.ge.u32 %p1, %r1, %r20;
                @%p1 ret;
                mul.wide.u32 %rd3, %r1, 4;
                add.s64 %rd4, %rd1, %rd3;
                ld.global.u32 %r2, [%rd4];
                mov.u32 %r10, 1000;
                and.b32 %r3, %r2, 1;
                setp.eq.u32 %p2, %r3, 0;
                @%p2 bra SKIP;
                setp.gt.u32 %p3, %r2, 30;
                bar.red.popc.u32 %r10, 0, %p3;
                bar.red.and.pred %p6, 0, !%p3;
                @%p6 add.u32 %r10, %r10, 500;
            SKIP:
                bar.sync 0;
                add.s64 %rd5, %rd2, %rd3;
                st.global.u32 [%rd5], %r10;
                ret;
            }
            """;

    /** Early return, a loop without collectives (with a return inside), then a ballot of the survivors. */
    private static final String PLAIN = HEAD + """
            .visible .entry plain(.param .u64 p_in, .param .u64 p_out, .param .u32 p_n)
            {
                .reg .pred %p<8>;
                .reg .b32 %r<24>;
                .reg .b64 %rd<8>;
                ld.param.u64 %rd1, [p_in];
                ld.param.u64 %rd2, [p_out];
                ld.param.u32 %r20, [p_n];
                mov.u32 %r1, %tid.x;
                setp.ge.u32 %p1, %r1, %r20;
                @%p1 bra END;
                mul.wide.u32 %rd3, %r1, 4;
                add.s64 %rd4, %rd1, %rd3;
                ld.global.u32 %r2, [%rd4];
                and.b32 %r3, %r2, 7;
                mov.u32 %r5, 0;
                mov.u32 %r10, 0;
            LOOP:
                setp.ge.u32 %p2, %r5, %r3;
                @%p2 bra DONE;
                mul.lo.u32 %r6, %r5, %r2;
                add.u32 %r10, %r10, %r6;
                setp.gt.u32 %p3, %r10, 100;
                @%p3 bra END;
                add.u32 %r5, %r5, 1;
                bra LOOP;
            DONE:
                setp.gt.u32 %p4, %r10, 20;
                vote.sync.ballot.b32 %r11, %p4, -1;
                add.u32 %r12, %r11, %r10;
                add.s64 %rd5, %rd2, %rd3;
                st.global.u32 [%rd5], %r12;
            END:
                ret;
            }
            """;

    /** A loop with a uniform trip count left early by a divergent break, a ballot inside. */
    private static final String BREAK = HEAD + """
            .visible .entry brk(.param .u64 p_in, .param .u64 p_out)
            {
                .reg .pred %p<8>;
                .reg .b32 %r<24>;
                .reg .b64 %rd<8>;
                ld.param.u64 %rd1, [p_in];
                ld.param.u64 %rd2, [p_out];
                mov.u32 %r1, %tid.x;
                mul.wide.u32 %rd3, %r1, 4;
                add.s64 %rd4, %rd1, %rd3;
                ld.global.u32 %r2, [%rd4];
                mov.u32 %r5, 0;
                mov.u32 %r10, 0;
            LOOP:
                shl.b32 %r6, %r5, 3;
                setp.lt.u32 %p2, %r2, %r6;
                @%p2 bra DONE;
                shl.b32 %r7, 1, %r5;
                and.b32 %r8, %r2, %r7;
                setp.ne.u32 %p3, %r8, 0;
                vote.sync.ballot.b32 %r9, %p3, -1;
                popc.b32 %r11, %r9;
                add.u32 %r10, %r10, %r11;
                add.u32 %r5, %r5, 1;
                setp.lt.u32 %p4, %r5, 4;
                @%p4 bra LOOP;
            DONE:
                add.s64 %rd5, %rd2, %rd3;
                st.global.u32 [%rd5], %r10;
                ret;
            }
            """;

    /** brx.idx on the thread's value to three targets, each with its own collective. */
    private static final String SWITCH = HEAD + """
            .visible .entry sw(.param .u64 p_in, .param .u64 p_out)
            {
                .reg .pred %p<8>;
                .reg .b32 %r<24>;
                .reg .b64 %rd<8>;
                ld.param.u64 %rd1, [p_in];
                ld.param.u64 %rd2, [p_out];
                mov.u32 %r1, %tid.x;
                mul.wide.u32 %rd3, %r1, 4;
                add.s64 %rd4, %rd1, %rd3;
                ld.global.u32 %r2, [%rd4];
                and.b32 %r3, %r2, 3;
                min.u32 %r3, %r3, 2;
                ts: .branchtargets L0, L1, L2;
                brx.idx %r3, ts;
            L0:
                setp.gt.u32 %p1, %r2, 30;
                vote.sync.ballot.b32 %r10, %p1, -1;
                bra.uni END;
            L1:
                redux.sync.add.u32 %r10, %r2, -1;
                bra.uni END;
            L2:
                activemask.b32 %r10;
            END:
                add.s64 %rd5, %rd2, %rd3;
                st.global.u32 [%rd5], %r10;
                ret;
            }
            """;

    /** A call, under a branch on the thread's value, of a device function that votes: inlined, then predicated. */
    private static final String CALL = HEAD + """
            .func (.param .b32 res) count_big(.param .b32 a)
            {
                .reg .pred %q<2>;
                .reg .b32 %s<4>;
                ld.param.b32 %s1, [a];
                setp.gt.u32 %q1, %s1, 30;
                vote.sync.ballot.b32 %s2, %q1, -1;
                popc.b32 %s3, %s2;
                st.param.b32 [res], %s3;
                ret;
            }
            .visible .entry caller(.param .u64 p_in, .param .u64 p_out)
            {
                .reg .pred %p<4>;
                .reg .b32 %r<12>;
                .reg .b64 %rd<8>;
                ld.param.u64 %rd1, [p_in];
                ld.param.u64 %rd2, [p_out];
                mov.u32 %r1, %tid.x;
                mul.wide.u32 %rd3, %r1, 4;
                add.s64 %rd4, %rd1, %rd3;
                ld.global.u32 %r2, [%rd4];
                mov.u32 %r10, 0;
                and.b32 %r3, %r2, 1;
                setp.eq.u32 %p1, %r3, 0;
                @%p1 bra SKIP;
                {
                .param .b32 pa;
                .param .b32 pr;
                st.param.b32 [pa], %r2;
                call.uni (pr), count_big, (pa);
                ld.param.b32 %r10, [pr];
                }
            SKIP:
                add.s64 %rd5, %rd2, %rd3;
                st.global.u32 [%rd5], %r10;
                ret;
            }
            """;

    private static Module translate(String name, String ptx) {
        Module m = PtxTranslator.translate(name, ptx, new PtxTranslator.Options(true, true), null);
        assertEquals(List.of(), m.problems(), ptx);
        return m;
    }

    /** IR verifier, structurizer and structure verifier clean; every collective in uniform control flow. */
    private static void assertWellFormed(Module after, boolean allUniform) {
        assertEquals(List.of(), IrVerifier.verify(after, true), () -> IrPrinter.print(after));
        java.util.Set<String> collectiveFns = UniformCollectives.collectiveFunctions(after);
        for (Function f : after.functions()) {
            if (!f.isDefined()) continue;
            assertEquals(List.of(), StructureVerifier.verify(Structurize.run(f)), () -> IrPrinter.print(f));
            if (!allUniform) continue;
            Cfg cfg = new Cfg(f.blocks());
            UniformCollectives.Divergence d = new UniformCollectives.Divergence(f, cfg);
            for (int i = 0; i < cfg.blocks.size(); i++) {
                for (Stmt s : cfg.block(i).stmts()) {
                    boolean coll = UniformCollectives.collective(s.inst()) || s.inst() instanceof Inst.Call c
                            && c.callee() != null && collectiveFns.contains(c.callee());
                    if (coll) {
                        int bi = i;
                        assertTrue(!d.nonUniform.get(i), () -> f.name() + ": " + IrPrinter.inst(s.inst()) + " in "
                                + cfg.block(bi).label() + " is not in uniform control flow\n" + IrPrinter.print(f));
                    }
                }
            }
        }
    }

    @Test
    void divergentShapesEndUpUniformAndWellFormed() {
        for (String ptx : List.of(NESTED, LOOP, BARRIERS, PLAIN, BREAK, SWITCH, CALL)) {
            Module before = translate("shapes.ptx", ptx);
            Module after = UniformCollectives.run(before);
            int k = before.functions().size() - 1;
            assertNotSame(before.functions().get(k), after.functions().get(k));
            assertWellFormed(after, true);
        }
    }

    /** Only loops that hold collectives pay a bar.red.or per iteration. */
    @Test
    void loopsWithoutCollectivesStayOrdinaryLoops() {
        for (String ptx : List.of(PLAIN, LOOP)) {
            Function f = UniformCollectives.run(translate("p.ptx", ptx)).functions().get(0);
            long barriers = f.blocks().stream().flatMap(b -> b.stmts().stream())
                    .filter(st -> st.inst() instanceof Inst.Barrier).count();
            assertEquals(ptx == PLAIN ? 0 : 1, barriers, () -> IrPrinter.print(f));
        }
    }

    /**
     * A shuffle under a divergent branch runs for every thread, with member mask {@code selp(mask, 0, m)}: the
     * threads outside the execution mask get 0 (a code generator lets them skip the exchange), the others keep the
     * program's mask.
     */
    @Test
    void shufflesOutsideTheMaskGetMemberMaskZero() {
        Module m = translate("s.ptx", HEAD + """
                .visible .entry firstwarp(.param .u64 p_out)
                {
                    .reg .pred %p<4>;
                    .reg .b32 %r<10>;
                    .reg .b64 %rd<4>;
                    ld.param.u64 %rd1, [p_out];
                    mov.u32 %r1, %tid.x;
                    setp.ge.u32 %p1, %r1, 32;
                    @%p1 bra SKIP;
                    shfl.sync.up.b32 %r2|%p2, %r1, 1, 0, -1;
                    st.global.u32 [%rd1], %r2;
                SKIP:
                    ret;
                }
                """);
        Function after = UniformCollectives.run(m).functions().get(0);
        Map<Reg, Inst.Compute> defs = new HashMap<>();
        Inst.Shuffle shuffle = null;
        for (Block b : after.blocks()) {
            for (Stmt st : b.stmts()) {
                if (st.inst() instanceof Inst.Compute c) defs.put(c.dst(), c);
                if (st.inst() instanceof Inst.Shuffle sh) {
                    assertEquals(null, shuffle, "one shuffle");
                    shuffle = sh;
                }
            }
        }
        assertTrue(shuffle != null, IrPrinter.print(after));
        assertTrue(shuffle.memberMask() instanceof Reg, "member mask " + shuffle.memberMask());
        Inst.Compute sel = defs.get((Reg) shuffle.memberMask());
        assertTrue(sel != null && sel.op() == org.transcuda.ir.Opcode.SELP, "defined by " + sel);
        assertEquals(0xffff_ffffL, ((Const) sel.srcs().get(0)).bits() & 0xffff_ffffL);
        assertEquals(0L, ((Const) sel.srcs().get(1)).bits());
        assertTrue(sel.srcs().get(2) instanceof Reg, "the execution mask");
    }

    @Test
    void functionsWithoutDivergentCollectivesAreUnchanged() {
        Module m = translate("u.ptx", HEAD + """
                .visible .entry uniform(.param .u64 p_out, .param .u32 p_n)
                {
                    .reg .pred %p<4>;
                    .reg .b32 %r<10>;
                    .reg .b64 %rd<4>;
                    ld.param.u64 %rd1, [p_out];
                    ld.param.u32 %r1, [p_n];
                    mov.u32 %r2, %tid.x;
                    mov.u32 %r5, 16;
                LOOP:
                    shfl.sync.down.b32 %r2, %r2, %r5, 31, -1;
                    shr.u32 %r5, %r5, 1;
                    setp.ne.u32 %p1, %r5, 0;
                    @%p1 bra LOOP;
                    setp.ge.u32 %p2, %r2, %r1;
                    @%p2 bra SKIP;
                    add.u32 %r2, %r2, 1;
                SKIP:
                    st.global.u32 [%rd1], %r2;
                    ret;
                }
                """);
        assertSame(m.functions().get(0), UniformCollectives.run(m).functions().get(0));
    }

    /**
     * Every corpus module and every nvcc fixture of the front end's tests: the pass's output is well formed;
     * collectives end up uniform (none of them calls a function with collectives under divergent control).
     */
    @Test
    void corpusAndFixturesStayWellFormed() throws IOException {
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.isDirectory(root.resolve("corpus/ptx"))) root = root.getParent();
        assertTrue(root != null, "corpus/ptx not found");
        List<Path> files = new java.util.ArrayList<>();
        for (Path dir : List.of(root.resolve("corpus/ptx"), root.resolve("frontend-ptx/src/test/resources/ptx"))) {
            try (Stream<Path> s = Files.list(dir)) {
                files.addAll(s.filter(p -> p.toString().endsWith(".ptx")).sorted().toList());
            }
        }
        int changed = 0;
        for (Path p : files) {
            Module before = PtxTranslator.translate(p.getFileName().toString(),
                    Files.readString(p, StandardCharsets.UTF_8), new PtxTranslator.Options(true, true), null);
            Module after = UniformCollectives.run(before);
            assertEquals(before.problems(), after.problems(), p.toString());
            assertWellFormed(after, true);
            for (int i = 0; i < before.functions().size(); i++) {
                if (before.functions().get(i) != after.functions().get(i)) changed++;
            }
        }
        assertTrue(changed > 0, "no corpus function has a divergent collective?");
    }

    // ---------------------------------------------------------------------------------------------
    // semantics

    private static int[] inputs(int n, long seed) {
        Random r = new Random(seed);
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = r.nextInt(64);
        return a;
    }

    @ParameterizedTest
    @CsvSource({"64", "40", "96", "7"})
    void nestedBranches(int threads) {
        int[] in = inputs(threads, threads);
        int[] out = new BlockEval(UniformCollectives.run(translate("n.ptx", NESTED)), "nested", threads)
                .run(in, Map.of("p_in", 0L, "p_out", 4L * threads));
        for (int t = 0; t < threads; t++) {
            int w = t & ~31;
            int want;
            int x = in[t];
            if ((x & 1) != 0 && (x & 2) != 0) {
                want = 0;
                for (int k = w; k < Math.min(w + 32, threads); k++) {
                    if ((in[k] & 3) == 3 && in[k] > 40) want |= 1 << (k - w);
                }
            } else if ((x & 1) != 0) {
                want = 0;
                for (int k = w; k < Math.min(w + 32, threads); k++) if ((in[k] & 3) == 1) want += in[k];
            } else {
                int act = 0;
                boolean all = true;
                for (int k = w; k < Math.min(w + 32, threads); k++) {
                    if ((in[k] & 1) == 0) {
                        act |= 1 << (k - w);
                        all &= in[k] > 50;
                    }
                }
                want = act ^ (all ? 1 : 0);
            }
            assertEquals(want, out[t], "thread " + t + " x=" + x);
        }
    }

    @ParameterizedTest
    @CsvSource({"64,50", "40,40", "96,70", "33,1"})
    void earlyReturnAndALoopWithBreak(int threads, int n) {
        int[] in = inputs(threads, 7 * threads);
        int[] out = new BlockEval(UniformCollectives.run(translate("l.ptx", LOOP)), "loop", threads)
                .run(in, Map.of("p_in", 0L, "p_out", 4L * threads, "p_n", (long) n));
        for (int t = 0; t < threads; t++) {
            if (t >= n) {
                assertEquals(0, out[t], "thread " + t + " returned early");
                continue;
            }
            int w = t & ~31;
            int acc = 0;
            for (int j = 0; j < (in[t] & 3); j++) {
                if (j >= 2 && (in[t] & 16) != 0) break;
                int inLoop = 0;
                for (int k = w; k < Math.min(w + 32, n); k++) {
                    boolean broke = j >= 2 && (in[k] & 16) != 0;
                    if (j < (in[k] & 3) && !broke) inLoop++;
                }
                acc = acc * 7 + inLoop;
            }
            assertEquals(acc, out[t], "thread " + t + " x=" + in[t]);
        }
    }

    @ParameterizedTest
    @CsvSource({"64,50", "40,40", "96,96"})
    void barriersUnderADivergentBranchCountOnlyTheThreadsThatReachThem(int threads, int n) {
        int[] in = inputs(threads, 11 * threads);
        int[] out = new BlockEval(UniformCollectives.run(translate("b.ptx", BARRIERS)), "barriers", threads)
                .run(in, Map.of("p_in", 0L, "p_out", 4L * threads, "p_n", (long) n));
        int popc = 0;
        boolean allNotGreater = true;
        for (int t = 0; t < n; t++) {
            if ((in[t] & 1) != 0) {
                if (in[t] > 30) popc++;
                allNotGreater &= in[t] <= 30;
            }
        }
        for (int t = 0; t < threads; t++) {
            int want = t >= n ? 0 : (in[t] & 1) == 0 ? 1000 : popc + (allNotGreater ? 500 : 0);
            assertEquals(want, out[t], "thread " + t + " x=" + in[t]);
        }
    }

    @ParameterizedTest
    @CsvSource({"64", "40"})
    void divergentCallOfAVotingFunctionIsInlined(int threads) {
        Module m = UniformCollectives.run(translate("c.ptx", CALL));
        Function caller = m.function("caller").orElseThrow();
        assertTrue(caller.blocks().stream().flatMap(b -> b.stmts().stream()).noneMatch(st -> st.inst()
                instanceof Inst.Call), () -> IrPrinter.print(caller));
        int[] in = inputs(threads, 23 * threads);
        int[] out = new BlockEval(m, "caller", threads).run(in, Map.of("p_in", 0L, "p_out", 4L * threads));
        for (int t = 0; t < threads; t++) {
            int w = t & ~31;
            int count = 0;
            for (int k = w; k < Math.min(w + 32, threads); k++) if ((in[k] & 1) != 0 && in[k] > 30) count++;
            assertEquals((in[t] & 1) != 0 ? count : 0, out[t], "thread " + t + " x=" + in[t]);
        }
    }

    @ParameterizedTest
    @CsvSource({"64", "40"})
    void switchOnTheThreadsValue(int threads) {
        int[] in = inputs(threads, 19 * threads);
        int[] out = new BlockEval(UniformCollectives.run(translate("s.ptx", SWITCH)), "sw", threads)
                .run(in, Map.of("p_in", 0L, "p_out", 4L * threads));
        for (int t = 0; t < threads; t++) {
            int w = t & ~31;
            int c = Math.min(in[t] & 3, 2);
            int want = 0;
            for (int k = w; k < Math.min(w + 32, threads); k++) {
                if (Math.min(in[k] & 3, 2) != c) continue;
                if (c == 0 && in[k] > 30) want |= 1 << (k - w);
                if (c == 1) want += in[k];
                if (c == 2) want |= 1 << (k - w);
            }
            assertEquals(want, out[t], "thread " + t + " x=" + in[t]);
        }
    }

    @ParameterizedTest
    @CsvSource({"64", "40", "96"})
    void divergentBreakOutOfAUniformLoop(int threads) {
        int[] in = inputs(threads, 17 * threads);
        int[] out = new BlockEval(UniformCollectives.run(translate("k.ptx", BREAK)), "brk", threads)
                .run(in, Map.of("p_in", 0L, "p_out", 4L * threads));
        for (int t = 0; t < threads; t++) {
            int w = t & ~31;
            int acc = 0;
            for (int j = 0; j < 4 && in[t] >= 8 * j; j++) {
                int ballot = 0;
                for (int k = w; k < Math.min(w + 32, threads); k++) {
                    if (in[k] >= 8 * j && (in[k] >> j & 1) != 0) ballot |= 1 << (k - w);
                }
                acc += Integer.bitCount(ballot);
            }
            assertEquals(acc, out[t], "thread " + t + " x=" + in[t]);
        }
    }

    @ParameterizedTest
    @CsvSource({"64,50", "40,40", "96,70"})
    void ballotOfTheThreadsThatSurviveALoopWithAReturnInside(int threads, int n) {
        int[] in = inputs(threads, 13 * threads);
        int[] out = new BlockEval(UniformCollectives.run(translate("p.ptx", PLAIN)), "plain", threads)
                .run(in, Map.of("p_in", 0L, "p_out", 4L * threads, "p_n", (long) n));
        int[] acc = new int[threads];
        boolean[] alive = new boolean[threads];
        for (int t = 0; t < n; t++) {
            alive[t] = true;
            for (int j = 0; j < (in[t] & 7) && alive[t]; j++) {
                acc[t] += j * in[t];
                if (acc[t] > 100) alive[t] = false;
            }
        }
        for (int t = 0; t < threads; t++) {
            int w = t & ~31;
            int ballot = 0;
            for (int k = w; k < Math.min(w + 32, threads); k++) if (alive[k] && acc[k] > 20) ballot |= 1 << (k - w);
            assertEquals(alive[t] ? ballot + acc[t] : 0, out[t], "thread " + t + " x=" + in[t]);
        }
    }

    /**
     * All threads of one 1-D block over a little-endian word memory: inputs at 0, outputs after them. Each thread runs
     * until its next collective; a collective runs when every thread stands at it (else the test fails).
     */
    static final class BlockEval {
        private final Function f;
        private final int threads;
        private final Map<String, Block> byLabel = new HashMap<>();
        private int[] mem;
        private Map<String, Long> params;
        private final long[][] regs;
        private final Block[] at;
        private final int[] pos;
        private final boolean[] done;

        BlockEval(Module m, String kernel, int threads) {
            this.f = m.function(kernel).orElseThrow();
            this.threads = threads;
            for (Block b : f.blocks()) byLabel.put(b.label(), b);
            regs = new long[threads][f.regs().size()];
            at = new Block[threads];
            pos = new int[threads];
            done = new boolean[threads];
        }

        int[] run(int[] in, Map<String, Long> paramValues) {
            mem = new int[2 * threads];
            System.arraycopy(in, 0, mem, 0, in.length);
            params = paramValues;
            Arrays.fill(at, f.blocks().getFirst());
            for (int step = 0; step < 10_000; step++) {
                for (int t = 0; t < threads; t++) advance(t);
                int lastLive = -1;
                for (int t = 0; t < threads; t++) if (!done[t]) lastLive = t;
                int live = lastLive;
                if (live < 0) return Arrays.copyOfRange(mem, threads, 2 * threads);
                for (int t = 0; t < threads; t++) {
                    int tt = t;
                    assertTrue(!done[t] && at[t] == at[live] && pos[t] == pos[live], () -> "thread " + tt
                            + " is not at the collective " + IrPrinter.inst(at[live].stmts().get(pos[live]).inst())
                            + " in " + at[live].label() + " with thread " + live + "\n" + IrPrinter.print(f));
                }
                collective(at[live].stmts().get(pos[live]).inst());
                for (int t = 0; t < threads; t++) pos[t]++;
            }
            throw new AssertionError("does not terminate");
        }

        private void advance(int t) {
            for (int steps = 0; steps < 100_000 && !done[t]; steps++) {
                Block b = at[t];
                if (pos[t] < b.stmts().size()) {
                    Stmt s = b.stmts().get(pos[t]);
                    if (UniformCollectives.collective(s.inst())) return;
                    exec(t, s.inst());
                    pos[t]++;
                    continue;
                }
                String next = switch (b.terminator()) {
                    case Terminator.Branch br -> br.target();
                    case Terminator.CondBranch c -> get(t, c.pred()) != 0 ? c.ifTrue() : c.ifFalse();
                    case Terminator.Return r -> null;
                    case Terminator.Exit e -> null;
                    default -> throw new AssertionError("unsupported " + b.terminator());
                };
                if (next == null) {
                    done[t] = true;
                } else {
                    at[t] = byLabel.get(next);
                    pos[t] = 0;
                }
            }
        }

        private long get(int t, Value v) {
            return switch (v) {
                case Const c -> c.bits();
                case Reg r -> regs[t][r.id()];
                case SymbolAddr a -> throw new AssertionError("address of " + a.symbol());
            };
        }

        private void set(int t, Reg r, long bits) {
            int w = r.type().bits();
            regs[t][r.id()] = w >= 64 ? bits : w == 1 ? bits & 1 : bits & ((1L << w) - 1);
        }

        private void exec(int t, Inst i) {
            switch (i) {
                case Inst.Mov m -> set(t, m.dst(), get(t, m.src()));
                case Inst.Cvta c -> set(t, c.dst(), get(t, c.src()));
                case Inst.Convert c -> set(t, c.dst(), get(t, c.src()));
                case Inst.ReadSpecial r -> set(t, r.dst(), switch (r.which()) {
                    case TID_X -> t;
                    case NTID_X -> threads;
                    case TID_Y, TID_Z, CTAID_X, CTAID_Y, CTAID_Z -> 0;
                    case NTID_Y, NTID_Z -> 1;
                    case LANEID -> t & 31;
                    default -> throw new AssertionError("unsupported " + r);
                });
                case Inst.Load l -> {
                    if (l.address().base() instanceof SymbolAddr s) {
                        Param p = f.params().stream().filter(x -> x.name().equals(s.symbol())).findFirst().orElseThrow();
                        set(t, l.dst(), params.get(p.name()));
                    } else {
                        set(t, l.dst(), mem[(int) ((get(t, l.address().base()) + l.address().offset()) / 4)]);
                    }
                }
                case Inst.Store s -> mem[(int) ((get(t, s.address().base()) + s.address().offset()) / 4)] =
                        (int) get(t, s.src());
                case Inst.Compare c -> {
                    long a = get(t, c.a());
                    long b = get(t, c.b());
                    boolean signed = c.type().kind() == ScalarType.Kind.SIGNED;
                    int cmp = signed ? Long.compare(sext(a, c.type().bits()), sext(b, c.type().bits()))
                            : Long.compareUnsigned(a, b);
                    set(t, c.dst(), switch (c.op()) {
                        case EQ -> cmp == 0;
                        case NE -> cmp != 0;
                        case LT, LO -> cmp < 0;
                        case LE, LS -> cmp <= 0;
                        case GT, HI -> cmp > 0;
                        case GE, HS -> cmp >= 0;
                        default -> throw new AssertionError("unsupported " + c);
                    } ? 1 : 0);
                }
                case Inst.Compute c -> {
                    List<Value> s = c.srcs();
                    long a = get(t, s.get(0));
                    long b = s.size() > 1 ? get(t, s.get(1)) : 0;
                    set(t, c.dst(), switch (c.op()) {
                        case ADD -> a + b;
                        case SUB -> a - b;
                        case MUL -> a * b;
                        case MUL_WIDE -> a * b;
                        case AND -> a & b;
                        case OR -> a | b;
                        case XOR -> a ^ b;
                        case NOT -> ~a;
                        case POPC -> Long.bitCount(a & 0xffff_ffffL);
                        case SELP -> get(t, s.get(2)) != 0 ? a : b;
                        case SHL -> a << b;
                        case SHR -> a >>> b;
                        case MIN -> Long.compareUnsigned(a, b) < 0 ? a : b;
                        default -> throw new AssertionError("unsupported " + c);
                    });
                }
                default -> throw new AssertionError("unsupported " + i);
            }
        }

        private static long sext(long v, int bits) {
            return bits >= 64 ? v : (v << (64 - bits)) >> (64 - bits);
        }

        private int present(int t) {
            int n = threads - (t & ~31);
            return n >= 32 ? -1 : (1 << n) - 1;
        }

        /** Executes a collective for every thread of the block (all stand at it). */
        private void collective(Inst i) {
            long[][] before = new long[threads][];
            for (int t = 0; t < threads; t++) before[t] = regs[t].clone();
            for (int t = 0; t < threads; t++) {
                int w = t & ~31;
                int set;
                switch (i) {
                    case Inst.Vote v -> {
                        set = (int) get(t, v.memberMask()) & present(t);
                        int ballot = 0;
                        for (int k = 0; k < 32 && w + k < threads; k++) {
                            long pv = v.pred() instanceof Const c ? c.bits() : before[w + k][((Reg) v.pred()).id()];
                            boolean p = (pv != 0) != v.negate();
                            if (p) ballot |= 1 << k;
                        }
                        int b = ballot & set;
                        set(t, v.dst(), switch (v.mode()) {
                            case BALLOT -> b & 0xffff_ffffL;
                            case ALL -> b == set ? 1 : 0;
                            case ANY -> b != 0 ? 1 : 0;
                            case UNI -> b == 0 || b == set ? 1 : 0;
                        });
                    }
                    case Inst.ActiveMask a -> set(t, a.dst(), present(t) & 0xffff_ffffL);
                    case Inst.Redux r -> {
                        set = (int) get(t, r.memberMask()) & present(t);
                        long sum = 0;
                        for (int k = 0; k < 32; k++) {
                            if ((set >>> k & 1) != 0) sum += before[w + k][((Reg) r.value()).id()];
                        }
                        if (r.op() != org.transcuda.ir.Opcode.ADD) throw new AssertionError("unsupported " + r);
                        set(t, r.dst(), sum);
                    }
                    case Inst.Barrier b -> {
                        if (b.kind() == Inst.BarrierKind.SYNC) break;
                        int count = 0;
                        for (int k = 0; k < threads; k++) {
                            boolean p = b.pred() instanceof Const c ? c.bits() != 0 : before[k][((Reg) b.pred()).id()] != 0;
                            if (p != b.negatePred()) count++;
                        }
                        set(t, b.dst(), switch (b.kind()) {
                            case RED_POPC -> count;
                            case RED_OR -> count > 0 ? 1 : 0;
                            case RED_AND -> count == threads ? 1 : 0;
                            default -> throw new AssertionError("unsupported " + b);
                        });
                    }
                    case Inst.WarpSync ws -> {
                    }
                    default -> throw new AssertionError("unsupported " + i);
                }
            }
        }
    }
}
