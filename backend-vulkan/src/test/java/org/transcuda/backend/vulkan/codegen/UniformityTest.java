package org.transcuda.backend.vulkan.codegen;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.transcuda.ir.Function;
import org.transcuda.ir.Module;
import org.transcuda.ir.Stmt;
import org.transcuda.ptx.PtxTranslator;

/**
 * {@link Uniformity} on small hand-written kernels (prepared without the {@code uniform-collectives} pass, so the
 * analysis sees the divergent shapes), the code generator's refusal of divergent warp code it cannot handle, and the
 * shapes that the pass makes compile.
 */
class UniformityTest {
    private static final String HEAD = """
            .version 8.0
            .target sm_80
            .address_size 64
            """;

    /** A kernel {@code k(u64 out, u32 n)} with {@code body} between the parameter loads and the final store. */
    private static String kernel(String name, String body) {
        return """
                .visible .entry %s(.param .u64 p_out, .param .u32 p_n)
                {
                    .reg .pred %%p<8>;
                    .reg .b32 %%r<32>;
                    .reg .b64 %%rd<8>;
                    ld.param.u64 %%rd1, [p_out];
                    ld.param.u32 %%r1, [p_n];
                    mov.u32 %%r2, %%tid.x;
                    mov.u32 %%r3, %%ctaid.x;
                    mov.u32 %%r10, %%r2;
                %s
                    cvta.to.global.u64 %%rd2, %%rd1;
                    mul.wide.u32 %%rd3, %%r2, 4;
                    add.s64 %%rd4, %%rd2, %%rd3;
                    st.global.u32 [%%rd4], %%r10;
                    ret;
                }
                """.formatted(name, body);
    }

    private static Module module(String... kernels) {
        return PtxTranslator.translate("u.ptx", HEAD + String.join("\n", kernels));
    }

    /** The first warp instruction or barrier of {@code k} outside uniform control flow, or null. */
    private static Stmt offender(String body) {
        SpirvCodegen.Prepared p = SpirvCodegen.prepare(module(kernel("k", body)), false);
        Function fn = p.structured().get("k").function();
        return Uniformity.of(fn).firstCollectiveOutsideUniform(callee -> false);
    }

    private static final String SHFL = "    shfl.sync.down.b32 %r10, %r10, %r5, 31, -1;\n";

    @Test
    void uniformLoopWithConstantTripCountIsAccepted() {
        assertNull(offender("""
                    mov.u32 %r5, 16;
                LOOP:
                """ + SHFL + """
                    shr.u32 %r5, %r5, 1;
                    setp.ne.u32 %p1, %r5, 0;
                    @%p1 bra LOOP;
                """));
    }

    @Test
    void loopWithParameterTripCountIsAccepted() {
        assertNull(offender("""
                    mov.u32 %r6, 0;
                    mov.u32 %r5, 1;
                    setp.eq.u32 %p2, %r1, 0;
                    @%p2 bra DONE;
                LOOP:
                """ + SHFL + """
                    add.s32 %r6, %r6, 1;
                    setp.lt.u32 %p1, %r6, %r1;
                    @%p1 bra LOOP;
                DONE:
                """));
    }

    @Test
    void branchOnTidIsRejected() {
        Stmt s = offender("""
                    mov.u32 %r5, 1;
                    setp.ge.u32 %p1, %r2, 32;
                    @%p1 bra SKIP;
                """ + SHFL + """
                SKIP:
                """);
        assertNotNull(s);
        assertTrue(s.inst() instanceof org.transcuda.ir.Inst.Shuffle, String.valueOf(s));
    }

    @Test
    void guardedByTidIsRejected() {
        assertNotNull(offender("""
                    mov.u32 %r5, 1;
                    setp.lt.u32 %p1, %r2, 32;
                    @%p1 shfl.sync.down.b32 %r10, %r10, %r5, 31, -1;
                """));
    }

    @Test
    void earlyReturnThenShuffleIsRejected() {
        assertNotNull(offender("""
                    mov.u32 %r5, 1;
                    setp.ge.u32 %p1, %r2, %r1;
                    @%p1 ret;
                """ + SHFL));
    }

    @Test
    void uniformEarlyReturnThenShuffleIsAccepted() {
        assertNull(offender("""
                    mov.u32 %r5, 1;
                    setp.ge.u32 %p1, %r3, %r1;
                    @%p1 ret;
                """ + SHFL));
    }

    @Test
    void shuffleAfterTheJoinOfADivergentBranchIsAccepted() {
        assertNull(offender("""
                    mov.u32 %r5, 1;
                    setp.ge.u32 %p1, %r2, 32;
                    @%p1 bra SKIP;
                    add.s32 %r10, %r10, 7;
                SKIP:
                    bar.sync 0;
                """ + SHFL));
    }

    @Test
    void loopWithDivergentExitIsRejected() {
        // the trip count depends on tid through a register assigned in the loop
        assertNotNull(offender("""
                    mov.u32 %r5, 1;
                    mov.u32 %r6, %r2;
                LOOP:
                """ + SHFL + """
                    add.s32 %r6, %r6, 1;
                    setp.lt.u32 %p1, %r6, %r1;
                    @%p1 bra LOOP;
                """));
    }

    @Test
    void valueAssignedUnderDivergentControlIsDivergentAfterTheJoin() {
        // %r7 is uniform where assigned, but only some threads assign it: branching on it later diverges
        assertNotNull(offender("""
                    mov.u32 %r5, 1;
                    mov.u32 %r7, 0;
                    setp.ge.u32 %p1, %r2, 32;
                    @%p1 bra SKIP;
                    mov.u32 %r7, 1;
                SKIP:
                    setp.eq.u32 %p2, %r7, 0;
                    @%p2 bra END;
                """ + SHFL + """
                END:
                """));
    }

    @Test
    void branchOnGlobalLoadIsRejectedButOnParameterAccepted() {
        assertNotNull(offender("""
                    mov.u32 %r5, 1;
                    ld.global.u32 %r7, [%rd1];
                    setp.eq.u32 %p2, %r7, 0;
                    @%p2 bra END;
                """ + SHFL + """
                END:
                """));
        assertNull(offender("""
                    mov.u32 %r5, 1;
                    mov.u32 %r8, %ntid.x;
                    mad.lo.s32 %r7, %r3, %r8, %r1;
                    setp.eq.u32 %p2, %r7, 0;
                    @%p2 bra END;
                """ + SHFL + """
                END:
                """));
    }

    /** A bar.red result is the same in every thread, whatever each contributes: branching on it is uniform. */
    @Test
    void branchOnABarRedResultIsAccepted() {
        assertNull(offender("""
                    mov.u32 %r5, 1;
                    setp.lt.u32 %p1, %r2, 5;
                    bar.red.or.pred %p2, 0, %p1;
                    @!%p2 bra END;
                """ + SHFL + """
                END:
                """));
        assertNotNull(offender("""
                    mov.u32 %r5, 1;
                    setp.lt.u32 %p1, %r2, 5;
                    @!%p1 bra END;
                """ + SHFL + """
                END:
                """));
    }

    @Test
    void barrierAfterDivergentReturnIsRejected() {
        Stmt s = offender("""
                    setp.ge.u32 %p1, %r2, %r1;
                    @%p1 ret;
                    bar.sync 0;
                """);
        assertNotNull(s);
        assertTrue(s.inst() instanceof org.transcuda.ir.Inst.Barrier, String.valueOf(s));
    }

    @Test
    void warpSyncUnderABranchOnTidIsRejectedAndAtTopLevelAccepted() {
        Stmt s = offender("""
                    setp.ge.u32 %p1, %r2, 32;
                    @%p1 bra SKIP;
                    bar.warp.sync -1;
                SKIP:
                """);
        assertNotNull(s);
        assertTrue(s.inst() instanceof org.transcuda.ir.Inst.WarpSync, String.valueOf(s));
        assertNull(offender("    bar.warp.sync -1;\n"));
    }

    @Test
    void codegenRejectsADivergentWarpSyncWithAClearMessage() {
        Module ir = module(kernel("bad", """
                    setp.lt.u32 %p1, %r2, 32;
                    @%p1 bar.warp.sync -1;
                """), kernel("good", "    bar.warp.sync -1;\n"));
        // the uniform-collectives pass executes it in uniform control flow
        assertDoesNotThrow(() -> SpirvCodegen.compile(SpirvCodegen.prepare(ir), "bad", Target.FULL, Map.of()));
        SpirvCodegen.Prepared p = SpirvCodegen.prepare(ir, false);
        CodegenException e = assertThrows(CodegenException.class,
                () -> SpirvCodegen.compile(p, "bad", Target.FULL, Map.of()));
        assertTrue(e.getMessage().startsWith("bad: u.ptx:") && e.getMessage().contains("bar.warp.sync: warp "
                + "operation in divergent control flow is not supported by the Vulkan backend's 32-lane emulation"),
                e.getMessage());
        int[] words = assertDoesNotThrow(() -> SpirvCodegen.compile(p, "good", Target.FULL, Map.of())).spirv();
        // the warp's lanes may lie in different subgroups: __syncwarp must be a control barrier, not a fence
        assertTrue(hasOpcode(words, 224), "OpControlBarrier expected for bar.warp.sync");
    }

    /** Whether the SPIR-V module {@code words} contains an instruction with opcode {@code op}. */
    private static boolean hasOpcode(int[] words, int op) {
        for (int i = 5; i < words.length; i += words[i] >>> 16) {
            if ((words[i] & 0xFFFF) == op) return true;
            if (words[i] >>> 16 == 0) throw new IllegalStateException("bad SPIR-V word count at " + i);
        }
        return false;
    }

    @Test
    void codegenFailsOnlyTheDivergentKernelWithAClearMessage() {
        Module ir = module(
                kernel("bad", """
                            mov.u32 %r5, 1;
                            setp.ge.u32 %p1, %r2, 32;
                            @%p1 bra SKIP;
                        """ + SHFL + """
                        SKIP:
                        """),
                kernel("good", "    mov.u32 %r5, 1;\n" + SHFL));
        assertDoesNotThrow(() -> SpirvCodegen.compile(SpirvCodegen.prepare(ir), "bad", Target.FULL, Map.of()));
        SpirvCodegen.Prepared p = SpirvCodegen.prepare(ir, false);
        CodegenException e = assertThrows(CodegenException.class,
                () -> SpirvCodegen.compile(p, "bad", Target.FULL, Map.of()));
        String m = e.getMessage();
        assertTrue(m.startsWith("bad: u.ptx:"), m);
        assertTrue(m.contains("shfl.sync.down: warp operation in divergent control flow is not supported by the "
                + "Vulkan backend's 32-lane emulation"), m);
        assertDoesNotThrow(() -> SpirvCodegen.compile(p, "good", Target.FULL, Map.of()));
        assertFalse(m.isBlank());
    }

    private static final String WARP_SUM = """
            .func (.param .b32 res) warp_sum(.param .b32 a)
            {
                .reg .b32 %s<4>;
                ld.param.b32 %s1, [a];
                shfl.sync.bfly.b32 %s2, %s1, 1, 31, -1;
                add.s32 %s3, %s1, %s2;
                st.param.b32 [res], %s3;
                ret;
            }
            """;

    private static final String CALL = """
                {
                .param .b32 pa;
                .param .b32 pr;
                st.param.b32 [pa], %r10;
                call.uni (pr), warp_sum, (pa);
                ld.param.b32 %r10, [pr];
                }
            """;

    @Test
    void callOfAFunctionWithAShuffleIsCheckedAtTheCallSite() throws Exception {
        Module ir = module(WARP_SUM,
                kernel("divergent_call", """
                            setp.ge.u32 %p1, %r2, 32;
                            @%p1 bra SKIP;
                        """ + CALL + """
                        SKIP:
                        """),
                kernel("uniform_call", CALL));
        // the uniform-collectives pass inlines the call and predicates the callee's body
        assertDoesNotThrow(() -> SpirvCodegen.compile(SpirvCodegen.prepare(ir), "divergent_call", Target.FULL,
                Map.of()));
        SpirvCodegen.Prepared p = SpirvCodegen.prepare(ir, false);
        CodegenException e = assertThrows(CodegenException.class,
                () -> SpirvCodegen.compile(p, "divergent_call", Target.FULL, Map.of()));
        assertTrue(e.getMessage().contains("call of warp_sum (which uses warp operations or barriers): warp "
                + "operation in divergent control flow"), e.getMessage());
        assertTrue(e.getMessage().contains("(the uniform-collectives pass does not handle a call of warp_sum"),
                e.getMessage());
        assertDoesNotThrow(() -> SpirvCodegen.compile(p, "uniform_call", Target.FULL, Map.of()));
    }
}
