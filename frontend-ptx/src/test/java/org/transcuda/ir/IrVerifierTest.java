package org.transcuda.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class IrVerifierTest {
    private static final Reg P = new Reg(0, ScalarType.PRED, "p");
    private static final Reg R = new Reg(1, ScalarType.U32, "r");
    private static final Reg RD = new Reg(2, ScalarType.U64, "rd");

    private static Module module(List<Block> blocks) {
        Function f = new Function("k", true, new Params().add("out", ScalarType.U64).build(), List.of(),
                List.of(P, R, RD), List.of(), blocks, Function.Directives.NONE);
        return new Module("m", List.of(), List.of(f), List.of());
    }

    private static Stmt s(Inst i) {
        return Stmt.of(i);
    }

    @Test
    void wellFormedKernelVerifiesAndPrints() {
        Module m = module(List.of(
                new Block("entry", List.of(
                        s(new Inst.Load(AddressSpace.PARAM, ScalarType.U64, Memory.Order.WEAK, null, Memory.Cache.DEFAULT,
                                RD, new Address(new SymbolAddr("out", AddressSpace.PARAM), 0))),
                        s(new Inst.ReadSpecial(Special.TID_X, R)),
                        s(new Inst.Compare(Inst.CmpOp.LT, ScalarType.U32, false, P, R, Const.of(ScalarType.U32, 10)))),
                        new Terminator.CondBranch(P, "body", "done")),
                new Block("body", List.of(new Stmt(new Inst.Store(AddressSpace.GLOBAL, ScalarType.U32, Memory.Order.WEAK,
                        null, new Address(RD, 4), R), P, true, null)), new Terminator.Branch("done")),
                new Block("done", List.of(), new Terminator.Exit())));
        assertEquals(List.of(), IrVerifier.verify(m));
        assertEquals(1, IrVerifier.verify(m, true).size(), "the guarded store is reported when guards are banned");
        String dump = IrPrinter.print(m);
        assertTrue(dump.contains("%p = setp.lt.u32 %r, 0xa.u32"), dump);
        assertTrue(dump.contains("@!%p st.global.u32 [%rd+4], %r"), dump);
        assertTrue(dump.contains("br %p ? body : done"), dump);
    }

    @Test
    void reportsBrokenInvariants() {
        Reg stranger = new Reg(7, ScalarType.U32, "x");
        Module m = module(List.of(new Block("entry", List.of(
                s(new Inst.Compare(Inst.CmpOp.EQ, ScalarType.U32, false, R, R, R)),
                s(new Inst.Compute(Opcode.ADD, ScalarType.U32, FloatMode.NONE, R, List.of(R))),
                s(new Inst.Mov(RD, R)),
                s(new Inst.Mov(R, stranger)),
                s(new Inst.Call("nowhere", null, List.of(), List.of())),
                s(new Inst.Load(AddressSpace.GLOBAL, ScalarType.U32, Memory.Order.WEAK, null, Memory.Cache.DEFAULT, R,
                        new Address(new SymbolAddr("ghost", AddressSpace.GLOBAL), 0)))),
                new Terminator.CondBranch(R, "entry", "missing"))));
        List<String> p = IrVerifier.verify(m);
        assertTrue(p.stream().anyMatch(x -> x.contains("comparison result %r is not a predicate")), p.toString());
        assertTrue(p.stream().anyMatch(x -> x.contains("ADD takes 2 operands, has 1")), p.toString());
        assertTrue(p.stream().anyMatch(x -> x.contains("mov changes size")), p.toString());
        assertTrue(p.stream().anyMatch(x -> x.contains("register %x.u32 is not declared")), p.toString());
        assertTrue(p.stream().anyMatch(x -> x.contains("call of unknown function nowhere")), p.toString());
        assertTrue(p.stream().anyMatch(x -> x.contains("address of unknown symbol ghost")), p.toString());
        assertTrue(p.stream().anyMatch(x -> x.contains("branch to unknown block missing")), p.toString());
        assertTrue(p.stream().anyMatch(x -> x.contains("branch condition %r is not a predicate")), p.toString());
    }

    @Test
    void checksOperandSizesOnceConversionsAreExplicit() {
        Reg h = new Reg(3, ScalarType.U16, "h");
        Reg f = new Reg(4, ScalarType.F32, "f");
        Function k = new Function("k", true, List.of(), List.of(), List.of(P, R, RD, h, f), List.of(),
                List.of(new Block("entry", List.of(
                        s(new Inst.Compute(Opcode.ADD, ScalarType.U32, FloatMode.NONE, R, List.of(R, RD))),
                        s(new Inst.Compute(Opcode.SHL, ScalarType.U64, FloatMode.NONE, RD, List.of(RD, R))),
                        s(new Inst.Compute(Opcode.SHL, ScalarType.U64, FloatMode.NONE, RD, List.of(RD, RD))),
                        s(new Inst.Compute(Opcode.MUL_WIDE, ScalarType.U32, FloatMode.NONE, RD, List.of(R, R))),
                        s(new Inst.Compute(Opcode.MUL_WIDE, ScalarType.U32, FloatMode.NONE, R, List.of(R, R))),
                        s(new Inst.Compute(Opcode.POPC, ScalarType.U64, FloatMode.NONE, R, List.of(RD))),
                        s(new Inst.Compute(Opcode.MAD, ScalarType.F32, FloatMode.NONE, f, List.of(f, f, f))),
                        s(new Inst.Convert(ScalarType.U32, ScalarType.U16, FloatMode.NONE, R, RD)),
                        s(new Inst.Load(AddressSpace.GLOBAL, ScalarType.U8, Memory.Order.WEAK, null,
                                Memory.Cache.DEFAULT, R, new Address(RD, 0))),
                        s(new Inst.Store(AddressSpace.GLOBAL, ScalarType.U16, Memory.Order.WEAK, null,
                                new Address(h, 0), h))),
                        new Terminator.Exit())), Function.Directives.NONE);
        Module m = new Module("m", List.of(), List.of(k), List.of());
        List<String> p = IrVerifier.verify(m);
        List<String> expected = List.of(
                "operand %rd has 64 bits, expected 32: %r = add.u32 %r, %rd",
                "shift amount %rd has 64 bits, expected 32",
                "result %r has 32 bits, expected 64: %r = mul_wide.u32 %r, %r",
                "float mad must be FMA",
                "operand %rd has 64 bits, expected 16",
                "result %r has 32 bits, expected 8",
                "address %h has 16 bits");
        for (String e : expected) assertTrue(p.stream().anyMatch(x -> x.contains(e)), e + " in " + p);
        assertEquals(expected.size(), p.size(), "well-typed instructions are not reported: " + p);
        List<String> selected = IrVerifier.verify(m, false, IrVerifier.Stage.SELECTED);
        assertEquals(1, selected.size(), "PTX's relaxed sizes are allowed before implicit conversions: " + selected);
        assertTrue(selected.get(0).contains("float mad must be FMA"), selected.toString());
    }

    @Test
    void checksCallSignaturesOnceCallsAreLowered() {
        Reg a = new Reg(0, ScalarType.U32, "a");
        Function callee = new Function("f", false, new Params().add("x", ScalarType.U32).build(),
                new Params().add("y", ScalarType.U32).build(), List.of(a), List.of(),
                List.of(new Block("entry", List.of(), new Terminator.Return())), Function.Directives.NONE,
                List.of(a), List.of(a));
        Function k = new Function("k", true, List.of(), List.of(), List.of(P, R, RD), List.of(),
                List.of(new Block("entry", List.of(
                        s(new Inst.Call("f", null, List.of(R), List.of(R))),
                        s(new Inst.Call("f", null, List.of(), List.of(R, R))),
                        s(new Inst.Call("f", null, List.of(R), List.of(RD)))),
                        new Terminator.Exit())), Function.Directives.NONE);
        Module m = new Module("m", List.of(), List.of(callee, k), List.of());
        List<String> p = IrVerifier.verify(m);
        assertTrue(p.stream().anyMatch(x -> x.contains("with 2 arguments, it has 1 parameters")), p.toString());
        assertTrue(p.stream().anyMatch(x -> x.contains("with 0 results, it returns 1")), p.toString());
        assertTrue(p.stream().anyMatch(x -> x.contains("argument 0 %rd has 64 bits, expected 32")), p.toString());
        assertEquals(3, p.size(), p.toString());
    }
}
