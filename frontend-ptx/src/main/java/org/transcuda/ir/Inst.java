package org.transcuda.ir;

import java.util.List;
import java.util.Objects;

/**
 * A non-terminating instruction. Each kind is a record; {@link #defs()} and {@link #uses()} give the
 * registers it writes and the values it reads, so that generic passes (liveness, dead code, the verifier)
 * need not know every kind.
 */
public sealed interface Inst {
    /** Registers written. */
    List<Reg> defs();

    /** Values read (registers, constants, symbol addresses), address bases included. */
    List<Value> uses();

    private static List<Value> concat(List<? extends Value> a, Value... more) {
        java.util.ArrayList<Value> out = new java.util.ArrayList<>(a);
        for (Value v : more) if (v != null) out.add(v);
        return List.copyOf(out);
    }

    private static List<Reg> regs(Reg... rs) {
        java.util.ArrayList<Reg> out = new java.util.ArrayList<>();
        for (Reg r : rs) if (r != null) out.add(r);
        return List.copyOf(out);
    }

    /** {@code dst = src} (same type, or a bit-preserving move between types of equal size). */
    record Mov(Reg dst, Value src) implements Inst {
        public Mov {
            Objects.requireNonNull(dst);
            Objects.requireNonNull(src);
        }

        public List<Reg> defs() {
            return List.of(dst);
        }

        public List<Value> uses() {
            return List.of(src);
        }
    }

    /**
     * {@code dst = op(srcs)} computed in {@code type}; for the wide forms {@code type} is the source type and
     * {@code dst} is twice as wide.
     */
    record Compute(Opcode op, ScalarType type, FloatMode mode, Reg dst, List<Value> srcs) implements Inst {
        public Compute {
            Objects.requireNonNull(op);
            Objects.requireNonNull(type);
            Objects.requireNonNull(mode);
            Objects.requireNonNull(dst);
            srcs = List.copyOf(srcs);
        }

        public List<Reg> defs() {
            return List.of(dst);
        }

        public List<Value> uses() {
            return srcs;
        }
    }

    /**
     * Integer add/subtract/multiply-add with an explicit carry: {@code add.cc}, {@code addc}, {@code sub.cc},
     * {@code subc}, {@code mad.cc}, {@code madc}. PTX's implicit condition code becomes the predicate
     * registers {@code carryIn} (null for the {@code .cc}-only forms) and {@code carryOut} (null without
     * {@code .cc}).
     */
    record CarryArith(Opcode op, ScalarType type, Reg dst, Reg carryOut, List<Value> srcs, Reg carryIn)
            implements Inst {
        public CarryArith {
            if (op != Opcode.ADD && op != Opcode.SUB && op != Opcode.MAD && op != Opcode.MAD_HI) {
                throw new IllegalArgumentException("carry arithmetic is add, sub, mad or mad.hi: " + op);
            }
            srcs = List.copyOf(srcs);
        }

        public List<Reg> defs() {
            return regs(dst, carryOut);
        }

        public List<Value> uses() {
            return concat(srcs, carryIn);
        }
    }

    /** PTX comparison operators of {@code setp}/{@code set}, incl. unordered float ones. */
    enum CmpOp {
        EQ, NE, LT, LE, GT, GE, LO, LS, HI, HS, EQU, NEU, LTU, LEU, GTU, GEU, NUM, NAN
    }

    /** {@code dst(pred) = a op b} compared as {@code type}. */
    record Compare(CmpOp op, ScalarType type, boolean ftz, Reg dst, Value a, Value b) implements Inst {
        public List<Reg> defs() {
            return List.of(dst);
        }

        public List<Value> uses() {
            return List.of(a, b);
        }
    }

    /** {@code cvt}: {@code dst(to) = convert(src(from))} with rounding, ftz and saturation. */
    record Convert(ScalarType to, ScalarType from, FloatMode mode, Reg dst, Value src) implements Inst {
        public List<Reg> defs() {
            return List.of(dst);
        }

        public List<Value> uses() {
            return List.of(src);
        }
    }

    /** {@code cvta} (to generic when {@code toGeneric}, else from generic to {@code space}). */
    record Cvta(AddressSpace space, boolean toGeneric, Reg dst, Value src) implements Inst {
        public List<Reg> defs() {
            return List.of(dst);
        }

        public List<Value> uses() {
            return List.of(src);
        }
    }

    /** {@code isspacep.space dst(pred), addr}. */
    record IsSpace(AddressSpace space, Reg dst, Value address) implements Inst {
        public List<Reg> defs() {
            return List.of(dst);
        }

        public List<Value> uses() {
            return List.of(address);
        }
    }

    /** {@code ld}: {@code dst = *(type*)addr}; {@code ld.param} of a kernel parameter reads the launch arguments. */
    record Load(AddressSpace space, ScalarType type, Memory.Order order, Memory.Scope scope, Memory.Cache cache,
            Reg dst, Address address) implements Inst {
        public List<Reg> defs() {
            return List.of(dst);
        }

        public List<Value> uses() {
            return List.of(address.base());
        }
    }

    /** {@code st}: {@code *(type*)addr = src}. */
    record Store(AddressSpace space, ScalarType type, Memory.Order order, Memory.Scope scope, Address address,
            Value src) implements Inst {
        public List<Reg> defs() {
            return List.of();
        }

        public List<Value> uses() {
            return List.of(address.base(), src);
        }
    }

    /**
     * {@code atom} ({@code dst} = old value) or {@code red} ({@code dst} null). {@code b} is the swap value of
     * CAS, else null.
     */
    record Atomic(Memory.AtomicOp op, AddressSpace space, ScalarType type, Memory.Order order, Memory.Scope scope,
            Reg dst, Address address, Value a, Value b) implements Inst {
        public List<Reg> defs() {
            return regs(dst);
        }

        public List<Value> uses() {
            return concat(List.of(address.base(), a), b);
        }
    }

    /** Reads a special register. */
    record ReadSpecial(Special which, Reg dst) implements Inst {
        public List<Reg> defs() {
            return List.of(dst);
        }

        public List<Value> uses() {
            return List.of();
        }
    }

    /** Barrier kinds: {@code bar.sync}/{@code barrier.sync}, {@code bar.arrive}, {@code bar.red.*}. */
    enum BarrierKind {
        SYNC, ARRIVE, RED_POPC, RED_AND, RED_OR
    }

    /**
     * A CTA barrier. {@code threads} is null for all threads; for {@code bar.red} {@code pred} is the
     * contributed predicate and {@code dst} the result (u32 for popc, pred for and/or).
     */
    record Barrier(BarrierKind kind, Value id, Value threads, Reg dst, Value pred, boolean negatePred)
            implements Inst {
        public List<Reg> defs() {
            return regs(dst);
        }

        public List<Value> uses() {
            return concat(List.of(id), threads, pred);
        }
    }

    /** {@code fence}/{@code membar}. */
    record Fence(Memory.Order order, Memory.Scope scope) implements Inst {
        public List<Reg> defs() {
            return List.of();
        }

        public List<Value> uses() {
            return List.of();
        }
    }

    /** Modes of {@code shfl.sync}. */
    enum ShuffleMode {
        UP, DOWN, BFLY, IDX
    }

    /** {@code shfl.sync.mode.b32 dst|valid, a, b, c, membermask}. */
    record Shuffle(ShuffleMode mode, Reg dst, Reg valid, Value a, Value b, Value c, Value memberMask)
            implements Inst {
        public List<Reg> defs() {
            return regs(dst, valid);
        }

        public List<Value> uses() {
            return List.of(a, b, c, memberMask);
        }
    }

    /** Modes of {@code vote.sync}. */
    enum VoteMode {
        ALL, ANY, UNI, BALLOT
    }

    /** {@code vote.sync.mode dst, [!]pred, membermask} ({@code dst} is b32 for ballot, else pred). */
    record Vote(VoteMode mode, Reg dst, Value pred, boolean negate, Value memberMask) implements Inst {
        public List<Reg> defs() {
            return List.of(dst);
        }

        public List<Value> uses() {
            return List.of(pred, memberMask);
        }
    }

    /** {@code match.any.sync} / {@code match.all.sync} ({@code allEqual} for the latter, with its predicate). */
    record Match(boolean all, ScalarType type, Reg dst, Reg allEqual, Value value, Value memberMask)
            implements Inst {
        public List<Reg> defs() {
            return regs(dst, allEqual);
        }

        public List<Value> uses() {
            return List.of(value, memberMask);
        }
    }

    /** {@code redux.sync.op.type dst, value, membermask} (op is ADD, MIN, MAX, AND, OR or XOR). */
    record Redux(Opcode op, ScalarType type, Reg dst, Value value, Value memberMask) implements Inst {
        public List<Reg> defs() {
            return List.of(dst);
        }

        public List<Value> uses() {
            return List.of(value, memberMask);
        }
    }

    /** {@code activemask.b32 dst}. */
    record ActiveMask(Reg dst) implements Inst {
        public List<Reg> defs() {
            return List.of(dst);
        }

        public List<Value> uses() {
            return List.of();
        }
    }

    /** {@code bar.warp.sync membermask}. */
    record WarpSync(Value memberMask) implements Inst {
        public List<Reg> defs() {
            return List.of();
        }

        public List<Value> uses() {
            return List.of(memberMask);
        }
    }

    /**
     * A call of a device function by name, or of a function address ({@code target} a register) with a
     * prototype. Arguments and results are by value, one register per scalar parameter after the
     * parameter-lowering pass. Calls of {@code vprintf}, {@code __assertfail}, {@code malloc} and
     * {@code free} are calls of extern functions the backends provide.
     */
    record Call(String callee, Value target, List<Reg> results, List<Value> args) implements Inst {
        public Call {
            if ((callee == null) == (target == null)) throw new IllegalArgumentException("callee xor target");
            results = List.copyOf(results);
            args = List.copyOf(args);
        }

        public List<Reg> defs() {
            return results;
        }

        public List<Value> uses() {
            return target == null ? args : concat(args, target);
        }
    }

    /**
     * An instruction the front end parsed but cannot translate; the function that holds it fails to load
     * with this message (the rest of the module stays usable).
     */
    record Unsupported(String opcode, String message) implements Inst {
        public List<Reg> defs() {
            return List.of();
        }

        public List<Value> uses() {
            return List.of();
        }
    }
}
