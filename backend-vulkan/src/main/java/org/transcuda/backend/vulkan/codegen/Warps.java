package org.transcuda.backend.vulkan.codegen;

import org.transcuda.backend.vulkan.spirv.Op;
import org.transcuda.backend.vulkan.spirv.SpirvFunction;
import org.transcuda.backend.vulkan.spirv.Spv;
import org.transcuda.ir.Const;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Opcode;
import org.transcuda.ir.ScalarType;

/**
 * Warp instructions with CUDA's 32-lane semantics, emulated through the shared scratch words and workgroup
 * barriers (scheme in {@link SpirvCodegen}'s class comment). Lanes: {@code laneid = linear tid & 31}; the lanes
 * present in a warp are those whose thread exists (the last warp of a block may be partial); the group of an
 * instruction is {@code membermask & present}, as the CPU backend computes it.
 */
final class Warps {
    private static final int BALLOT_WORDS = 4;
    private static final int EXCHANGE_WORDS = 36;

    private final SpirvCodegen g;
    private final SpirvFunction f;

    private Warps(SpirvCodegen g) {
        this.g = g;
        this.f = g.f();
    }

    private int u32() {
        return g.tU32();
    }

    private int op(int opcode, int type, int... ops) {
        return f.op(opcode, type, ops);
    }

    private int c(long v) {
        return g.cU32(v);
    }

    private int lane(int tid) {
        return op(Op.BitwiseAnd, u32(), tid, c(31));
    }

    private int warpBase(int tid) {
        return op(Op.BitwiseAnd, u32(), tid, c(~31));
    }

    /** Mask of the lanes of this thread's warp whose threads exist. */
    private int present(int tid) {
        int n = op(Op.ISub, u32(), g.threads(), warpBase(tid));
        int full = op(Op.UGreaterThanEqual, g.tBool(), n, c(32));
        int safe = f.op(Op.Select, u32(), full, c(0), n);
        int m = op(Op.ISub, u32(), op(Op.ShiftLeftLogical, u32(), c(1), safe), c(1));
        int mask = f.op(Op.Select, u32(), full, c(0xffff_ffffL), m);
        // all lanes when the block is whole warps: a specialization constant, so the driver folds the mask away
        return f.op(Op.Select, u32(), g.wholeWarps(), c(0xffff_ffffL), mask);
    }

    /** The ballot of {@code pred} (bool) over this thread's warp; every thread of the block must call it. */
    static int ballot(SpirvCodegen g, int pred) {
        return new Warps(g).ballot(pred);
    }

    private int ballot(int pred) {
        int tid = g.linearTid();
        int bit = f.op(Op.Select, u32(), pred, op(Op.ShiftLeftLogical, u32(), c(1), lane(tid)), c(0));
        int word = g.scratchWord(op(Op.IAdd, u32(), op(Op.ShiftRightLogical, u32(), tid, c(5)), c(BALLOT_WORDS)));
        g.atomicWg(Op.AtomicIAdd, word, bit);
        g.workgroupBarrier();
        int r = f.op(Op.AtomicLoad, u32(), word, c(Spv.Scope.Workgroup), c(0));
        g.workgroupBarrier();
        g.atomicWg(Op.AtomicISub, word, bit);
        return r;
    }

    static void vote(SpirvCodegen g, Inst.Vote v) throws CodegenException {
        new Warps(g).vote(v);
    }

    private void vote(Inst.Vote v) throws CodegenException {
        int p = g.val(v.pred(), ScalarType.PRED);
        if (v.negate()) p = op(Op.LogicalNot, g.tBool(), p);
        int set = op(Op.BitwiseAnd, u32(), g.val(v.memberMask(), ScalarType.U32), present(g.linearTid()));
        int b = op(Op.BitwiseAnd, u32(), ballot(p), set);
        int bool = g.tBool();
        switch (v.mode()) {
            case BALLOT -> g.def(v.dst(), b, ScalarType.U32);
            case ALL -> g.def(v.dst(), op(Op.IEqual, bool, b, set), ScalarType.PRED);
            case ANY -> g.def(v.dst(), op(Op.INotEqual, bool, b, c(0)), ScalarType.PRED);
            case UNI -> g.def(v.dst(), op(Op.LogicalOr, bool, op(Op.IEqual, bool, b, c(0)),
                    op(Op.IEqual, bool, b, set)), ScalarType.PRED);
        }
    }

    /** Exchange word {@code half} (a constant 0 or 1) of thread {@code tid}. */
    private int exchangeWord(int tid, int half) {
        return g.scratchWord(op(Op.IAdd, u32(), op(Op.IMul, u32(), tid, c(2)), op(Op.IAdd, u32(), c(EXCHANGE_WORDS),
                half)));
    }

    static void shuffle(SpirvCodegen g, Inst.Shuffle s) throws CodegenException {
        new Warps(g).shuffle(s);
    }

    private void shuffle(Inst.Shuffle s) throws CodegenException {
        int bool = g.tBool();
        // one barrier: the exchange word of this shuffle is the thread's half of the current parity, the next
        // shuffle uses the other half, so a write of shuffle k + 2 follows, after shuffle k + 1's barrier, every
        // read of shuffle k (every thread runs the same sequence of warp instructions)
        int parityVar = g.shuffleParity();
        int parity = f.load(u32(), parityVar);
        int a = g.val(s.a(), ScalarType.B32);
        // a member mask that is not a constant may leave out the thread's own lane (the uniform-collectives pass
        // gives threads outside its execution mask 0): such a thread neither publishes nor reads (its result is
        // undefined in CUDA), so whole subgroups outside the mask skip the exchange
        int mine = 0;
        if (!(s.memberMask() instanceof Const)) {
            int own = op(Op.BitwiseAnd, u32(), op(Op.ShiftRightLogical, u32(), g.val(s.memberMask(), ScalarType.U32),
                    lane(g.linearTid())), c(1));
            mine = op(Op.INotEqual, bool, own, c(0));
            int lPub = g.m().id(), lEnd = g.m().id();
            f.selectionMerge(lEnd);
            f.branchConditional(mine, lPub, lEnd);
            f.label(lPub);
            f.store(exchangeWord(g.linearTid(), parity), a);
            f.branch(lEnd);
            f.label(lEnd);
        } else {
            f.store(exchangeWord(g.linearTid(), parity), a);
        }
        g.workgroupBarrier();
        // the source lane after the barrier: fewer values live across it (lavapipe saves them at every barrier)
        int tid = g.linearTid();
        int b = op(Op.BitwiseAnd, u32(), g.val(s.b(), ScalarType.U32), c(0x1f));
        int cc = g.val(s.c(), ScalarType.U32);
        int cval = op(Op.BitwiseAnd, u32(), cc, c(0x1f));
        int seg = op(Op.BitwiseAnd, u32(), op(Op.ShiftRightLogical, u32(), cc, c(8)), c(0x1f));
        int lane = lane(tid);
        int maxLane = op(Op.BitwiseOr, u32(), op(Op.BitwiseAnd, u32(), lane, seg),
                op(Op.BitwiseAnd, u32(), cval, op(Op.Not, u32(), seg)));
        int minLane = op(Op.BitwiseAnd, u32(), lane, seg);
        int j;
        int pval;
        switch (s.mode()) {
            case UP -> {
                j = op(Op.ISub, u32(), lane, b);
                pval = op(Op.SGreaterThanEqual, bool, j, maxLane);
            }
            case DOWN -> {
                j = op(Op.IAdd, u32(), lane, b);
                pval = op(Op.SLessThanEqual, bool, j, maxLane);
            }
            case BFLY -> {
                j = op(Op.BitwiseXor, u32(), lane, b);
                pval = op(Op.SLessThanEqual, bool, j, maxLane);
            }
            default -> {
                j = op(Op.BitwiseOr, u32(), minLane, op(Op.BitwiseAnd, u32(), b, op(Op.Not, u32(), seg)));
                pval = op(Op.SLessThanEqual, bool, j, maxLane);
            }
        }
        j = f.op(Op.Select, u32(), pval, j, lane);
        // the source lane must exist and be in the group, else the thread reads its own value
        int group = op(Op.BitwiseAnd, u32(), g.val(s.memberMask(), ScalarType.U32), present(tid));
        int jIn = op(Op.INotEqual, bool, op(Op.BitwiseAnd, u32(), op(Op.ShiftRightLogical, u32(), group,
                op(Op.BitwiseAnd, u32(), j, c(31))), c(1)), c(0));
        int src = f.op(Op.Select, u32(), jIn, op(Op.IAdd, u32(), warpBase(tid), op(Op.BitwiseAnd, u32(), j, c(31))),
                tid);
        int r;
        if (mine != 0) {
            int lRead = g.m().id(), lSkip = g.m().id(), lEnd = g.m().id();
            f.selectionMerge(lEnd);
            f.branchConditional(mine, lRead, lSkip);
            f.label(lRead);
            int read = f.load(u32(), exchangeWord(src, parity));
            f.branch(lEnd);
            f.label(lSkip);
            f.branch(lEnd);
            f.label(lEnd);
            r = f.phi(u32(), read, lRead, a, lSkip);
        } else {
            r = f.load(u32(), exchangeWord(src, parity));
        }
        f.store(parityVar, op(Op.BitwiseXor, u32(), parity, c(1)));
        g.def(s.dst(), r, ScalarType.B32);
        if (s.valid() != null) g.def(s.valid(), pval, ScalarType.PRED);
    }

    static void match(SpirvCodegen g, Inst.Match mt) throws CodegenException {
        new Warps(g).match(mt);
    }

    private void match(Inst.Match mt) throws CodegenException {
        int tid = g.linearTid();
        boolean wide = mt.type().bits() == 64;
        int v = g.val(mt.value(), wide ? ScalarType.U64 : ScalarType.U32);
        int lo = wide ? op(Op.UConvert, u32(), v) : v;
        int hi = wide ? op(Op.UConvert, u32(), op(Op.ShiftRightLogical, g.tU64(), v, c(32))) : c(0);
        int set = op(Op.BitwiseAnd, u32(), g.val(mt.memberMask(), ScalarType.U32), present(tid));
        // a shuffle just before (one barrier) may still be read from: wait for it
        g.workgroupBarrier();
        f.store(exchangeWord(tid, c(0)), lo);
        f.store(exchangeWord(tid, c(1)), hi);
        g.workgroupBarrier();
        int same = f.op(Op.FunctionCall, u32(), laneLoop("match"), warpBase(tid), set, lo, hi);
        g.workgroupBarrier();
        int bool = g.tBool();
        if (mt.all()) {
            int eq = op(Op.IEqual, bool, same, set);
            g.def(mt.dst(), f.op(Op.Select, u32(), eq, set, c(0)), ScalarType.U32);
            if (mt.allEqual() != null) g.def(mt.allEqual(), eq, ScalarType.PRED);
        } else {
            g.def(mt.dst(), same, ScalarType.U32);
        }
    }

    static void redux(SpirvCodegen g, Inst.Redux r) throws CodegenException {
        new Warps(g).redux(r);
    }

    private void redux(Inst.Redux r) throws CodegenException {
        int tid = g.linearTid();
        int v = g.val(r.value(), ScalarType.U32);
        int set = op(Op.BitwiseAnd, u32(), g.val(r.memberMask(), ScalarType.U32), present(tid));
        // a shuffle just before (one barrier) may still be read from: wait for it
        g.workgroupBarrier();
        f.store(exchangeWord(tid, c(0)), v);
        g.workgroupBarrier();
        boolean sg = r.type().kind() == ScalarType.Kind.SIGNED;
        String kind = switch (r.op()) {
            case ADD, AND, OR, XOR -> r.op().name();
            case MIN, MAX -> r.op().name() + (sg ? "S" : "U");
            default -> throw new CodegenException("redux." + r.op());
        };
        int res = f.op(Op.FunctionCall, u32(), laneLoop(kind), warpBase(tid), set, v, c(0));
        g.workgroupBarrier();
        g.def(r.dst(), res, r.type().bits() == 32 ? ScalarType.U32 : r.type());
    }

    /**
     * {@code u32 loop(warpBase, set, lo, hi)} over the 32 lanes of {@code set}: "match" gives the mask of lanes
     * whose exchanged value equals (lo, hi); the others reduce the lanes' first exchange words.
     */
    private int laneLoop(String kind) {
        int u = u32();
        int bool = g.tBool();
        return g.helper("lanes" + kind, u, new int[] {u, u, u, u}, p -> {
            SpirvFunction h = g.f();
            int ptr = g.m().typePointer(Spv.StorageClass.Function, u);
            int iVar = h.variable(ptr);
            int acc = h.variable(ptr);
            long init = switch (kind) {
                case "AND", "MINU" -> 0xffff_ffffL;
                case "MINS" -> Integer.MAX_VALUE;
                case "MAXS" -> Integer.MIN_VALUE & 0xffff_ffffL;
                default -> 0;
            };
            h.store(iVar, g.cU32(0));
            h.store(acc, g.cU32(init));
            int header = g.m().id(), body = g.m().id(), take = g.m().id(), skip = g.m().id(), cont = g.m().id(),
                    merge = g.m().id();
            h.branch(header);
            h.label(header);
            int i = h.load(u, iVar);
            int more = h.op(Op.ULessThan, bool, i, g.cU32(32));
            h.loopMerge(merge, cont);
            h.branchConditional(more, body, merge);
            h.label(body);
            int inSet = h.op(Op.INotEqual, bool, h.op(Op.BitwiseAnd, u, h.op(Op.ShiftRightLogical, u, p[1], i),
                    g.cU32(1)), g.cU32(0));
            h.selectionMerge(skip);
            h.branchConditional(inSet, take, skip);
            h.label(take);
            int t = h.op(Op.IAdd, u, p[0], i);
            int w0 = h.load(u, g.scratchWord(h.op(Op.IAdd, u, h.op(Op.IMul, u, t, g.cU32(2)),
                    g.cU32(EXCHANGE_WORDS))));
            int a = h.load(u, acc);
            int n;
            switch (kind) {
                case "match" -> {
                    int w1 = h.load(u, g.scratchWord(h.op(Op.IAdd, u, h.op(Op.IMul, u, t, g.cU32(2)),
                            g.cU32(EXCHANGE_WORDS + 1))));
                    int eq = h.op(Op.LogicalAnd, bool, h.op(Op.IEqual, bool, w0, p[2]), h.op(Op.IEqual, bool, w1, p[3]));
                    n = h.op(Op.Select, u, eq, h.op(Op.BitwiseOr, u, a, h.op(Op.ShiftLeftLogical, u, g.cU32(1), i)), a);
                }
                case "ADD" -> n = h.op(Op.IAdd, u, a, w0);
                case "AND" -> n = h.op(Op.BitwiseAnd, u, a, w0);
                case "OR" -> n = h.op(Op.BitwiseOr, u, a, w0);
                case "XOR" -> n = h.op(Op.BitwiseXor, u, a, w0);
                case "MINS" -> n = h.op(Op.Select, u, h.op(Op.SLessThan, bool, w0, a), w0, a);
                case "MINU" -> n = h.op(Op.Select, u, h.op(Op.ULessThan, bool, w0, a), w0, a);
                case "MAXS" -> n = h.op(Op.Select, u, h.op(Op.SGreaterThan, bool, w0, a), w0, a);
                default -> n = h.op(Op.Select, u, h.op(Op.UGreaterThan, bool, w0, a), w0, a);
            }
            h.store(acc, n);
            h.branch(skip);
            h.label(skip);
            h.branch(cont);
            h.label(cont);
            h.store(iVar, h.op(Op.IAdd, u, h.load(u, iVar), g.cU32(1)));
            h.branch(header);
            h.label(merge);
            h.opVoid(Op.ReturnValue, h.load(u, acc));
        });
    }

    static boolean isReduxOp(Opcode o) {
        return o == Opcode.ADD || o == Opcode.MIN || o == Opcode.MAX || o == Opcode.AND || o == Opcode.OR
                || o == Opcode.XOR;
    }
}
