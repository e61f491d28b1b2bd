package org.transcuda.ptx.pass;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.transcuda.ir.AddressSpace;
import org.transcuda.ir.Function;
import org.transcuda.ir.Param;
import org.transcuda.ir.Params;
import org.transcuda.ir.Reg;
import org.transcuda.ir.ScalarType;
import org.transcuda.ir.SrcLoc;
import org.transcuda.ir.Variable;
import org.transcuda.ptx.ast.Block;
import org.transcuda.ptx.ast.BranchTargets;
import org.transcuda.ptx.ast.CallPrototype;
import org.transcuda.ptx.ast.FileDirective;
import org.transcuda.ptx.ast.FunctionDirective;
import org.transcuda.ptx.ast.Initializer;
import org.transcuda.ptx.ast.Instruction;
import org.transcuda.ptx.ast.Label;
import org.transcuda.ptx.ast.Linkage;
import org.transcuda.ptx.ast.ModuleItem;
import org.transcuda.ptx.ast.Operand;
import org.transcuda.ptx.ast.PerformanceDirective;
import org.transcuda.ptx.ast.PtxModule;
import org.transcuda.ptx.ast.SourcePos;
import org.transcuda.ptx.ast.Statement;
import org.transcuda.ptx.ast.StateSpace;
import org.transcuda.ptx.ast.VariableDecl;
import org.transcuda.ptx.lower.FunctionUnit;
import org.transcuda.ptx.lower.LOp;
import org.transcuda.ptx.lower.LStmt;
import org.transcuda.ptx.lower.Prototype;
import org.transcuda.ptx.lower.PtxTypes;
import org.transcuda.ptx.lower.PtxUnit;
import org.transcuda.ptx.lower.SpecialNames;
import org.transcuda.ptx.lower.Unsupported;

/**
 * Pass {@code resolve}: binds every name of the syntax tree. Module variables become IR {@link Variable}s (with
 * initial bytes and relocations), function signatures IR {@link Param}s (kernel parameters laid out as CUDA packs the
 * argument buffer). In each body, nested {@code { }} scopes are flattened: registers (including {@code %r<N>}
 * ranges, created on first use), labels, {@code .branchtargets}, {@code .callprototype}s, {@code .local}/
 * {@code .shared}/{@code .param} variables are looked up innermost scope first, and names that scopes kept apart
 * are made unique ({@code __$temp3.1}, {@code param0.2}, {@code L0.1}). Special registers become pseudo-registers
 * (see {@link SpecialNames}). A function with an unknown name or an instruction without IR form gets its problem
 * recorded ({@code file:line:col: message}) and is not translated further.
 */
public final class ResolveNames {
    private final PtxModule module;
    private final PtxUnit unit;
    private final Map<Integer, String> files = new HashMap<>();
    /** Module-scope symbols: variables and functions. */
    private final Set<String> moduleSymbols = new HashSet<>();

    private ResolveNames(PtxModule module) {
        this.module = module;
        this.unit = new PtxUnit(module.file(), module.addressSize().orElse(64));
    }

    /** Resolves the names of a parsed module. */
    public static PtxUnit run(PtxModule module) {
        ResolveNames r = new ResolveNames(module);
        r.resolveModule();
        return r.unit;
    }

    // ------------------------------------------------------------------------------------------------ module

    private void resolveModule() {
        for (ModuleItem item : module.items()) {
            switch (item) {
                case FileDirective f -> files.put(f.index(), f.path());
                case VariableDecl d -> moduleSymbols.add(d.name());
                case org.transcuda.ptx.ast.Function f -> moduleSymbols.add(f.name());
                default -> {
                }
            }
        }
        // One definition per module-scope name: a second one is malformed PTX (ptxas rejects it too); an .extern
        // declaration gives way to a definition.
        Map<String, VariableDecl> vars = new java.util.LinkedHashMap<>();
        for (ModuleItem item : module.items()) {
            if (item instanceof VariableDecl d) {
                VariableDecl prev = vars.get(d.name());
                if (prev != null && prev.linkage() != Linkage.EXTERN && d.linkage() != Linkage.EXTERN) {
                    throw duplicate(d.pos(), "variable " + d.name(), prev.pos());
                }
                if (prev == null || prev.linkage() == Linkage.EXTERN) vars.put(d.name(), d);
            }
        }
        for (VariableDecl d : vars.values()) {
            Variable v = variable(d, d.name());
            if (v != null) unit.addVariable(v);
        }
        // Signatures first (calls may precede definitions), definition replacing a prototype.
        Map<String, org.transcuda.ptx.ast.Function> chosen = new java.util.LinkedHashMap<>();
        for (org.transcuda.ptx.ast.Function f : module.functions()) {
            org.transcuda.ptx.ast.Function prev = chosen.get(f.name());
            if (vars.containsKey(f.name())) {
                throw duplicate(f.pos(), "function " + f.name() + " (also a variable)", vars.get(f.name()).pos());
            }
            if (prev != null && prev.hasBody() && f.hasBody()) throw duplicate(f.pos(), "function " + f.name(), prev.pos());
            if (prev == null || (!prev.hasBody() && f.hasBody())) chosen.put(f.name(), f);
        }
        for (org.transcuda.ptx.ast.Function f : chosen.values()) {
            unit.functions.put(f.name(), signature(f));
        }
        for (org.transcuda.ptx.ast.Function f : chosen.values()) {
            if (!f.hasBody()) continue;
            FunctionUnit fu = unit.functions.get(f.name());
            try {
                new BodyResolver(fu, f).run();
            } catch (Failed e) {
                // recorded in fu.problem
            } catch (RuntimeException | StackOverflowError e) {
                fu.fail(f.pos(), "internal error in pass resolve: " + e);
            }
        }
    }

    private static org.transcuda.ptx.parse.PtxParseException duplicate(SourcePos at, String what, SourcePos first) {
        return new org.transcuda.ptx.parse.PtxParseException(at.file(), at.line(), at.column(),
                "duplicate definition of " + what + ", first defined at " + first);
    }

    /** Thrown to stop resolving a function once it has a problem. */
    private static final class Failed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Failed() {
            super(null, null, false, false);
        }
    }

    private FunctionUnit signature(org.transcuda.ptx.ast.Function f) {
        String problem = null;
        Params ps = new Params();
        boolean reg = false;
        boolean param = false;
        for (VariableDecl d : f.params()) {
            String p = addParam(ps, d);
            if (p != null && problem == null) problem = d.pos() + ": " + p;
            reg |= d.space() == StateSpace.REG;
            param |= d.space() != StateSpace.REG;
        }
        Params rs = new Params();
        for (VariableDecl d : f.returns()) {
            String p = addParam(rs, d);
            if (p != null && problem == null) problem = d.pos() + ": " + p;
            reg |= d.space() == StateSpace.REG;
            param |= d.space() != StateSpace.REG;
        }
        List<Integer> maxntid = List.of();
        List<Integer> reqntid = List.of();
        int minnctapersm = 0;
        int maxnreg = 0;
        for (FunctionDirective fd : f.directives()) {
            if (fd instanceof PerformanceDirective pd) {
                switch (pd.name()) {
                    case ".maxntid" -> maxntid = ints(pd.values());
                    case ".reqntid" -> reqntid = ints(pd.values());
                    case ".minnctapersm" -> minnctapersm = pd.values().isEmpty() ? 0 : (int) (long) pd.values().getFirst();
                    case ".maxnreg" -> maxnreg = pd.values().isEmpty() ? 0 : (int) (long) pd.values().getFirst();
                    default -> {
                        // .explicitcluster, .reqnctapercluster, .maxclusterrank: cluster launch shape, not in the IR
                    }
                }
            }
        }
        FunctionUnit fu = new FunctionUnit(f.name(), f.entry(), f.pos(), ps.build(), rs.build(),
                new Function.Directives(maxntid, reqntid, minnctapersm, maxnreg, f.noreturn()), f.hasBody());
        if (reg && param) {
            problem = f.pos() + ": a function mixing .reg and .param parameters has no IR form";
        }
        if (reg && f.entry()) problem = f.pos() + ": kernel parameters must be in .param space";
        fu.regAbi = reg && !param;
        if (fu.regAbi) {
            for (VariableDecl d : f.params()) {
                ScalarType t = PtxTypes.scalar(d.type());
                if (t != null) fu.paramRegs.add(fu.newReg(t, stripPercent(d.name())));
            }
            for (VariableDecl d : f.returns()) {
                ScalarType t = PtxTypes.scalar(d.type());
                if (t != null) fu.returnRegs.add(fu.newReg(t, stripPercent(d.name())));
            }
        }
        if (problem != null) fu.fail(problem);
        return fu;
    }

    private static List<Integer> ints(List<Long> vs) {
        List<Integer> out = new ArrayList<>();
        for (Long v : vs) out.add((int) (long) v);
        return out;
    }

    /** Adds a parameter; returns a problem message or null. */
    private String addParam(Params ps, VariableDecl d) {
        ScalarType t = PtxTypes.scalar(d.type());
        if (t == null) {
            ps.add(d.name(), ScalarType.B8);
            return "parameter type " + d.type().ptxName() + " has no IR form";
        }
        long count = d.vectorWidth();
        for (Long dim : d.dims()) {
            if (dim == VariableDecl.UNSIZED) {
                ps.add(d.name(), t);
                return "unsized parameter array " + d.name();
            }
            count *= dim;
        }
        int elem = Math.max(1, t.bytes());
        int natural = elem * (d.vectorWidth() == 3 ? 4 : d.vectorWidth());
        int align = d.align() > 0 ? d.align() : natural;
        if (Integer.bitCount(align) != 1) align = Integer.highestOneBit(align);
        if (count < 1 || count > Integer.MAX_VALUE / 16) {
            ps.add(d.name(), t);
            return "parameter " + d.name() + " has " + count + " elements";
        }
        ps.add(d.name(), t, (int) count, align);
        return null;
    }

    private static String stripPercent(String n) {
        return n.startsWith("%") && n.length() > 1 ? n.substring(1) : n;
    }

    // ------------------------------------------------------------------------------------------------ variables

    /** The IR form of a declared memory variable, or null (with a note) when it has none. */
    private Variable variable(VariableDecl d, String name) {
        AddressSpace space = PtxTypes.space(d.space());
        ScalarType t = PtxTypes.scalar(d.type());
        if (space == null || t == null || t == ScalarType.PRED) {
            unit.notes.add(d.pos() + ": variable " + d.name() + " of type " + d.type().ptxName() + " in "
                    + d.space().directive() + " has no IR form; functions that use it cannot be translated");
            return null;
        }
        int vw = d.vectorWidth();
        long count = vw;
        boolean unsized = false;
        for (Long dim : d.dims()) {
            if (dim == VariableDecl.UNSIZED) {
                unsized = true;
            } else {
                count *= dim;
            }
        }
        int elem = Math.max(1, t.bytes());
        int align = d.align() > 0 ? d.align() : elem * (vw == 3 ? 4 : vw);
        if (Integer.bitCount(align) != 1) align = Integer.highestOneBit(Math.max(1, align));
        byte[] init = null;
        List<Variable.Relocation> relocs = new ArrayList<>();
        if (d.init() != null) {
            List<Operand> leaves = new ArrayList<>();
            flatten(d.init(), leaves);
            if (unsized) count = count * leaves.size() / Math.max(1, vw);
            if (count * elem > (1L << 28)) {
                unit.notes.add(d.pos() + ": initializer of " + d.name() + " too large");
                return null;
            }
            ByteBuffer buf = ByteBuffer.allocate((int) (count * elem)).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < leaves.size() && (long) (i + 1) * elem <= buf.capacity(); i++) {
                Operand leaf = leaves.get(i);
                int off = i * elem;
                switch (leaf) {
                    case Operand.IntImm imm -> putInt(buf, off, elem, t, imm.value(), imm.unsigned());
                    case Operand.FloatImm f -> putFloat(buf, off, elem, t, f);
                    case Operand.Ident id -> relocs.add(new Variable.Relocation(off, elem, id.name(), 0));
                    case Operand.SymbolRef s -> relocs.add(new Variable.Relocation(off, elem, s.name(), s.offset()));
                    default -> {
                    }
                }
            }
            init = buf.array();
        } else if (unsized) {
            count = 0;
        }
        return new Variable(name, space, t, count, align, init, relocs,
                d.linkage() == Linkage.EXTERN || (unsized && d.init() == null));
    }

    private static void flatten(Initializer init, List<Operand> out) {
        // iterative, so deeply nested braces cannot overflow the stack
        ArrayList<java.util.Iterator<Initializer>> stack = new ArrayList<>();
        stack.add(List.of(init).iterator());
        while (!stack.isEmpty()) {
            var it = stack.getLast();
            if (!it.hasNext()) {
                stack.removeLast();
                continue;
            }
            Initializer i = it.next();
            switch (i) {
                case Initializer.Value v -> out.add(v.value());
                case Initializer.Braced b -> stack.add(b.items().iterator());
            }
        }
    }

    private static void putInt(ByteBuffer buf, int off, int elem, ScalarType t, long v, boolean unsigned) {
        long bits = v;
        if (t == ScalarType.F32) bits = Float.floatToRawIntBits(unsigned ? (float) unsignedToDouble(v) : (float) v);
        else if (t == ScalarType.F64) bits = Double.doubleToRawLongBits(unsigned ? unsignedToDouble(v) : (double) v);
        else if (t == ScalarType.F16) bits = Float.floatToFloat16((float) v);
        putBits(buf, off, elem, bits);
    }

    private static double unsignedToDouble(long v) {
        return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
    }

    private static void putFloat(ByteBuffer buf, int off, int elem, ScalarType t, Operand.FloatImm f) {
        double d = f.doubleValue();
        long bits;
        if (t == ScalarType.F64) {
            bits = f.single() ? Double.doubleToRawLongBits(d) : f.bits();
        } else if (t == ScalarType.F32 || elem == 4) {
            bits = f.single() ? f.bits() : Float.floatToRawIntBits((float) d) & 0xffffffffL;
        } else if (t == ScalarType.F16 || elem == 2) {
            bits = Float.floatToFloat16((float) d);
        } else {
            bits = f.bits();
        }
        putBits(buf, off, elem, bits);
    }

    private static void putBits(ByteBuffer buf, int off, int elem, long bits) {
        for (int b = 0; b < elem && b < 8; b++) buf.put(off + b, (byte) (bits >>> (8 * b)));
    }

    // ------------------------------------------------------------------------------------------------ bodies

    /** One lexical scope: what its declarations bind. */
    private static final class Scope {
        final Scope parent;
        final Map<String, Reg> regs = new HashMap<>();
        final Map<String, List<Reg>> vectors = new HashMap<>();
        /** {@code %r<N>}: prefix -> (type, N). */
        final Map<String, Range> ranges = new HashMap<>();
        final Map<String, LOp.Sym> vars = new HashMap<>();
        final Map<String, String> labels = new HashMap<>();
        final Map<String, BranchTargets> targetDecls = new HashMap<>();
        final Map<String, LOp.Targets> targets = new HashMap<>();
        final Map<String, Prototype> protos = new HashMap<>();

        Scope(Scope parent) {
            this.parent = parent;
        }
    }

    private record Range(ScalarType type, int count) {
    }

    private final class BodyResolver {
        final FunctionUnit fu;
        final org.transcuda.ptx.ast.Function f;
        /** Names this function's own symbols took (module symbols are taken too). */
        final Set<String> symbols = new HashSet<>();
        final List<LStmt> body = new ArrayList<>();

        BodyResolver(FunctionUnit fu, org.transcuda.ptx.ast.Function f) {
            this.fu = fu;
            this.f = f;
        }

        void fail(SourcePos pos, String message) {
            fu.fail(pos, message);
            throw new Failed();
        }

        void run() {
            if (fu.problem != null) throw new Failed();
            Scope top = new Scope(null);
            for (Param p : fu.params) symbols.add(p.name());
            for (Param p : fu.returns) symbols.add(p.name());
            if (fu.regAbi) {
                for (Reg r : fu.paramRegs) top.regs.put(r.name(), r);
                for (Reg r : fu.returnRegs) top.regs.put(r.name(), r);
                for (VariableDecl d : f.params()) top.regs.putIfAbsent(d.name(), findReg(fu.paramRegs, d.name()));
                for (VariableDecl d : f.returns()) top.regs.putIfAbsent(d.name(), findReg(fu.returnRegs, d.name()));
            } else {
                for (Param p : fu.params) {
                    top.vars.put(p.name(), new LOp.Sym(p.name(), AddressSpace.PARAM, 0, LOp.SymKind.PARAM, false));
                }
                for (Param p : fu.returns) {
                    top.vars.put(p.name(), new LOp.Sym(p.name(), AddressSpace.PARAM, 0, LOp.SymKind.PARAM, false));
                }
            }
            top.regs.values().removeIf(java.util.Objects::isNull);
            block(f.body(), top);
            fu.body = body;
        }

        Reg findReg(List<Reg> rs, String name) {
            String n = stripPercent(name);
            for (Reg r : rs) {
                if (r.name().equals(n)) return r;
            }
            return null;
        }

        void block(List<Statement> stmts, Scope parent) {
            Scope s = new Scope(parent);
            for (Statement st : stmts) {
                switch (st) {
                    case Label l -> declareLabel(s, l.name());
                    case BranchTargets bt -> {
                        declareLabel(s, bt.name());
                        s.targetDecls.put(bt.name(), bt);
                    }
                    case CallPrototype cp -> {
                        declareLabel(s, cp.name());
                        s.protos.put(cp.name(), prototype(cp));
                    }
                    case VariableDecl d -> declare(s, d);
                    default -> {
                    }
                }
            }
            for (Statement st : stmts) {
                switch (st) {
                    case Label l -> body.add(new LStmt.Lbl(s.labels.get(l.name()), l.pos()));
                    case Instruction in -> body.add(instruction(in, s));
                    case Block b -> block(b.statements(), s);
                    default -> {
                    }
                }
            }
        }

        void declareLabel(Scope s, String name) {
            if (!s.labels.containsKey(name)) s.labels.put(name, fu.uniqueLabel(name));
        }

        Prototype prototype(CallPrototype cp) {
            Params rs = new Params();
            Params ps = new Params();
            boolean reg = false;
            for (VariableDecl d : cp.returns()) {
                String p = addParam(rs, d);
                if (p != null) fail(d.pos(), p);
                reg |= d.space() == StateSpace.REG;
            }
            for (VariableDecl d : cp.params()) {
                String p = addParam(ps, d);
                if (p != null) fail(d.pos(), p);
                reg |= d.space() == StateSpace.REG;
            }
            return new Prototype(cp.name(), rs.build(), ps.build(), cp.noreturn(), reg);
        }

        void declare(Scope s, VariableDecl d) {
            if (d.space() == StateSpace.REG) {
                ScalarType t = PtxTypes.scalar(d.type());
                if (t == null) fail(d.pos(), "register type " + d.type().ptxName() + " has no IR form");
                if (!d.dims().isEmpty()) fail(d.pos(), "register arrays have no IR form");
                if (d.isRange()) {
                    s.ranges.put(d.name(), new Range(t, d.rangeCount()));
                } else if (d.vectorWidth() > 1) {
                    List<Reg> comps = new ArrayList<>();
                    String[] names = {".x", ".y", ".z", ".w"};
                    for (int i = 0; i < d.vectorWidth(); i++) {
                        String cn = d.name() + (i < 4 ? names[i] : "." + i);
                        Reg r = fu.newReg(t, stripPercent(cn));
                        comps.add(r);
                        s.regs.put(cn, r);
                    }
                    s.vectors.put(d.name(), comps);
                } else {
                    s.regs.put(d.name(), fu.newReg(t, stripPercent(d.name())));
                }
                return;
            }
            if (d.space() == StateSpace.SREG || d.space() == StateSpace.TEX) {
                fail(d.pos(), d.space().directive() + " variables have no IR form");
            }
            String unique = uniqueSymbol(d.name());
            Variable v = variable(d, unique);
            if (v == null) fail(d.pos(), "variable " + d.name() + " has no IR form");
            switch (d.space()) {
                case LOCAL, SHARED, PARAM -> {
                    fu.locals.add(v);
                    s.vars.put(d.name(), new LOp.Sym(unique, v.space(), 0, LOp.SymKind.LOCAL, false));
                }
                default -> {
                    // function-scope .global/.const: a module variable only this scope can name
                    unit.addVariable(v);
                    moduleSymbols.add(unique);
                    s.vars.put(d.name(), new LOp.Sym(unique, v.space(), 0, LOp.SymKind.VARIABLE, false));
                }
            }
        }

        String uniqueSymbol(String name) {
            String n = name;
            int i = 1;
            while (symbols.contains(n) || moduleSymbols.contains(n)) n = name + "." + (i++);
            symbols.add(n);
            return n;
        }

        // -------------------------------------------------------------------------------------------- lookup

        Reg register(String name, Scope s) {
            for (Scope sc = s; sc != null; sc = sc.parent) {
                Reg r = sc.regs.get(name);
                if (r != null) return r;
                if (!sc.ranges.isEmpty()) {
                    int i = name.length();
                    while (i > 0 && Character.isDigit(name.charAt(i - 1))) i--;
                    if (i < name.length() && i > 0 && name.length() - i < 10) {
                        Range range = sc.ranges.get(name.substring(0, i));
                        String digits = name.substring(i);
                        if (range != null && (digits.equals("0") || digits.charAt(0) != '0')) {
                            int idx = Integer.parseInt(digits);
                            if (idx < range.count()) {
                                Reg nr = fu.newReg(range.type(), stripPercent(name));
                                sc.regs.put(name, nr);
                                return nr;
                            }
                        }
                    }
                }
            }
            return null;
        }

        LOp name(String name, Scope s, SourcePos pos) {
            Reg r = register(name, s);
            if (r != null) return new LOp.R(r);
            for (Scope sc = s; sc != null; sc = sc.parent) {
                List<Reg> vec = sc.vectors.get(name);
                if (vec != null) {
                    List<LOp> elems = new ArrayList<>();
                    for (Reg c : vec) elems.add(new LOp.R(c));
                    return new LOp.Vec(elems);
                }
            }
            if (name.equals("WARP_SZ")) return new LOp.Int(32, false);
            if (name.startsWith("%")) {
                String n = name.substring(1);
                var sp = SpecialNames.special(n);
                if (sp != null) return new LOp.R(fu.namedReg(sp.type(), n));
                for (String prefix : SpecialNames.UNSUPPORTED_PREFIXES) {
                    if (n.startsWith(prefix)) fail(pos, "special register " + name + " has no IR form");
                }
                if (isVectorSpecial(n)) {
                    fail(pos, "special register " + name + " used as a vector has no IR form; use its components");
                }
            }
            for (Scope sc = s; sc != null; sc = sc.parent) {
                LOp.Sym v = sc.vars.get(name);
                if (v != null) return v;
                String l = sc.labels.get(name);
                if (l != null) {
                    Prototype p = sc.protos.get(name);
                    if (p != null) return new LOp.Proto(p);
                    BranchTargets bt = sc.targetDecls.get(name);
                    if (bt != null) return targets(bt, sc, pos);
                    return new LOp.Label(l);
                }
            }
            AddressSpace space = unit.spaceOf(name);
            if (space != null) return new LOp.Sym(name, space, 0, LOp.SymKind.VARIABLE, false);
            if (unit.functions.containsKey(name)) {
                return new LOp.Sym(name, AddressSpace.GENERIC, 0, LOp.SymKind.FUNCTION, false);
            }
            if (moduleSymbols.contains(name)) {
                fail(pos, "'" + name + "' names a variable that has no IR form");
            }
            fail(pos, "unknown " + (name.startsWith("%") ? "register " : "name ") + name);
            return null;
        }

        boolean isVectorSpecial(String n) {
            return switch (n) {
                case "tid", "ntid", "ctaid", "nctaid", "clusterid", "nclusterid", "cluster_ctaid",
                     "cluster_nctaid" -> true;
                default -> false;
            };
        }

        LOp.Targets targets(BranchTargets bt, Scope s, SourcePos pos) {
            LOp.Targets t = s.targets.get(bt.name());
            if (t != null) return t;
            List<String> labels = new ArrayList<>();
            for (String l : bt.targets()) {
                String u = null;
                for (Scope sc = s; sc != null && u == null; sc = sc.parent) u = sc.labels.get(l);
                if (u == null) fail(bt.pos(), "unknown label " + l + " in .branchtargets " + bt.name());
                labels.add(u);
            }
            t = new LOp.Targets(bt.name(), labels);
            s.targets.put(bt.name(), t);
            return t;
        }

        // -------------------------------------------------------------------------------------------- instructions

        LStmt.Ins instruction(Instruction in, Scope s) {
            String why = Unsupported.reason(in.opcode(), in.modifiers());
            if (why != null) fail(in.pos(), in.fullOpcode() + ": " + why);
            Reg guard = null;
            boolean neg = false;
            if (in.guard() != null) {
                Reg g = register(in.guard().predicate(), s);
                if (g == null) fail(in.pos(), "unknown predicate " + in.guard().predicate() + " in guard");
                if (g.type() != ScalarType.PRED) fail(in.pos(), "guard " + in.guard().predicate() + " is not a predicate");
                guard = g;
                neg = in.guard().negated();
            }
            List<LOp> ops = new ArrayList<>(in.operands().size());
            for (Operand o : in.operands()) ops.add(operand(o, s, in.pos()));
            return new LStmt.Ins(in.opcode(), in.modifiers(), guard, neg, ops, loc(in), in.pos());
        }

        SrcLoc loc(Instruction in) {
            String src = null;
            int line = 0;
            if (in.loc() != null) {
                src = files.get(in.loc().file());
                line = in.loc().line();
            }
            return new SrcLoc(in.pos().file(), in.pos().line(), in.pos().column(), src, src == null ? 0 : line);
        }

        LOp operand(Operand o, Scope s, SourcePos pos) {
            return switch (o) {
                case Operand.Ident id -> name(id.name(), s, pos);
                case Operand.IntImm i -> new LOp.Int(i.value(), i.unsigned());
                case Operand.FloatImm fl -> new LOp.Flt(fl.bits(), fl.single());
                case Operand.SymbolRef ref -> {
                    LOp base = name(ref.name(), s, pos);
                    if (!(base instanceof LOp.Sym sym)) {
                        fail(pos, "'" + ref.name() + "' with an offset must name a variable or function");
                        yield null;
                    }
                    yield new LOp.Sym(sym.name(), ref.generic() ? AddressSpace.GENERIC : sym.space(),
                            sym.offset() + ref.offset(), sym.kind(), ref.generic());
                }
                case Operand.Address a -> {
                    LOp base = a.base() instanceof Operand.Ident id ? name(id.name(), s, pos) : operand(a.base(), s, pos);
                    if (!(base instanceof LOp.R || base instanceof LOp.Sym || base instanceof LOp.Int)) {
                        fail(pos, "address [" + a.base() + "] must be a register, a variable or an integer");
                    }
                    yield new LOp.Mem(base, a.offset());
                }
                case Operand.AddressList l -> {
                    fail(pos, "address lists (texture and surface operands) have no IR form");
                    yield null;
                }
                case Operand.Vector v -> {
                    List<LOp> elems = new ArrayList<>();
                    for (Operand e : v.elements()) elems.add(operand(e, s, pos));
                    yield new LOp.Vec(elems);
                }
                case Operand.Sink k -> new LOp.Sink();
                case Operand.Not n -> new LOp.Not(operand(n.operand(), s, pos));
                case Operand.Pair p -> new LOp.Pair(operand(p.first(), s, pos), operand(p.second(), s, pos));
                case Operand.ParenList p -> {
                    List<LOp> elems = new ArrayList<>();
                    for (Operand e : p.elements()) elems.add(operand(e, s, pos));
                    yield new LOp.Args(elems);
                }
            };
        }
    }
}
