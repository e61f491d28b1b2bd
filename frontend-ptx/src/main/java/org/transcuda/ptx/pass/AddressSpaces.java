package org.transcuda.ptx.pass;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.transcuda.ir.Address;
import org.transcuda.ir.AddressSpace;
import org.transcuda.ir.Block;
import org.transcuda.ir.Function;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Module;
import org.transcuda.ir.Opcode;
import org.transcuda.ir.Reg;
import org.transcuda.ir.ScalarType;
import org.transcuda.ir.Stmt;
import org.transcuda.ir.SymbolAddr;
import org.transcuda.ir.Value;
import org.transcuda.ir.Variable;

/**
 * Pass {@code address-spaces}: generic-pointer address-space inference. A register holds a generic pointer into
 * space S when every write to it (anywhere in the function; the IR is not SSA) produces one: a {@code cvta} from S,
 * the generic address of a variable of S, a {@code mov} of such a register, or such a register plus or minus an
 * integer. A generic {@code ld}, {@code st} or {@code atom} through such a register then accesses S directly: the
 * address is converted back with {@code cvta.to.S} and the access uses S's instruction, which is what the generic
 * one does at run time. Everything else stays generic. Spaces considered: global, shared, local, const.
 */
public final class AddressSpaces {
    private AddressSpaces() {
    }

    public static Module run(Module m) {
        Map<String, Variable> vars = new HashMap<>();
        for (Variable v : m.variables()) vars.putIfAbsent(v.name(), v);
        return PassSupport.perFunction(m, "address-spaces", f -> function(vars, f));
    }

    /** Lattice: null = no write seen yet; TOP = not provably one space. */
    private static final AddressSpace TOP = AddressSpace.PARAM; // PARAM never results from inference

    static Function function(Map<String, Variable> m, Function f) {
        AddressSpace[] space = new AddressSpace[f.regs().size()];
        boolean[] written = new boolean[space.length];
        for (Reg r : f.paramRegs()) {
            written[r.id()] = true;
            space[r.id()] = TOP;
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Block b : f.blocks()) {
                for (Stmt s : b.stmts()) {
                    for (Reg d : s.inst().defs()) {
                        AddressSpace sp = produced(m, f, s.inst(), d, space);
                        AddressSpace old = space[d.id()];
                        AddressSpace nw;
                        if (!written[d.id()]) {
                            nw = sp;
                            written[d.id()] = true;
                        } else if (old == sp) {
                            nw = old;
                        } else if (old == null) {
                            nw = sp;
                        } else if (sp == null) {
                            nw = old;
                        } else {
                            nw = TOP;
                        }
                        if (nw != old) {
                            space[d.id()] = nw;
                            changed = true;
                        }
                    }
                }
            }
        }
        boolean any = false;
        for (AddressSpace s : space) any |= s != null && s != TOP;
        if (!any) return f;
        FunctionEditor ed = new FunctionEditor(f);
        List<Block> blocks = new ArrayList<>();
        for (Block b : f.blocks()) {
            List<Stmt> out = new ArrayList<>(b.stmts().size());
            for (Stmt s : b.stmts()) {
                Inst i = s.inst();
                AddressSpace known = switch (i) {
                    case Inst.Load l when l.space() == AddressSpace.GENERIC -> known(l.address(), space);
                    case Inst.Store st when st.space() == AddressSpace.GENERIC -> known(st.address(), space);
                    case Inst.Atomic a when a.space() == AddressSpace.GENERIC -> known(a.address(), space);
                    default -> null;
                };
                if (known == null) {
                    out.add(s);
                    continue;
                }
                Reg base = (Reg) addressOf(i).base();
                Reg t = ed.temp(base.type());
                out.add(new Stmt(new Inst.Cvta(known, false, t, base), s.guard(), s.negateGuard(), s.loc()));
                Address a = new Address(t, addressOf(i).offset());
                Inst ni = switch (i) {
                    case Inst.Load l -> new Inst.Load(known, l.type(), l.order(), l.scope(), l.cache(), l.dst(), a);
                    case Inst.Store st -> new Inst.Store(known, st.type(), st.order(), st.scope(), a, st.src());
                    case Inst.Atomic at -> new Inst.Atomic(at.op(), known, at.type(), at.order(), at.scope(), at.dst(), a,
                            at.a(), at.b());
                    default -> throw new IllegalStateException();
                };
                out.add(new Stmt(ni, s.guard(), s.negateGuard(), s.loc()));
            }
            blocks.add(new Block(b.label(), out, b.terminator()));
        }
        return ed.build(blocks);
    }

    private static Address addressOf(Inst i) {
        return switch (i) {
            case Inst.Load l -> l.address();
            case Inst.Store s -> s.address();
            case Inst.Atomic a -> a.address();
            default -> throw new IllegalStateException();
        };
    }

    private static AddressSpace known(Address a, AddressSpace[] space) {
        if (a.base() instanceof Reg r && r.type().bits() == 64) {
            AddressSpace s = space[r.id()];
            return s == TOP ? null : s;
        }
        return null;
    }

    /** The space of the generic pointer an instruction writes into d, TOP when unknown. */
    private static AddressSpace produced(Map<String, Variable> m, Function f, Inst i, Reg d, AddressSpace[] space) {
        return switch (i) {
            case Inst.Cvta c when c.toGeneric() && c.dst().equals(d) -> inferable(c.space()) ? c.space() : TOP;
            case Inst.Mov mv -> valueSpace(m, f, mv.src(), space);
            case Inst.Compute c when (c.op() == Opcode.ADD || c.op() == Opcode.SUB) && c.dst().equals(d)
                    && c.type().bits() == 64 && c.type().kind() != ScalarType.Kind.FLOAT -> {
                AddressSpace a = valueSpace(m, f, c.srcs().get(0), space);
                AddressSpace b = valueSpace(m, f, c.srcs().get(1), space);
                boolean aInt = isOffset(c.srcs().get(0), space);
                boolean bInt = isOffset(c.srcs().get(1), space);
                if (a != null && a != TOP && bInt) yield a;
                if (c.op() == Opcode.ADD && b != null && b != TOP && aInt) yield b;
                if (a == null || b == null) yield null; // an operand not yet known: decide on a later round
                yield TOP;
            }
            default -> TOP;
        };
    }

    private static boolean inferable(AddressSpace s) {
        return s == AddressSpace.GLOBAL || s == AddressSpace.SHARED || s == AddressSpace.LOCAL
                || s == AddressSpace.CONST;
    }

    /** Whether a value is an integer offset, not a pointer into some space. */
    private static boolean isOffset(Value v, AddressSpace[] space) {
        if (v instanceof Reg r) return space[r.id()] == TOP;
        return !(v instanceof SymbolAddr);
    }

    private static AddressSpace valueSpace(Map<String, Variable> m, Function f, Value v, AddressSpace[] space) {
        return switch (v) {
            case Reg r -> space[r.id()];
            case SymbolAddr a when a.space() == AddressSpace.GENERIC -> {
                Variable var = m.get(a.symbol());
                if (var == null) {
                    for (Variable l : f.locals()) if (l.name().equals(a.symbol())) var = l;
                }
                yield var != null && inferable(var.space()) ? var.space() : TOP;
            }
            default -> TOP;
        };
    }
}
