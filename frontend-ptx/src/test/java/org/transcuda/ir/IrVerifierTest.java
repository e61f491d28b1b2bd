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
}
