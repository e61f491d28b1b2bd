package org.transcuda.ptx.pass;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.transcuda.ir.Address;
import org.transcuda.ir.AddressSpace;
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
import org.transcuda.ir.Variable;
import org.transcuda.ptx.PtxTranslator;

/**
 * The {@code explicit-stack} pass on nvcc's PTX of {@code explicit-stack/recursion.cu} (self-recursion with values live
 * across the calls, mutual nested recursion, a loop around a conditional recursive call, per-activation
 * {@code .local} arrays with a pointer to the caller's array passed down, a non-recursive function) and on the corpus.
 * Structure: the result passes the IR verifier, has no cycle in its call graph, and structurizes with a clean
 * {@link StructureVerifier}; functions outside cycles are the same objects. Semantics: {@link Eval}, a one-thread
 * interpreter of the IR that fails on any call of a function already active (so the result must not recurse at run
 * time), runs the kernel for many inputs; expected values come from Java references written here.
 */
class ExplicitStackTest {
    private static final int STACK = 16 * 1024;

    private static Module source() throws IOException {
        try (InputStream in = ExplicitStackTest.class.getResourceAsStream("/explicit-stack/recursion.ptx")) {
            String ptx = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Module m = PtxTranslator.translate("recursion.ptx", ptx, new PtxTranslator.Options(true, true), null);
            assertEquals(List.of(), m.problems());
            return m;
        }
    }

    private static void assertWellFormed(Module m) {
        assertEquals(List.of(), IrVerifier.verify(m, true), () -> IrPrinter.print(m));
        assertFalse(ExplicitStack.hasRecursion(m), () -> IrPrinter.print(m));
        for (Function f : m.functions()) {
            if (!f.isDefined()) continue;
            assertEquals(List.of(), StructureVerifier.verify(Structurize.run(f)), () -> IrPrinter.print(f));
        }
    }

    // ------------------------------------------------------------------------------------------------ references

    static long fib(int k) {
        return k < 2 ? k : fib(k - 1) + fib(k - 2);
    }

    static int hf(int n) {
        return n == 0 ? 1 : n - hm(hf(n - 1));
    }

    static int hm(int n) {
        return n == 0 ? 0 : n - hf(hm(n - 1));
    }

    static int tree(int n) {
        int s = 1;
        for (int i = 0; Integer.compareUnsigned(i, n) < 0; i++) {
            if ((i & 1) != 0) s += tree(i) * 3;
            s ^= i;
        }
        return s;
    }

    static int deep(int n) {
        if (n == 0) return 0;
        int r = deep(n - 1);
        return (r * (int) 2654435761L) ^ n;
    }

    static int frames(int n, int[] parent) {
        int[] a = {n * 10, n * 10 + 1, n * 10 + 2, n * 10 + 3};
        int s = parent != null ? parent[n & 3] : 0;
        if (n > 0) s += frames(n - 1, a);
        return s + a[(n * 7) & 3];
    }

    // ------------------------------------------------------------------------------------------------ tests

    @Test
    void recursiveFunctionsBecomeLoopsAndComputeTheSame() throws IOException {
        Module before = source();
        assertTrue(ExplicitStack.hasRecursion(before));
        Module after = ExplicitStack.run(before, STACK);
        assertWellFormed(after);
        for (int v = 0; v < 48; v++) {
            long[] out = runRec(after, v * 7 + (v % 5));
            int x = v * 7 + (v % 5);
            assertEquals(fib(x % 20), out[0], "fib " + x);
            assertEquals(Integer.toUnsignedLong(hf(x % 40)), out[1], "hf " + x);
            assertEquals(Integer.toUnsignedLong(hm(x % 40)), out[2], "hm " + x);
            assertEquals(Integer.toUnsignedLong(tree(x % 9)), out[3], "tree " + x);
            assertEquals(Integer.toUnsignedLong(frames(x % 12, null) + (x * 3 + 1)), out[4], "frames " + x);
        }
    }

    /** The structurizer's output of the pass's output computes the same (what SPIR-V backends run). */
    @Test
    void structuredResultComputesTheSame() throws IOException {
        Module after = UniformCollectives.run(ExplicitStack.run(source(), STACK));
        List<Function> fs = new ArrayList<>();
        for (Function f : after.functions()) fs.add(f.isDefined() ? Structurize.run(f).function() : f);
        Module structured = new Module(after.name(), after.variables(), fs, after.problems());
        for (int i = 0; i < 64; i++) {
            int x = i * 37 % 101 + (i % 3) * 13;
            long[] out = runRec(structured, x);
            assertEquals(fib(x % 20), out[0], "fib " + x);
            assertEquals(Integer.toUnsignedLong(hf(x % 40)), out[1], "hf " + x);
            assertEquals(Integer.toUnsignedLong(hm(x % 40)), out[2], "hm " + x);
            assertEquals(Integer.toUnsignedLong(tree(x % 9)), out[3], "tree " + x);
            assertEquals(Integer.toUnsignedLong(frames(x % 12, null) + (x * 3 + 1)), out[4], "frames " + x);
        }
    }

    @Test
    void selfRecursionIsRewrittenInPlaceAndPlainFunctionsAreUntouched() throws IOException {
        Module before = source();
        Module after = ExplicitStack.run(before, STACK);
        Function fib = after.function("_Z3fibj").orElseThrow();
        assertEquals(before.function("_Z3fibj").orElseThrow().params(), fib.params());
        assertTrue(fib.locals().stream().anyMatch(v -> v.name().equals("rec.stack") && v.size() == STACK));
        boolean dispatch = false;
        for (Block b : fib.blocks()) {
            dispatch |= b.label().equals("rec.dispatch") && b.terminator() instanceof Terminator.CondBranch;
            for (Stmt s : b.stmts()) {
                if (s.inst() instanceof Inst.Call c) assertEquals(ExplicitStack.STACK_OVERFLOW, c.callee());
            }
        }
        assertTrue(dispatch, "no dispatch");
        // neither recursive nor calling a recursive function: the same objects
        for (String name : List.of("_Z5plainj", "_Z4fillPii")) {
            assertTrue(before.function(name).orElseThrow() == after.function(name).orElseThrow(), name);
        }
        assertTrue(after.function(ExplicitStack.STACK_OVERFLOW).isPresent());
    }

    @Test
    void mutualRecursionIsMergedBehindWrappers() throws IOException {
        Module after = ExplicitStack.run(source(), STACK);
        // hm comes first in the module (declared before hf)
        Function merged = after.function("_Z2hmi.rec").orElseThrow();
        assertEquals(3, merged.params().size()); // selector, hm's n, hf's n
        assertEquals(2, merged.returnRegs().size());
        for (String w : List.of("_Z2hfi", "_Z2hmi")) {
            Function f = after.function(w).orElseThrow();
            Inst.Call c = (Inst.Call) f.blocks().getFirst().stmts().getFirst().inst();
            assertEquals("_Z2hmi.rec", c.callee());
            assertEquals(Const.of(ScalarType.U32, w.equals("_Z2hmi") ? 0 : 1), c.args().getFirst());
        }
    }

    @Test
    void moduleWithoutRecursionIsReturnedAsItIs() throws IOException {
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.isDirectory(root.resolve("corpus/ptx"))) root = root.getParent();
        assertTrue(root != null, "corpus/ptx not found");
        int recursive = 0;
        try (Stream<Path> files = Files.list(root.resolve("corpus/ptx"))) {
            for (Path p : files.filter(x -> x.toString().endsWith(".ptx")).sorted().toList()) {
                Module m = PtxTranslator.translate(p.getFileName().toString(), Files.readString(p),
                        new PtxTranslator.Options(true, false), null);
                Module after = ExplicitStack.run(m, STACK);
                if (!ExplicitStack.hasRecursion(m)) {
                    assertSame(m, after, p.toString());
                    continue;
                }
                recursive++;
                assertNotSame(m, after);
                assertEquals(m.problems(), after.problems(), p.toString());
                assertWellFormed(after);
            }
        }
        assertEquals(1, recursive, "corpus modules with recursion (functions.ptx)");
    }

    @Test
    void corpusFibonacci() throws IOException {
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.isDirectory(root.resolve("corpus/ptx"))) root = root.getParent();
        Module m = PtxTranslator.translate("functions.ptx", Files.readString(root.resolve("corpus/ptx/functions.ptx")),
                new PtxTranslator.Options(true, true), null);
        Module after = ExplicitStack.run(m, STACK);
        for (int k = 0; k < 16; k++) {
            Eval e = new Eval(after);
            long r = e.call("_Z7fib_recj", List.of((long) k)).getFirst();
            assertEquals(fib(k), r, "fib_rec " + k);
        }
    }

    @Test
    void overflowReportsAndEndsTheThreadWithoutWritingPastTheStack() throws IOException {
        Module after = ExplicitStack.run(source(), 256);
        assertWellFormed(after);
        // each frame of deep() holds n and the return state: 8 bytes, so 32 nested calls fit in 256 bytes
        Eval ok = runOverflowKernel(after, 32);
        assertFalse(ok.overflowed);
        assertEquals(Integer.toUnsignedLong(deep(32)), ok.load(Eval.GLOBAL + 64, 4));
        Eval e = runOverflowKernel(after, 33);
        assertTrue(e.overflowed, "the overflow was not reported");
        // the thread ended at the overflow: the kernel's store after the call did not happen
        assertEquals(0xdeadbeefL, e.load(Eval.GLOBAL + 64, 4));
        assertTrue(e.maxLocal <= 256 + 64, "local memory used beyond the stack: " + e.maxLocal);
        // every function that reaches the recursion checks the flag after those calls
        Function kernel = after.function("overflow").orElseThrow();
        assertTrue(kernel.blocks().stream().anyMatch(b -> b.terminator() instanceof Terminator.Exit
                && b.label().startsWith("rec.unwind")), () -> IrPrinter.print(kernel));
    }

    private static Eval runOverflowKernel(Module m, int n) {
        Eval e = new Eval(m);
        e.store(Eval.GLOBAL, 4, n);
        e.store(Eval.GLOBAL + 64, 4, 0xdeadbeefL);
        e.kernel("overflow", Map.of("overflow_param_0", Eval.GLOBAL, "overflow_param_1", Eval.GLOBAL + 64,
                "overflow_param_2", 1L));
        return e;
    }

    @Test
    void invalidStackSizeIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> ExplicitStack.run(new Module("m", List.of()), 12));
    }

    /** Runs kernel {@code rec} for one thread on input {@code v}: its five outputs. */
    private static long[] runRec(Module m, int v) {
        Eval e = new Eval(m);
        long in = Eval.GLOBAL, out = Eval.GLOBAL + 64;
        e.store(in, 4, v);
        e.kernel("rec", Map.of("rec_param_0", in, "rec_param_1", out, "rec_param_2", 1L));
        long[] r = new long[5];
        for (int i = 0; i < 5; i++) r[i] = e.load(out + 8L * i, 8);
        return r;
    }

    // ------------------------------------------------------------------------------------------------ interpreter

    /**
     * One thread (block 0 of one thread) of the IR. Global memory at {@link #GLOBAL}, local memory is a stack of
     * activation frames (each function's {@code .local} variables) at generic addresses from {@link #LOCAL_GENERIC};
     * a call of a function that is already active fails: the pass's output must not recurse.
     */
    static final class Eval {
        static final long GLOBAL = 0x1000;
        static final long LOCAL_GENERIC = 0x7000_0000_0000L;
        final Module m;
        final byte[] global = new byte[4096];
        final byte[] local = new byte[1 << 20];
        int localTop = 16;
        int maxLocal;
        boolean overflowed;
        final Map<String, Long> moduleLocals = new HashMap<>();
        final Set<String> active = new HashSet<>();
        Map<String, Long> kernelParams = Map.of();
        long steps;

        Eval(Module m) {
            this.m = m;
            for (Variable v : m.variables()) {
                if (v.space() != AddressSpace.LOCAL) continue;
                localTop = (localTop + 7) / 8 * 8;
                moduleLocals.put(v.name(), (long) localTop);
                localTop += (int) v.size();
            }
        }

        void kernel(String name, Map<String, Long> params) {
            kernelParams = params;
            call(name, List.of());
        }

        long load(long a, int bytes) {
            byte[] mem;
            int at;
            if (a >= LOCAL_GENERIC) {
                mem = local;
                at = (int) (a - LOCAL_GENERIC);
            } else {
                mem = global;
                at = (int) (a - GLOBAL);
            }
            long v = 0;
            for (int i = bytes - 1; i >= 0; i--) v = v << 8 | (mem[at + i] & 0xff);
            return v;
        }

        void store(long a, int bytes, long v) {
            byte[] mem;
            int at;
            if (a >= LOCAL_GENERIC) {
                mem = local;
                at = (int) (a - LOCAL_GENERIC);
            } else {
                mem = global;
                at = (int) (a - GLOBAL);
            }
            for (int i = 0; i < bytes; i++) mem[at + i] = (byte) (v >>> (8 * i));
        }

        List<Long> call(String name, List<Long> args) {
            if (name.equals(ExplicitStack.STACK_OVERFLOW)) {
                if (overflowed) throw new AssertionError("a second overflow: the thread went on after the first");
                overflowed = true;
                return List.of();
            }
            Function f = m.function(name).orElseThrow(() -> new AssertionError("no function " + name));
            if (!active.add(name)) throw new AssertionError("recursive call of " + name + " at run time");
            int savedTop = localTop;
            Map<String, Long> frame = new HashMap<>(moduleLocals);
            for (Variable v : f.locals()) {
                int al = Math.max(1, v.alignment());
                localTop = (localTop + al - 1) / al * al;
                frame.put(v.name(), (long) localTop);
                localTop += (int) Math.max(1, v.size());
            }
            maxLocal = Math.max(maxLocal, localTop);
            long[] regs = new long[f.regs().size()];
            for (int i = 0; i < args.size(); i++) regs[f.paramRegs().get(i).id()] = mask(args.get(i),
                    f.paramRegs().get(i).type());
            Map<String, Block> byLabel = new HashMap<>();
            for (Block b : f.blocks()) byLabel.put(b.label(), b);
            Block b = f.blocks().getFirst();
            List<Long> result = null;
            while (result == null) {
                if (++steps > 50_000_000) throw new AssertionError("does not terminate");
                for (Stmt s : b.stmts()) {
                    if (s.guard() != null && (regs[s.guard().id()] != 0) == s.negateGuard()) continue;
                    exec(f, s.inst(), regs, frame);
                }
                String next = switch (b.terminator()) {
                    case Terminator.Branch br -> br.target();
                    case Terminator.CondBranch c -> get(regs, frame, c.pred()) != 0 ? c.ifTrue() : c.ifFalse();
                    case Terminator.Switch sw -> sw.targets().get((int) get(regs, frame, sw.index()));
                    case Terminator.Return r -> null;
                    case Terminator.Exit x -> null;
                    default -> throw new AssertionError("reached " + b.terminator());
                };
                if (next == null) {
                    result = new ArrayList<>();
                    for (Reg r : f.returnRegs()) result.add(regs[r.id()]);
                } else {
                    b = byLabel.get(next);
                }
            }
            active.remove(name);
            localTop = savedTop;
            return result;
        }

        private static long mask(long v, ScalarType t) {
            int w = t.bits();
            return w >= 64 ? v : v & ((1L << w) - 1);
        }

        private static long sext(long v, int w) {
            return w >= 64 ? v : (v << (64 - w)) >> (64 - w);
        }

        private long get(long[] regs, Map<String, Long> frame, Value v) {
            return switch (v) {
                case Const c -> c.bits();
                case Reg r -> regs[r.id()];
                case SymbolAddr a -> {
                    Long at = frame.get(a.symbol());
                    if (at == null) throw new AssertionError("address of " + a);
                    yield a.space() == AddressSpace.GENERIC ? LOCAL_GENERIC + at : at;
                }
            };
        }

        private long address(AddressSpace space, Address a, long[] regs, Map<String, Long> frame) {
            long base = get(regs, frame, a.base()) + a.offset();
            return space == AddressSpace.LOCAL ? LOCAL_GENERIC + base : base;
        }

        private void exec(Function f, Inst inst, long[] regs, Map<String, Long> frame) {
            switch (inst) {
                case Inst.Mov mv -> set(regs, mv.dst(), get(regs, frame, mv.src()));
                case Inst.Compute c -> set(regs, c.dst(), compute(c, regs, frame));
                case Inst.Compare c -> set(regs, c.dst(), compare(c, get(regs, frame, c.a()), get(regs, frame,
                        c.b())) ? 1 : 0);
                case Inst.Convert c -> {
                    long v = get(regs, frame, c.src());
                    if (c.from().kind() == ScalarType.Kind.SIGNED) v = sext(v, c.from().bits());
                    set(regs, c.dst(), v);
                }
                case Inst.Cvta c -> {
                    long v = get(regs, frame, c.src());
                    if (c.space() == AddressSpace.LOCAL) v = c.toGeneric() ? v + LOCAL_GENERIC : v - LOCAL_GENERIC;
                    set(regs, c.dst(), v);
                }
                case Inst.Load l -> {
                    if (l.space() == AddressSpace.PARAM) {
                        String p = ((SymbolAddr) l.address().base()).symbol();
                        set(regs, l.dst(), kernelParams.get(p));
                    } else {
                        set(regs, l.dst(), load(address(l.space(), l.address(), regs, frame), l.type().bytes()));
                    }
                }
                case Inst.Store st -> {
                    long a = address(st.space(), st.address(), regs, frame);
                    if (a >= LOCAL_GENERIC) {
                        maxLocal = Math.max(maxLocal, (int) (a - LOCAL_GENERIC) + st.type().bytes());
                    }
                    store(a, st.type().bytes(), get(regs, frame, st.src()));
                }
                case Inst.ReadSpecial r -> set(regs, r.dst(), switch (r.which()) {
                    case NTID_X -> 1;
                    default -> 0;
                });
                case Inst.Call c -> {
                    List<Long> args = new ArrayList<>();
                    for (Value a : c.args()) args.add(get(regs, frame, a));
                    List<Long> res = call(c.callee(), args);
                    for (int i = 0; i < c.results().size(); i++) set(regs, c.results().get(i), res.get(i));
                }
                default -> throw new AssertionError("unsupported " + IrPrinter.inst(inst));
            }
        }

        private static void set(long[] regs, Reg r, long v) {
            regs[r.id()] = mask(v, r.type());
        }

        private long compute(Inst.Compute c, long[] regs, Map<String, Long> frame) {
            List<Long> s = new ArrayList<>();
            for (Value v : c.srcs()) s.add(get(regs, frame, v));
            int w = c.type().bits();
            boolean signed = c.type().kind() == ScalarType.Kind.SIGNED;
            long a = s.get(0), b = s.size() > 1 ? s.get(1) : 0;
            return switch (c.op()) {
                case ADD -> a + b;
                case SUB -> a - b;
                case MUL -> a * b;
                case MAD -> a * b + s.get(2);
                case MUL_WIDE -> signed ? sext(a, w) * sext(b, w) : a * b;
                case AND -> a & b;
                case OR -> a | b;
                case XOR -> a ^ b;
                case NOT -> ~a;
                case NEG -> -a;
                case SHL -> b >= w ? 0 : a << b;
                case SHR -> signed ? sext(a, w) >> Math.min(b, w - 1) : b >= w ? 0 : mask(a, c.type()) >>> b;
                case SELP -> s.get(2) != 0 ? a : b;
                default -> throw new AssertionError("unsupported " + c.op());
            };
        }

        private static boolean compare(Inst.Compare c, long a, long b) {
            int w = c.type().bits();
            boolean signed = c.type().kind() == ScalarType.Kind.SIGNED;
            long x = signed ? sext(a, w) : a, y = signed ? sext(b, w) : b;
            int cmp = signed ? Long.compare(x, y) : Long.compareUnsigned(x, y);
            return switch (c.op()) {
                case EQ -> cmp == 0;
                case NE -> cmp != 0;
                case LT, LO -> cmp < 0;
                case LE, LS -> cmp <= 0;
                case GT, HI -> cmp > 0;
                case GE, HS -> cmp >= 0;
                default -> throw new AssertionError("unsupported " + c.op());
            };
        }
    }
}
