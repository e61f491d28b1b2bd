package org.transcuda.backend.cpu;

import java.util.ArrayList;
import java.util.List;
import org.transcuda.ir.Address;
import org.transcuda.ir.AddressSpace;
import org.transcuda.ir.Block;
import org.transcuda.ir.Const;
import org.transcuda.ir.FloatMode;
import org.transcuda.ir.Function;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Memory;
import org.transcuda.ir.Opcode;
import org.transcuda.ir.Param;
import org.transcuda.ir.Params;
import org.transcuda.ir.Reg;
import org.transcuda.ir.ScalarType;
import org.transcuda.ir.Special;
import org.transcuda.ir.Stmt;
import org.transcuda.ir.SymbolAddr;
import org.transcuda.ir.Terminator;
import org.transcuda.ir.Value;
import org.transcuda.ir.Variable;

/**
 * A small builder of IR functions for tests (the PTX front end is written elsewhere): registers are created
 * on demand, statements go into the current block, {@link #label} starts a block (falling through from the
 * previous one when it has no terminator).
 */
final class Ir {
    static final ScalarType PRED = ScalarType.PRED, U8 = ScalarType.U8, S8 = ScalarType.S8, U16 = ScalarType.U16,
            S16 = ScalarType.S16, U32 = ScalarType.U32, S32 = ScalarType.S32, B32 = ScalarType.B32,
            U64 = ScalarType.U64, S64 = ScalarType.S64, B64 = ScalarType.B64, F32 = ScalarType.F32,
            F64 = ScalarType.F64, F16 = ScalarType.F16, BF16 = ScalarType.BF16, B16 = ScalarType.B16,
            B8 = ScalarType.B8, F16X2 = ScalarType.F16X2;

    final String name;
    final boolean kernel;
    private final Params params = new Params();
    private final List<Param> plainParams = new ArrayList<>();
    private final List<Reg> regs = new ArrayList<>();
    private final List<Block> blocks = new ArrayList<>();
    private final List<Variable> locals = new ArrayList<>();
    private final List<Reg> paramRegs = new ArrayList<>();
    private final List<Reg> returnRegs = new ArrayList<>();
    private final List<Param> returns = new ArrayList<>();
    private String label = "entry";
    private List<Stmt> stmts = new ArrayList<>();
    private Reg guard;
    private boolean negateGuard;
    private boolean open = true;

    private Ir(String name, boolean kernel) {
        this.name = name;
        this.kernel = kernel;
    }

    static Ir kernel(String name) {
        return new Ir(name, true);
    }

    static Ir func(String name) {
        return new Ir(name, false);
    }

    Ir param(String p, ScalarType t) {
        params.add(p, t);
        return this;
    }

    Ir param(String p, ScalarType t, int count, int alignment) {
        params.add(p, t, count, alignment);
        return this;
    }

    /** A device-function parameter passed in a register. */
    Reg arg(ScalarType t) {
        Reg r = reg(t);
        plainParams.add(new Param("p" + plainParams.size(), t, 1, Math.max(1, t.bytes()), 0));
        paramRegs.add(r);
        return r;
    }

    /** A device-function return register. */
    Reg result(ScalarType t) {
        Reg r = reg(t);
        returns.add(new Param("ret" + returns.size(), t, 1, Math.max(1, t.bytes()), 0));
        returnRegs.add(r);
        return r;
    }

    Ir local(String n, ScalarType t, long count, int align) {
        locals.add(new Variable(n, AddressSpace.LOCAL, t, count, align, null, List.of(), false));
        return this;
    }

    Reg reg(ScalarType t) {
        Reg r = new Reg(regs.size(), t, (t == PRED ? "p" : "r") + regs.size());
        regs.add(r);
        return r;
    }

    // ---- constants ----

    static Const u32(long v) {
        return Const.of(U32, v);
    }

    static Const s32(long v) {
        return Const.of(S32, v);
    }

    static Const u64(long v) {
        return Const.of(U64, v);
    }

    static Const b32(long v) {
        return Const.of(B32, v);
    }

    static Const f32(float v) {
        return Const.f32(v);
    }

    static Const f64(double v) {
        return Const.f64(v);
    }

    static Const c(ScalarType t, long v) {
        return Const.of(t, v);
    }

    static SymbolAddr sym(String s, AddressSpace space) {
        return new SymbolAddr(s, space);
    }

    // ---- statements ----

    /** Guards the next statement with {@code @p} (or {@code @!p}). */
    Ir when(Reg p, boolean negate) {
        guard = p;
        negateGuard = negate;
        return this;
    }

    Ir when(Reg p) {
        return when(p, false);
    }

    Ir add(Inst i) {
        if (!open) throw new IllegalStateException("block " + label + " is terminated");
        stmts.add(new Stmt(i, guard, negateGuard, null));
        guard = null;
        return this;
    }

    Ir mov(Reg d, Value s) {
        return add(new Inst.Mov(d, s));
    }

    Ir op(Opcode op, ScalarType t, Reg d, Value... srcs) {
        return add(new Inst.Compute(op, t, FloatMode.NONE, d, List.of(srcs)));
    }

    Ir op(Opcode op, ScalarType t, FloatMode m, Reg d, Value... srcs) {
        return add(new Inst.Compute(op, t, m, d, List.of(srcs)));
    }

    Ir setp(Inst.CmpOp op, ScalarType t, Reg d, Value a, Value b) {
        return add(new Inst.Compare(op, t, false, d, a, b));
    }

    Ir cvt(ScalarType to, ScalarType from, FloatMode m, Reg d, Value s) {
        return add(new Inst.Convert(to, from, m, d, s));
    }

    Ir special(Reg d, Special s) {
        return add(new Inst.ReadSpecial(s, d));
    }

    Ir ldParam(Reg d, String p) {
        return add(new Inst.Load(AddressSpace.PARAM, d.type(), Memory.Order.WEAK, null, Memory.Cache.DEFAULT, d,
                new Address(sym(p, AddressSpace.PARAM), 0)));
    }

    Ir ld(AddressSpace sp, ScalarType t, Reg d, Value base, long off) {
        return add(new Inst.Load(sp, t, Memory.Order.WEAK, null, Memory.Cache.DEFAULT, d, new Address(base, off)));
    }

    Ir ldOrdered(AddressSpace sp, ScalarType t, Memory.Order o, Reg d, Value base, long off) {
        return add(new Inst.Load(sp, t, o, Memory.Scope.GPU, Memory.Cache.DEFAULT, d, new Address(base, off)));
    }

    Ir st(AddressSpace sp, ScalarType t, Value base, long off, Value src) {
        return add(new Inst.Store(sp, t, Memory.Order.WEAK, null, new Address(base, off), src));
    }

    Ir atom(Memory.AtomicOp op, AddressSpace sp, ScalarType t, Reg d, Value base, long off, Value a, Value b) {
        return add(new Inst.Atomic(op, sp, t, Memory.Order.RELAXED, Memory.Scope.GPU, d, new Address(base, off), a, b));
    }

    Ir bar() {
        return add(new Inst.Barrier(Inst.BarrierKind.SYNC, u32(0), null, null, null, false));
    }

    Ir shfl(Inst.ShuffleMode mode, Reg d, Reg valid, Value a, Value b, Value c, Value mask) {
        return add(new Inst.Shuffle(mode, d, valid, a, b, c, mask));
    }

    Ir vote(Inst.VoteMode mode, Reg d, Value pred, boolean negate, Value mask) {
        return add(new Inst.Vote(mode, d, pred, negate, mask));
    }

    Ir match(boolean all, ScalarType t, Reg d, Reg allEqual, Value v, Value mask) {
        return add(new Inst.Match(all, t, d, allEqual, v, mask));
    }

    Ir redux(Opcode op, ScalarType t, Reg d, Value v, Value mask) {
        return add(new Inst.Redux(op, t, d, v, mask));
    }

    Ir activemask(Reg d) {
        return add(new Inst.ActiveMask(d));
    }

    Ir warpsync(Value mask) {
        return add(new Inst.WarpSync(mask));
    }

    Ir call(String callee, List<Reg> results, Value... args) {
        return add(new Inst.Call(callee, null, results, List.of(args)));
    }

    Ir callIndirect(Value target, List<Reg> results, Value... args) {
        return add(new Inst.Call(null, target, results, List.of(args)));
    }

    Ir cvta(AddressSpace space, boolean toGeneric, Reg d, Value src) {
        return add(new Inst.Cvta(space, toGeneric, d, src));
    }

    Ir barrier(Inst.BarrierKind kind, Value id, Value threads, Reg d, Value pred) {
        return add(new Inst.Barrier(kind, id, threads, d, pred, false));
    }

    /** Global thread index x: ctaid.x * ntid.x + tid.x, into a new u32 register. */
    Reg globalIdX() {
        Reg tid = reg(U32);
        Reg ntid = reg(U32);
        Reg ctaid = reg(U32);
        Reg i = reg(U32);
        special(tid, Special.TID_X);
        special(ntid, Special.NTID_X);
        special(ctaid, Special.CTAID_X);
        op(Opcode.MAD, U32, i, ctaid, ntid, tid);
        return i;
    }

    /** Address {@code base + index * scale} as u64 from a u32 index. */
    Reg index(Value base, Value index, int scale) {
        Reg wide = reg(U64);
        Reg addr = reg(U64);
        op(Opcode.MUL_WIDE, U32, wide, index, u32(scale));
        op(Opcode.ADD, U64, addr, base, wide);
        return addr;
    }

    // ---- blocks ----

    Ir label(String l) {
        if (open) end(new Terminator.Branch(l));
        label = l;
        stmts = new ArrayList<>();
        open = true;
        return this;
    }

    private Ir end(Terminator t) {
        blocks.add(new Block(label, stmts, t));
        open = false;
        return this;
    }

    Ir bra(String l) {
        return end(new Terminator.Branch(l));
    }

    Ir braIf(Value p, String t, String f) {
        return end(new Terminator.CondBranch(p, t, f));
    }

    Ir exit() {
        return end(new Terminator.Exit());
    }

    Ir ret() {
        return end(new Terminator.Return());
    }

    Ir trap() {
        return end(new Terminator.Trap());
    }

    Ir terminate(Terminator t) {
        return end(t);
    }

    Function build() {
        if (open) end(kernel ? new Terminator.Exit() : new Terminator.Return());
        List<Param> ps = kernel ? params.build() : plainParams;
        return new Function(name, kernel, ps, returns, regs, locals, blocks, Function.Directives.NONE,
                kernel ? List.of() : paramRegs, kernel ? List.of() : returnRegs);
    }
}
