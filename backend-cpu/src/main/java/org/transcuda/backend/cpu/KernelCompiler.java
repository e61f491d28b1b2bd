package org.transcuda.backend.cpu;

import static java.lang.classfile.ClassFile.ACC_FINAL;
import static java.lang.classfile.ClassFile.ACC_PUBLIC;
import static java.lang.classfile.ClassFile.ACC_STATIC;
import static java.lang.classfile.ClassFile.ACC_SYNTHETIC;
import static java.lang.constant.ConstantDescs.CD_Object;
import static java.lang.constant.ConstantDescs.CD_boolean;
import static java.lang.constant.ConstantDescs.CD_float;
import static java.lang.constant.ConstantDescs.CD_int;
import static java.lang.constant.ConstantDescs.CD_long;
import static java.lang.constant.ConstantDescs.CD_void;
import static java.lang.constant.ConstantDescs.INIT_NAME;
import static java.lang.constant.ConstantDescs.MTD_void;

import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.classfile.TypeKind;
import java.lang.classfile.instruction.SwitchCase;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.transcuda.backend.cpu.CompiledKernel.SuspendPoint;
import org.transcuda.cuda.CUresult;
import org.transcuda.ir.Address;
import org.transcuda.ir.AddressSpace;
import org.transcuda.ir.Block;
import org.transcuda.ir.Const;
import org.transcuda.ir.FloatMode;
import org.transcuda.ir.Function;
import org.transcuda.ir.Inst;
import org.transcuda.ir.IrPrinter;
import org.transcuda.ir.IrVerifier;
import org.transcuda.ir.Memory;
import org.transcuda.ir.Module;
import org.transcuda.ir.Opcode;
import org.transcuda.ir.Param;
import org.transcuda.ir.Reg;
import org.transcuda.ir.ScalarType;
import org.transcuda.ir.SymbolAddr;
import org.transcuda.ir.Terminator;
import org.transcuda.ir.Value;
import org.transcuda.ir.Variable;
import org.transcuda.spi.BackendException;

/**
 * Compiles one kernel of an IR module, with the device functions it calls, to a hidden class (JVM bytecode
 * generated with {@code java.lang.classfile}, defined with {@link MethodHandles.Lookup#defineHiddenClass} in
 * this package so that it can use the runtime's package-private helpers). Translation happens once per kernel
 * and loaded module ({@link CpuModule} caches the result).
 *
 * <h2>Shape of the generated code</h2>
 * <ul>
 * <li>Every IR register is a JVM local of its natural kind: predicates and integers up to 32 bits are
 * {@code int} (8/16-bit values normalized: sign-extended for signed types, zero-extended otherwise; f16/bf16 and
 * packed x2 types as their bits), 64-bit integers {@code long}, f32 {@code float}, f64 {@code double}. Operands
 * whose register type differs from the instruction type (PTX's relaxed typing, wide registers for narrow
 * loads/stores/cvt) are converted bit-exactly at the use or the definition.</li>
 * <li>A kernel without suspension points compiles to {@link KernelCode#runBlock}: a loop over the block's
 * threads (x fastest) around the kernel body, so a thread runs from entry to exit with its registers in
 * locals; {@code ret}/{@code exit} continue with the next thread. This is the fast path. For a kernel that
 * qualifies for {@link UniformPaths}, {@link AffineSites#check} first checks its global accesses (all affine in the
 * thread index) for the whole block (one int flag per site: set, the access skips its per-access check); when every
 * site passed, the static method {@code vecBlock} decides the block's path (from the ranges of the branch
 * conditions, else thread by thread), and when all threads take the same path, the static method {@code vK} of that
 * path runs its vector form ({@link VectorPaths}: statement by statement over the whole block, registers in
 * per-thread arrays, block-wide copies for the global accesses) or, for a path without one, {@code pK} runs its
 * statements for every thread in one branch-free loop nest (x innermost); else the thread loop runs the block.
 * {@link KernelCode#runPath} calls path K's {@code vK} over {@link Exec}'s vector extent ({@link GridRows}).</li>
 * <li>A kernel with suspension points ({@code bar.*}, {@code shfl/vote/match/redux.sync}, {@code activemask},
 * {@code bar.warp.sync}) compiles to {@link KernelCode#stepBlock}, one scheduling round of a block: a loop over
 * the threads that dispatches on each thread's resume point. Registers live across a suspension point
 * ({@link Liveness}) have a home slot in {@link Exec#spill}: every definition writes through to it, and after a
 * resume a register is loaded from it lazily, at its first use on the path taken (a forward "value is in the
 * local" analysis decides where), so a suspension point itself only stores the collective's operands and its
 * number. {@link BlockScheduler} completes barriers and warp collectives between rounds.</li>
 * <li>Every kernel the lockstep engine takes ({@code lockstepRefusal}) also compiles to {@link KernelCode#lockBlock}:
 * a dispatcher over one static method per segment (a basic block, cut after each {@code bar.sync}); a segment runs
 * each run of per-thread statements as one loop over the active threads (registers in per-thread arrays, except
 * block-uniform registers, computed once, and registers that live only inside the run, held in JVM locals), warp
 * collectives as an operand loop, one {@link Lockstep#collective} call and a result loop (a shuffle with
 * compile-time source lanes, while every thread is active: one loop between the register arrays; a shifted one over
 * whole warps, also in divergent code: {@link WarpShuffle}'s array copies first; a Hillis–Steele scan chain of
 * shuffles, selects and adds: one call of {@link WarpScan#scan} at its first shuffle, the chain's other statements
 * skipped), and ends with the
 * next segment or a request to {@link Lockstep#schedule} (see {@link Lockstep}). A conditional branch whose short
 * arms rejoin at once ({@link IfConversion}) runs its arms in the loop of the segment's last run, per thread by its
 * predicate; other conditional branches are counted in that loop while every thread is active, and a loop that is
 * one segment jumps back inside its method. A run with unguarded shared accesses whose addresses are affine in the
 * thread index ({@link SharedAffine}) has a second loop shape for when every thread is active: the accesses'
 * groups (same address register, size, offset modulo the size) checked once for the whole block, then a loop nest
 * over {@code tid.z, tid.y, tid.x} indexing the shared array directly ({@code runLoop}); an if-converted arm's
 * accesses keep their checks there (only the arm's threads make them), except in a triangle whose predicate is a
 * comparison (order or equality) of a value affine in {@code tid.x} with a block-uniform one: in a one-dimensional
 * block with every thread active its arm runs over the range of threads that take it ({@code lockArmRange}, {@link
 * SharedAffine#predRange}), checked once for that range. Global accesses whose address is affine in the thread index ({@link AffineSites}) are checked once per
 * block by segment 0 into {@link Exec#lglob}; every segment method reads one flag per site from it (found by the
 * site's instruction: each generated method numbers its sites anew), and a set flag skips the access's check in any
 * lane loop ({@code lockGlobalFlags}, {@code -Dtranscuda.cpu.lockglob=false}: off); a flagged load at consecutive
 * addresses in thread order is read with one copy before a lane loop that writes no memory a global load can see
 * ({@link LaneBulk}, {@code laneBulk}). The other global accesses of a
 * run's lane loop are checked once per lane loop by a prescan loop over the same threads ({@link LoopChecks},
 * {@code loopChecks}; the cache lines of such loads through pointer registers touched before the loop: {@link
 * LoopTouch}), and f32 operations whose results only feed further f32 arithmetic inside the run skip their
 * NaN canonicalization ({@code lockDeferredNaN}).</li>
 * <li>Device functions are static methods {@code (Exec, params...)} returning their single return register,
 * or storing several into {@link Exec#ret}; their {@code .local} frames are stacked in the thread's local
 * window from {@link Exec#sp}. Recursion is allowed; indirect calls dispatch on the function "address".
 * Direct calls of functions that contain suspension points (or call such functions) are inlined into the
 * kernel first ({@link Inliner}); indirect or recursive calls of such functions are rejected with
 * CUDA_ERROR_NOT_SUPPORTED.</li>
 * <li>Memory instructions call {@link Mem} helpers (global and generic ones through a per-worker
 * {@link SiteCache} held in a local); arithmetic with PTX semantics Java lacks calls {@link Rt}, {@link Fp},
 * {@link Fp2}, {@link Atom}, {@link Builtins}. These are small static methods the JIT inlines; line numbers of
 * the generated code are IR statement numbers (see {@code -Dtranscuda.cpu.dump=DIR}).</li>
 * </ul>
 * Module variables have fixed device addresses when the module is loaded, so their addresses are constants in
 * the code; shared variables get per-kernel offsets (static ones in declaration order, dynamic shared memory
 * after them, aligned to at least 16). Methods over 8000 bytes of bytecode are logged: HotSpot does not
 * JIT-compile them unless the JVM runs with {@code -XX:-DontCompileHugeMethods}.
 */
final class KernelCompiler {
    /** Arms over thread ranges emitted so far: each one's slot in {@link SharedAffine#predRangeMemo}. */
    private int predSites;
    private static final String PKG = "org.transcuda.backend.cpu";
    private static final ClassDesc CD_THIS = ClassDesc.of(PKG + ".Kernel");
    private static final ClassDesc CD_EXEC = ClassDesc.of(PKG + ".Exec");
    private static final ClassDesc CD_SITE = ClassDesc.of(PKG + ".SiteCache");
    private static final ClassDesc CD_CODE = ClassDesc.of(PKG + ".KernelCode");
    private static final ClassDesc CD_EXIT = ClassDesc.of(PKG + ".Exec$ThreadExit");
    private static final ClassDesc CD_SEG = ClassDesc.of("java.lang.foreign.MemorySegment");
    private static final ClassDesc CD_RTE = ClassDesc.of("java.lang.RuntimeException");
    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();
    private static final org.apache.logging.log4j.Logger LOG =
            org.apache.logging.log4j.LogManager.getLogger(KernelCompiler.class);
    private static final Map<String, MethodTypeDesc> DESCRIPTORS = new ConcurrentHashMap<>();
    /** Call stack bytes per thread when device functions recurse (CUDA's default is 1 KB). */
    static final int RECURSIVE_STACK = 16 * 1024;

    private static final int FAST = 0, STEP = 1, DEVICE = 2, LOCK = 3, DECIDE = 4, PATH = 5, VEC = 6;
    /**
     * The lockstep engine's coalesced path for global loads/stores ({@code -Dtranscuda.cpu.bulk=true}, read when a
     * kernel is compiled). Off by default: measured slower on the benchmark suite except saxpy (see
     * docs/benchmarks.md), because it splits a segment's single lane loop into several.
     */
    private final boolean bulk = Boolean.getBoolean("transcuda.cpu.bulk");
    /** Lockstep lane loops get a counted version for when every thread is active ({@code -Dtranscuda.cpu.dense=false}: off). */
    static final boolean RUN_LOCALS = !"false".equals(System.getProperty("transcuda.cpu.runLocals"));
    /** Triangles after a register-only prefix as two lane loops ({@code splitArm}); off with {@code -Dtranscuda.cpu.splitArms=false}. */
    static final boolean SPLIT_ARMS = !"false".equals(System.getProperty("transcuda.cpu.splitArms"));
    /** Lockstep lane loops: f32 NaN canonicalization deferred to the end of a chain (Emitter.lockDeferredNaN). */
    static final boolean LSIMD = !"false".equals(System.getProperty("transcuda.cpu.lsimd"));
    static final boolean DENSE = !"false".equals(System.getProperty("transcuda.cpu.dense"));
    /** f32 arithmetic returns NVIDIA's canonical NaN (0x7fffffff), f64 the H100's NaN propagation (Fp.addD); off only for performance experiments. */
    static final boolean CANONICAL_NANS = !Boolean.getBoolean("transcuda.cpu.javaNaNs");
    private static final java.util.concurrent.atomic.AtomicInteger VISIBLE = new java.util.concurrent.atomic.AtomicInteger();
    private ClassDesc thisClass = CD_THIS;
    /** With -Dtranscuda.cpu.dump: the statement behind each line number of the generated code. */
    private static final StringBuilder LINES = System.getProperty("transcuda.cpu.dump") != null ? new StringBuilder() : null;

    private final Module module;
    private final Function kernel;
    /** Spill slots per thread of the kernel's STEP shape (set while generating it). */
    private int spillSlots = 1;
    private final Map<String, Long> globals;
    private final long[] constRanges;
    private final Map<String, Function> byName = new HashMap<>();
    private final Map<String, Integer> moduleIndex = new HashMap<>();
    private final List<Function> devices = new ArrayList<>();
    private final Map<String, Long> sharedOffsets = new HashMap<>();
    private final Map<Function, Map<String, Long>> frames = new IdentityHashMap<>();
    /** The shuffle scan chains of each function compiled in the LOCK shape ({@link WarpScan#find}, once per function). */
    private final Map<Function, WarpScan.Found> warpScanChains = new IdentityHashMap<>();
    private final Map<Function, Integer> frameSizes = new IdentityHashMap<>();
    private final List<Integer> siteSizes = new ArrayList<>();
    private final List<Boolean> siteGeneric = new ArrayList<>();
    /** Per site: whether it is one of {@link #deferInsts} ({@link AddDefer}). */
    private final List<Boolean> siteDefer = new ArrayList<>();
    /** The kernel's unread global adds that {@link AddDefer} sums per worker (empty: none). */
    private java.util.Set<Inst> deferInsts = java.util.Set.of();
    private final List<String> siteNames = new ArrayList<>();
    private final List<SuspendPoint> points = new ArrayList<>();
    private long staticShared;
    private long dynamicOffset;
    private boolean suspends;
    private boolean deviceExit;
    private boolean hasCalls;
    private long localWindow;
    /** Lockstep: constant-address shared groups numbered so far ({@link SharedAffine#fitsCached}). */
    private int sharedGroups;
    /** Shared sites compiled without the window check ({@link SharedRange}). */
    private final Set<Inst> rangeSites = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    /** Why the kernel has no lockstep code (null: it has; see {@link #lockstepRefusal}). */
    private String lockRefusal;
    /** The global accesses of {@code runBlock} checked once per block (set while generating it; null: none). */
    private AffineSites affineSites;
    /** The paths of a straight-line kernel run by {@code vecBlock} (set while generating runBlock; null: none). */
    private UniformPaths uniformPaths;
    /** Lockstep shape: the if-converted branches ({@link IfConversion}), by the label of the branching block. */
    private Map<String, IfConversion.Arms> ifArms = Map.of();
    /**
     * Lockstep shape: segments whose method got too big with {@link LaneJam#WIDTH} threads per interleaved step, and
     * the width they use instead (2; 1: no interleaving, only {@link LaneVec}'s vectors; 0: neither).
     */
    private final Map<Integer, Integer> jamWidth = new HashMap<>();
    /** Lockstep shape: if-conversion on ({@code -Dtranscuda.cpu.ifConvert=false} turns it off). */
    static final boolean IF_CONVERT = !"false".equals(System.getProperty("transcuda.cpu.ifConvert"));
    /** Lockstep shape: constant-source shuffles as direct register-array permutations ({@code transcuda.cpu.directShuffle}). */
    static final boolean DIRECT_SHUFFLE = !"false".equals(System.getProperty("transcuda.cpu.directShuffle"));
    /**
     * Lockstep: a jump of the active threads, while not all are active, to a segment below every other waiting
     * thread ({@link Exec#lnext}) runs on without a scheduler pass ({@code transcuda.cpu.divJump}).
     */
    static final boolean JUMP_ON = !"false".equals(System.getProperty("transcuda.cpu.divJump"));
    /** Integer {@code setp} inline instead of {@link Rt#icmp}/{@link Rt#lcmp} (off: {@code -Dtranscuda.cpu.inlineCompare=false}). */
    static final boolean INLINE_ICMP = !"false".equals(System.getProperty("transcuda.cpu.inlineCompare"));
    /** Kind of each register of the kernel ('I', 'J', 'F', 'D'): the lockstep engine's register arrays. */
    private char[] lockRegKinds;

    private KernelCompiler(Module module, Function kernel, Map<String, Long> globals, long[] constRanges) {
        this.module = module;
        this.globals = globals;
        this.constRanges = constRanges;
        List<Function> fs = module.functions();
        for (int i = 0; i < fs.size(); i++) {
            Function f = fs.get(i);
            if (f.isDefined() || !byName.containsKey(f.name())) {
                byName.put(f.name(), f);
                moduleIndex.put(f.name(), i);
            }
        }
        // device functions with barriers / warp collectives become part of the kernel's body (resume points)
        this.kernel = kernel.isDefined() ? Inliner.inline(kernel, byName, KernelCompiler::isSuspension) : kernel;
    }

    /**
     * Compiles {@code kernel}; {@code globals} gives the device address of every global/const module variable.
     */
    static CompiledKernel compile(Module module, Function kernel, Map<String, Long> globals, long[] constRanges)
            throws BackendException {
        try {
            return new KernelCompiler(module, kernel, globals, constRanges).run();
        } catch (CompileError e) {
            throw e.toBackendException();
        } catch (IllegalArgumentException | IllegalStateException | IndexOutOfBoundsException e) {
            throw new BackendException(CUresult.CUDA_ERROR_NOT_SUPPORTED, "cannot compile kernel " + kernel.name()
                    + " for the CPU: " + e.getMessage(), e);
        }
    }

    private CompiledKernel run() {
        if (!kernel.isDefined()) throw CompileError.invalid("kernel " + kernel.name() + " has no body");
        collectFunctions();
        suspends = hasSuspension(kernel);
        deferInsts = AddDefer.sites(kernel);
        layoutShared();
        layoutFrames();
        points.add(new SuspendPoint(0, 0, false, "entry"));
        lockRefusal = LOCKSTEP_ENABLED ? lockstepRefusal() : "the lockstep engine is disabled";
        if (lockRefusal == null) {
            lockSegments();
            if (IF_CONVERT) ifArms = IfConversion.find(kernel);
        }
        lockRegKinds = new char[kernel.regs().size()];
        for (Reg r : kernel.regs()) {
            lockRegKinds[r.id()] = switch (kind(r.type())) {
                case LONG -> 'J';
                case FLOAT -> 'F';
                case DOUBLE -> 'D';
                default -> 'I';
            };
        }
        byte[] bytes = generate();
        while (lockRefusal == null && LaneJam.ENABLED && lockMethodSize(bytes) > HUGE_METHOD) {
            // the interleaved copies of a run made segment methods too big: those segments with 2 threads per
            // step, then without interleaving (1: LaneVec's vectors only), then with neither
            boolean narrowed = false;
            for (var m : ClassFile.of().parse(bytes).methods()) {
                String name = m.methodName().stringValue();
                if (name.matches("ls[0-9]+") && m.code().orElse(null) instanceof java.lang.classfile.attribute.CodeAttribute ca
                        && ca.codeLength() > HUGE_METHOD) {
                    int seg = Integer.parseInt(name.substring(2));
                    int w = jamWidth.getOrDefault(seg, LaneJam.width());
                    if (w > 0) {
                        jamWidth.put(seg, w > 2 ? 2 : w == 2 && LaneVec.on() ? 1 : 0);
                        narrowed = true;
                    }
                }
            }
            if (!narrowed) break;
            bytes = generate(thisClass.displayName());
        }
        if (lockRefusal == null && !ifArms.isEmpty() && lockMethodSize(bytes) > HUGE_METHOD) {
            // the arms' code made a segment method too big: without if-conversion it may still fit
            ifArms = Map.of();
            bytes = generate(thisClass.displayName());
        }
        if (lockRefusal == null && lockMethodSize(bytes) > HUGE_METHOD) {
            lockRefusal = "a lockstep method has " + lockMethodSize(bytes) + " bytes of bytecode (HotSpot does not "
                    + "JIT-compile methods over " + HUGE_METHOD + " bytes by default)";
        }
        warnIfHuge(bytes);
        String dump = System.getProperty("transcuda.cpu.dump");
        if (dump != null) {
            try {
                java.nio.file.Files.createDirectories(java.nio.file.Path.of(dump));
                java.nio.file.Files.write(java.nio.file.Path.of(dump, kernel.name() + ".class"), bytes);
                // the .lines file only when the property was set as the class loaded (LINES)
                if (LINES != null) {
                    synchronized (LINES) {
                        java.nio.file.Files.writeString(java.nio.file.Path.of(dump, kernel.name() + ".lines"), LINES);
                        LINES.setLength(0);
                    }
                }
            } catch (java.io.IOException e) {
                // diagnostics only
            }
        }
        KernelCode code;
        try {
            Class<?> cls;
            if (Boolean.getBoolean("transcuda.cpu.visibleClasses")) {
                // profiling aid: a named class shows up in profilers, which hide hidden-class frames
                cls = LOOKUP.defineClass(generate("Kernel" + VISIBLE.incrementAndGet()));
            } else {
                cls = LOOKUP.defineHiddenClass(bytes, true).lookupClass();
            }
            code = (KernelCode) LOOKUP.in(cls).findConstructor(cls,
                    java.lang.invoke.MethodType.methodType(void.class)).invoke();
        } catch (Throwable t) {
            throw new IllegalStateException("generated class rejected: " + t, t);
        }
        int maxThreads = 1024;
        List<Integer> limit = !kernel.directives().reqntid().isEmpty() ? kernel.directives().reqntid()
                : kernel.directives().maxntid();
        if (!limit.isEmpty()) {
            long prod = 1;
            for (int d : limit) prod *= Math.max(1, d);
            maxThreads = (int) Math.min(maxThreads, prod);
        }
        int[] sizes = siteSizes.stream().mapToInt(Integer::intValue).toArray();
        boolean[] generic = new boolean[siteGeneric.size()];
        for (int i = 0; i < generic.length; i++) generic[i] = siteGeneric.get(i);
        if (lockRefusal != null) LOG.debug("kernel {}: thread engine only: {}", kernel.name(), lockRefusal);
        CompiledKernel ck = new CompiledKernel(kernel.name(), code, suspends, points, suspends ? spillSlots : 1, sizes,
                generic, siteNames.toArray(String[]::new), staticShared, dynamicOffset, frameSizes.get(kernel),
                localWindow, maxThreads, constRanges, lockRefusal, lockRegKinds, affineSites, uniformPaths,
                armChainTable.toArray(ArmChain.Chain[]::new), warp0Table.toArray(Warp0Chain.Region[]::new),
                inputFuseTable.toArray(InputFuse.Region[]::new));
        ck.sharedGroups = sharedGroups;
        ck.sharedInWindow = rangeSites.size();
        if (siteDefer.contains(true)) {
            ck.deferSite = new boolean[siteDefer.size()];
            for (int i = 0; i < siteDefer.size(); i++) ck.deferSite[i] = siteDefer.get(i);
        }
        return ck;
    }

    /** HotSpot does not JIT-compile methods above 8000 bytes of bytecode unless -XX:-DontCompileHugeMethods. */
    static final int HUGE_METHOD = 8000;

    /** True for the methods of the lockstep shape ({@code lockBlock} and the segment methods {@code lsK}). */
    private static boolean lockMethod(String name) {
        return name.equals("lockBlock") || name.matches("ls[0-9]+");
    }

    /** Bytecode bytes of the largest generated method of the lockstep shape. */
    private static int lockMethodSize(byte[] bytes) {
        int max = 0;
        for (var m : ClassFile.of().parse(bytes).methods()) {
            if (!lockMethod(m.methodName().stringValue())) continue;
            var code = m.code().orElse(null);
            if (code instanceof java.lang.classfile.attribute.CodeAttribute ca) max = Math.max(max, ca.codeLength());
        }
        return max;
    }

    private void warnIfHuge(byte[] bytes) {
        for (var m : ClassFile.of().parse(bytes).methods()) {
            // an oversized lockstep method is not used (the kernel runs on the thread engine)
            if (lockMethod(m.methodName().stringValue())) continue;
            m.code().ifPresent(code -> {
                int length = code instanceof java.lang.classfile.attribute.CodeAttribute ca ? ca.codeLength() : 0;
                if (length > HUGE_METHOD) {
                    LOG.warn("kernel {}: generated method {} has {} bytes of bytecode; HotSpot interprets methods over "
                            + "{} bytes unless the JVM runs with -XX:-DontCompileHugeMethods, so this kernel will be slow",
                            kernel.name(), m.methodName().stringValue(), length, HUGE_METHOD);
                }
            });
        }
    }

    // ---- analysis --------------------------------------------------------------------------------------

    private static boolean isSuspension(Inst i) {
        return i instanceof Inst.Barrier || i instanceof Inst.Shuffle || i instanceof Inst.Vote
                || i instanceof Inst.Match || i instanceof Inst.Redux || i instanceof Inst.ActiveMask
                || i instanceof Inst.WarpSync;
    }

    private static boolean hasSuspension(Function f) {
        for (Block b : f.blocks()) {
            for (var s : b.stmts()) if (isSuspension(s.inst())) return true;
        }
        return false;
    }

    private static String where(Function f, org.transcuda.ir.Stmt s) {
        return IrPrinter.inst(s.inst()) + (s.loc() == null ? "" : " (" + s.loc() + ")") + " in " + f.name();
    }

    private void collectFunctions() {
        Set<Function> seen = new LinkedHashSet<>();
        ArrayDeque<Function> work = new ArrayDeque<>();
        work.add(kernel);
        seen.add(kernel);
        boolean indirect = false;
        while (!work.isEmpty()) {
            Function f = work.poll();
            for (Block b : f.blocks()) {
                for (var s : b.stmts()) {
                    if (s.inst() instanceof Inst.Unsupported u) {
                        throw CompileError.invalid("cannot translate " + u.opcode() + ": " + u.message()
                                + (s.loc() == null ? "" : " (" + s.loc() + ")") + " in " + f.name());
                    }
                    if (s.inst() instanceof Inst.Call c) {
                        if (c.callee() == null) {
                            indirect = true;
                            continue;
                        }
                        Function g = byName.get(c.callee());
                        if (g == null || !g.isDefined()) {
                            if (IrVerifier.BUILTINS.contains(c.callee())) continue;
                            throw CompileError.invalid("call of undefined function " + c.callee() + " in " + f.name());
                        }
                        if (g.kernel()) throw CompileError.invalid("call of kernel " + g.name() + " in " + f.name());
                        if (seen.add(g)) work.add(g);
                    }
                }
                for (Value v : b.terminator().uses()) {
                    if (v instanceof SymbolAddr sa) addressTaken(sa, seen, work);
                }
                for (var s : b.stmts()) {
                    for (Value v : s.inst().uses()) {
                        if (v instanceof SymbolAddr sa) addressTaken(sa, seen, work);
                    }
                }
            }
            if (indirect) {
                indirect = false;
                for (Function g : module.functions()) {
                    if (!g.kernel() && g.isDefined() && seen.add(g)) work.add(g);
                }
            }
        }
        for (Function f : seen) {
            if (f == kernel) continue;
            if (hasSuspension(f)) {
                throw CompileError.unsupported("device function " + f.name() + " contains bar.sync or warp "
                        + "collectives (shfl/vote/match/redux/activemask/bar.warp.sync); the CPU backend runs only "
                        + "kernels with such instructions in their own body");
            }
            if (f.paramRegs().isEmpty() && !f.params().isEmpty()) {
                throw CompileError.unsupported("device function " + f.name()
                        + " still reads its parameters with ld.param; the CPU backend needs the register calling "
                        + "convention (Function.paramRegs)");
            }
            for (Block b : f.blocks()) {
                if (b.terminator() instanceof Terminator.Exit) deviceExit = true;
            }
            devices.add(f);
        }
        hasCalls = !devices.isEmpty() || callsBuiltins(kernel);
    }

    /** The lockstep engine can be switched off for experiments ({@code -Dtranscuda.cpu.lockstep=false}). */
    static final boolean LOCKSTEP_ENABLED = !"false".equals(System.getProperty("transcuda.cpu.lockstep"));

    /**
     * Why the kernel cannot run on the lockstep engine ({@link Lockstep}), or null when it can. The rules (also
     * in the package documentation): barriers other than an unpredicated {@code bar.sync 0} for all threads
     * ({@code bar.arrive}, {@code bar.red}, other ids, thread counts); guarded barriers and warp collectives;
     * {@code brx.idx}; spin-wait patterns that need independent thread scheduling between lanes of one warp
     * ({@code atom.cas}, {@code atom.exch} and ordered/volatile loads inside a loop of the kernel, or anywhere in
     * its device functions); {@code exit} inside device functions; {@code printf} (its output order is the thread engine's).
     */
    private String lockstepRefusal() {
        List<Function> all = new ArrayList<>(devices);
        all.add(0, kernel);
        Set<String> cyclic = cyclicBlocks(kernel);
        for (Function g : all) {
            for (Block b : g.blocks()) {
                // in the kernel, only inside loops can these wait for another lane; device functions: anywhere
                boolean spin = g != kernel || cyclic.contains(b.label());
                if (b.terminator() instanceof Terminator.Switch) return "brx.idx in " + g.name();
                if (g != kernel && b.terminator() instanceof Terminator.Exit) return "exit in device function " + g.name();
                for (var st : b.stmts()) {
                    Inst i = st.inst();
                    switch (i) {
                        case Inst.Barrier bar -> {
                            if (bar.kind() != Inst.BarrierKind.SYNC || !(bar.id() instanceof Const c && c.bits() == 0)
                                    || bar.threads() != null || st.guard() != null) {
                                return "barrier other than bar.sync 0: " + where(g, st);
                            }
                        }
                        case Inst.Atomic a when spin && (a.op() == Memory.AtomicOp.CAS || a.op() == Memory.AtomicOp.EXCH) ->
                        {
                            return "atom.cas/exch (possible spin-wait between lanes): " + where(g, st);
                        }
                        case Inst.Load l when spin && l.order() != Memory.Order.WEAK -> {
                            return "ordered or volatile load (possible spin-wait between lanes): " + where(g, st);
                        }
                        case Inst.Call c when "vprintf".equals(c.callee()) -> {
                            return "printf: " + where(g, st);
                        }
                        default -> {
                            if (isSuspension(i) && st.guard() != null) return "guarded warp collective: " + where(g, st);
                        }
                    }
                }
            }
        }
        return null;
    }

    /** Labels of the blocks of {@code f} that lie on a cycle of its control flow graph (inside a loop). */
    private static Set<String> cyclicBlocks(Function f) {
        Map<String, Block> byLabel = new HashMap<>();
        for (Block b : f.blocks()) byLabel.put(b.label(), b);
        Set<String> out = new java.util.HashSet<>();
        for (Block start : f.blocks()) {
            ArrayDeque<String> work = new ArrayDeque<>(start.terminator().successors());
            Set<String> seen = new java.util.HashSet<>();
            while (!work.isEmpty()) {
                String l = work.poll();
                if (l.equals(start.label())) {
                    out.add(l);
                    break;
                }
                if (!seen.add(l) || !byLabel.containsKey(l)) continue;
                work.addAll(byLabel.get(l).terminator().successors());
            }
        }
        return out;
    }

    private boolean callsBuiltins(Function f) {
        for (Block b : f.blocks()) {
            for (var s : b.stmts()) if (s.inst() instanceof Inst.Call) return true;
        }
        return false;
    }

    private void addressTaken(SymbolAddr sa, Set<Function> seen, ArrayDeque<Function> work) {
        Function g = byName.get(sa.symbol());
        if (g != null && g.isDefined() && !g.kernel() && seen.add(g)) work.add(g);
    }

    private static long align(long v, long a) {
        a = Math.max(1, a);
        return (v + a - 1) / a * a;
    }

    private void layoutShared() {
        Set<String> used = new LinkedHashSet<>();
        List<Function> all = new ArrayList<>(devices);
        all.add(kernel);
        for (Function f : all) {
            for (Block b : f.blocks()) {
                for (var s : b.stmts()) {
                    for (Value v : s.inst().uses()) if (v instanceof SymbolAddr sa) used.add(sa.symbol());
                }
            }
        }
        long off = 0;
        long dynAlign = 16;
        for (Variable v : module.variables()) {
            if (v.space() != AddressSpace.SHARED || !used.contains(v.name())) continue;
            if (v.count() == 0) {
                dynAlign = Math.max(dynAlign, v.alignment());
                continue;
            }
            off = align(off, v.alignment());
            sharedOffsets.put(v.name(), off);
            off += v.size();
        }
        staticShared = off;
        dynamicOffset = align(off, dynAlign);
        for (Variable v : module.variables()) {
            if (v.space() == AddressSpace.SHARED && v.count() == 0 && used.contains(v.name())) {
                sharedOffsets.put(v.name(), dynamicOffset);
            }
        }
    }

    private void layoutFrames() {
        List<Function> all = new ArrayList<>(devices);
        all.add(kernel);
        for (Function f : all) {
            Map<String, Long> offs = new HashMap<>();
            long off = 0;
            for (Variable v : f.locals()) {
                if (v.space() == AddressSpace.SHARED) {
                    throw CompileError.unsupported("function-scope .shared variable " + v.name() + " in " + f.name()
                            + " was not hoisted to module scope");
                }
                off = align(off, v.alignment());
                offs.put(v.name(), off);
                off += Math.max(1, v.size());
            }
            frames.put(f, offs);
            frameSizes.put(f, (int) align(off, 16));
        }
        long stack = 0;
        Map<Function, Long> memo = new IdentityHashMap<>();
        boolean[] recursive = {false};
        for (Function g : calleesOf(kernel)) stack = Math.max(stack, depth(g, memo, new LinkedHashSet<>(), recursive));
        if (recursive[0]) stack = Math.max(stack, RECURSIVE_STACK);
        localWindow = align(frameSizes.get(kernel) + stack, 16);
    }

    private List<Function> calleesOf(Function f) {
        List<Function> out = new ArrayList<>();
        boolean indirect = false;
        for (Block b : f.blocks()) {
            for (var s : b.stmts()) {
                if (s.inst() instanceof Inst.Call c) {
                    if (c.callee() == null) indirect = true;
                    else if (byName.get(c.callee()) != null && byName.get(c.callee()).isDefined()) out.add(byName.get(c.callee()));
                }
            }
        }
        if (indirect) out.addAll(devices);
        return out;
    }

    private long depth(Function f, Map<Function, Long> memo, Set<Function> path, boolean[] recursive) {
        if (memo.containsKey(f)) return memo.get(f);
        if (!path.add(f)) {
            recursive[0] = true;
            return 0;
        }
        long max = 0;
        for (Function g : calleesOf(f)) max = Math.max(max, depth(g, memo, path, recursive));
        path.remove(f);
        long d = frameSizes.getOrDefault(f, 0) + max;
        memo.put(f, d);
        return d;
    }

    // ---- class generation --------------------------------------------------------------------------------

    private byte[] generate(String simpleName) {
        thisClass = ClassDesc.of(PKG + "." + simpleName);
        siteSizes.clear();
        siteGeneric.clear();
        siteDefer.clear();
        siteNames.clear();
        points.subList(1, points.size()).clear();
        return generate();
    }

    private byte[] generate() {
        affineSites = null;
        lockGlobal = false;
        uniformPaths = null;
        ClassHierarchyResolver resolver = ClassHierarchyResolver.defaultResolver()
                .orElse(ClassHierarchyResolver.ofClassLoading(KernelCompiler.class.getClassLoader()));
        ClassFile cf = ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(resolver));
        while (true) {
            try {
                return build(cf);
            } catch (AffineRegs.Conflict c) {
                // a path needs that register's array (AffineRegs): materialize it and generate again
                affineRefused.set(c.reg);
                siteSizes.clear();
                siteGeneric.clear();
                siteDefer.clear();
                siteNames.clear();
                points.subList(1, points.size()).clear();
                affineSites = null;
                lockGlobal = false;
                uniformPaths = null;
            }
        }
    }

    /** Registers {@link AffineRegs} must materialize after all: a code path of an earlier generation needs the array. */
    private final BitSet affineRefused = new BitSet();

    /**
     * The kernel's own tables of the lockstep fast paths that the generated code names by index ({@link ArmChain},
     * {@link Warp0Chain}, {@link InputFuse}): collected while the class is generated (emptied at the start of each
     * generation, so an index is the entry's place in the class that is kept), then stored in the
     * {@link CompiledKernel}, from which each launch's {@link Exec} copies them. Nothing global: they go when the
     * kernel goes.
     */
    private final List<ArmChain.Chain> armChainTable = new ArrayList<>();
    private final List<Warp0Chain.Region> warp0Table = new ArrayList<>();
    private final List<InputFuse.Region> inputFuseTable = new ArrayList<>();

    /** Adds {@code x} to a kernel table; its index, the id the generated code passes. */
    private static <T> int addEntry(List<T> table, T x) {
        table.add(x);
        return table.size() - 1;
    }

    private byte[] build(ClassFile cf) {
        armChainTable.clear();
        warp0Table.clear();
        inputFuseTable.clear();
        return cf.build(thisClass, clb -> {
            clb.withFlags(ACC_PUBLIC | ACC_FINAL | ACC_SYNTHETIC);
            clb.withInterfaceSymbols(CD_CODE);
            clb.withMethodBody(INIT_NAME, MTD_void, ACC_PUBLIC,
                    cb -> cb.aload(0).invokespecial(CD_Object, INIT_NAME, MTD_void).return_());
            clb.withMethodBody("runBlock", MethodTypeDesc.of(CD_void, CD_EXEC), ACC_PUBLIC, cb -> {
                if (suspends) {
                    stub(cb);
                } else {
                    new Emitter(kernel, FAST, cb).emit();
                }
            });
            clb.withMethodBody("stepBlock", MethodTypeDesc.of(CD_void, CD_EXEC), ACC_PUBLIC, cb -> {
                if (suspends) {
                    new Emitter(kernel, STEP, cb).emit();
                } else {
                    stub(cb);
                }
            });
            clb.withMethodBody("lockBlock", MethodTypeDesc.of(CD_void, CD_EXEC), ACC_PUBLIC, cb -> {
                if (lockRefusal == null) {
                    lockDispatcher(cb);
                } else {
                    stub(cb);
                }
            });
            if (uniformPaths != null && uniformPaths.vector != null) {
                // runPath(e, k): path k's vector form over Exec's vector extent (GridRows)
                pathSwitch(clb, "runPath", "v", k -> uniformPaths.stores[k] && vectorPlan(k) != null,
                        "no vector form for this path");
                // runRowVec(e, k): path k's grid-row loop as vectors on device memory (RowVec)
                pathSwitch(clb, "runRowVec", "r",
                        k -> uniformPaths.stores[k] && RowVec.qualifies(vectorPlan(k), affineSites),
                        "no direct vector form for this path");
                // runRowLane(e, k): path k's one-lane grid-row loop as scalar code on device memory (RowLean)
                pathSwitch(clb, "runRowLane", "s",
                        k -> uniformPaths.stores[k] && RowLean.lanePath(vectorPlan(k), affineSites),
                        "no one-lane form for this path");
            }
            if (uniformPaths != null) {
                clb.withMethodBody("vecBlock", MethodTypeDesc.of(CD_int, CD_EXEC), ACC_PUBLIC | ACC_STATIC,
                        cb -> new Emitter(kernel, DECIDE, cb).emit());
                for (int k = 0; k < uniformPaths.paths.size(); k++) {
                    if (!uniformPaths.stores[k]) continue;
                    int path = k;
                    clb.withMethodBody("p" + k, MethodTypeDesc.of(CD_void, CD_EXEC), ACC_PUBLIC | ACC_STATIC,
                            cb -> new Emitter(kernel, PATH, cb, path).emit());
                    if (vectorPlan(k) != null) {
                        clb.withMethodBody("v" + k, MethodTypeDesc.of(CD_void, CD_EXEC), ACC_PUBLIC | ACC_STATIC,
                                cb -> new Emitter(kernel, VEC, cb, path).emit());
                    }
                    if (RowVec.qualifies(vectorPlan(k), affineSites)) {
                        clb.withMethodBody("r" + k, MethodTypeDesc.of(CD_void, CD_EXEC), ACC_PUBLIC | ACC_STATIC,
                                cb -> {
                                    Emitter em = new Emitter(kernel, VEC, cb, path);
                                    em.direct = true;
                                    em.emit();
                                });
                    }
                    if (RowLean.lanePath(vectorPlan(k), affineSites)) {
                        clb.withMethodBody("s" + k, MethodTypeDesc.of(CD_void, CD_EXEC), ACC_PUBLIC | ACC_STATIC,
                                cb -> {
                                    Emitter em = new Emitter(kernel, VEC, cb, path);
                                    em.direct = true;
                                    em.lane = true;
                                    em.emit();
                                });
                    }
                }
            }
            if (lockRefusal == null) {
                for (int k = 0; k < lockSegs.size(); k++) {
                    int seg = k;
                    clb.withMethodBody("ls" + k, MethodTypeDesc.of(CD_int, CD_EXEC), ACC_PUBLIC | ACC_STATIC,
                            cb -> new Emitter(kernel, LOCK, cb, seg).emit());
                }
            }
            for (Function g : devices) {
                clb.withMethodBody(methodName(g), descriptor(g), ACC_PUBLIC | ACC_STATIC,
                        cb -> new Emitter(g, DEVICE, cb).emit());
            }
        });
    }

    /** The vector form of path {@code k} of {@link #uniformPaths} ({@link VectorPaths}), or null. */
    private VectorPaths.Plan vectorPlan(int k) {
        VectorPaths v = uniformPaths == null ? null : uniformPaths.vector;
        return v == null ? null : v.plans[k];
    }

    /**
     * The lockstep segments: each block of the kernel, cut after every barrier; {blockIndex, firstStmt, endStmt,
     * endsAtBarrier}. Numbered in layout order (the scheduler's priority).
     */
    private List<int[]> lockSegs = List.of();
    /** {@link ArmChain}: per segment, the segment after its tree step's barrier or -1 (null until first asked). */
    private int[] chainNext;
    /** {@link ArmChain}: per segment, its tree step (where {@link #chainNext} is not -1). */
    private ArmChain.Step[] chainStepAt;
    /** The segment where each block starts. */
    private final Map<String, Integer> blockSeg = new HashMap<>();
    /** The bit of {@link Exec#lconst} of each thread-constant loop, by segment and first statement ({@link ThreadConst}). */
    private final Map<Long, Integer> threadConstBits = new HashMap<>();
    /** The bit of the thread-constant loop that defines each thread-constant register ({@link ThreadConst}). */
    private final Map<Integer, Integer> threadConstRegBit = new HashMap<>();

    private void lockSegments() {
        List<int[]> segs = new ArrayList<>();
        List<Block> blocks = kernel.blocks();
        for (int bi = 0; bi < blocks.size(); bi++) {
            Block b = blocks.get(bi);
            blockSeg.put(b.label(), segs.size());
            int from = 0;
            for (int si = 0; si < b.stmts().size(); si++) {
                if (b.stmts().get(si).inst() instanceof Inst.Barrier) {
                    segs.add(new int[] {bi, from, si, 1});
                    from = si + 1;
                }
            }
            segs.add(new int[] {bi, from, b.stmts().size(), 0});
        }
        lockSegs = segs;
    }

    /**
     * {@code lockBlock}: runs segment methods from segment 0; a method's result is the next segment, or asks the
     * scheduler ({@link Lockstep#schedule}) for it, or ends the block.
     */
    private void lockDispatcher(CodeBuilder cb) {
        int s = cb.allocateLocal(TypeKind.INT);
        cb.iconst_0().istore(s);
        Label loop = cb.newBoundLabel();
        Label after = cb.newLabel();
        Label done = cb.newLabel();
        Label sched = cb.newLabel();
        List<SwitchCase> cases = new ArrayList<>();
        List<Label> ls = new ArrayList<>();
        for (int k = 0; k < lockSegs.size(); k++) {
            Label l = cb.newLabel();
            ls.add(l);
            cases.add(SwitchCase.of(k, l));
        }
        Label bad = cb.newLabel();
        cb.iload(s).tableswitch(0, lockSegs.size() - 1, bad, cases);
        for (int k = 0; k < lockSegs.size(); k++) {
            cb.labelBinding(ls.get(k));
            cb.aload(1).invokestatic(thisClass, "ls" + k, MethodTypeDesc.of(CD_int, CD_EXEC)).goto_(after);
        }
        cb.labelBinding(bad);
        stub(cb);
        cb.labelBinding(after);
        cb.dup().istore(s).iflt(sched);
        cb.goto_(loop);
        cb.labelBinding(sched);
        cb.iload(s).loadConstant(Lockstep.DONE).if_icmpeq(done);
        cb.aload(1);
        cb.invokestatic(ClassDesc.of(PKG + ".Lockstep"), "schedule", MethodTypeDesc.of(CD_int, CD_EXEC));
        cb.dup().istore(s).ifge(loop);
        cb.labelBinding(done);
        cb.return_();
    }

    /** {@code -Dtranscuda.cpu.lockglob=false}: the lockstep engine checks every global access (A/B). */
    static final boolean LOCK_GLOBAL = !"false".equals(System.getProperty("transcuda.cpu.lockglob"));
    /** True when this kernel's lockstep code checks its affine global sites once per block (Emitter.lockGlobalFlags). */
    private boolean lockGlobal;

    private static void stub(CodeBuilder cb) {
        ClassDesc ise = ClassDesc.of("java.lang.IllegalStateException");
        cb.new_(ise).dup().invokespecial(ise, INIT_NAME, MTD_void).athrow();
    }

    private String methodName(Function g) {
        return "f" + moduleIndex.get(g.name()) + "_" + g.name().replaceAll("[^A-Za-z0-9_$]", "_");
    }

    private static TypeKind kind(ScalarType t) {
        return switch (t) {
            case B64, U64, S64 -> TypeKind.LONG;
            case F32 -> TypeKind.FLOAT;
            case F64 -> TypeKind.DOUBLE;
            case B128 -> throw CompileError.unsupported(".b128 values are not supported by the CPU backend");
            default -> TypeKind.INT;
        };
    }

    private static ClassDesc cd(TypeKind k) {
        return switch (k) {
            case INT -> CD_int;
            case LONG -> CD_long;
            case FLOAT -> java.lang.constant.ConstantDescs.CD_float;
            case DOUBLE -> java.lang.constant.ConstantDescs.CD_double;
            default -> throw new IllegalArgumentException(k.toString());
        };
    }

    private MethodTypeDesc descriptor(Function g) {
        List<ClassDesc> ps = new ArrayList<>();
        ps.add(CD_EXEC);
        for (Reg r : g.paramRegs()) ps.add(cd(kind(r.type())));
        ClassDesc ret = g.returnRegs().size() == 1 ? cd(kind(g.returnRegs().get(0).type())) : CD_void;
        return MethodTypeDesc.of(ret, ps);
    }

    /** The descriptor of a static helper, checked by reflection so that a typo fails at compile time. */
    private static MethodTypeDesc helper(Class<?> owner, String name, Class<?>... params) {
        String key = owner.getName() + "." + name + java.util.Arrays.toString(params);
        return DESCRIPTORS.computeIfAbsent(key, k -> {
            try {
                Method m = owner.getDeclaredMethod(name, params);
                ClassDesc[] ps = new ClassDesc[params.length];
                for (int i = 0; i < params.length; i++) ps[i] = params[i].describeConstable().orElseThrow();
                return MethodTypeDesc.of(m.getReturnType().describeConstable().orElseThrow(), ps);
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("no helper " + key, e);
            }
        });
    }

    private static int roundingMode(FloatMode m, boolean integral) {
        return switch (m.rounding()) {
            case DEFAULT -> integral ? Fp.RZ : Fp.RN;
            case RN, RNI -> Fp.RN;
            case RZ, RZI -> Fp.RZ;
            case RM, RMI -> Fp.RM;
            case RP, RPI -> Fp.RP;
            case RNA -> Fp.RNA;
        };
    }

    private static int floatFormat(ScalarType t) {
        return switch (t) {
            case F16, F16X2 -> Fp.F16;
            case BF16, BF16X2 -> Fp.BF16;
            case F32 -> Fp.F32;
            case F64 -> Fp.F64;
            default -> throw new IllegalArgumentException("not a float type: " + t);
        };
    }

    private static boolean isHalf(ScalarType t) {
        return t == ScalarType.F16 || t == ScalarType.BF16 || t == ScalarType.F16X2 || t == ScalarType.BF16X2;
    }

    private static boolean signed(ScalarType t) {
        return t.kind() == ScalarType.Kind.SIGNED;
    }

    private static ScalarType wide(ScalarType t) {
        return switch (t) {
            case S16 -> ScalarType.S32;
            case U16, B16 -> ScalarType.U32;
            case S32 -> ScalarType.S64;
            case U32, B32 -> ScalarType.U64;
            case S8 -> ScalarType.S16;
            case U8, B8 -> ScalarType.U16;
            default -> throw CompileError.unsupported("no double-width type for " + t.ptxName());
        };
    }

    // ---- one method ----------------------------------------------------------------------------------------

    /** Emits the code of one function in one of the three shapes. */
    private final class Emitter {
        private final Function f;
        private final int shape;
        private final CodeBuilder cb;
        private final boolean isKernel;
        private int eSlot;
        private int tSlot = -1, txSlot = -1, tySlot = -1, tzSlot = -1;
        private int fpSlot = -1;
        private int spillBaseSlot = -1;
        private final int[] regSlot;
        private final TypeKind[] regKind;
        private final IdentityHashMap<Inst, Integer> sites = new IdentityHashMap<>();
        private final Map<Integer, Integer> siteLocals = new HashMap<>();
        private final Map<String, Integer> paramHoist = new LinkedHashMap<>();
        /** {@link LeanPrologue}: on in this method (a lockstep segment, switch on). */
        private boolean lean;
        /** {@link LeanPrologue}: the site locals and hoisted parameters the body read. */
        private final java.util.Set<Integer> sitesUsed = new java.util.HashSet<>();
        private final java.util.Set<String> paramsUsed = new java.util.HashSet<>();

        /** The local of a global site's cache, noted as used ({@link LeanPrologue}). */
        private int siteLocal(int site) {
            sitesUsed.add(site);
            return siteLocals.get(site);
        }

        /** The local of a hoisted kernel parameter, noted as used ({@link LeanPrologue}). */
        private int paramLocal(String key) {
            paramsUsed.add(key);
            return paramHoist.get(key);
        }
        private final Map<String, Param> kernelParams = new HashMap<>();
        /** FAST shape: the local holding each hoisted site's per-block flag ({@link AffineSites}). */
        private final Map<Integer, Integer> hoistFlag = new HashMap<>();
        private final Map<String, Label> labels = new HashMap<>();
        private final Map<String, Long> frame;
        private final int frameSize;
        private Label threadDone;
        private int lineCounter;
        private Liveness liveness;
        private final List<Runnable> resumeStubs = new ArrayList<>();
        private final IdentityHashMap<org.transcuda.ir.Stmt, Integer> pointOf = new IdentityHashMap<>();
        private final ArrayDeque<Integer> freeLong = new ArrayDeque<>();
        private final ArrayDeque<Integer> freeInt = new ArrayDeque<>();

        Emitter(Function f, int shape, CodeBuilder cb, int segment) {
            this(f, shape, cb);
            this.segment = segment;
        }

        Emitter(Function f, int shape, CodeBuilder cb) {
            this.f = f;
            this.shape = shape;
            this.cb = cb;
            this.isKernel = shape != DEVICE;
            this.regSlot = new int[f.regs().size()];
            this.regKind = new TypeKind[f.regs().size()];
            this.frame = frames.get(f);
            this.frameSize = frameSizes.get(f);
            if (isKernel) for (Param p : f.params()) kernelParams.put(p.name(), p);
        }

        private int tmpLong() {
            return freeLong.isEmpty() ? cb.allocateLocal(TypeKind.LONG) : freeLong.pop();
        }

        private void release(int slot) {
            freeLong.push(slot);
        }

        private int tmpInt() {
            return freeInt.isEmpty() ? cb.allocateLocal(TypeKind.INT) : freeInt.pop();
        }

        private void releaseInt(int slot) {
            freeInt.push(slot);
        }

        private void inv(Class<?> owner, String name, Class<?>... params) {
            ClassDesc o = owner.describeConstable().orElseThrow();
            cb.invokestatic(o, name, helper(owner, name, params));
        }

        private Label label(String name) {
            return labels.computeIfAbsent(name, n -> cb.newLabel());
        }

        void emit() {
            // parameters
            int next;
            if (shape == DEVICE || shape == LOCK || shape == DECIDE || shape == PATH || shape == VEC) {
                eSlot = 0;
                next = 1;
            } else {
                eSlot = 1;
                next = 2;
            }
            int[] paramSlots = new int[f.paramRegs().size()];
            for (int i = 0; i < paramSlots.length; i++) {
                paramSlots[i] = next;
                next += kind(f.paramRegs().get(i).type()).slotSize();
            }
            lean = shape == LOCK && isKernel && LeanPrologue.ENABLED;
            // registers
            if (shape == LOCK) {
                BitSet single = uniformRegs();
                uniform = MultiDefUniform.extend(f, single, sa -> constSymbol(sa) != null);
                if (isKernel) MultiDefUniform.ADDED.put(f.name(), uniform.cardinality() - single.cardinality());
            }
            if (shape == LOCK && ThreadConst.ENABLED && isKernel) {
                threadConst = ThreadConst.regs(f, sa -> constSymbol(sa) != null,
                        sa -> kernelParams.containsKey(sa.symbol()));
                threadConst.andNot(uniform);
            }
            if (shape == LOCK && isKernel) {
                affineRegs = AffineRegs.find(f, uniform, threadConst, affine(), affineRefused);
                AffineRegs.SKIPPED.put(f.name(), affineRegs.size());
            }
            BitSet segRegs = shape == LOCK ? segmentRegs() : null;
            if (segRegs != null) {
                // the block-uniform registers of the forms of unmaterialized registers this segment reads
                for (var en : affineRegs.entrySet()) {
                    if (segRegs.get(en.getKey())) for (int u : en.getValue().uni()) segRegs.set(u);
                }
            }
            if (shape == LOCK && isKernel) armChainEntry();
            if (shape == LOCK && isKernel) warp0Entry();
            if (shape == VEC) vecPlan = vectorPlan(segment);
            for (Reg r : f.regs()) {
                regKind[r.id()] = kind(r.type());
                if (shape == VEC && vecPlan.arrays().get(r.id())) {
                    // vector path: the register's per-thread array (Exec.vregs)
                    regSlot[r.id()] = cb.allocateLocal(TypeKind.REFERENCE);
                    if (direct && (lane || RowLean.ENABLED)) {
                        // RowLean: rK and sK never read the register arrays (vector or scalar locals only)
                        cb.aconst_null().astore(regSlot[r.id()]);
                        continue;
                    }
                    cb.aload(eSlot).getfield(CD_EXEC, "vregs", CD_Object.arrayType()).loadConstant(r.id()).aaload()
                            .checkcast(cd(regKind[r.id()]).arrayType()).astore(regSlot[r.id()]);
                    continue;
                }
                if (segRegs != null && !segRegs.get(r.id())) {
                    // not mentioned by this segment (nor the arms it runs): never read here
                    regSlot[r.id()] = cb.allocateLocal(uniform.get(r.id()) ? regKind[r.id()] : TypeKind.REFERENCE);
                    if (lean) {
                        // LeanPrologue: never read, so the verifier needs no value in it
                        leanStats[0]++;
                    } else if (uniform.get(r.id())) {
                        zero(regKind[r.id()]);
                        cb.storeLocal(regKind[r.id()], regSlot[r.id()]);
                    } else {
                        cb.aconst_null().astore(regSlot[r.id()]);
                    }
                    continue;
                }
                if (shape == LOCK && !uniform.get(r.id())) {
                    // lockstep: one array per register, indexed by the thread's linear index in the block
                    regSlot[r.id()] = cb.allocateLocal(TypeKind.REFERENCE);
                    if (lean) {
                        // LeanPrologue: the kind's typed array of arrays, no checkcast
                        ClassDesc a = cd(regKind[r.id()]).arrayType();
                        cb.aload(eSlot).getfield(CD_EXEC, LeanPrologue.field(regKind[r.id()]), a.arrayType())
                                .loadConstant(r.id()).aaload().astore(regSlot[r.id()]);
                        leanStats[1]++;
                    } else {
                        cb.aload(eSlot).getfield(CD_EXEC, "lregs", CD_Object.arrayType()).loadConstant(r.id()).aaload()
                                .checkcast(cd(regKind[r.id()]).arrayType()).astore(regSlot[r.id()]);
                    }
                    continue;
                }
                regSlot[r.id()] = cb.allocateLocal(regKind[r.id()]);
                if (shape == LOCK) {
                    // block-uniform register: its home between segment methods is e.luni
                    cb.aload(eSlot).getfield(CD_EXEC, "luni", CD_long.arrayType()).loadConstant(r.id()).laload();
                    fromLongBits(regKind[r.id()]);
                } else {
                    zero(regKind[r.id()]);
                }
                cb.storeLocal(regKind[r.id()], regSlot[r.id()]);
            }
            for (int i = 0; i < paramSlots.length; i++) {
                Reg r = f.paramRegs().get(i);
                cb.loadLocal(regKind[r.id()], paramSlots[i]);
                cb.storeLocal(regKind[r.id()], regSlot[r.id()]);
            }
            prescan();
            Label body = null;
            Label hoists = null;
            if (lean) {
                // LeanPrologue: the site and parameter loads go after the body (reached by a goto from here and
                // jumping back), so that only those the body read are emitted
                body = cb.newLabel();
                hoists = cb.newLabel();
                cb.goto_(hoists);
                cb.labelBinding(body);
            } else {
                hoistLoads(null, null);
            }
            switch (shape) {
                case FAST -> emitFast();
                case STEP -> emitStep();
                case LOCK -> emitLock();
                case DECIDE -> emitDecide();
                case PATH -> emitPath();
                case VEC -> {
                    if (lane) emitLane();
                    else if (direct) emitDirect();
                    else emitVec();
                }
                default -> emitDevice();
            }
            if (lean) {
                cb.labelBinding(hoists);
                hoistLoads(sitesUsed, paramsUsed);
                cb.goto_(body);
                LeanPrologue.note(f.name(), segment, leanStats);
            }
        }

        /** {@link LeanPrologue}: counts of this method: unread locals left unset, typed arrays, loads left out. */
        private final long[] leanStats = new long[3];

        /** Loads the global sites' caches and the hoisted kernel parameters: all, or those in the sets. */
        private void hoistLoads(java.util.Set<Integer> siteSet, java.util.Set<String> paramSet) {
            for (Map.Entry<Integer, Integer> s : siteLocals.entrySet()) {
                if (siteSet != null && !siteSet.contains(s.getKey())) {
                    leanStats[2]++;
                    continue;
                }
                cb.aload(eSlot).getfield(CD_EXEC, "sites", CD_SITE.arrayType()).loadConstant(s.getKey()).aaload()
                        .astore(s.getValue());
            }
            for (Map.Entry<String, Integer> h : paramHoist.entrySet()) {
                if (paramSet != null && !paramSet.contains(h.getKey())) {
                    leanStats[2]++;
                    continue;
                }
                String[] parts = h.getKey().split(":");
                long off = Long.parseLong(parts[0]);
                ScalarType t = ScalarType.valueOf(parts[1]);
                paramGet(t, off);
                cb.storeLocal(kind(t), h.getValue());
            }
        }

        private void zero(TypeKind k) {
            switch (k) {
                case LONG -> cb.lconst_0();
                case FLOAT -> cb.fconst_0();
                case DOUBLE -> cb.dconst_0();
                default -> cb.iconst_0();
            }
        }

        /** Pushes the kernel parameter bytes at constant offset {@code off} as type t (normalized). */
        private void paramGet(ScalarType t, long off) {
            cb.aload(eSlot).getfield(CD_EXEC, "params", CD_int.arrayType()).loadConstant(off);
            int bytes = t.bytes();
            String name = bytes == 1 ? "get8" : bytes == 2 ? "get16" : bytes == 4 ? "get32" : "get64";
            inv(Mem.class, name, int[].class, long.class);
            if (t == ScalarType.F32) inv(Float.class, "intBitsToFloat", int.class);
            if (t == ScalarType.F64) inv(Double.class, "longBitsToDouble", long.class);
            if (kind(t) == TypeKind.INT) normalizeLoaded(t);
        }

        private void normalizeLoaded(ScalarType t) {
            if (t.bytes() <= 2 && !signed(t)) cb.loadConstant(t.bytes() == 1 ? 0xff : 0xffff).iand();
        }

        /** Assigns sites, hoists constant kernel-parameter loads, numbers suspension points. */
        private void prescan() {
            for (Block b : f.blocks()) {
                for (var s : b.stmts()) {
                    Inst i = s.inst();
                    AddressSpace space = null;
                    int size = 0;
                    Address addr = null;
                    if (i instanceof Inst.Load l) {
                        space = l.space();
                        size = l.type().bytes();
                        addr = l.address();
                        if (space == AddressSpace.PARAM && isKernel && l.order() == Memory.Order.WEAK
                                && l.address().base() instanceof SymbolAddr sa && kernelParams.containsKey(sa.symbol())) {
                            long off = kernelParams.get(sa.symbol()).offset() + l.address().offset();
                            if (off < 0 || off + size > f.paramBufferSize()) {
                                throw CompileError.invalid("ld.param outside the parameters: " + where(f, s));
                            }
                            paramHoist.computeIfAbsent(off + ":" + l.type().name(),
                                    k -> cb.allocateLocal(kind(l.type())));
                        }
                    } else if (i instanceof Inst.Store st) {
                        space = st.space();
                        size = st.type().bytes();
                        addr = st.address();
                    } else if (i instanceof Inst.Atomic a) {
                        space = a.space();
                        size = a.type().bytes();
                        addr = a.address();
                    }
                    if (space != null) {
                        if (size == 0 || size > 8) {
                            throw CompileError.unsupported("memory access of " + size + " bytes: " + where(f, s));
                        }
                        int id = siteSizes.size();
                        siteSizes.add(size);
                        siteGeneric.add(space == AddressSpace.GENERIC);
                        siteDefer.add(deferInsts.contains(i));
                        siteNames.add(where(f, s));
                        sites.put(i, id);
                        if (space == AddressSpace.GLOBAL || space == AddressSpace.CONST || space == AddressSpace.GENERIC) {
                            siteLocals.put(id, cb.allocateLocal(TypeKind.REFERENCE));
                        }
                    }
                    if ((shape == STEP || shape == LOCK) && isSuspension(i)) {
                        pointOf.put(s, points.size());
                        points.add(suspendPoint(s));
                    }
                }
            }
            // site locals must be initialized before the first branch target
            for (int slot : siteLocals.values()) {
                cb.aconst_null().astore(slot);
            }
        }

        /** Registers whose only definition in the function is a {@code mov} of a constant: that constant. */
        private Map<Integer, Const> movConstants;

        /**
         * The constant {@code v} always holds: {@code v} itself when it is a constant, or the constant of a register
         * whose only definition is a {@code mov} of a constant (nvcc materializes shuffle offsets and clamp values
         * that way); else null.
         */
        private Const constantOf(Value v) {
            if (v instanceof Const c) return c;
            if (!(v instanceof Reg r)) return null;
            if (movConstants == null) {
                Map<Integer, Integer> defs = new HashMap<>();
                Map<Integer, Const> movs = new HashMap<>();
                for (Reg p : f.paramRegs()) defs.merge(p.id(), 1, Integer::sum);
                for (Block b : f.blocks()) {
                    for (var st : b.stmts()) {
                        for (Reg d : st.inst().defs()) defs.merge(d.id(), 1, Integer::sum);
                        if (st.inst() instanceof Inst.Mov m && m.src() instanceof Const c) movs.put(m.dst().id(), c);
                    }
                }
                movs.keySet().removeIf(id -> defs.getOrDefault(id, 0) != 1);
                movConstants = movs;
            }
            return movConstants.get(r.id());
        }

        private SuspendPoint suspendPoint(org.transcuda.ir.Stmt s) {
            String w = where(f, s);
            return switch (s.inst()) {
                case Inst.Barrier b -> {
                    int id = b.id() instanceof Const c ? (int) (c.bits() & 15) : -1;
                    long threads = b.threads() == null ? -1
                            : b.threads() instanceof Const c ? c.bits() & 0xffff_ffffL : SuspendPoint.DYNAMIC;
                    yield new SuspendPoint(SuspendPoint.BARRIER, b.kind().ordinal(), false, w, id, threads);
                }
                case Inst.Shuffle sh -> new SuspendPoint(SuspendPoint.SHUFFLE, sh.mode().ordinal(), false, w, -1,
                        SuspendPoint.DYNAMIC, constantOf(sh.b()) instanceof Const b && constantOf(sh.c()) instanceof Const c
                                ? BlockScheduler.shuffleSources(sh.mode(), (int) b.bits(), (int) c.bits()) : null);
                case Inst.Vote v -> new SuspendPoint(SuspendPoint.VOTE, v.mode().ordinal(), false, w);
                case Inst.Match m -> new SuspendPoint(m.all() ? SuspendPoint.MATCH_ALL : SuspendPoint.MATCH_ANY, 0,
                        false, w);
                case Inst.Redux r -> new SuspendPoint(SuspendPoint.REDUX, r.op().ordinal(), signed(r.type()), w);
                case Inst.ActiveMask a -> new SuspendPoint(SuspendPoint.ACTIVEMASK, 0, false, w);
                case Inst.WarpSync ws -> new SuspendPoint(SuspendPoint.WARPSYNC, 0, false, w);
                default -> throw new IllegalStateException();
            };
        }

        // ---- shapes ----

        private void emitFast() {
            tSlot = cb.allocateLocal(TypeKind.INT);
            txSlot = cb.allocateLocal(TypeKind.INT);
            tySlot = cb.allocateLocal(TypeKind.INT);
            tzSlot = cb.allocateLocal(TypeKind.INT);
            int n = cb.allocateLocal(TypeKind.INT);
            int ntx = cb.allocateLocal(TypeKind.INT);
            int nty = cb.allocateLocal(TypeKind.INT);
            cb.iconst_0().istore(tSlot).iconst_0().istore(txSlot).iconst_0().istore(tySlot).iconst_0().istore(tzSlot);
            cb.aload(eSlot).getfield(CD_EXEC, "nthreads", CD_int).istore(n);
            cb.aload(eSlot).getfield(CD_EXEC, "ntx", CD_int).istore(ntx);
            cb.aload(eSlot).getfield(CD_EXEC, "nty", CD_int).istore(nty);
            hoistAffineSites();
            Label loop = cb.newLabel();
            Label next = cb.newLabel();
            Label done = cb.newLabel();
            threadDone = next;
            cb.labelBinding(loop);
            if (hasCalls) {
                cb.aload(eSlot).iload(tSlot).putfield(CD_EXEC, "t", CD_int);
                cb.aload(eSlot).iload(txSlot).putfield(CD_EXEC, "tx", CD_int);
                cb.aload(eSlot).iload(tySlot).putfield(CD_EXEC, "ty", CD_int);
                cb.aload(eSlot).iload(tzSlot).putfield(CD_EXEC, "tz", CD_int);
                cb.aload(eSlot).loadConstant(frameSize).putfield(CD_EXEC, "sp", CD_int);
            }
            Label tryStart = cb.newBoundLabel();
            body();
            Label tryEnd = cb.newBoundLabel();
            cb.labelBinding(next);
            cb.iinc(tSlot, 1).iload(tSlot).iload(n).if_icmpge(done);
            cb.iinc(txSlot, 1).iload(txSlot).iload(ntx).if_icmplt(loop);
            cb.iconst_0().istore(txSlot).iinc(tySlot, 1).iload(tySlot).iload(nty).if_icmplt(loop);
            cb.iconst_0().istore(tySlot).iinc(tzSlot, 1).goto_(loop);
            cb.labelBinding(done);
            cb.return_();
            // exit inside a device function: continue with the next thread
            if (deviceExit) {
                Label h = cb.newBoundLabel();
                cb.pop().goto_(next);
                cb.exceptionCatch(tryStart, tryEnd, h, CD_EXIT);
            }
            // any fault: record the thread for the message, rethrow
            Label h2 = cb.newBoundLabel();
            cb.aload(eSlot).iload(tSlot).invokevirtual(CD_EXEC, "thread", MethodTypeDesc.of(CD_void, CD_int));
            cb.athrow();
            cb.exceptionCatch(tryStart, tryEnd, h2, CD_RTE);
        }

        /**
         * The per-block check of the global accesses whose address is affine in the thread index: one {@link
         * AffineSites#check} call before the thread loop, one int flag per hoisted site (see {@link #loadInst}).
         */
        private void hoistAffineSites() {
            AffineSites a = AffineSites.analyze(f, sites, kernelParams);
            UniformPaths p = a == null ? null : UniformPaths.analyze(f, a, kernelParams);
            // the per-block check alone (flags, per-access checks skipped) measured no faster than the per-access
            // checks (docs/benchmarks.md): only kernels that can run path by path get it
            if (p == null) return;
            affineSites = a;
            uniformPaths = p;
            p.vector = VectorPaths.analyze(p, a, sites, lockRegKinds);
            for (int k = 0; p.vector != null && k < p.paths.size(); k++) {
                if (p.vector.refusals[k] != null) {
                    LOG.debug("kernel {}: path {} has no vector form: {}", f.name(), k, p.vector.refusals[k]);
                }
            }
            int m = cb.allocateLocal(TypeKind.LONG);
            cb.aload(eSlot);
            inv(AffineSites.class, "check", Exec.class);
            cb.lstore(m);
            for (int j = 0; j < a.count(); j++) {
                int slot = cb.allocateLocal(TypeKind.INT);
                cb.lload(m).loadConstant(j).lushr().l2i().iconst_1().iand().istore(slot);
                hoistFlag.put(a.site[j], slot);
            }
            // every site checked: the block may run path by path (vecBlock returns 0 when its threads diverge)
            Label scalar = cb.newLabel();
            cb.lload(m).loadConstant(a.count() == 64 ? -1L : (1L << a.count()) - 1).lcmp().ifne(scalar);
            cb.aload(eSlot).invokestatic(thisClass, "vecBlock", MethodTypeDesc.of(CD_int, CD_EXEC)).ifeq(scalar);
            cb.return_();
            cb.labelBinding(scalar);
        }

        /** Loops over the block's threads, x innermost (a counted loop), around {@code body}. */
        private void laneLoops(Runnable body) {
            txSlot = cb.allocateLocal(TypeKind.INT);
            tySlot = cb.allocateLocal(TypeKind.INT);
            tzSlot = cb.allocateLocal(TypeKind.INT);
            int ntx = cb.allocateLocal(TypeKind.INT);
            int nty = cb.allocateLocal(TypeKind.INT);
            int ntz = cb.allocateLocal(TypeKind.INT);
            cb.aload(eSlot).getfield(CD_EXEC, "ntx", CD_int).istore(ntx);
            cb.aload(eSlot).getfield(CD_EXEC, "nty", CD_int).istore(nty);
            cb.aload(eSlot).getfield(CD_EXEC, "ntz", CD_int).istore(ntz);
            cb.iconst_0().istore(tzSlot);
            Label lz = cb.newBoundLabel();
            cb.iconst_0().istore(tySlot);
            Label ly = cb.newBoundLabel();
            cb.iconst_0().istore(txSlot);
            Label lx = cb.newBoundLabel();
            threadDone = cb.newLabel();
            body.run();
            cb.labelBinding(threadDone);
            cb.iinc(txSlot, 1).iload(txSlot).iload(ntx).if_icmplt(lx);
            cb.iinc(tySlot, 1).iload(tySlot).iload(nty).if_icmplt(ly);
            cb.iinc(tzSlot, 1).iload(tzSlot).iload(ntz).if_icmplt(lz);
        }

        /**
         * {@code vecBlock}: runs the branching region of {@link UniformPaths} for every thread, numbering each
         * thread's path; returns 0 when two threads take different paths (nothing was written), else runs the
         * common path's method and returns 1.
         */
        private void emitDecide() {
            UniformPaths up = uniformPaths;
            Block entry = f.blocks().get(0);
            int pid = cb.allocateLocal(TypeKind.INT);
            Label diverge = cb.newLabel();
            Label dispatch = cb.newLabel();
            if (!up.region.contains(entry.label())) {
                cb.iconst_0().istore(pid);
            } else {
                // the branch conditions decided for the whole block by their ranges, else thread by thread
                cb.aload(eSlot);
                inv(UniformPaths.class, "decide", Exec.class);
                cb.dup().istore(pid).ifge(dispatch);
                int w = cb.allocateLocal(TypeKind.INT);
                cb.iconst_m1().istore(pid);
                laneLoops(() -> {
                    Label laneEnd = cb.newLabel();
                    cb.iconst_0().istore(w);
                    for (Block b : f.blocks()) {
                        if (!up.region.contains(b.label())) continue;
                        cb.labelBinding(label(b.label()));
                        for (int si = 0; si < b.stmts().size(); si++) stmt(b, si, b.stmts().get(si));
                        List<String> succ = UniformPaths.successors(b.terminator());
                        long[] inc = up.increment.get(b.label());
                        if (b.terminator() instanceof Terminator.CondBranch c) {
                            Label taken = cb.newLabel();
                            load(c.pred(), ScalarType.PRED);
                            cb.ifne(taken);
                            if (inc[1] != 0) cb.iinc(w, (int) inc[1]);
                            cb.goto_(up.region.contains(succ.get(1)) ? label(succ.get(1)) : laneEnd);
                            cb.labelBinding(taken);
                            if (inc[0] != 0) cb.iinc(w, (int) inc[0]);
                            cb.goto_(up.region.contains(succ.get(0)) ? label(succ.get(0)) : laneEnd);
                        } else {
                            // an unconditional branch (a region block always has a successor)
                            cb.goto_(up.region.contains(succ.get(0)) ? label(succ.get(0)) : laneEnd);
                        }
                    }
                    cb.labelBinding(laneEnd);
                    Label same = cb.newLabel();
                    Label first = cb.newLabel();
                    cb.iload(pid).iflt(first);
                    cb.iload(w).iload(pid).if_icmpeq(same).goto_(diverge);
                    cb.labelBinding(first);
                    cb.iload(w).istore(pid);
                    cb.labelBinding(same);
                });
            }
            cb.labelBinding(dispatch);
            Label done = cb.newLabel();
            List<SwitchCase> cases = new ArrayList<>();
            List<Label> targets = new ArrayList<>();
            for (int k = 0; k < up.paths.size(); k++) {
                Label l = cb.newLabel();
                targets.add(l);
                cases.add(SwitchCase.of(k, l));
            }
            cb.iload(pid).tableswitch(0, up.paths.size() - 1, done, cases);
            for (int k = 0; k < up.paths.size(); k++) {
                cb.labelBinding(targets.get(k));
                if (up.stores[k] && vectorPlan(k) != null) {
                    // the path's vector form (VectorPaths)
                    cb.aload(eSlot).invokestatic(thisClass, "v" + k, MethodTypeDesc.of(CD_void, CD_EXEC));
                    countIn("vecBlocks");
                } else if (up.stores[k]) {
                    cb.aload(eSlot).invokestatic(thisClass, "p" + k, MethodTypeDesc.of(CD_void, CD_EXEC));
                }
                cb.goto_(done);
            }
            cb.labelBinding(done);
            countIn("pathBlocks");
            cb.iconst_1().ireturn();
            cb.labelBinding(diverge);
            cb.iconst_0().ireturn();
        }

        /** {@code pK}: the statements of path K's blocks for every thread, without branches or access checks. */
        private void emitPath() {
            List<Block> path = uniformPaths.paths.get(segment);
            laneLoops(() -> {
                for (Block b : path) {
                    for (int si = 0; si < b.stmts().size(); si++) stmt(b, si, b.stmts().get(si));
                }
            });
            cb.return_();
        }

        /** VEC shape: emit {@code rK} ({@link RowVec}: vectors on device memory) instead of {@code vK}. */
        private boolean direct;
        /** VEC shape with {@link #direct}: emit {@code sK} ({@link RowLean}: one lane as scalar code) instead. */
        private boolean lane;

        /**
         * {@code sK}: path K's grid-row loop of one lane ({@link RowLean}) as scalar code on device memory, the
         * statements of {@link #emitDirect}'s loop body one lane wide: block-uniform statements first, each load one
         * f32 read at its lane's address ({@link RowVec#base}), each f32 operation the same IEEE binary32 operation
         * on floats ({@code fma} fused), the deferred results that {@code rK} canonicalizes canonicalized the same
         * way, each store one f32 write. Only f32 paths without block-uniform loads ({@link RowLean#lanePath}).
         */
        private void emitLane() {
            VectorPaths.Plan plan = vecPlan;
            List<VectorPaths.At> stmts = plan.stmts();
            Map<Integer, Integer> base = new HashMap<>();
            Map<Integer, Integer> fslot = new HashMap<>();
            for (int i = 0; i < stmts.size(); i++) {
                int kind = plan.kind()[i];
                if (kind == VectorPaths.UNIFORM) {
                    VectorPaths.At at = stmts.get(i);
                    stmt(at.block(), at.index(), at.stmt());
                } else if (kind == VectorPaths.LOAD || kind == VectorPaths.STORE) {
                    int slot = cb.allocateLocal(TypeKind.LONG);
                    cb.aload(eSlot).loadConstant(plan.arg()[i]);
                    inv(RowVec.class, "base", Exec.class, int.class);
                    cb.lstore(slot);
                    base.put(i, slot);
                }
                if (kind == VectorPaths.LOAD || kind == VectorPaths.LANE) {
                    for (Reg d : stmts.get(i).stmt().inst().defs()) {
                        fslot.computeIfAbsent(d.id(), x -> cb.allocateLocal(TypeKind.FLOAT));
                    }
                }
            }
            for (int i = 0; i < stmts.size(); i++) {
                int kind = plan.kind()[i];
                Inst in = stmts.get(i).stmt().inst();
                switch (kind) {
                    case VectorPaths.LOAD -> {
                        cb.lload(base.get(i));
                        inv(RowLean.class, "ld", long.class);
                        cb.fstore(fslot.get(((Inst.Load) in).dst().id()));
                    }
                    case VectorPaths.STORE -> {
                        cb.lload(base.get(i));
                        lanePush(((Inst.Store) in).src(), fslot);
                        inv(RowLean.class, "st", long.class, float.class);
                    }
                    case VectorPaths.LANE -> {
                        Reg dst = in.defs().get(0);
                        if (in instanceof Inst.Compute c) {
                            for (Value v : c.srcs()) lanePush(v, fslot);
                            switch (c.op()) {
                                case ADD -> cb.fadd();
                                case SUB -> cb.fsub();
                                case MUL -> cb.fmul();
                                default -> inv(Math.class, "fma", float.class, float.class, float.class);
                            }
                            if (VectorPaths.deferredNaN(in) && plan.arrays().get(dst.id())) {
                                // as rK: a NaN result to the canonical NaN
                                inv(Fp.class, "cf", float.class);
                            }
                        } else {
                            lanePush(((Inst.Mov) in).src(), fslot);
                        }
                        cb.fstore(fslot.get(dst.id()));
                    }
                    default -> {
                    }
                }
            }
            cb.return_();
        }

        /** {@link #emitLane}: pushes {@code v} as a float (a lane register, else a block-uniform value). */
        private void lanePush(Value v, Map<Integer, Integer> fslot) {
            if (v instanceof Reg r && fslot.containsKey(r.id())) {
                cb.fload(fslot.get(r.id()));
            } else {
                load(v, ScalarType.F32);
            }
        }

        /**
         * {@code rK}: path K's grid-row loop as vectors on device memory ({@link RowVec}): block-uniform statements
         * first, then per {@code VL} lanes ({@link Exec#vn} a multiple of VL: {@link GridRows} runs the rest in the
         * array form) each load one {@code fromMemorySegment} at its lanes' addresses, each f32 operation one
         * lane-wise vector operation (deferred results that the plan keeps in arrays canonicalized in the vector),
         * each store one {@code intoMemorySegment}; 32-bit integer ones as {@code IntVector}s ({@link RowVecInt}),
         * and with block-uniform loads a loop over the loop's blocks around it that reads and broadcasts them.
         */
        private void emitDirect() {
            VectorPaths.Plan plan = vecPlan;
            List<VectorPaths.At> stmts = plan.stmts();
            int n = cb.allocateLocal(TypeKind.INT);
            int t = cb.allocateLocal(TypeKind.INT);
            cb.aload(eSlot).getfield(CD_EXEC, "vn", CD_int).istore(n);
            cb.iconst_0().istore(t);
            Map<Integer, Integer> base = new HashMap<>(); // statement -> its site's lane-0 address local
            Map<Integer, Integer> step = new HashMap<>(); // block-uniform load -> its ctaid.x step local (RowVecInt)
            Map<Integer, Integer> vslot = new HashMap<>(); // register -> its vector local
            for (int i = 0; i < stmts.size(); i++) {
                int kind = plan.kind()[i];
                if (kind == VectorPaths.UNIFORM) {
                    VectorPaths.At at = stmts.get(i);
                    stmt(at.block(), at.index(), at.stmt());
                } else if (kind == VectorPaths.LOAD || kind == VectorPaths.STORE) {
                    int slot = cb.allocateLocal(TypeKind.LONG);
                    cb.aload(eSlot).loadConstant(plan.arg()[i]);
                    inv(RowVec.class, "base", Exec.class, int.class);
                    cb.lstore(slot);
                    base.put(i, slot);
                    if (kind == VectorPaths.LOAD && RowVecInt.blockUniform(affineSites, plan.arg()[i])) {
                        int s = cb.allocateLocal(TypeKind.LONG);
                        cb.aload(eSlot).loadConstant(plan.arg()[i]);
                        inv(RowVecInt.class, "step", Exec.class, int.class);
                        cb.lstore(s);
                        step.put(i, s);
                    }
                }
                if (kind == VectorPaths.LOAD || kind == VectorPaths.LANE) {
                    for (Reg d : stmts.get(i).stmt().inst().defs()) {
                        vslot.computeIfAbsent(d.id(), x -> cb.allocateLocal(TypeKind.REFERENCE));
                    }
                }
            }
            int vl = LaneVec.length();
            Label done = cb.newLabel();
            if (step.isEmpty()) {
                Label loop = cb.newBoundLabel();
                cb.iload(t).loadConstant(vl).iadd().iload(n).if_icmpgt(done);
                directBody(plan, base, step, vslot, t);
                cb.iinc(t, vl).goto_(loop);
            } else {
                // RowVecInt: per block of the loop's lanes (RowVec.ok: no vector spans two blocks), its block-uniform
                // loads read and broadcast, then its vectors
                int x0 = cb.allocateLocal(TypeKind.INT);
                int ntx = cb.allocateLocal(TypeKind.INT);
                int b = cb.allocateLocal(TypeKind.INT);
                int end = cb.allocateLocal(TypeKind.INT);
                cb.aload(eSlot).getfield(CD_EXEC, "vx0", CD_int).istore(x0);
                cb.aload(eSlot).getfield(CD_EXEC, "ntx", CD_int).istore(ntx);
                Label outer = cb.newBoundLabel();
                cb.iload(t).iload(n).if_icmpge(done);
                cb.iload(x0).iload(t).iadd().iload(ntx).idiv().istore(b);
                cb.iload(b).iconst_1().iadd().iload(ntx).imul().iload(x0).isub().iload(n);
                inv(Math.class, "min", int.class, int.class);
                cb.istore(end);
                for (Map.Entry<Integer, Integer> u : step.entrySet()) {
                    Inst.Load l = (Inst.Load) stmts.get(u.getKey()).stmt().inst();
                    boolean ints = RowVecInt.int32(l.type());
                    cb.getstatic(CD_VOPS, ints ? "I" : "F", CD_VSPEC);
                    cb.lload(base.get(u.getKey())).lload(u.getValue()).iload(b).i2l().lmul().ladd();
                    inv(RowVecInt.class, ints ? "ld32" : "ldf32", long.class);
                    cb.invokestatic(ints ? CD_IVEC : CD_FVEC, "broadcast", MethodTypeDesc.of(ints ? CD_IVEC : CD_FVEC,
                            CD_VSPEC, ints ? CD_int : CD_float));
                    cb.astore(vslot.get(l.dst().id()));
                }
                Label inner = cb.newBoundLabel();
                Label next = cb.newLabel();
                cb.iload(t).loadConstant(vl).iadd().iload(end).if_icmpgt(next);
                directBody(plan, base, step, vslot, t);
                cb.iinc(t, vl).goto_(inner);
                cb.labelBinding(next);
                // a block's lanes are whole vectors (RowVec.ok); never loop without progress
                cb.iload(t).iload(end).if_icmpeq(outer);
                cb.new_(ClassDesc.of("java.lang.IllegalStateException")).dup()
                        .ldc("RowVecInt: a vector spans two blocks").invokespecial(
                                ClassDesc.of("java.lang.IllegalStateException"), INIT_NAME,
                                MethodTypeDesc.of(CD_void, java.lang.constant.ConstantDescs.CD_String))
                        .athrow();
            }
            cb.labelBinding(done);
            cb.return_();
        }

        /** One step of {@link #emitDirect}'s loop over lanes {@code t .. t+VL-1}. */
        private void directBody(VectorPaths.Plan plan, Map<Integer, Integer> base, Map<Integer, Integer> step,
                Map<Integer, Integer> vslot, int t) {
            ClassDesc cdSeg = ClassDesc.of("java.lang.foreign.MemorySegment");
            ClassDesc cdOrder = ClassDesc.of("java.nio.ByteOrder");
            ClassDesc cdOps = ClassDesc.of("jdk.incubator.vector.VectorOperators");
            ClassDesc cdBinary = ClassDesc.of("jdk.incubator.vector.VectorOperators$Binary");
            ClassDesc cdAssoc = ClassDesc.of("jdk.incubator.vector.VectorOperators$Associative");
            List<VectorPaths.At> stmts = plan.stmts();
            for (int i = 0; i < stmts.size(); i++) {
                int kind = plan.kind()[i];
                Inst in = stmts.get(i).stmt().inst();
                switch (kind) {
                    case VectorPaths.LOAD -> {
                        if (step.containsKey(i)) break; // block-uniform: broadcast per block (emitDirect)
                        boolean ints = RowVecInt.int32(((Inst.Load) in).type());
                        ClassDesc cv = ints ? CD_IVEC : CD_FVEC;
                        cb.getstatic(CD_VOPS, ints ? "I" : "F", CD_VSPEC);
                        cb.getstatic(ClassDesc.of(PKG + ".Mem"), "ALL", cdSeg);
                        cb.lload(base.get(i)).iload(t).i2l().loadConstant(2).lshl().ladd();
                        cb.getstatic(CD_VOPS, "ORDER", cdOrder);
                        cb.invokestatic(cv, "fromMemorySegment", MethodTypeDesc.of(cv, CD_VSPEC, cdSeg,
                                CD_long, cdOrder));
                        cb.astore(vslot.get(((Inst.Load) in).dst().id()));
                    }
                    case VectorPaths.STORE -> {
                        Reg r = (Reg) ((Inst.Store) in).src();
                        ClassDesc cv = RowVecInt.int32(((Inst.Store) in).type()) ? CD_IVEC : CD_FVEC;
                        cb.aload(vslot.get(r.id())).getstatic(ClassDesc.of(PKG + ".Mem"), "ALL", cdSeg);
                        cb.lload(base.get(i)).iload(t).i2l().loadConstant(2).lshl().ladd();
                        cb.getstatic(CD_VOPS, "ORDER", cdOrder);
                        cb.invokevirtual(cv, "intoMemorySegment", MethodTypeDesc.of(CD_void, cdSeg, CD_long,
                                cdOrder));
                    }
                    case VectorPaths.LANE -> {
                        Reg dst = in.defs().get(0);
                        if (in instanceof Inst.Compute c && RowVecInt.int32(c.type())) {
                            // RowVecInt: lane-wise IntVector operations (wrapping as Java's int arithmetic)
                            directPushInt(c.srcs().get(0), c.type(), vslot);
                            switch (c.op()) {
                                case SHL, SHR -> {
                                    String op = c.op() == Opcode.SHL ? "LSHL" : signed(c.type()) ? "ASHR" : "LSHR";
                                    cb.getstatic(cdOps, op, cdBinary);
                                    cb.loadConstant(RowVecInt.shift(c.srcs().get(1)));
                                    cb.invokevirtual(CD_IVEC, "lanewise", MethodTypeDesc.of(CD_IVEC, cdBinary,
                                            CD_int));
                                }
                                default -> {
                                    String op = switch (c.op()) {
                                        case ADD -> "ADD";
                                        case SUB -> "SUB";
                                        case MUL -> "MUL";
                                        case AND -> "AND";
                                        case OR -> "OR";
                                        default -> "XOR";
                                    };
                                    cb.getstatic(cdOps, op, c.op() == Opcode.SUB ? cdBinary : cdAssoc);
                                    directPushInt(c.srcs().get(1), c.type(), vslot);
                                    cb.invokevirtual(CD_IVEC, "lanewise", MethodTypeDesc.of(CD_IVEC, cdBinary,
                                            CD_VEC));
                                }
                            }
                        } else if (in instanceof Inst.Compute c) {
                            for (Value v : c.srcs()) directPush(v, vslot);
                            String name = switch (c.op()) {
                                case ADD -> "add";
                                case SUB -> "sub";
                                case MUL -> "mul";
                                default -> "fma";
                            };
                            ClassDesc[] ps = new ClassDesc[c.srcs().size() - 1];
                            java.util.Arrays.fill(ps, CD_VEC);
                            cb.invokevirtual(CD_FVEC, name, MethodTypeDesc.of(CD_FVEC, ps));
                            if (VectorPaths.deferredNaN(in) && plan.arrays().get(dst.id())) {
                                // NaN lanes to the canonical NaN: v.blend(NaN, v.test(IS_NAN))
                                int v = vslot.get(dst.id());
                                cb.astore(v).aload(v).aload(v);
                                cb.getstatic(ClassDesc.of("jdk.incubator.vector.VectorOperators"), "IS_NAN", CD_VTEST);
                                cb.invokevirtual(CD_FVEC, "test", MethodTypeDesc.of(CD_VMASK, CD_VTEST));
                                cb.loadConstant(Fp.CANON_F32);
                                inv(Float.class, "intBitsToFloat", int.class);
                                cb.swap();
                                cb.invokevirtual(CD_FVEC, "blend", MethodTypeDesc.of(CD_FVEC, CD_float, CD_VMASK));
                            }
                        } else if (RowVecInt.int32(dst.type())) {
                            directPushInt(((Inst.Mov) in).src(), dst.type(), vslot);
                        } else {
                            directPush(((Inst.Mov) in).src(), vslot);
                        }
                        cb.astore(vslot.get(dst.id()));
                    }
                    default -> {
                    }
                }
            }
        }

        /** {@link #directBody}: pushes 32-bit integer {@code v} as an {@code IntVector} (a register, else broadcast). */
        private void directPushInt(Value v, ScalarType type, Map<Integer, Integer> vslot) {
            if (v instanceof Reg r && vslot.containsKey(r.id())) {
                cb.aload(vslot.get(r.id()));
            } else {
                cb.getstatic(CD_VOPS, "I", CD_VSPEC);
                load(v, type);
                cb.invokestatic(CD_IVEC, "broadcast", MethodTypeDesc.of(CD_IVEC, CD_VSPEC, CD_int));
            }
        }

        /** {@link #directBody}: pushes {@code v} as a vector (a vector register, else broadcast). */
        private void directPush(Value v, Map<Integer, Integer> vslot) {
            if (v instanceof Reg r && vslot.containsKey(r.id())) {
                cb.aload(vslot.get(r.id()));
            } else {
                cb.getstatic(CD_VOPS, "F", CD_VSPEC);
                load(v, ScalarType.F32);
                cb.invokestatic(CD_FVEC, "broadcast", MethodTypeDesc.of(CD_FVEC, CD_VSPEC, CD_float));
            }
        }

        /** VEC shape: the path's plan ({@link VectorPaths}), a temporary per kind for array stores. */
        private VectorPaths.Plan vecPlan;
        private final Map<TypeKind, Integer> vecTmp = new HashMap<>();
        /** VEC shape: the f32 statement being emitted leaves NaN canonicalization to its loop ({@link #emitVec}). */
        private boolean deferNaN;

        /**
         * {@code vK}: path K's vector form ({@link VectorPaths}): its statements one at a time over the whole
         * block, block-uniform ones once, affine global accesses as block-wide copies ({@link VecMem}), the others
         * as one counted loop over the threads with registers in per-thread arrays.
         */
        private void emitVec() {
            VectorPaths.Plan plan = vecPlan;
            tSlot = cb.allocateLocal(TypeKind.INT);
            int n = cb.allocateLocal(TypeKind.INT);
            int emittedRun = -1;
            cb.aload(eSlot).getfield(CD_EXEC, "vn", CD_int).istore(n);
            List<VectorPaths.At> stmts = plan.stmts();
            for (int i = 0; i < stmts.size(); i++) {
                VectorPaths.At at = stmts.get(i);
                Inst in = at.stmt().inst();
                switch (plan.kind()[i]) {
                    case VectorPaths.DEAD -> {
                    }
                    case VectorPaths.UNIFORM -> stmt(at.block(), at.index(), at.stmt());
                    case VectorPaths.TID -> {
                        cb.lineNumber(++lineCounter);
                        Reg d = ((Inst.ReadSpecial) in).dst();
                        cb.aload(eSlot).aload(arr(d.id())).loadConstant(plan.arg()[i]);
                        inv(VecMem.class, "tid", Exec.class, int[].class, int.class);
                    }
                    case VectorPaths.STORE_UNIFORM -> {
                        cb.lineNumber(++lineCounter);
                        Inst.Store st = (Inst.Store) in;
                        cb.aload(eSlot).loadConstant(plan.arg()[i]);
                        load(st.src(), st.type());
                        inv(VecMem.class, "st" + suffix(st.type()) + "u", Exec.class, int.class, jtype(st.type()));
                    }
                    case VectorPaths.LOAD, VectorPaths.STORE -> {
                        cb.lineNumber(++lineCounter);
                        boolean load = plan.kind()[i] == VectorPaths.LOAD;
                        ScalarType t = load ? ((Inst.Load) in).type() : ((Inst.Store) in).type();
                        Reg r = load ? ((Inst.Load) in).dst() : (Reg) ((Inst.Store) in).src();
                        String name = (load ? "ld" : "st") + suffix(t);
                        Class<?> arr = java.lang.reflect.Array.newInstance(jtype(t), 0).getClass();
                        cb.aload(eSlot).loadConstant(plan.arg()[i]).aload(arr(r.id()));
                        if (load && plan.from()[i] >= 0) {
                            vecSharedLoad(plan, plan.from()[i], name, arr);
                        } else {
                            inv(VecMem.class, name, Exec.class, int.class, arr);
                        }
                    }
                    default -> {
                        if (plan.run()[i] != emittedRun) {
                            emittedRun = plan.run()[i];
                            vecRun(plan, i, n);
                        }
                    }
                }
            }
            cb.return_();
        }

        /**
         * The rest of a LOAD of the vector form that may take its values from the array of the earlier load at
         * statement {@code k} ({@link VectorPaths#shared}, {@link VecMem#share}); the stack holds the Exec, the
         * site index and the destination array.
         */
        private void vecSharedLoad(VectorPaths.Plan plan, int k, String name, Class<?> arr) {
            Reg src = ((Inst.Load) plan.stmts().get(k).stmt().inst()).dst();
            cb.loadConstant(plan.arg()[k]).aload(arr(src.id()));
            inv(VecMem.class, name + "s", Exec.class, int.class, arr, int.class, arr);
        }

        /**
         * One loop of the vector form over the block's threads: the LANE statements of run {@code plan.run()[first]}
         * (consecutive from statement {@code first}, dead ones skipped). f32 operations whose NaN canonicalization is
         * deferred ({@link VectorPaths#deferredNaN}) store their raw IEEE result; a {@code Math.max} reduction over
         * the values of each such array register (NaN propagates through it; C2 vectorizes it with the loop) tells
         * whether a second loop must rewrite NaNs to the canonical NaN ({@link VecMem#canonical}).
         */
        private void vecRun(VectorPaths.Plan plan, int first, int n) {
            int r = plan.run()[first];
            List<Integer> members = new ArrayList<>();
            for (int j = first; j < plan.stmts().size(); j++) {
                if (plan.run()[j] == r) members.add(j);
                else if (plan.kind()[j] != VectorPaths.DEAD) break;
            }
            // the accumulator of each checked array register
            Map<Integer, Integer> acc = new LinkedHashMap<>();
            for (int j : members) {
                Inst in = plan.stmts().get(j).stmt().inst();
                if (CANONICAL_NANS && VectorPaths.deferredNaN(in)) {
                    Reg d = ((Inst.Compute) in).dst();
                    if (plan.arrays().get(d.id()) && !acc.containsKey(d.id())) {
                        int slot = cb.allocateLocal(TypeKind.FLOAT);
                        cb.fconst_0().fstore(slot);
                        acc.put(d.id(), slot);
                    }
                }
            }
            // NaNZeros: the differences x - x of the checked results go to the worker's scratch array instead
            int scratch = -1;
            if (!acc.isEmpty() && NaNZeros.VECTOR) {
                scratch = cb.allocateLocal(TypeKind.REFERENCE);
                cb.aload(eSlot).iload(n);
                inv(NaNZeros.class, "scratch", Exec.class, int.class);
                cb.astore(scratch);
            }
            boolean firstDiff = true;
            cb.iconst_0().istore(tSlot);
            Label check = cb.newLabel();
            Label body = cb.newLabel();
            cb.goto_(check);
            cb.labelBinding(body);
            for (int j : members) {
                VectorPaths.At at = plan.stmts().get(j);
                boolean deferred = CANONICAL_NANS && VectorPaths.deferredNaN(at.stmt().inst());
                deferNaN = deferred;
                stmt(at.block(), at.index(), at.stmt());
                deferNaN = false;
                if (deferred) {
                    Reg d = ((Inst.Compute) at.stmt().inst()).dst();
                    Integer slot = acc.get(d.id());
                    if (slot != null && scratch >= 0) {
                        cb.aload(scratch).iload(tSlot);
                        if (!firstDiff) cb.dup2().faload();
                        cb.aload(arr(d.id())).iload(tSlot).faload().dup().fsub();
                        if (!firstDiff) cb.fadd();
                        cb.fastore();
                        firstDiff = false;
                    } else if (slot != null) {
                        cb.fload(slot).aload(arr(d.id())).iload(tSlot).faload();
                        inv(Math.class, "max", float.class, float.class);
                        cb.fstore(slot);
                    }
                }
            }
            cb.iinc(tSlot, 1);
            cb.labelBinding(check);
            cb.iload(tSlot).iload(n).if_icmplt(body);
            if (scratch >= 0) {
                countIn("nanZeroLoops");
                Label ok = cb.newLabel();
                cb.aload(eSlot).iconst_0().iload(n);
                inv(NaNZeros.class, "seen", Exec.class, int.class, int.class);
                cb.ifeq(ok);
                for (int reg : acc.keySet()) {
                    cb.aload(arr(reg)).iload(n);
                    inv(VecMem.class, "canonical", float[].class, int.class);
                }
                cb.labelBinding(ok);
                acc.clear();
            }
            for (Map.Entry<Integer, Integer> a : acc.entrySet()) {
                Label ok = cb.newLabel();
                cb.fload(a.getValue()).fload(a.getValue()).fcmpl().ifeq(ok);
                cb.aload(arr(a.getKey())).iload(n);
                inv(VecMem.class, "canonical", float[].class, int.class);
                cb.labelBinding(ok);
            }
        }

        private void emitStep() {
            liveness = new Liveness(f);
            tSlot = cb.allocateLocal(TypeKind.INT);
            txSlot = cb.allocateLocal(TypeKind.INT);
            tySlot = cb.allocateLocal(TypeKind.INT);
            tzSlot = cb.allocateLocal(TypeKind.INT);
            spillBaseSlot = cb.allocateLocal(TypeKind.INT);
            int n = cb.allocateLocal(TypeKind.INT);
            cb.iconst_0().istore(tSlot).iconst_0().istore(txSlot).iconst_0().istore(tySlot).iconst_0().istore(tzSlot)
                    .iconst_0().istore(spillBaseSlot);
            cb.aload(eSlot).getfield(CD_EXEC, "nthreads", CD_int).istore(n);
            rpArray = cb.allocateLocal(TypeKind.REFERENCE);
            runArray = cb.allocateLocal(TypeKind.REFERENCE);
            cb.aload(eSlot).getfield(CD_EXEC, "rp", CD_int.arrayType()).astore(rpArray);
            cb.aload(eSlot).getfield(CD_EXEC, "run", java.lang.constant.ConstantDescs.CD_byte.arrayType()).astore(runArray);
            Label loop = cb.newLabel();
            Label next = cb.newLabel();
            Label done = cb.newLabel();
            Label entry = cb.newLabel();
            threadDone = next;
            List<SwitchCase> cases = new ArrayList<>();
            cases.add(SwitchCase.of(0, entry));
            for (Map.Entry<org.transcuda.ir.Stmt, Integer> p : pointOf.entrySet()) {
                if (p.getKey().inst() instanceof Inst.Barrier bar && bar.kind() == Inst.BarrierKind.ARRIVE) continue;
                Label l = cb.newLabel();
                resumeLabels.put(p.getValue(), l);
                cases.add(SwitchCase.of(p.getValue(), l));
            }
            cases.sort(java.util.Comparator.comparingInt(SwitchCase::caseValue));
            needThread = hasCalls || touchesLocal();
            spilled = new BitSet();
            for (Block b : f.blocks()) {
                for (int si = 0; si < b.stmts().size(); si++) {
                    Inst in = b.stmts().get(si).inst();
                    if (!isSuspension(in) || in instanceof Inst.Barrier bar && bar.kind() == Inst.BarrierKind.ARRIVE) {
                        continue;
                    }
                    BitSet live = liveness.liveAfter(b, si);
                    for (Reg d : in.defs()) live.clear(d.id());
                    spilled.or(live);
                }
            }
            // dense spill slots: only registers live across suspension points have one (a thread's slots stay
            // within a cache line or two instead of one slot per register of the kernel)
            spillIndex = new int[f.regs().size()];
            int slots = 0;
            for (int id = spilled.nextSetBit(0); id >= 0; id = spilled.nextSetBit(id + 1)) spillIndex[id] = slots++;
            spillSlots = Math.max(1, slots);
            cur = new BitSet();
            spillArray = cb.allocateLocal(TypeKind.REFERENCE);
            cb.aload(eSlot).getfield(CD_EXEC, "spill", CD_long.arrayType()).astore(spillArray);
            simple = pointOf.keySet().stream().allMatch(st -> st.inst() instanceof Inst.Barrier bar
                    && bar.kind() == Inst.BarrierKind.SYNC && bar.id() instanceof Const c && c.bits() == 0
                    && bar.threads() == null);
            waitingSlot = cb.allocateLocal(TypeKind.INT);
            cb.iconst_0().istore(waitingSlot);
            cb.labelBinding(loop);
            cb.iload(tSlot).iload(n).if_icmpge(done);
            if (simple) {
                // every live thread runs every round: skip only exited threads
                cb.aload(rpArray).iload(tSlot).iaload().iflt(next);
            } else {
                cb.aload(runArray).iload(tSlot).baload().ifeq(next);
                cb.aload(runArray).iload(tSlot).iconst_0().bastore();
            }
            if (needThread) {
                cb.aload(eSlot).iload(tSlot).invokevirtual(CD_EXEC, "thread", MethodTypeDesc.of(CD_void, CD_int));
            }
            cb.iload(tSlot).loadConstant(spillSlots).imul().istore(spillBaseSlot);
            cb.aload(rpArray).iload(tSlot).iaload();
            if (cases.get(cases.size() - 1).caseValue() == cases.size() - 1) {
                cb.tableswitch(0, cases.size() - 1, entry, cases);
            } else {
                cb.lookupswitch(entry, cases);
            }
            cb.labelBinding(entry);
            Label tryStart = cb.newBoundLabel();
            body();
            for (int k = 0; k < resumeStubs.size(); k++) resumeStubs.get(k).run();
            Label tryEnd = cb.newBoundLabel();
            cb.labelBinding(next);
            cb.iinc(tSlot, 1).goto_(loop);
            cb.labelBinding(done);
            cb.aload(eSlot).iload(waitingSlot).putfield(CD_EXEC, "waiting", CD_int);
            cb.return_();
            if (deviceExit) {
                Label h = cb.newBoundLabel();
                cb.pop().aload(rpArray).iload(tSlot).iconst_m1().iastore();
                cb.goto_(next);
                cb.exceptionCatch(tryStart, tryEnd, h, CD_EXIT);
            }
            Label h2 = cb.newBoundLabel();
            cb.aload(eSlot).iload(tSlot).invokevirtual(CD_EXEC, "thread", MethodTypeDesc.of(CD_void, CD_int));
            cb.athrow();
            cb.exceptionCatch(tryStart, tryEnd, h2, CD_RTE);
        }

        private final Map<Integer, Label> resumeLabels = new HashMap<>();
        private int rpArray = -1;
        private int runArray = -1;
        private int waitingSlot = -1;
        private boolean simple;
        /** Registers whose write-through the current statement may skip (see deadWriteThroughs). */
        private BitSet skipWriteThrough;
        /** STEP shape: registers live across suspension points (their spill slot is their home). */
        private BitSet spilled;
        private BitSet cur = new BitSet();
        private int spillArray = -1;
        /** STEP shape: the slot of each spilled register within its thread's {@link #spillSlots} slots. */
        private int[] spillIndex;
        private boolean needThread = true;

        /** True when the function accesses local memory (directly or possibly through generic addresses). */
        private boolean touchesLocal() {
            for (Block b : f.blocks()) {
                for (var st : b.stmts()) {
                    AddressSpace sp = switch (st.inst()) {
                        case Inst.Load l -> l.space();
                        case Inst.Store x -> x.space();
                        case Inst.Atomic a -> a.space();
                        default -> null;
                    };
                    if (sp == AddressSpace.LOCAL || sp == AddressSpace.GENERIC) return true;
                }
            }
            return false;
        }

        private void emitDevice() {
            fpSlot = cb.allocateLocal(TypeKind.INT);
            cb.aload(eSlot).getfield(CD_EXEC, "sp", CD_int).istore(fpSlot);
            if (frameSize > 0) {
                int nsp = cb.allocateLocal(TypeKind.INT);
                cb.iload(fpSlot).loadConstant(frameSize).iadd().istore(nsp);
                Label ok = cb.newLabel();
                cb.iload(nsp).i2l().aload(eSlot).getfield(CD_EXEC, "localSize", CD_long).lcmp().ifle(ok);
                cb.aload(eSlot);
                inv(Rt.class, "stackOverflow", Exec.class);
                cb.athrow();
                cb.labelBinding(ok);
                cb.aload(eSlot).iload(nsp).putfield(CD_EXEC, "sp", CD_int);
            }
            body();
        }

        // ---- lockstep shape ----

        /** LOCK shape: per kind, the local that holds a value between its computation and its array store. */
        private final Map<TypeKind, Integer> lockTmp = new HashMap<>();
        private int fullSlot = -1, nSlot = -1, nbSlot = -1, iSlot = -1, cntSlot = -1, idxSlot = -1;
        /** Lockstep, with {@link RangeLanes}: the first active thread when the active threads are one range, else -1. */
        private int rloSlot = -1;
        /** LOCK shape: the segment this method runs ({@link #lockSegs}). */
        private int segment;
        /** LOCK shape: where the segment's code starts, when the segment starts its block (a loop can jump here). */
        private Label bodyStart;
        /**
         * LOCK shape: the local holding the number of threads whose branch predicate holds, counted by the loop of
         * the segment's last run (valid while every thread is active), or -1.
         */
        private int fusedCount = -1;

        /**
         * Returns segment {@code seg} as the next one for all threads while every thread is active; a jump back to
         * this segment's start (a loop that is one segment) runs on in this method instead of through the dispatcher.
         */
        private void goSegment(int seg) {
            if (seg == segment && bodyStart != null) {
                cb.goto_(bodyStart);
            } else {
                cb.loadConstant(seg);
                ret();
            }
        }

        /** Adds one to the {@code long} statistics counter {@code field} of the {@link Exec}. */
        /**
         * The arm's range, {@code (Exec, site, a0, cx, b, op, unsigned, want)} on the stack: {@link BlockRange#range}
         * (a whole block or none decided inline), or {@link SharedAffine#predRange} with {@code
         * -Dtranscuda.cpu.blockRange=false}.
         */
        private void invPredRange() {
            inv(BlockRange.ENABLED ? BlockRange.class : SharedAffine.class, BlockRange.ENABLED ? "range" : "predRange",
                    Exec.class, int.class, int.class, int.class, int.class, int.class, boolean.class, boolean.class);
        }

        private void countIn(String field) {
            cb.aload(eSlot).dup().getfield(CD_EXEC, field, CD_long).lconst_1().ladd().putfield(CD_EXEC, field, CD_long);
        }

        /**
         * One segment of the lockstep shape, a static method {@code int lsK(Exec)} (see {@link #lockSegments}):
         * the block's threads execute each statement together, registers in arrays indexed by the thread's linear
         * index (block-uniform registers in locals, homed in {@link Exec#luni} between segments). Returns the next
         * segment when all threads go there together, {@link Lockstep#SCHEDULE} when the threads' next segments
         * are in {@code e.lnb} (divergence, or a barrier some threads wait at), {@link Lockstep#DONE} when all
         * threads exited. Small methods: C2 compiles each quickly and inlines the runtime helpers.
         */
        private void emitLock() {
            int[] sg = lockSegs.get(segment);
            tSlot = cb.allocateLocal(TypeKind.INT);
            fullSlot = cb.allocateLocal(TypeKind.INT);
            nSlot = cb.allocateLocal(TypeKind.INT);
            nbSlot = cb.allocateLocal(TypeKind.REFERENCE);
            iSlot = cb.allocateLocal(TypeKind.INT);
            cntSlot = cb.allocateLocal(TypeKind.INT);
            idxSlot = cb.allocateLocal(TypeKind.REFERENCE);
            for (TypeKind k : List.of(TypeKind.INT, TypeKind.LONG, TypeKind.FLOAT, TypeKind.DOUBLE)) {
                int slot = cb.allocateLocal(k);
                zero(k);
                cb.storeLocal(k, slot);
                lockTmp.put(k, slot);
            }
            cb.iconst_0().istore(tSlot);
            cb.aload(eSlot).getfield(CD_EXEC, "lfull", CD_int).istore(fullSlot);
            cb.aload(eSlot).getfield(CD_EXEC, "nthreads", CD_int).istore(nSlot);
            cb.aload(eSlot).getfield(CD_EXEC, "lnb", CD_int.arrayType()).astore(nbSlot);
            cb.aload(eSlot).getfield(CD_EXEC, "lidx", CD_int.arrayType()).astore(idxSlot);
            cb.iconst_0().istore(iSlot);
            cb.aload(eSlot).getfield(CD_EXEC, "lcount", CD_int).istore(cntSlot);
            // RangeLanes: the first active thread when the active threads are one range, set before each list loop
            if (RangeLanes.ENABLED && DENSE) rloSlot = cb.allocateLocal(TypeKind.INT);
            lockGlobalFlags();
            Label tryStart = cb.newBoundLabel();
            // a branch back to this segment with every thread active loops here (see lockTerminator)
            bodyStart = sg[1] == 0 ? tryStart : null;
            ptrStepDirty(sg);
            fusedCount = -1;
            List<Block> blocks = f.blocks();
            Block b = blocks.get(sg[0]);
            List<org.transcuda.ir.Stmt> stmts = b.stmts();
            int si = sg[1];
            boolean countInRun = sg[3] == 0 && b.terminator() instanceof Terminator.CondBranch
                    && !ifArms.containsKey(b.label());
            // an if-converted branch at the end: its arms run in the loop of the segment's last run (see below)
            IfConversion.Arms tailArms = sg[3] == 0 ? ifArms.get(b.label()) : null;
            boolean fused = false;
            WarpScan.Found scans = warpScans();
            while (si < sg[2]) {
                org.transcuda.ir.Stmt st = stmts.get(si);
                Inst i = st.inst();
                if (scans.skip().contains(st)) {
                    si++; // a statement of a shuffle scan chain (WarpScan): run by lockWarpScan at its first shuffle
                } else if (scans.first().get(st) instanceof WarpScan.Chain chain) {
                    lockWarpScan(chain, stmts);
                    si++;
                } else if (isSuspension(i)) {
                    lockCollective(st);
                    si++;
                } else if (bulk && bulkKind(st) != null) {
                    lockBulk(b, si, st);
                    si++;
                } else {
                    // a run of per-thread statements: block-uniform ones once, the others in one loop over the
                    // threads (a thread runs the whole run before the next one, as on the thread engine)
                    int end = si;
                    while (end < sg[2] && !isSuspension(stmts.get(end).inst())
                            && !(bulk && bulkKind(stmts.get(end)) != null)) {
                        end++;
                    }
                    List<Integer> lanes = new ArrayList<>();
                    for (int j = si; j < end; j++) {
                        if (scans.skip().contains(stmts.get(j))) continue;
                        if (uniformDef(stmts.get(j))) stmt(b, j, stmts.get(j));
                        else lanes.add(j);
                    }
                    // the run's thread-constant statements first, in a loop skipped once it ran for every thread
                    // (ThreadConst); not in a run that counts a branch's threads (its loop keeps its shape)
                    if (!(countInRun && end == sg[2])) threadConstLoop(b, si, lanes);
                    if (tailArms != null && end == sg[2]) {
                        lockIfConverted(b, tailArms, lanes);
                        fused = true;
                    } else if (!lanes.isEmpty()) {
                        runLocals(b, lanes);
                        if (countInRun && end == sg[2] && si == 0) strideLoop(b, lanes);
                        // the segment's last run before a conditional branch also counts the threads that take it
                        int count = countInRun && end == sg[2] && !uniformJump(b.terminator()) ? tmpInt() : -1;
                        if (count >= 0) cb.iconst_0().istore(count);
                        List<Integer> checkedOnce = loopChecks(b, lanes);
                        BitSet raw = lockDeferredNaN(b, lanes);
                        // statement by statement, for the interleaved loop (LaneJam; used when the run qualifies)
                        if (count < 0 && checkedOnce.isEmpty()) {
                            jamStmts = new ArrayList<>();
                            jamRaw = new boolean[lanes.size()];
                            for (int q = 0; q < lanes.size(); q++) jamRaw[q] = raw.get(lanes.get(q));
                            for (int j : lanes) {
                                jamStmts.add(() -> {
                                    deferNaN = raw.get(j);
                                    stmt(b, j, stmts.get(j));
                                    deferNaN = false;
                                });
                            }
                        }
                        runLoop(lanes.stream().map(stmts::get).toList(), List.of(), () -> {
                            for (int j : lanes) {
                                if (needsThread(stmts.get(j).inst())) {
                                    cb.aload(eSlot).iload(tSlot).invokevirtual(CD_EXEC, "thread",
                                            MethodTypeDesc.of(CD_void, CD_int));
                                }
                                deferNaN = raw.get(j);
                                stmt(b, j, stmts.get(j));
                                deferNaN = false;
                            }
                            if (count >= 0) {
                                cb.iload(count);
                                load(((Terminator.CondBranch) b.terminator()).pred(), ScalarType.PRED);
                                cb.iadd().istore(count);
                            }
                        });
                        fusedCount = count;
                        ptrSteps(b, lanes);
                        for (int site : checkedOnce) hoistFlag.remove(site);
                    }
                    runLocal.clear();
                    si = end;
                }
            }
            if (sg[3] == 1) {
                lockBarrier(segment + 1);
            } else if (tailArms != null) {
                if (!fused) lockIfConverted(b, tailArms, List.of());
            } else {
                lockTerminator(b.terminator());
            }
            Label tryEnd = cb.newBoundLabel();
            // any fault: the lane that raised it is the thread of the message
            Label h = cb.newBoundLabel();
            cb.aload(eSlot).iload(tSlot).invokevirtual(CD_EXEC, "lane", MethodTypeDesc.of(CD_void, CD_int));
            cb.athrow();
            cb.exceptionCatch(tryStart, tryEnd, h, CD_RTE);
        }

        /** LOCK shape: the thread-constant registers ({@link ThreadConst}; empty when off). */
        private BitSet threadConst = new BitSet();

        /**
         * The thread-constant statements of a run of per-thread statements ({@code lanes}, from statement {@code si}
         * of block {@code b}): unguarded definitions of a {@link ThreadConst} register. When there are any, they
         * leave {@code lanes} and run here, in order, in a lane loop of their own that is skipped while the run's bit
         * of {@link Exec#lconst} is set; the bit is set after the loop ran with every thread active. They read only
         * constants and thread-constant registers, which no other statement defines, so running them before the run's
         * other statements reads the same values.
         */
        private void threadConstLoop(Block b, int si, List<Integer> lanes) {
            if (threadConst.isEmpty()) return;
            List<Integer> inv = new ArrayList<>();
            for (int j : lanes) {
                org.transcuda.ir.Stmt st = b.stmts().get(j);
                if (st.guard() == null && st.inst().defs().size() == 1
                        && threadConst.get(st.inst().defs().get(0).id())) {
                    inv.add(j);
                }
            }
            if (inv.isEmpty()) return;
            int bit = threadConstBits.computeIfAbsent(((long) segment << 32) | si, k -> threadConstBits.size());
            if (bit >= ThreadConst.MAX_LOOPS) return;
            lanes.removeAll(inv);
            for (int j : inv) threadConstRegBit.putIfAbsent(b.stmts().get(j).inst().defs().get(0).id(), bit);
            long mask = 1L << bit;
            long need = PartialConst.ENABLED ? partialNeed(b, inv, bit) : -1;
            Label run = cb.newLabel();
            Label done = cb.newLabel();
            cb.aload(eSlot).getfield(CD_EXEC, "lconst", CD_long).loadConstant(mask).land().lconst_0().lcmp().ifeq(run);
            countIn("constSkips");
            cb.goto_(done);
            cb.labelBinding(run);
            runLocals(b, inv);
            if (need >= 0) {
                // PartialConst: not every thread active, the loop's inputs present for every thread: run it for all
                Label general = cb.newLabel();
                cb.iload(fullSlot).ifne(general);
                if (need != 0) {
                    cb.aload(eSlot).getfield(CD_EXEC, "lconst", CD_long).loadConstant(need).land().loadConstant(need)
                            .lcmp().ifne(general);
                }
                allLanes(() -> {
                    for (int j : inv) stmt(b, j, b.stmts().get(j));
                });
                countIn("partialConst");
                cb.aload(eSlot).dup().getfield(CD_EXEC, "lconst", CD_long).loadConstant(mask).lor()
                        .putfield(CD_EXEC, "lconst", CD_long);
                cb.goto_(done);
                cb.labelBinding(general);
            }
            laneLoop(() -> {
                for (int j : inv) stmt(b, j, b.stmts().get(j));
            });
            cb.iload(fullSlot).ifeq(done);
            cb.aload(eSlot).dup().getfield(CD_EXEC, "lconst", CD_long).loadConstant(mask).lor()
                    .putfield(CD_EXEC, "lconst", CD_long);
            cb.labelBinding(done);
            runLocal.clear();
        }

        /**
         * {@link PartialConst}: the bits of {@link Exec#lconst} that must be set for the thread-constant loop
         * {@code inv} (bit {@code bit}) to run for every thread of a block in which not every thread is active: the
         * loops of the thread-constant registers it reads that it does not define before reading them; -1 when a
         * register it reads is neither block-uniform nor such a register with a known loop.
         */
        private long partialNeed(Block b, List<Integer> inv, int bit) {
            long need = 0;
            BitSet defined = new BitSet();
            for (int j : inv) {
                org.transcuda.ir.Stmt st = b.stmts().get(j);
                int d = st.inst().defs().get(0).id();
                for (int id : mentioned(st)) {
                    if (id == d && !readsReg(st, d)) continue;
                    if (defined.get(id)) continue;
                    if (threadConst.get(id)) {
                        Integer rb = threadConstRegBit.get(id);
                        if (rb == null || rb == bit || rb >= ThreadConst.MAX_LOOPS) return -1;
                        need |= 1L << rb;
                    } else if (!uniform.get(id)) {
                        return -1;
                    }
                }
                defined.set(d);
            }
            return need;
        }

        /** Whether statement {@code st} reads register {@code id} (an operand, its guard or an address base). */
        private static boolean readsReg(org.transcuda.ir.Stmt st, int id) {
            if (st.guard() != null && st.guard().id() == id) return true;
            for (Value v : st.inst().uses()) if (v instanceof Reg r && r.id() == id) return true;
            return false;
        }

        /**
         * The registers that this segment's method mentions: its statements, its terminator, the arms of its
         * if-converted branch. The method loads only these from {@link Exec#lregs}/{@link Exec#luni}.
         */
        private BitSet segmentRegs() {
            int[] sg = lockSegs.get(segment);
            Block b = f.blocks().get(sg[0]);
            BitSet used = new BitSet();
            for (Reg r : f.paramRegs()) used.set(r.id());
            for (int si = sg[1]; si < sg[2]; si++) for (int id : mentioned(b.stmts().get(si))) used.set(id);
            // a shuffle scan chain's literal steps read its lane register (lockWarpScan; before the register kinds
            // are known, so every chain of the function, as found)
            if (WarpScan.ENABLED) {
                WarpScan.Found chains = warpScanChains.computeIfAbsent(f, WarpScan::find);
                for (int si = sg[1]; si < sg[2]; si++) {
                    if (chains.first().get(b.stmts().get(si)) instanceof WarpScan.Chain c) used.set(c.lane().id());
                }
            }
            List<org.transcuda.ir.Stmt> all = new ArrayList<>(b.stmts().subList(sg[1], sg[2]));
            if (sg[3] == 0) {
                for (Value v : b.terminator().uses()) if (v instanceof Reg r) used.set(r.id());
                // a thread-range split at the branch (rangeSplit) reads its forms' block-uniform registers, also when
                // the compare sits before a barrier in an earlier segment of the block
                if (RangeSplit.ENABLED && SharedAffine.ENABLED && b.terminator() instanceof Terminator.CondBranch cbr
                        && rangeSplitPred(cbr) instanceof RangeSplit.Pred rp) {
                    for (int u : rp.thread().uni()) used.set(u);
                    for (int u : rp.bound().uni()) used.set(u);
                }
                if (ifArms.get(b.label()) instanceof IfConversion.Arms arms) {
                    for (Block arm : java.util.Arrays.asList(arms.ifTrue(), arms.ifFalse())) {
                        if (arm == null) continue;
                        for (var st : arm.stmts()) for (int id : mentioned(st)) used.set(id);
                        all.addAll(arm.stmts());
                    }
                }
            }
            // the block-uniform registers of affine shared addresses (their lane loops compute the base from them)
            // and of an if-converted branch's compare (lockArmRange)
            if (SharedAffine.ENABLED && sg[3] == 0 && ifArms.containsKey(b.label())
                    && armCompare((Terminator.CondBranch) b.terminator()) instanceof Inst.Compare cmp) {
                for (int u : affine().of(cmp.a()).uni()) used.set(u);
                for (int u : affine().of(cmp.b()).uni()) used.set(u);
            }
            if (SharedAffine.ENABLED) {
                for (var st : all) {
                    if (sharedAccess(st) instanceof Address a && a.base() instanceof Reg r
                            && affine().form(r) instanceof SharedAffine.Form fm) {
                        for (int u : fm.uni()) used.set(u);
                    }
                }
            }
            return used;
        }

        /**
         * An if-converted branch ({@link IfConversion}) at the end of the segment: the arms' block-uniform
         * definitions once, then one loop over the active threads that runs, per thread, the per-thread statements
         * {@code prefix} of the segment's last run (in block {@code a}), then the arm its predicate selects; then every
         * active thread goes to the join, as after an unconditional branch.
         */
        private void lockIfConverted(Block a, IfConversion.Arms arms, List<Integer> prefix) {
            Terminator.CondBranch c = (Terminator.CondBranch) a.terminator();
            List<Integer> tl = armLanes(arms.ifTrue());
            List<Integer> fl = armLanes(arms.ifFalse());
            // a triangle whose arm's threads are a range of tid.x, after register-only statements: its own shape
            Inst.Compare cmp = (arms.ifTrue() == null) != (arms.ifFalse() == null) ? armCompare(c) : null;
            if (cmp != null && prefix.stream().allMatch(j -> pureLane(a.stmts().get(j)))) {
                Block arm = arms.ifTrue() != null ? arms.ifTrue() : arms.ifFalse();
                List<Integer> lanes = arms.ifTrue() != null ? tl : fl;
                if (lanes.stream().noneMatch(j -> needsThread(arm.stmts().get(j).inst()))) {
                    lockJoin = arms.join();
                    lockArmRange(a, arm, arms.ifTrue() != null, cmp, prefix, lanes, cb.newLabel());
                }
            }
            if (SPLIT_ARMS && splitArm(a, arms, prefix, tl, fl)) return;
            BitSet locals = new BitSet();
            if (!prefix.isEmpty()) {
                runLocals(a, prefix);
                locals.or(runLocal);
            }
            if (arms.ifTrue() != null) {
                runLocals(arms.ifTrue(), tl);
                locals.or(runLocal);
            }
            if (arms.ifFalse() != null) {
                runLocals(arms.ifFalse(), fl);
                locals.or(runLocal);
            }
            runLocal.clear();
            runLocal.or(locals);
            // the arms' shared accesses keep their per-access checks: only the threads of an arm make them, and a
            // check over the whole block would fail where the predicate keeps threads off (reduce's s[t + stride])
            List<org.transcuda.ir.Stmt> inLoop = new ArrayList<>();
            List<org.transcuda.ir.Stmt> inArms = new ArrayList<>();
            for (int j : prefix) inLoop.add(a.stmts().get(j));
            for (int j : tl) inArms.add(arms.ifTrue().stmts().get(j));
            for (int j : fl) inArms.add(arms.ifFalse().stmts().get(j));
            // one arm and no prefix: the arm over every (m + 1)-th thread where its threads are (tid.x & m) == c
            Label strided = prefix.isEmpty() && (arms.ifTrue() == null) != (arms.ifFalse() == null)
                    ? strideArm(c, arms.ifTrue() != null ? arms.ifTrue() : arms.ifFalse(),
                            arms.ifTrue() != null ? tl : fl, arms.ifTrue() != null)
                    : null;
            List<Integer> armOnce = armSharedChecks(c, arms, tl, fl, inLoop, inArms);
            Label ranged = constRangeArm(c, arms, prefix, tl, fl, inArms);
            runLoop(inLoop, inArms, () -> {
                armBody(a, prefix);
                cb.lineNumber(++lineCounter);
                Label other = cb.newLabel();
                Label end = cb.newLabel();
                load(c.pred(), ScalarType.PRED);
                cb.ifeq(other);
                armBody(arms.ifTrue(), tl);
                cb.goto_(end);
                cb.labelBinding(other);
                armBody(arms.ifFalse(), fl);
                cb.labelBinding(end);
            });
            if (strided != null) cb.labelBinding(strided);
            if (ranged != null) cb.labelBinding(ranged);
            for (int site : armOnce) hoistFlag.remove(site);
            runLocal.clear();
            lockTerminator(new Terminator.Branch(arms.join()));
        }

        /**
         * {@link ConstRange}: a one-arm if-converted branch with no prefix left in its loop whose predicate is a
         * thread-constant register of a known loop: while every thread of a one-dimensional block is active and the
         * predicate's loop bit is set, the arm runs over the range of threads it selects (found once per launch,
         * {@link ConstRange#range}) without reading the predicate, jumping to the returned label, which the caller
         * binds after the general loop; a selection that is not one range runs the general loop. Null: not emitted.
         */
        private Label constRangeArm(Terminator.CondBranch c, IfConversion.Arms arms, List<Integer> prefix,
                List<Integer> tl, List<Integer> fl, List<org.transcuda.ir.Stmt> inArms) {
            if (!ConstRange.ENABLED || shape != LOCK || !prefix.isEmpty()
                    || (arms.ifTrue() == null) == (arms.ifFalse() == null) || !(c.pred() instanceof Reg p)
                    || !threadConst.get(p.id()) || runLocal.get(p.id()) || uniform.get(p.id())
                    || !(threadConstRegBit.get(p.id()) instanceof Integer pb)) {
                return null;
            }
            boolean onTrue = arms.ifTrue() != null;
            Block arm = onTrue ? arms.ifTrue() : arms.ifFalse();
            List<Integer> lanes = onTrue ? tl : fl;
            if (lanes.isEmpty()) return null;
            int rb = threadConstBits.computeIfAbsent(((long) segment << 32) | (3L << 29) | p.id(),
                    k -> threadConstBits.size());
            if (rb >= ThreadConst.MAX_LOOPS) return null;
            Label general = cb.newLabel();
            Label done = cb.newLabel();
            cb.iload(fullSlot).ifeq(general);
            cb.aload(eSlot).getfield(CD_EXEC, "lconst", CD_long).loadConstant(1L << pb).land().lconst_0().lcmp()
                    .ifeq(general);
            ensureLocal(p.id());
            cb.aload(eSlot).aload(arr(p.id())).loadConstant(onTrue ? 1 : 0).loadConstant(rb);
            inv(ConstRange.class, "range", Exec.class, int[].class, boolean.class, int.class);
            int range = cb.allocateLocal(TypeKind.LONG);
            cb.dup2().lstore(range).lconst_0().lcmp().iflt(general);
            int lo = cb.allocateLocal(TypeKind.INT);
            int hi = cb.allocateLocal(TypeKind.INT);
            cb.lload(range).bipush(32).lushr().l2i().istore(lo);
            cb.lload(range).l2i().istore(hi);
            if (!constRuns(arm, lanes, lo, hi, inArms)) runLoop(List.of(), inArms, () -> armBody(arm, lanes), lo, hi);
            countIn("constRanges");
            cb.goto_(done);
            cb.labelBinding(general);
            return done;
        }

        /**
         * {@link ConstRuns}: in a {@link ConstRange} arm over {@code [lo, hi)} (locals) whose first statement is an
         * unguarded weak 32-bit shared load into a JVM local from a {@link ThreadConst} register (int) plus a constant
         * and whose other statements are register statements, emits: when the address register's loop bit is set and
         * its runs over the range are long ({@link ConstRuns#runs}), per run the load for the run's first thread, then
         * the other statements over the run's threads; else the arm's range loop. False: not emitted.
         */
        private boolean constRuns(Block arm, List<Integer> lanes, int lo, int hi,
                List<org.transcuda.ir.Stmt> inArms) {
            if (!ConstRuns.ENABLED || lanes.size() < 2) return false;
            org.transcuda.ir.Stmt first = arm.stmts().get(lanes.get(0));
            if (first.guard() != null || !(first.inst() instanceof Inst.Load l) || l.space() != AddressSpace.SHARED
                    || l.order() != Memory.Order.WEAK || kind(l.type()) != TypeKind.INT || l.type().bits() != 32
                    || !(l.address().base() instanceof Reg a) || !threadConst.get(a.id()) || runLocal.get(a.id())
                    || uniform.get(a.id()) || regKind[a.id()] != TypeKind.INT
                    || !(threadConstRegBit.get(a.id()) instanceof Integer ab) || !runLocal.get(l.dst().id())) {
                return false;
            }
            for (int k = 1; k < lanes.size(); k++) {
                org.transcuda.ir.Stmt st = arm.stmts().get(lanes.get(k));
                if (!pureLane(st)) return false;
                for (Reg d : st.inst().defs()) if (d.id() == l.dst().id() || d.id() == a.id()) return false;
            }
            int rb = threadConstBits.computeIfAbsent(((long) segment << 32) | (2L << 29) | a.id(),
                    k -> threadConstBits.size());
            if (rb >= ThreadConst.MAX_LOOPS) return false;
            List<Integer> rest = lanes.subList(1, lanes.size());
            // ConstRunsVec: the rest one wrapping 32-bit add of the value to a per-thread register (d = x + s)
            Reg vd = null, vs = null;
            if (ConstRunsVec.ENABLED && LaneVec.AVAILABLE && rest.size() == 1
                    && arm.stmts().get(rest.get(0)).guard() == null
                    && arm.stmts().get(rest.get(0)).inst() instanceof Inst.Compute add && add.op() == Opcode.ADD
                    && add.mode().equals(FloatMode.NONE) && kind(add.type()) == TypeKind.INT
                    && add.type().bits() == 32 && add.srcs().size() == 2) {
                Value x0 = add.srcs().get(0), x1 = add.srcs().get(1);
                Value other = x0 instanceof Reg r0 && r0.id() == l.dst().id() ? x1
                        : x1 instanceof Reg r1 && r1.id() == l.dst().id() ? x0 : null;
                if (other instanceof Reg o && o.id() != l.dst().id() && perThreadIntArray(o)
                        && perThreadIntArray(add.dst())) {
                    vd = add.dst();
                    vs = o;
                }
            }
            Label plain = cb.newLabel();
            Label done = cb.newLabel();
            cb.aload(eSlot).getfield(CD_EXEC, "lconst", CD_long).loadConstant(1L << ab).land().lconst_0().lcmp()
                    .ifeq(plain);
            ensureLocal(a.id());
            cb.aload(eSlot).aload(arr(a.id())).iload(lo).iload(hi).loadConstant(rb);
            inv(ConstRuns.class, "runs", Exec.class, int[].class, int.class, int.class, int.class);
            int runs = cb.allocateLocal(TypeKind.REFERENCE);
            cb.dup().astore(runs).ifnull(plain);
            int k = cb.allocateLocal(TypeKind.INT);
            int s = cb.allocateLocal(TypeKind.INT);
            int end = cb.allocateLocal(TypeKind.INT);
            Label outer = cb.newLabel();
            Label last = cb.newLabel();
            // WarpRuns: with the load's ArmShared flag set, the run loop as one call
            Integer once = hoistFlag.get(sites.get(l));
            if (WarpRuns.ENABLED && vd != null && once != null && !(affineLoop && affineSite.containsKey(sites.get(l)))
                    && !(affineRegs.get(a.id()) instanceof SharedAffine.Form) && a.type().bits() == 32) {
                Label loop = cb.newLabel();
                cb.iload(once).ifeq(loop);
                ensureLocal(vd.id());
                ensureLocal(vs.id());
                cb.aload(eSlot).aload(arr(vd.id())).aload(arr(vs.id())).aload(arr(a.id()))
                        .loadConstant(l.address().offset()).loadConstant(signed(a.type()) ? 1 : 0).aload(runs);
                inv(WarpRuns.class, "add", Exec.class, int[].class, int[].class, int[].class, long.class,
                        boolean.class, int[].class);
                cb.goto_(last);
                cb.labelBinding(loop);
            }
            cb.iconst_0().istore(k);
            cb.labelBinding(outer);
            cb.iload(k).aload(runs).arraylength().iconst_1().isub().if_icmpge(last);
            cb.aload(runs).iload(k).iaload().dup().istore(s).istore(tSlot);
            cb.aload(runs).iload(k).iconst_1().iadd().iaload().istore(end);
            cb.lineNumber(++lineCounter);
            stmt(arm, lanes.get(0), first);
            if (vd != null) {
                ensureLocal(vd.id());
                ensureLocal(vs.id());
                cb.aload(arr(vd.id())).aload(arr(vs.id()));
                load(l.dst(), l.type());
                cb.iload(s).iload(end);
                inv(ConstRunsVec.class, "add", int[].class, int[].class, int.class, int.class, int.class);
                countIn("constRunVecs");
            } else {
                rangeLoop(s, end, () -> armBody(arm, rest));
            }
            cb.iinc(k, 1).goto_(outer);
            cb.labelBinding(last);
            cb.aload(eSlot).dup().getfield(CD_EXEC, "constRunLoads", CD_long).aload(runs).arraylength().iconst_1()
                    .isub().i2l().ladd().putfield(CD_EXEC, "constRunLoads", CD_long);
            cb.goto_(done);
            cb.labelBinding(plain);
            runLoop(List.of(), inArms, () -> armBody(arm, lanes), lo, hi);
            cb.labelBinding(done);
            return true;
        }

        /** A per-thread 32-bit integer register held in its array (not a run local, not block-uniform). */
        private boolean perThreadIntArray(Reg r) {
            return !runLocal.get(r.id()) && !uniform.get(r.id()) && regKind[r.id()] == TypeKind.INT;
        }

        /**
         * Locals {@code lo[k]}, {@code hi[k]}, {@code or[k]} of a prescan of 64-bit addresses (their minimum, maximum
         * and OR over the threads), initialized to {@code Long.MAX_VALUE}, {@code Long.MIN_VALUE} and 0.
         */
        private void prescanLocals(int[] lo, int[] hi, int[] or, int k) {
            lo[k] = cb.allocateLocal(TypeKind.LONG);
            hi[k] = cb.allocateLocal(TypeKind.LONG);
            or[k] = cb.allocateLocal(TypeKind.LONG);
            cb.loadConstant(Long.MAX_VALUE).lstore(lo[k]);
            cb.loadConstant(Long.MIN_VALUE).lstore(hi[k]);
            cb.lconst_0().lstore(or[k]);
        }

        /**
         * LOCK shape, the fused loop of a one-arm if-conversion: {@link ArmShared}'s prescan over the active threads
         * for the arm's unguarded 32-bit {@code ld.shared} at a register plus a constant, the register and the
         * branch's predicate written by no statement of the loop; one {@link ArmShared#fits} per load into a flag
         * ({@link #hoistFlag}) with which the loop's load skips its check. Returns the sites flagged.
         */
        private List<Integer> armSharedChecks(Terminator.CondBranch c, IfConversion.Arms arms, List<Integer> tl,
                List<Integer> fl, List<org.transcuda.ir.Stmt> inLoop, List<org.transcuda.ir.Stmt> inArms) {
            if (!ArmShared.ENABLED || shape != LOCK || (arms.ifTrue() == null) == (arms.ifFalse() == null)) {
                return List.of();
            }
            BitSet written = new BitSet();
            for (org.transcuda.ir.Stmt st : inLoop) for (Reg d : st.inst().defs()) written.set(d.id());
            for (org.transcuda.ir.Stmt st : inArms) for (Reg d : st.inst().defs()) written.set(d.id());
            if (!(c.pred() instanceof Reg pr) || written.get(pr.id())) return List.of();
            Block arm = arms.ifTrue() != null ? arms.ifTrue() : arms.ifFalse();
            List<Integer> lanes = arms.ifTrue() != null ? tl : fl;
            List<Inst.Load> loads = new ArrayList<>();
            for (int j : lanes) {
                org.transcuda.ir.Stmt st = arm.stmts().get(j);
                if (st.guard() == null && st.inst() instanceof Inst.Load l && l.space() == AddressSpace.SHARED
                        && l.order() == Memory.Order.WEAK && kind(l.type()) == TypeKind.INT && l.type().bits() == 32
                        && l.address().base() instanceof Reg base && !written.get(base.id())
                        && !hoistFlag.containsKey(sites.get(l)) && !affineSite.containsKey(sites.get(l))) {
                    loads.add(l);
                }
            }
            if (loads.isEmpty()) return List.of();
            boolean onTrue = arms.ifTrue() != null;
            if (ArmShared.PRESCAN32) {
                boolean all32 = true;
                for (Inst.Load l : loads) {
                    ScalarType bt = ((Reg) l.address().base()).type();
                    all32 &= kind(bt) == TypeKind.INT && bt.bits() == 32 && !signed(bt);
                }
                if (all32) return armPrescan32(c.pred(), onTrue, loads);
            }
            int n = loads.size();
            int[] lo = new int[n], hi = new int[n], or = new int[n];
            for (int k = 0; k < n; k++) prescanLocals(lo, hi, or, k);
            int a = cb.allocateLocal(TypeKind.LONG);
            laneLoop(() -> {
                Label skip = cb.newLabel();
                load(c.pred(), ScalarType.PRED);
                if (onTrue) cb.ifeq(skip);
                else cb.ifne(skip);
                for (int k = 0; k < n; k++) {
                    address(loads.get(k).address());
                    cb.lstore(a);
                    cb.lload(lo[k]).lload(a);
                    inv(Math.class, "min", long.class, long.class);
                    cb.lstore(lo[k]);
                    cb.lload(hi[k]).lload(a);
                    inv(Math.class, "max", long.class, long.class);
                    cb.lstore(hi[k]);
                    cb.lload(or[k]).lload(a).lor().lstore(or[k]);
                }
                cb.labelBinding(skip);
            });
            List<Integer> flagged = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                int site = sites.get(loads.get(k));
                int flag = cb.allocateLocal(TypeKind.INT);
                cb.aload(eSlot).lload(lo[k]).lload(hi[k]).lload(or[k]).iconst_2();
                inv(ArmShared.class, "fits", Exec.class, long.class, long.class, long.class, int.class);
                cb.istore(flag);
                hoistFlag.put(site, flag);
                flagged.add(site);
            }
            return flagged;
        }

        /**
         * {@link #armSharedChecks}' prescan when every load's base register is an unsigned 32-bit integer (its address
         * {@code zext(reg) + offset}): branch-free and in 32 bits ({@link ArmShared#fits32}), so that the loop has no
         * branch and only int reductions. Per thread a mask {@code m} (-1 where the predicate selects the arm, else 0)
         * makes the unselected threads neutral: the unsigned minimum and maximum of the register (kept sign-flipped,
         * so that signed {@code Math.min/max} order them as unsigned), the OR and the AND of its values.
         */
        private List<Integer> armPrescan32(Value pred, boolean onTrue, List<Inst.Load> loads) {
            int n = loads.size();
            int[] lo = new int[n], hi = new int[n], or = new int[n], and = new int[n];
            for (int k = 0; k < n; k++) {
                lo[k] = cb.allocateLocal(TypeKind.INT);
                hi[k] = cb.allocateLocal(TypeKind.INT);
                or[k] = cb.allocateLocal(TypeKind.INT);
                and[k] = cb.allocateLocal(TypeKind.INT);
                cb.loadConstant(Integer.MAX_VALUE).istore(lo[k]);
                cb.loadConstant(Integer.MIN_VALUE).istore(hi[k]);
                cb.iconst_0().istore(or[k]);
                cb.iconst_m1().istore(and[k]);
            }
            int m = cb.allocateLocal(TypeKind.INT), nm = cb.allocateLocal(TypeKind.INT);
            int r = cb.allocateLocal(TypeKind.INT);
            int[] flags = new int[n];
            for (int k = 0; k < n; k++) {
                flags[k] = cb.allocateLocal(TypeKind.INT);
                cb.iconst_0().istore(flags[k]);
            }
            // ThreadConst: predicate and bases thread-constant, their loops known: a passed check holds for the launch
            long need = -1;
            int cbit = -1;
            if (ThreadConst.ENABLED && ThreadConst.PRESCAN && pred instanceof Reg pr && threadConst.get(pr.id())
                    && threadConstRegBit.get(pr.id()) instanceof Integer pb) {
                need = 1L << pb;
                for (Inst.Load l : loads) {
                    Integer bb = threadConstRegBit.get(((Reg) l.address().base()).id());
                    if (!threadConst.get(((Reg) l.address().base()).id()) || bb == null) need = -1;
                    else if (need >= 0) need |= 1L << bb;
                }
                if (need >= 0) {
                    cbit = threadConstBits.computeIfAbsent(((long) segment << 32) | (1L << 31) | sites.get(loads.get(0)),
                            k -> threadConstBits.size());
                    if (cbit >= ThreadConst.MAX_LOOPS) cbit = -1;
                }
            }
            Label scan = cb.newLabel();
            Label after = cb.newLabel();
            if (cbit >= 0) {
                cb.aload(eSlot).getfield(CD_EXEC, "lconst", CD_long).loadConstant(1L << cbit).land().lconst_0().lcmp()
                        .ifeq(scan);
                for (int k = 0; k < n; k++) cb.iconst_1().istore(flags[k]);
                cb.aload(eSlot).dup().getfield(CD_EXEC, "armShared", CD_long).loadConstant((long) n).ladd()
                        .putfield(CD_EXEC, "armShared", CD_long);
                countIn("constChecks");
                cb.goto_(after);
            }
            cb.labelBinding(scan);
            Runnable prescan = () -> {
                // b = (p != 0) as 0/1; m = -b (the arm on true) or b - 1 (the arm on false); nm = ~m
                load(pred, ScalarType.PRED);
                cb.dup().ineg().ior().bipush(31).iushr();
                if (onTrue) cb.ineg();
                else cb.iconst_1().isub();
                cb.dup().istore(m).iconst_m1().ixor().istore(nm);
                for (int k = 0; k < n; k++) {
                    Reg base = (Reg) loads.get(k).address().base();
                    ensureLocal(base.id());
                    loadRegRaw(base.id());
                    cb.istore(r);
                    cb.iload(lo[k]).iload(r).iload(nm).ior().loadConstant(Integer.MIN_VALUE).ixor();
                    inv(Math.class, "min", int.class, int.class);
                    cb.istore(lo[k]);
                    cb.iload(hi[k]).iload(r).iload(m).iand().loadConstant(Integer.MIN_VALUE).ixor();
                    inv(Math.class, "max", int.class, int.class);
                    cb.istore(hi[k]);
                    cb.iload(or[k]).iload(r).iload(m).iand().ior().istore(or[k]);
                    cb.iload(and[k]).iload(r).iload(nm).ior().iand().istore(and[k]);
                }
            };
            if (cbit >= 0 && PartialConst.ENABLED) {
                // PartialConst: not every thread active, every thread's registers present: the prescan over every
                // thread of the block; kept when every check passes, else the prescan over the active threads
                Label general = cb.newLabel();
                Label failed = cb.newLabel();
                cb.iload(fullSlot).ifne(general);
                cb.aload(eSlot).getfield(CD_EXEC, "lconst", CD_long).loadConstant(need).land().loadConstant(need)
                        .lcmp().ifne(general);
                allLanes(prescan);
                for (int k = 0; k < n; k++) {
                    cb.aload(eSlot).iload(lo[k]).iload(hi[k]).iload(or[k]).iload(and[k])
                            .loadConstant(loads.get(k).address().offset()).iconst_2();
                    inv(ArmShared.class, "holds32", Exec.class, int.class, int.class, int.class, int.class, long.class,
                            int.class);
                    cb.ifeq(failed);
                }
                for (int k = 0; k < n; k++) cb.iconst_1().istore(flags[k]);
                cb.aload(eSlot).dup().getfield(CD_EXEC, "armShared", CD_long).loadConstant((long) n).ladd()
                        .putfield(CD_EXEC, "armShared", CD_long);
                countIn("partialConst");
                cb.aload(eSlot).dup().getfield(CD_EXEC, "lconst", CD_long).loadConstant(1L << cbit).lor()
                        .putfield(CD_EXEC, "lconst", CD_long);
                cb.goto_(after);
                cb.labelBinding(failed);
                for (int k = 0; k < n; k++) {
                    cb.loadConstant(Integer.MAX_VALUE).istore(lo[k]);
                    cb.loadConstant(Integer.MIN_VALUE).istore(hi[k]);
                    cb.iconst_0().istore(or[k]);
                    cb.iconst_m1().istore(and[k]);
                }
                cb.labelBinding(general);
            }
            laneLoop(prescan);
            List<Integer> flagged = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                int site = sites.get(loads.get(k));
                int flag = flags[k];
                cb.aload(eSlot).iload(lo[k]).iload(hi[k]).iload(or[k]).iload(and[k])
                        .loadConstant(loads.get(k).address().offset()).iconst_2();
                inv(ArmShared.class, "fits32", Exec.class, int.class, int.class, int.class, int.class, long.class,
                        int.class);
                cb.istore(flag);
                hoistFlag.put(site, flag);
                flagged.add(site);
            }
            if (cbit >= 0) {
                // kept when every thread was scanned, every check passed and every thread's registers were defined
                cb.iload(fullSlot).ifeq(after);
                for (int k = 0; k < n; k++) cb.iload(flags[k]).ifeq(after);
                cb.aload(eSlot).getfield(CD_EXEC, "lconst", CD_long).loadConstant(need).land().loadConstant(need)
                        .lcmp().ifne(after);
                cb.aload(eSlot).dup().getfield(CD_EXEC, "lconst", CD_long).loadConstant(1L << cbit).lor()
                        .putfield(CD_EXEC, "lconst", CD_long);
            }
            cb.labelBinding(after);
            return flagged;
        }

        /**
         * An if-converted triangle after a register-only prefix whose one arm is a few statements (scan's
         * {@code if (lane == 31) warpSums[warp] = v}): the prefix for every active thread in one loop (no memory: it
         * can fault nowhere and touches nothing another thread reads, so running it for all threads first is one of
         * the schedules of the fused loop, as in {@link #lockArmRange}), then a second loop over the active threads
         * that runs the arm where the predicate selects it, with the arm's accesses checked per access as in the
         * fused loop. The prefix's loop then holds no call or memory access ({@code -Dtranscuda.cpu.splitArms=false}:
         * the fused loop). Returns false (nothing emitted) when the branch is not of this shape.
         */
        private boolean splitArm(Block a, IfConversion.Arms arms, List<Integer> prefix, List<Integer> tl,
                List<Integer> fl) {
            if ((arms.ifTrue() == null) == (arms.ifFalse() == null) || prefix.isEmpty()) return false;
            Block arm = arms.ifTrue() != null ? arms.ifTrue() : arms.ifFalse();
            List<Integer> lanes = arms.ifTrue() != null ? tl : fl;
            if (lanes.isEmpty() || lanes.size() > 4) return false;
            if (!prefix.stream().allMatch(j -> pureLane(a.stmts().get(j)))) return false;
            if (lanes.stream().anyMatch(j -> needsThread(arm.stmts().get(j).inst()))) return false;
            Terminator.CondBranch c = (Terminator.CondBranch) a.terminator();
            List<org.transcuda.ir.Stmt> pre = prefix.stream().map(a.stmts()::get).toList();
            runLocals(a, prefix);
            runLoop(pre, List.of(), () -> armBody(a, prefix));
            runLocal.clear();
            List<org.transcuda.ir.Stmt> armStmts = lanes.stream().map(arm.stmts()::get).toList();
            runLocals(arm, lanes);
            // the prefix ran to its end for every thread: the arm's loop is the fused loop of an empty prefix
            Label strided = strideArm(c, arm, lanes, arms.ifTrue() != null);
            List<Integer> armOnce = armSharedChecks(c, arms, tl, fl, List.of(), armStmts);
            runLoop(List.of(), armStmts, () -> {
                cb.lineNumber(++lineCounter);
                Label skip = cb.newLabel();
                load(c.pred(), ScalarType.PRED);
                if (arms.ifTrue() != null) cb.ifeq(skip);
                else cb.ifne(skip);
                armBody(arm, lanes);
                cb.labelBinding(skip);
            });
            if (strided != null) cb.labelBinding(strided);
            for (int site : armOnce) hoistFlag.remove(site);
            runLocal.clear();
            lockTerminator(new Terminator.Branch(arms.join()));
            return true;
        }

        /**
         * {@link LaneStride}: when the one arm {@code lanes} of {@code arm}, run where the branch's predicate is
         * {@code onTrue}, is taken where {@code (tid.x & m) == c}, emits the arm's loop over the threads {@code c, c +
         * m + 1, ...} for a block with every thread active and one dimension, jumping to the returned label, which the
         * caller binds after the general loop that follows; else emits nothing and returns null.
         */
        private Label strideArm(Terminator.CondBranch c, Block arm, List<Integer> lanes, boolean onTrue) {
            if (!LaneStride.ENABLED || shape != LOCK || !(c.pred() instanceof Reg p) || lanes.isEmpty()) return null;
            LaneStride.Stride s = LaneStride.of(f, p, onTrue);
            if (s == null) return null;
            for (int j : lanes) {
                org.transcuda.ir.Stmt st = arm.stmts().get(j);
                if (needsThread(st.inst())) return null;
                for (Reg d : st.inst().defs()) {
                    if (d.id() == s.pred().id() || d.id() == s.masked().id() || d.id() == s.tid().id()) return null;
                }
            }
            Label general = cb.newLabel();
            Label loop = cb.newLabel();
            Label done = cb.newLabel();
            cb.iload(fullSlot).ifeq(general);
            cb.aload(eSlot).getfield(CD_EXEC, "ntx", CD_int).iload(nSlot).if_icmpne(general);
            countIn("strideArms");
            cb.loadConstant(s.first()).istore(tSlot);
            cb.labelBinding(loop);
            cb.iload(tSlot).iload(nSlot).if_icmpge(done);
            armBody(arm, lanes);
            cb.iload(tSlot).loadConstant(s.step()).iadd().istore(tSlot);
            cb.goto_(loop);
            cb.labelBinding(general);
            return done;
        }

        /** A register-only statement (no memory, no call, no collective, unguarded or not). */
        private static boolean pureLane(org.transcuda.ir.Stmt st) {
            return st.inst() instanceof Inst.Compute || st.inst() instanceof Inst.Compare
                    || st.inst() instanceof Inst.Mov || st.inst() instanceof Inst.Convert
                    || st.inst() instanceof Inst.ReadSpecial;
        }

        /** Emits the arm's block-uniform definitions (once, here) and returns its per-thread statements. */
        private List<Integer> armLanes(Block arm) {
            List<Integer> lanes = new ArrayList<>();
            if (arm == null) return lanes;
            for (int j = 0; j < arm.stmts().size(); j++) {
                if (uniformDef(arm.stmts().get(j))) stmt(arm, j, arm.stmts().get(j));
                else lanes.add(j);
            }
            return lanes;
        }

        private void armBody(Block arm, List<Integer> lanes) {
            if (arm == null) return;
            for (int j : lanes) {
                if (needsThread(arm.stmts().get(j).inst())) {
                    cb.aload(eSlot).iload(tSlot).invokevirtual(CD_EXEC, "thread", MethodTypeDesc.of(CD_void, CD_int));
                }
                stmt(arm, j, arm.stmts().get(j));
            }
        }

        /** Instructions that need {@link Exec#thread} set to the lane (local memory, calls). */
        private boolean needsThread(Inst i) {
            AddressSpace sp = switch (i) {
                case Inst.Load l -> l.space();
                case Inst.Store x -> x.space();
                case Inst.Atomic a -> a.space();
                default -> null;
            };
            return i instanceof Inst.Call || sp == AddressSpace.LOCAL || sp == AddressSpace.GENERIC;
        }

        /** LOCK shape: registers held in JVM locals inside the current lane loop (see {@link #runLocals}). */
        private final BitSet runLocal = new BitSet();
        private int[] runSlot;
        /** LOCK shape: per register, the number of statements and terminators of the function that mention it. */
        private int[] mentions;

        /**
         * Marks the registers that live only inside this run of statements as JVM locals for its lane loop: every
         * statement or terminator of the function that mentions the register is in the run, and in the run the
         * first mention is an unguarded definition (so each thread defines it before it reads it, in the same
         * iteration). The other registers stay in their arrays.
         */
        private void runLocals(Block b, List<Integer> run) {
            runLocal.clear();
            if (mentions == null) {
                mentions = new int[f.regs().size()];
                runSlot = new int[f.regs().size()];
                java.util.Arrays.fill(runSlot, -1);
                for (Block x : f.blocks()) {
                    for (var st : x.stmts()) for (int id : mentioned(st)) mentions[id]++;
                    for (Value v : x.terminator().uses()) if (v instanceof Reg r) mentions[r.id()]++;
                }
            }
            if (!RUN_LOCALS) return;
            Map<Integer, Integer> inRun = new HashMap<>();
            BitSet seen = new BitSet();
            BitSet ok = new BitSet();
            for (int j : run) {
                org.transcuda.ir.Stmt st = b.stmts().get(j);
                BitSet used = new BitSet();
                if (st.guard() != null) used.set(st.guard().id());
                for (Value v : st.inst().uses()) if (v instanceof Reg r) used.set(r.id());
                if (st.inst() instanceof Inst.Load l && l.address().base() instanceof Reg r) used.set(r.id());
                for (int id = used.nextSetBit(0); id >= 0; id = used.nextSetBit(id + 1)) seen.set(id);
                for (Reg d : st.inst().defs()) {
                    if (!seen.get(d.id()) && st.guard() == null) ok.set(d.id());
                    seen.set(d.id());
                }
                for (int id : mentioned(st)) inRun.merge(id, 1, Integer::sum);
            }
            for (int id = ok.nextSetBit(0); id >= 0; id = ok.nextSetBit(id + 1)) {
                if (uniform.get(id) || inRun.getOrDefault(id, 0) != mentions[id]) continue;
                runLocal.set(id);
                if (runSlot[id] < 0) runSlot[id] = cb.allocateLocal(regKind[id]);
            }
        }

        /** The registers a statement mentions (each once). */
        private java.util.Set<Integer> mentioned(org.transcuda.ir.Stmt st) {
            java.util.Set<Integer> ids = new java.util.HashSet<>();
            if (st.guard() != null) ids.add(st.guard().id());
            for (Value v : st.inst().uses()) if (v instanceof Reg r) ids.add(r.id());
            for (Reg d : st.inst().defs()) ids.add(d.id());
            return ids;
        }

        /** LOCK shape: block-uniform registers (JVM locals, not arrays; see {@link #uniformRegs}). */
        private BitSet uniform = new BitSet();

        /**
         * Registers whose value is the same for every thread of the block and never changes once defined: exactly
         * one definition in the kernel, unguarded, a register-only instruction ({@code mov}, arithmetic, compare,
         * conversion, {@code cvta}) of constants, module/parameter symbols and other such registers, a kernel
         * parameter load, or a block-wide special register ({@code %ctaid}, {@code %ntid}, {@code %nctaid}, ...).
         * The lockstep code computes them once, where they are defined, for all threads.
         */
        private BitSet uniformRegs() {
            Map<Integer, Integer> defs = new HashMap<>();
            Map<Integer, org.transcuda.ir.Stmt> def = new HashMap<>();
            for (Block b : f.blocks()) {
                for (var st : b.stmts()) {
                    for (Reg d : st.inst().defs()) {
                        defs.merge(d.id(), 1, Integer::sum);
                        def.put(d.id(), st);
                    }
                }
            }
            BitSet u = new BitSet();
            boolean changed = true;
            while (changed) {
                changed = false;
                for (var en : def.entrySet()) {
                    int id = en.getKey();
                    if (u.get(id) || defs.get(id) != 1) continue;
                    org.transcuda.ir.Stmt st = en.getValue();
                    if (st.guard() != null || st.inst().defs().size() != 1) continue;
                    boolean ok = switch (st.inst()) {
                        case Inst.Mov m -> true;
                        case Inst.Compute c -> true;
                        case Inst.Compare c -> true;
                        case Inst.Convert c -> true;
                        case Inst.Cvta c -> true;
                        case Inst.Load l -> l.space() == AddressSpace.PARAM && isKernel && l.order() == Memory.Order.WEAK
                                && l.address().base() instanceof SymbolAddr sa && kernelParams.containsKey(sa.symbol());
                        case Inst.ReadSpecial r -> switch (r.which()) {
                            case NTID_X, NTID_Y, NTID_Z, CTAID_X, CTAID_Y, CTAID_Z, NCTAID_X, NCTAID_Y, NCTAID_Z,
                                    NWARPID, SMID, NSMID, GRIDID, DYNAMIC_SMEM_SIZE, TOTAL_SMEM_SIZE -> true;
                            default -> false;
                        };
                        default -> false;
                    };
                    if (!ok || st.inst() instanceof Inst.Load || st.inst() instanceof Inst.ReadSpecial) {
                        if (ok) {
                            u.set(id);
                            changed = true;
                        }
                        continue;
                    }
                    for (Value v : st.inst().uses()) {
                        if (v instanceof Reg r && !u.get(r.id())) ok = false;
                        if (v instanceof SymbolAddr sa && constSymbol(sa) == null) ok = false;
                    }
                    if (ok) {
                        u.set(id);
                        changed = true;
                    }
                }
            }
            return u;
        }

        /** A conditional branch on a block-uniform register, taken as a plain jump while every thread is active. */
        private boolean uniformJump(Terminator t) {
            return MultiDefUniform.ENABLED && t instanceof Terminator.CondBranch c && c.pred() instanceof Reg p
                    && uniform.get(p.id());
        }

        /** True when {@code st} defines only block-uniform registers (it runs once, not per thread). */
        private boolean uniformDef(org.transcuda.ir.Stmt st) {
            List<Reg> d = st.inst().defs();
            return !d.isEmpty() && d.stream().allMatch(r -> uniform.get(r.id()));
        }

        /**
         * The array kind of a global load/store that can take the coalesced path ({@link #lockBulk}): weak, 4 or 8
         * bytes, unguarded, address register and value register per thread, of the access's own kind; else null.
         */
        private TypeKind bulkKind(org.transcuda.ir.Stmt st) {
            if (st.guard() != null) return null;
            AddressSpace space;
            ScalarType t;
            Address a;
            Value v;
            Memory.Order o;
            switch (st.inst()) {
                case Inst.Load l -> {
                    space = l.space();
                    t = l.type();
                    a = l.address();
                    v = l.dst();
                    o = l.order();
                }
                case Inst.Store x -> {
                    space = x.space();
                    t = x.type();
                    a = x.address();
                    v = x.src();
                    o = x.order();
                }
                default -> {
                    return null;
                }
            }
            if (space != AddressSpace.GLOBAL || o != Memory.Order.WEAK || (t.bytes() != 4 && t.bytes() != 8)) return null;
            if (!(a.base() instanceof Reg base) || uniform.get(base.id()) || regKind[base.id()] != TypeKind.LONG) {
                return null;
            }
            if (!(v instanceof Reg r) || uniform.get(r.id()) || r.type().bytes() != t.bytes() || r.id() == base.id()) {
                return null;
            }
            TypeKind k = kind(t);
            return regKind[r.id()] == k && k == kind(r.type()) ? k : null;
        }

        /**
         * A global load or store with its coalesced path: while every thread is active and their addresses are
         * consecutive, {@link Lockstep} checks the whole range once and copies it in bulk; otherwise (or when the
         * range is not inside the allocation the instruction last hit) the per-thread checked loop runs.
         */
        private void lockBulk(Block b, int si, org.transcuda.ir.Stmt st) {
            TypeKind k = bulkKind(st);
            Label slow = cb.newLabel();
            Label done = cb.newLabel();
            cb.iload(fullSlot).ifeq(slow);
            Address a;
            Reg v;
            String op;
            if (st.inst() instanceof Inst.Load l) {
                a = l.address();
                v = l.dst();
                op = "ld";
            } else {
                Inst.Store x = (Inst.Store) st.inst();
                a = x.address();
                v = (Reg) x.src();
                op = "st";
            }
            Class<?> arr = switch (k) {
                case INT -> int[].class;
                case LONG -> long[].class;
                case FLOAT -> float[].class;
                default -> double[].class;
            };
            cb.aload(siteLocal(sites.get(st.inst())));
            cb.aload(arr(((Reg) a.base()).id())).loadConstant(a.offset());
            cb.aload(arr(v.id())).iload(nSlot);
            inv(Lockstep.class, op, SiteCache.class, long[].class, long.class, arr, int.class);
            cb.ifne(done);
            cb.labelBinding(slow);
            laneLoop(() -> stmt(b, si, st));
            cb.labelBinding(done);
        }

        /**
         * The lockstep engine's global accesses whose address is affine in the thread index ({@link AffineSites},
         * the thread engine's analysis, reused: one per kernel, found when segment 0 is compiled): segment 0, which
         * every block starts with, checks them once for the block ({@link AffineSites#check} into {@link
         * Exec#lglob}; again when a loop comes back to it: the same answer) and each segment method turns the mask
         * into one int flag per site, with which the lane loops' loads and stores skip their per-access check
         * ({@code Mem.hgld*}/{@code hgst*}, see {@link #loadInst}); a clear bit keeps the checked access, so a bad
         * address faults at its thread and instruction. The check covers every thread of the block, so the flags
         * hold for any set of active threads (divergent code, if-converted arms).
         */
        private void lockGlobalFlags() {
            if (segment == 0) {
                if (LOCK_GLOBAL && affineSites == null) affineSites = AffineSites.analyze(f, sites, kernelParams);
                lockGlobal = LOCK_GLOBAL && affineSites != null;
            }
            if (!lockGlobal) return;
            AffineSites a = affineSites;
            if (segment == 0) {
                cb.aload(eSlot).dup();
                inv(AffineSites.class, "check", Exec.class);
                cb.putfield(CD_EXEC, "lglob", CD_long);
            }
            // flags only for the sites this segment has (its statements and its if-converted arms): a segment
            // without any keeps its size (small segment methods stay inlinable into the dispatcher)
            int[] sg = lockSegs.get(segment);
            Block b = f.blocks().get(sg[0]);
            java.util.Set<Inst> here = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            for (int si = sg[1]; si < sg[2]; si++) here.add(b.stmts().get(si).inst());
            if (sg[3] == 0 && ifArms.get(b.label()) instanceof IfConversion.Arms arms) {
                for (Block arm : new Block[] {arms.ifTrue(), arms.ifFalse()}) {
                    if (arm != null) for (var st : arm.stmts()) here.add(st.inst());
                }
            }
            int m = -1;
            for (int j = 0; j < a.count(); j++) {
                // this method's own number of site j (each generated method numbers its sites anew)
                if (!here.contains(a.inst[j])) continue;
                if (m < 0) {
                    m = cb.allocateLocal(TypeKind.LONG);
                    cb.aload(eSlot).getfield(CD_EXEC, "lglob", CD_long).lstore(m);
                }
                int slot = cb.allocateLocal(TypeKind.INT);
                cb.lload(m).loadConstant(j).lushr().l2i().iconst_1().iand().istore(slot);
                hoistFlag.put(sites.get(a.inst[j]), slot);
            }
        }

        /** {@link PtrStep}: pointer registers advanced by a block-uniform step somewhere (LOCK shape). */
        private BitSet stepRegs;
        /** {@link PtrStep}: of them, those the current segment defines otherwise (dropped on entry, never kept). */
        private BitSet stepDirty = new BitSet();

        /**
         * {@link PtrStep}: the register that {@code st} advances by a block-uniform step ({@code R = add.s64/u64 R,
         * U}, unguarded, {@code U} a constant or a block-uniform register other than {@code R}), and {@code U}; else
         * null.
         */
        private Value[] ptrStepOf(org.transcuda.ir.Stmt st) {
            if (st.guard() != null || !(st.inst() instanceof Inst.Compute c) || c.op() != Opcode.ADD
                    || c.type().bits() != 64 || c.type().kind() == ScalarType.Kind.FLOAT || c.srcs().size() != 2) {
                return null;
            }
            Reg d = c.dst();
            if (regKind[d.id()] != TypeKind.LONG || uniform.get(d.id()) || threadConst.get(d.id())) return null;
            for (int i = 0; i < 2; i++) {
                Value x = c.srcs().get(i), u = c.srcs().get(1 - i);
                if (x instanceof Reg r && r.id() == d.id()
                        && (u instanceof Const || (u instanceof Reg ur && ur.id() != d.id() && uniform.get(ur.id())))) {
                    return new Value[] {d, u};
                }
            }
            return null;
        }

        /**
         * {@link PtrStep}, on a segment's entry: which of {@link #stepRegs} the segment {@code sg} defines other than by
         * a step in an ordinary run (its records are dropped here, and none is kept or read in this segment).
         */
        private void ptrStepDirty(int[] sg) {
            stepDirty = new BitSet();
            if (!PtrStep.ENABLED) return;
            if (stepRegs == null) {
                stepRegs = new BitSet();
                for (Block bl : f.blocks()) {
                    for (org.transcuda.ir.Stmt st : bl.stmts()) {
                        if (ptrStepOf(st) instanceof Value[] pv) stepRegs.set(((Reg) pv[0]).id());
                    }
                }
            }
            if (stepRegs.isEmpty()) return;
            // dropped: every 64-bit register defined otherwise (not only this emitter's stepRegs: a record kept by
            // another segment's code must not survive whatever this segment does)
            Block b = f.blocks().get(sg[0]);
            boolean tail = sg[3] == 0 && ifArms.get(b.label()) != null;
            boolean counted = sg[3] == 0 && b.terminator() instanceof Terminator.CondBranch
                    && !ifArms.containsKey(b.label());
            WarpScan.Found scans = warpScans();
            if (tail || (counted && sg[1] == 0)) {
                // an if-converted tail (its arms, its last run) or a possible grid-stride loop: every register
                for (Reg r : f.regs()) if (r.type().bits() == 64) stepDirty.set(r.id());
            } else {
                for (int si = sg[1]; si < sg[2]; si++) {
                    org.transcuda.ir.Stmt st = b.stmts().get(si);
                    boolean plain = ptrStepOf(st) != null && !isSuspension(st.inst())
                            && !(bulk && bulkKind(st) != null) && !scans.skip().contains(st)
                            && scans.first().get(st) == null;
                    for (Reg d : st.inst().defs()) {
                        if (d.type().bits() == 64 && !plain) stepDirty.set(d.id());
                    }
                }
            }
            for (int r = stepDirty.nextSetBit(0); r >= 0; r = stepDirty.nextSetBit(r + 1)) {
                cb.aload(eSlot).loadConstant(r);
                inv(PtrStep.class, "drop", Exec.class, int.class);
            }
        }

        /** {@link PtrStep}: after the lane loop of the run {@code lanes}, its steps of clean registers moved. */
        private void ptrSteps(Block b, List<Integer> lanes) {
            if (!PtrStep.ENABLED || stepRegs == null || stepRegs.isEmpty()) return;
            for (int j : lanes) {
                if (!(ptrStepOf(b.stmts().get(j)) instanceof Value[] pv)) continue;
                int r = ((Reg) pv[0]).id();
                if (!stepRegs.get(r) || stepDirty.get(r)) continue;
                cb.aload(eSlot).loadConstant(r);
                load(pv[1], ScalarType.U64);
                cb.iload(fullSlot);
                inv(PtrStep.class, "step", Exec.class, int.class, long.class, int.class);
            }
        }

        /**
         * LOCK shape: the prescan of {@link LoopChecks} before the lane loop of the run {@code lanes} (statement
         * indices of block {@code b}): one loop over the active threads that runs the slices of the run's checkable
         * global accesses and keeps each access's minimum, maximum and OR of its addresses, then one {@link
         * LoopChecks#fits} per access into a flag ({@link #hoistFlag}) with which the lane loop's access skips its
         * per-access check. Returns the sites flagged (the caller removes them after the lane loop).
         */
        private List<Integer> loopChecks(Block b, List<Integer> lanes) {
            if (!LoopChecks.ENABLED || shape != LOCK) return List.of();
            List<org.transcuda.ir.Stmt> run = lanes.stream().map(b.stmts()::get).toList();
            List<LoopChecks.Plan> plans = LoopChecks.plan(run, st -> !hoistFlag.containsKey(sites.get(st.inst())),
                    r -> uniform.get(r.id()));
            if (plans.isEmpty()) return List.of();
            java.util.TreeSet<Integer> slice = new java.util.TreeSet<>();
            for (LoopChecks.Plan p : plans) slice.addAll(p.slice());
            int[] lo = new int[plans.size()], hi = new int[plans.size()], or = new int[plans.size()];
            // LoopBulk: Index loads of a loop that writes nothing a global load sees, the index a per-thread int array
            boolean[] bulk = new boolean[plans.size()];
            boolean bulkSafe = LoopBulk.ENABLED && bulkSafe(run) != null;
            for (int k = 0; k < plans.size(); k++) {
                LoopChecks.Index ix = plans.get(k).index();
                bulk[k] = bulkSafe && ix != null && run.get(plans.get(k).access()).inst() instanceof Inst.Load l
                        && loopBulkMethod(l.type()) != null && !uniform.get(ix.idx().id())
                        && !runLocal.get(ix.idx().id()) && regKind[ix.idx().id()] == TypeKind.INT;
                if (plans.get(k).index() != null) {
                    // 32-bit index: int reductions
                    lo[k] = cb.allocateLocal(TypeKind.INT);
                    hi[k] = cb.allocateLocal(TypeKind.INT);
                    or[k] = cb.allocateLocal(TypeKind.INT);
                    cb.loadConstant(Integer.MAX_VALUE).istore(lo[k]);
                    cb.loadConstant(Integer.MIN_VALUE).istore(hi[k]);
                    cb.iconst_0().istore(or[k]);
                    continue;
                }
                prescanLocals(lo, hi, or, k);
            }
            int a = cb.allocateLocal(TypeKind.LONG);
            int v = cb.allocateLocal(TypeKind.INT);
            // PtrStep: every plan a clean pointer register plus a constant: its record instead of the loop
            int[] stepReg = new int[plans.size()];
            long[] stepOff = new long[plans.size()];
            boolean step = PtrStep.ENABLED && !stepRegs.isEmpty();
            for (int k = 0; k < plans.size() && step; k++) {
                LoopChecks.Plan p = plans.get(k);
                Inst in = run.get(p.access()).inst();
                Address ad = in instanceof Inst.Load l ? l.address() : ((Inst.Store) in).address();
                step = p.index() == null && p.slice().isEmpty() && ad.base() instanceof Reg r
                        && stepRegs.get(r.id()) && !stepDirty.get(r.id());
                if (step) {
                    stepReg[k] = ((Reg) ad.base()).id();
                    stepOff[k] = ad.offset();
                }
            }
            Label stepScan = cb.newLabel(), stepDone = cb.newLabel();
            if (step) {
                cb.iload(fullSlot).ifeq(stepScan);
                for (int k = 0; k < plans.size(); k++) {
                    cb.aload(eSlot).loadConstant(stepReg[k]).loadConstant(stepOff[k])
                            .loadConstant(plans.get(k).log2());
                    inv(PtrStep.class, "valid", Exec.class, int.class, long.class, int.class);
                    cb.ifeq(stepScan);
                }
                for (int k = 0; k < plans.size(); k++) {
                    cb.aload(eSlot).loadConstant(stepReg[k]);
                    inv(PtrStep.class, "lo", Exec.class, int.class);
                    cb.lstore(lo[k]);
                    cb.aload(eSlot).loadConstant(stepReg[k]);
                    inv(PtrStep.class, "hi", Exec.class, int.class);
                    cb.lstore(hi[k]);
                    cb.aload(eSlot).loadConstant(stepReg[k]);
                    inv(PtrStep.class, "or", Exec.class, int.class);
                    cb.lstore(or[k]);
                }
                cb.goto_(stepDone);
                cb.labelBinding(stepScan);
            }
            laneLoop(() -> {
                for (int j : slice) stmt(b, lanes.get(j), run.get(j));
                for (int k = 0; k < plans.size(); k++) {
                    LoopChecks.Index ix = plans.get(k).index();
                    if (ix != null) {
                        // min/max of idx (of idx ^ MIN_VALUE when it is zero-extended: unsigned order), OR of idx
                        load(ix.idx(), ScalarType.U32);
                        cb.istore(v);
                        cb.iload(or[k]).iload(v).ior().istore(or[k]);
                        if (!ix.signed()) cb.iload(v).loadConstant(Integer.MIN_VALUE).ixor().istore(v);
                        cb.iload(lo[k]).iload(v);
                        inv(Math.class, "min", int.class, int.class);
                        cb.istore(lo[k]);
                        cb.iload(hi[k]).iload(v);
                        inv(Math.class, "max", int.class, int.class);
                        cb.istore(hi[k]);
                        continue;
                    }
                    Inst in = run.get(plans.get(k).access()).inst();
                    address(in instanceof Inst.Load l ? l.address() : ((Inst.Store) in).address());
                    cb.lstore(a);
                    cb.lload(lo[k]).lload(a);
                    inv(Math.class, "min", long.class, long.class);
                    cb.lstore(lo[k]);
                    cb.lload(hi[k]).lload(a);
                    inv(Math.class, "max", long.class, long.class);
                    cb.lstore(hi[k]);
                    cb.lload(or[k]).lload(a).lor().lstore(or[k]);
                }
            });
            if (step) {
                cb.iload(fullSlot).ifeq(stepDone);
                for (int k = 0; k < plans.size(); k++) {
                    cb.aload(eSlot).loadConstant(stepReg[k]).loadConstant(stepOff[k]).lload(lo[k]).lload(hi[k])
                            .lload(or[k]);
                    inv(PtrStep.class, "store", Exec.class, int.class, long.class, long.class, long.class,
                            long.class);
                }
                cb.labelBinding(stepDone);
            }
            List<Integer> flagged = new ArrayList<>();
            for (int k = 0; k < plans.size(); k++) {
                Inst in = run.get(plans.get(k).access()).inst();
                int site = sites.get(in);
                int flag = cb.allocateLocal(TypeKind.INT);
                LoopChecks.Index ix = plans.get(k).index();
                if (ix != null) {
                    long off = (in instanceof Inst.Load l ? l.address() : ((Inst.Store) in).address()).offset();
                    cb.aload(eSlot).loadConstant(site);
                    load(ix.uni(), ScalarType.U64);
                    if (off != 0) cb.loadConstant(off).ladd();
                    cb.iload(lo[k]).iload(hi[k]).iload(or[k]).loadConstant(ix.signed() ? 1 : 0)
                            .loadConstant(ix.scale()).loadConstant(plans.get(k).log2());
                    inv(LoopChecks.class, "fitsIndex", Exec.class, int.class, long.class, int.class, int.class,
                            int.class, boolean.class, int.class, int.class);
                } else {
                    cb.aload(eSlot).loadConstant(site).lload(lo[k]).lload(hi[k]).lload(or[k])
                            .loadConstant(plans.get(k).log2());
                    inv(LoopChecks.class, "fits", Exec.class, int.class, long.class, long.class, long.class,
                            int.class);
                }
                cb.istore(flag);
                hoistFlag.put(site, flag);
                flagged.add(site);
                if (LoopTouch.ENABLED && ix == null && plans.get(k).slice().isEmpty() && in instanceof Inst.Load l
                        && l.address().base() instanceof Reg r && regKind[r.id()] == TypeKind.LONG
                        && !uniform.get(r.id()) && !runLocal.get(r.id()) && (spilled == null || !spilled.get(r.id()))) {
                    // LoopTouch: one read per cache line of the loop's addresses before it, while every thread runs
                    Label skip = cb.newLabel();
                    cb.iload(fullSlot).ifeq(skip);
                    cb.aload(eSlot).aload(arr(r.id())).loadConstant(l.address().offset())
                            .loadConstant(LoopTouch.step(plans.get(k).log2())).iload(flag);
                    inv(LoopTouch.class, "lines", Exec.class, long[].class, long.class, int.class, int.class);
                    cb.labelBinding(skip);
                }
                if (bulk[k]) {
                    // LoopBulk: one copy of the block's elements when thread t reads element idx0 + t
                    Inst.Load l = (Inst.Load) in;
                    String m = loopBulkMethod(l.type());
                    int slot = cb.allocateLocal(TypeKind.REFERENCE);
                    Label skip = cb.newLabel();
                    cb.aconst_null().astore(slot);
                    cb.iload(fullSlot).ifeq(skip);
                    cb.aload(eSlot).loadConstant(site).iload(flag);
                    load(ix.uni(), ScalarType.U64);
                    if (l.address().offset() != 0) cb.loadConstant(l.address().offset()).ladd();
                    cb.iload(lo[k]).iload(hi[k]).aload(arr(ix.idx().id())).loadConstant(ix.signed() ? 1 : 0)
                            .loadConstant(ix.scale());
                    cb.invokestatic(ClassDesc.of(PKG + ".LoopBulk"), m, MethodTypeDesc.of(
                            loopBulkArray(l.type()).describeConstable().orElseThrow(), CD_EXEC, CD_int, CD_boolean,
                            CD_long, CD_int, CD_int, CD_int.arrayType(), CD_boolean, CD_int));
                    cb.astore(slot);
                    cb.labelBinding(skip);
                    bulkSlot.put(site, slot);
                }
            }
            return flagged;
        }

        /**
         * LOCK shape: {@link StrideLoop}'s fast iterations of a grid-stride loop, emitted before the general code of
         * the segment's run {@code lanes} (the whole block {@code b}, which loops to itself): while every thread is
         * active, its index consecutive and every thread stays in the loop after the iteration, one lane loop per
         * iteration with the index a local ({@code base + t}), the index loads checked for the iteration's range and
         * copied; then the index is written back and the general code runs the next iteration.
         */
        private void strideLoop(Block b, List<Integer> lanes) {
            if (!StrideLoop.ENABLED || !LoopChecks.ENABLED || !LoopBulk.ENABLED || shape != LOCK) return;
            List<org.transcuda.ir.Stmt> stmts = b.stmts();
            List<org.transcuda.ir.Stmt> run = lanes.stream().map(stmts::get).toList();
            if (!(b.terminator() instanceof Terminator.CondBranch c) || bulkSafe(run) == null) return;
            StrideLoop.Plan plan = StrideLoop.plan(stmts, lanes, c, b.label(), r -> uniform.get(r.id()));
            if (plan == null) return;
            int idx = plan.idx().id();
            if (regKind[idx] != TypeKind.INT || runLocal.get(idx) || uniform.get(idx)) return;
            // the index loads on the loop's index that LoopBulk can copy
            List<LoopChecks.Plan> mine = new ArrayList<>();
            for (LoopChecks.Plan p : LoopChecks.plan(run, st -> !hoistFlag.containsKey(sites.get(st.inst())),
                    r -> uniform.get(r.id()))) {
                if (p.index() != null && p.index().idx().equals(plan.idx())
                        && run.get(p.access()).inst() instanceof Inst.Load l && loopBulkMethod(l.type()) != null) {
                    mine.add(p);
                }
            }
            if (mine.isEmpty()) return;
            int base = cb.allocateLocal(TypeKind.INT);
            Label done = cb.newLabel();
            Label exit = cb.newLabel();
            cb.iload(fullSlot).ifeq(done);
            cb.aload(arr(idx)).iload(nSlot);
            inv(StrideLoop.class, "consecutive", int[].class, int.class);
            cb.ifeq(done);
            cb.aload(arr(idx)).iconst_0().iaload().istore(base);
            if (StrideHist.ENABLED && mine.size() == 1) strideHist(b, lanes, plan, run, mine.get(0), base, exit);
            Label top = cb.newBoundLabel();
            cb.iload(base);
            load(plan.step(), ScalarType.S32);
            cb.iload(nSlot);
            load(plan.bound(), ScalarType.S32);
            inv(StrideLoop.class, "stay", int.class, int.class, int.class, int.class);
            cb.ifeq(exit);
            List<Integer> flagged = new ArrayList<>();
            for (LoopChecks.Plan p : mine) {
                Inst.Load l = (Inst.Load) run.get(p.access()).inst();
                LoopChecks.Index ix = p.index();
                int site = sites.get(l);
                long off = l.address().offset();
                int flag = cb.allocateLocal(TypeKind.INT);
                cb.aload(eSlot).loadConstant(site);
                load(ix.uni(), ScalarType.U64);
                if (off != 0) cb.loadConstant(off).ladd();
                cb.iload(base).iload(nSlot).loadConstant(ix.signed() ? 1 : 0).loadConstant(ix.scale())
                        .loadConstant(p.log2());
                inv(StrideLoop.class, "fits", Exec.class, int.class, long.class, int.class, int.class, boolean.class,
                        int.class, int.class);
                cb.dup().istore(flag).ifeq(exit);
                // one copy of the iteration's elements: thread t reads element base + t (null: scale != size)
                int slot = cb.allocateLocal(TypeKind.REFERENCE);
                cb.aload(eSlot).loadConstant(site).iconst_1();
                load(ix.uni(), ScalarType.U64);
                if (off != 0) cb.loadConstant(off).ladd();
                cb.iload(base);
                if (!ix.signed()) cb.loadConstant(Integer.MIN_VALUE).ixor();
                cb.iload(base);
                if (!ix.signed()) cb.loadConstant(Integer.MIN_VALUE).ixor();
                cb.iload(nSlot).iadd().iconst_1().isub();
                cb.aconst_null().loadConstant(ix.signed() ? 1 : 0).loadConstant(ix.scale());
                cb.invokestatic(ClassDesc.of(PKG + ".LoopBulk"), loopBulkMethod(l.type()), MethodTypeDesc.of(
                        loopBulkArray(l.type()).describeConstable().orElseThrow(), CD_EXEC, CD_int, CD_boolean,
                        CD_long, CD_int, CD_int, CD_int.arrayType(), CD_boolean, CD_int));
                cb.astore(slot);
                hoistFlag.put(site, flag);
                bulkSlot.put(site, slot);
                flagged.add(site);
            }
            if (runSlot[idx] < 0) runSlot[idx] = cb.allocateLocal(TypeKind.INT);
            runLocal.set(idx);
            try {
                allLanes(() -> {
                    cb.iload(base).iload(tSlot).iadd().istore(runSlot[idx]);
                    for (int j : lanes) {
                        org.transcuda.ir.Stmt st = stmts.get(j);
                        if (st == plan.inc() || st == plan.cmp()) continue;
                        if (needsThread(st.inst())) {
                            cb.aload(eSlot).iload(tSlot).invokevirtual(CD_EXEC, "thread",
                                    MethodTypeDesc.of(CD_void, CD_int));
                        }
                        stmt(b, j, st);
                    }
                });
            } finally {
                runLocal.clear(idx);
                for (int site : flagged) {
                    hoistFlag.remove(site);
                    bulkSlot.remove(site);
                }
            }
            if (StrideTouch.ENABLED) {
                // StrideTouch: the lines of the iteration AHEAD steps on, inside the allocation just checked
                for (LoopChecks.Plan p : mine) {
                    Inst.Load l = (Inst.Load) run.get(p.access()).inst();
                    LoopChecks.Index ix = p.index();
                    if (ix.scale() != 1 << p.log2()) continue;
                    long off = l.address().offset();
                    cb.aload(eSlot).loadConstant(sites.get(l));
                    load(ix.uni(), ScalarType.U64);
                    if (off != 0) cb.loadConstant(off).ladd();
                    cb.iload(base);
                    load(plan.step(), ScalarType.S32);
                    cb.loadConstant(StrideTouch.AHEAD).imul().iadd();
                    cb.iload(nSlot).loadConstant(ix.signed() ? 1 : 0).loadConstant(p.log2());
                    inv(StrideTouch.class, "lines", Exec.class, int.class, long.class, int.class, int.class,
                            boolean.class, int.class);
                }
            }
            cb.iload(base);
            load(plan.step(), ScalarType.S32);
            cb.iadd().istore(base);
            countIn("strideLoops");
            cb.goto_(top);
            cb.labelBinding(exit);
            // every thread's index as the general code expects it
            allLanes(() -> cb.aload(arr(idx)).iload(tSlot).iload(base).iload(tSlot).iadd().iastore());
            cb.labelBinding(done);
        }

        /**
         * {@link StrideHist}: when StrideLoop's block {@code b} is a byte histogram in shared memory, its fast
         * iterations as one helper call from {@code base} (then to {@code exit}, where the index is written back),
         * if the bins lie inside the shared window at run time; else on to StrideLoop's own fast loop.
         */
        private void strideHist(Block b, List<Integer> lanes, StrideLoop.Plan plan, List<org.transcuda.ir.Stmt> run,
                LoopChecks.Plan p, int base, Label exit) {
            org.transcuda.ir.Stmt ldSt = run.get(p.access());
            LoopChecks.Index ix = p.index();
            StrideHist.Plan hp = StrideHist.plan(b.stmts(), lanes, plan, ldSt, ix.scale(), r -> uniform.get(r.id()),
                    sa -> sa.space() == AddressSpace.SHARED && sharedOffsets.containsKey(sa.symbol())
                            ? sharedOffsets.get(sa.symbol()) : null);
            if (hp == null) return;
            Inst.Load l = (Inst.Load) ldSt.inst();
            long off = l.address().offset();
            Label general = cb.newLabel();
            int w0 = cb.allocateLocal(TypeKind.INT);
            // U: the uniform part of the atomic's address register, then the window check of the 256 bins
            cb.aload(eSlot).loadConstant(hp.constant());
            for (StrideHist.Term t : hp.terms()) {
                load(t.value(), ScalarType.S32);
                if (t.factor() != 1) cb.loadConstant(t.factor()).imul();
                cb.iadd();
            }
            cb.loadConstant(hp.off());
            inv(StrideHist.class, "window", Exec.class, int.class, long.class);
            cb.dup().istore(w0).iflt(general);
            cb.aload(eSlot).loadConstant(sites.get(l));
            load(ix.uni(), ScalarType.U64);
            if (off != 0) cb.loadConstant(off).ladd();
            cb.iload(base);
            load(plan.step(), ScalarType.S32);
            cb.iload(nSlot);
            load(plan.bound(), ScalarType.S32);
            cb.loadConstant(ix.signed() ? 1 : 0).iload(w0);
            load(hp.operand(), ScalarType.S32);
            inv(StrideHist.class, "run", Exec.class, int.class, long.class, int.class, int.class, int.class, int.class,
                    boolean.class, int.class, int.class);
            cb.istore(base);
            cb.goto_(exit);
            cb.labelBinding(general);
        }

        /** {@link LoopBulk}'s method for a load of type {@code t}, or null. */
        private static String loopBulkMethod(ScalarType t) {
            return switch (t) {
                case B8, U8, S8 -> "ld8";
                case B16, U16, S16 -> "ld16";
                case B32, U32, S32 -> "ld32";
                case B64, U64, S64 -> "ld64";
                case F32 -> "ldf32";
                case F64 -> "ldf64";
                default -> null;
            };
        }

        private static Class<?> loopBulkArray(ScalarType t) {
            return switch (loopBulkMethod(t)) {
                case "ld8" -> byte[].class;
                case "ld16" -> short[].class;
                case "ld32" -> int[].class;
                case "ld64" -> long[].class;
                case "ldf32" -> float[].class;
                default -> double[].class;
            };
        }

        /**
         * LOCK shape: the statements of the run {@code lanes} (indices into block {@code b}'s statements) whose f32
         * result may stay a raw IEEE NaN ({@code -Dtranscuda.cpu.lsimd=false}: none): an operation that
         * canonicalizes its NaN after plain Java arithmetic ({@link VectorPaths#deferredNaN}: round-to-nearest {@code
         * add/sub/mul/div/fma}) whose result lives only in this run ({@link #runLocals}) and is read only as an
         * operand of such operations. A NaN operand makes each of them return a NaN, so a raw NaN reaches only the
         * results of such operations, and the last of each chain, whose result is read elsewhere, canonicalizes it
         * (matmul's chain of 16 {@code fma}: one canonicalization instead of 16). Call after {@link #runLocals}.
         */
        private BitSet lockDeferredNaN(Block b, List<Integer> lanes) {
            BitSet out = new BitSet();
            if (!LSIMD || !CANONICAL_NANS) return out;
            BitSet raw = new BitSet();
            for (int j : lanes) {
                if (VectorPaths.deferredNaN(b.stmts().get(j).inst())) {
                    int d = ((Inst.Compute) b.stmts().get(j).inst()).dst().id();
                    if (runLocal.get(d)) raw.set(d);
                }
            }
            for (int j : lanes) {
                org.transcuda.ir.Stmt st = b.stmts().get(j);
                if (st.guard() != null) raw.clear(st.guard().id());
                if (VectorPaths.deferredNaN(st.inst())) continue;
                for (Value v : st.inst().uses()) if (v instanceof Reg r) raw.clear(r.id());
                // a register that something else defines as well: its readers may see that value
                for (Reg d : st.inst().defs()) raw.clear(d.id());
            }
            for (int j : lanes) {
                if (VectorPaths.deferredNaN(b.stmts().get(j).inst())
                        && raw.get(((Inst.Compute) b.stmts().get(j).inst()).dst().id())) {
                    out.set(j);
                }
            }
            return out;
        }

        // ---- shared accesses inside the static shared variables (SharedRange) ----

        private SharedRange sharedRange;

        /** A 4-byte integer or f32 type (the accesses {@link SharedRange} takes). */
        private boolean word(ScalarType t) {
            return t == ScalarType.F32 || (t.bits() == 32 && t.kind() != ScalarType.Kind.FLOAT);
        }

        /**
         * Pushes the int word index of a {@code bytes}-byte shared access at {@code a} and returns true when
         * {@link SharedRange} proves it inside the static shared variables; else pushes nothing and returns false.
         */
        private boolean rangeIndex(Address a, int bytes, Inst access) {
            if (!SharedRange.ENABLED) return false;
            if (sharedRange == null) {
                sharedRange = SharedRange.of(f, sa -> sa.space() == AddressSpace.SHARED
                        && sharedOffsets.containsKey(sa.symbol()) ? sharedOffsets.get(sa.symbol()) : null);
            }
            if (!sharedRange.inWindow(a, bytes, staticShared)) return false;
            int k = Integer.numberOfTrailingZeros(bytes);
            if (a.base() instanceof Reg r) {
                load(r, ScalarType.U32);
                if (a.offset() != 0) cb.loadConstant((int) a.offset()).iadd();
                cb.loadConstant(k).iushr();
            } else {
                address(a);
                cb.loadConstant(k).lushr().l2i();
            }
            rangeSites.add(access);
            return true;
        }

        // ---- lane loops with shared accesses checked once (SharedAffine) ----

        private SharedAffine sharedAffine;

        private SharedAffine affine() {
            if (sharedAffine == null) {
                sharedAffine = SharedAffine.of(f, uniform, sa -> sa.space() == AddressSpace.SHARED
                        && sharedOffsets.containsKey(sa.symbol()) ? sharedOffsets.get(sa.symbol()) : null);
            }
            return sharedAffine;
        }

        /** LOCK shape: inside the loop nest of {@link #runLoop}'s checked-once path. */
        private boolean affineLoop;
        /** LOCK shape: per shared site of that loop, its index base and coefficients. */
        private final Map<Integer, AffineSite> affineSite = new HashMap<>();

        /**
         * A shared access of a checked-once loop: {@code slot} holds the word index (4-byte accesses) or byte
         * offset (others) of thread (0,0,0) at the lowest offset of its group; the thread's own is {@code slot +
         * delta + cx·tid.x + cy·tid.y + cz·tid.z} (all in words or all in bytes).
         */
        private record AffineSite(int slot, int delta, int bytes, int cx, int cy, int cz) {
        }

        /** The address of a shared load or store, else null. */
        private static Address sharedAccess(org.transcuda.ir.Stmt st) {
            return switch (st.inst()) {
                case Inst.Load l when l.space() == AddressSpace.SHARED -> l.address();
                case Inst.Store x when x.space() == AddressSpace.SHARED -> x.address();
                default -> null;
            };
        }

        private static int accessBytes(org.transcuda.ir.Stmt st) {
            return st.inst() instanceof Inst.Load l ? l.type().bytes() : ((Inst.Store) st.inst()).type().bytes();
        }

        /**
         * The shared accesses of a lane loop's statements that can be checked once for the whole run (affine or
         * constant addresses, {@link SharedAffine}), or null when the loop keeps its ordinary shape (none, the
         * option is off, or a statement needs {@link Exec#thread}).
         */
        private List<org.transcuda.ir.Stmt> affineShared(List<org.transcuda.ir.Stmt> sts,
                List<org.transcuda.ir.Stmt> others) {
            if (!SharedAffine.ENABLED || shape != LOCK) return null;
            for (var st : others) if (needsThread(st.inst())) return null;
            List<org.transcuda.ir.Stmt> out = new ArrayList<>();
            for (var st : sts) {
                if (needsThread(st.inst())) return null;
                Address a = sharedAccess(st);
                // a guarded access is made only by the threads whose guard holds: it keeps its per-access check
                if (a == null || st.guard() != null) continue;
                int bytes = accessBytes(st);
                if (a.base() instanceof Reg r && affine().sharedAddress(r, bytes) != null) {
                    out.add(st);
                } else if (a.base() instanceof SymbolAddr sa && sa.space() == AddressSpace.SHARED
                        && constSymbol(sa) != null) {
                    out.add(st);
                }
            }
            return out.isEmpty() ? null : out;
        }

        /**
         * A lane loop over the active threads running {@code body} for the statements {@code sts} that every thread
         * of the loop runs and {@code others} (if-converted arms: only some threads run them). When some shared
         * accesses of {@code sts} (unguarded) have affine addresses ({@link #affineShared}) and every thread is
         * active, each group of them is first checked for the whole block ({@link SharedAffine#fits}); when all pass, the body runs in a
         * loop nest over {@code tid.z, tid.y, tid.x} (the identity order) with those accesses indexing the shared
         * array directly; otherwise (a check failed, or not every thread is active) the loop over the active threads
         * with per-access checks runs, so a bad address faults where it would without this path.
         */
        private void runLoop(List<org.transcuda.ir.Stmt> sts, List<org.transcuda.ir.Stmt> others, Runnable body) {
            runLoop(sts, others, body, -1, -1);
        }

        /**
         * {@link #runLoop} over the threads {@code lo <= tid.x < hi} of a one-dimensional block with every thread
         * active (locals {@code loSlot, hiSlot}; -1: the active threads): an if-converted arm's threads ({@link
         * #lockArmRange}). Its checks cover that range only; the fallback is the checked loop over the range.
         */
        private void runLoop(List<org.transcuda.ir.Stmt> sts, List<org.transcuda.ir.Stmt> others, Runnable body,
                int loSlot, int hiSlot) {
            Label skip = armDirect ? laneBulkDirect(sts, others, loSlot, hiSlot) : null;
            if (skip == null && armDirect) skip = storeBulkDirect(sts, others, loSlot, hiSlot);
            if (skip == null && armDirect) skip = armLoadAddDirect(sts, others, loSlot, hiSlot);
            if (skip == null) laneBulk(sts, others, loSlot, hiSlot);
            Map<org.transcuda.ir.Stmt, Integer> nan = loSlot >= 0 ? loopNaNPlan(sts, others) : Map.of();
            boolean zeros = !nan.isEmpty() && NaNZeros.ENABLED;
            if (zeros) {
                // NaNZeros: the results' differences x - x go to the worker's scratch array, compared after the loop
                nanScratch = cb.allocateLocal(TypeKind.REFERENCE);
                cb.aload(eSlot).dup().getfield(CD_EXEC, "nthreads", CD_int);
                inv(NaNZeros.class, "scratch", Exec.class, int.class);
                cb.astore(nanScratch);
                nanFirst = null;
                for (var st : sts) {
                    if (nan.containsKey(st)) {
                        nanFirst = st;
                        break;
                    }
                }
            } else {
                for (int acc : nan.values()) cb.fconst_0().fstore(acc);
            }
            loopNaN = nan.isEmpty() ? null : nan;
            try {
                runLoopChecked(sts, others, body, loSlot, hiSlot);
            } finally {
                bulkSlot.clear();
                loopNaN = null;
                nanScratch = -1;
                nanFirst = null;
            }
            if (!nan.isEmpty()) {
                countIn("loopNaN");
                if (zeros) {
                    countIn("nanZeroLoops");
                    Label ok = cb.newLabel();
                    cb.aload(eSlot).iload(loSlot).iload(hiSlot);
                    inv(NaNZeros.class, "seen", Exec.class, int.class, int.class);
                    cb.ifeq(ok);
                    for (var st : nan.keySet()) {
                        cb.aload(arr(((Inst.Compute) st.inst()).dst().id())).iload(loSlot).iload(hiSlot);
                        inv(LoopNaN.class, "canonical", float[].class, int.class, int.class);
                    }
                    cb.labelBinding(ok);
                } else {
                    for (var e : nan.entrySet()) {
                        Label ok = cb.newLabel();
                        cb.fload(e.getValue()).fload(e.getValue()).fcmpl().ifeq(ok);
                        cb.aload(arr(((Inst.Compute) e.getKey().inst()).dst().id())).iload(loSlot).iload(hiSlot);
                        inv(LoopNaN.class, "canonical", float[].class, int.class, int.class);
                        cb.labelBinding(ok);
                    }
                }
            }
            if (skip != null) cb.labelBinding(skip);
        }

        /**
         * LOCK shape: the statements of a lane loop over a thread range whose f32 NaN canonicalization {@link LoopNaN}
         * moves after the loop (each one's {@code Math.max} accumulator slot; empty when none): unguarded {@link
         * VectorPaths#deferredNaN} operations whose destination is a per-thread register's {@code float[]} (not a run
         * local, not block-uniform) that no other statement of the loop defines and none after it reads (one before it
         * reads the value from before the loop). Call after {@link #runLocals}.
         */
        private Map<org.transcuda.ir.Stmt, Integer> loopNaNPlan(List<org.transcuda.ir.Stmt> sts,
                List<org.transcuda.ir.Stmt> others) {
            if (!LoopNaN.ENABLED || !CANONICAL_NANS || shape != LOCK || !others.isEmpty()) return Map.of();
            Map<org.transcuda.ir.Stmt, Integer> out = new java.util.IdentityHashMap<>();
            for (var st : sts) {
                if (st.guard() != null || !VectorPaths.deferredNaN(st.inst())) continue;
                int d = ((Inst.Compute) st.inst()).dst().id();
                if (runLocal.get(d) || uniform.get(d) || regKind[d] != TypeKind.FLOAT) continue;
                // statements before it may read the register (each thread its element's value from before the loop)
                boolean alone = true, before = true;
                for (var o : sts) {
                    if (o == st) {
                        before = false;
                        continue;
                    }
                    if (o.guard() != null && o.guard().id() == d) alone = false;
                    if (!before) for (Value v : o.inst().uses()) if (v instanceof Reg r && r.id() == d) alone = false;
                    for (Reg r : o.inst().defs()) if (r.id() == d) alone = false;
                }
                if (alone) out.put(st, cb.allocateLocal(TypeKind.FLOAT));
            }
            return out;
        }

        /** LOCK shape: the statements of the lane loop being emitted that {@link LoopNaN} covers (null: none). */
        private Map<org.transcuda.ir.Stmt, Integer> loopNaN;
        /**
         * {@link NaNZeros}: the local holding the worker's scratch array of the lane loop being emitted (-1: the
         * {@code Math.max} reduction), and the first of the loop's statements that {@link LoopNaN} covers (it stores
         * its difference; the others add theirs).
         */
        private int nanScratch = -1;
        private org.transcuda.ir.Stmt nanFirst;

        /** LOCK shape: the lane loop being emitted is an arm over a thread range whose body is its statements alone. */
        private boolean armDirect;

        /**
         * The one unguarded access of class {@code type} of a lane loop's statements whose other statements are
         * lane-wise register statements writing only run-local registers ({@link #laneBulkDirect}, {@link
         * #storeBulkDirect}); null when the loop is not of that shape.
         */
        private <T extends Inst> T loneAccess(List<org.transcuda.ir.Stmt> sts, Class<T> type) {
            T access = null;
            for (var st : sts) {
                if (type.isInstance(st.inst()) && st.guard() == null && access == null) {
                    access = type.cast(st.inst());
                    continue;
                }
                if (!pureLane(st) || st.inst() instanceof Inst.ReadSpecial) return null;
                for (Reg d : st.inst().defs()) if (!runLocal.get(d.id())) return null;
            }
            return access;
        }

        /**
         * LOCK shape: a lane loop whose only effect is one unguarded global load into a per-thread register, the
         * other statements register-only with results that live in the loop alone (reduce's {@code v = in[i]} arm:
         * the address computation and the load): its {@link LaneBulk} copy goes straight into the register's array
         * and the loop is skipped (returns the label after it, where the caller binds it; null when the loop is not
         * of this shape, and at run time the loop runs when the copy does not apply). Only for an if-converted arm over
         * a thread range ({@link #lockArmRange}, {@link #armDirect}), whose loop body is its statements alone.
         */
        private Label laneBulkDirect(List<org.transcuda.ir.Stmt> sts, List<org.transcuda.ir.Stmt> others, int loSlot,
                int hiSlot) {
            if (!LaneBulk.ENABLED || shape != LOCK || !lockGlobal || affineSites == null || !others.isEmpty()) {
                return null;
            }
            Inst.Load load = loneAccess(sts, Inst.Load.class);
            if (load == null || load.order() != Memory.Order.WEAK
                    || (load.space() != AddressSpace.GLOBAL && load.space() != AddressSpace.CONST)) {
                return null;
            }
            Reg r = load.dst();
            int site = sites.get(load);
            if (uniform.get(r.id()) || runLocal.get(r.id()) || !hoistFlag.containsKey(site)
                    || regKind[r.id()] != kind(load.type()) || r.type().bytes() != load.type().bytes()) {
                return null;
            }
            int j = -1;
            for (int k = 0; k < affineSites.count(); k++) if (affineSites.inst[k] == load) j = k;
            String m = switch (load.type()) {
                case F32 -> "ldf32";
                case F64 -> "ldf64";
                case B32, U32, S32 -> "ld32";
                case B64, U64, S64 -> "ld64";
                default -> null;
            };
            if (j < 0 || m == null) return null;
            Class<?> arr = switch (m) {
                case "ldf32" -> float[].class;
                case "ldf64" -> double[].class;
                case "ld32" -> int[].class;
                default -> long[].class;
            };
            Label skip = cb.newLabel();
            Label loop = cb.newLabel();
            cb.iload(fullSlot).ifeq(loop);
            cb.aload(eSlot).loadConstant(j);
            if (loSlot >= 0) cb.iload(loSlot).iload(hiSlot);
            else cb.iconst_0().iload(nSlot);
            cb.aload(arr(r.id()));
            cb.invokestatic(ClassDesc.of(PKG + ".LaneBulk"), m, MethodTypeDesc.of(CD_boolean, CD_EXEC, CD_int, CD_int,
                    CD_int, arr.describeConstable().orElseThrow()));
            cb.ifne(skip);
            cb.labelBinding(loop);
            return skip;
        }

        /**
         * LOCK shape: the mirror of {@link #laneBulkDirect} for a lane loop whose only effect is one unguarded weak
         * 32- or 64-bit integer global store of a per-thread register (scan's {@code out[i] = v} arm), the other
         * statements register-only with results that live in the loop alone: its {@link StoreBulk} copy from the
         * register's array replaces the loop when every thread is active and the site's block check passed (returns
         * the label after the loop; null when the loop is not of this shape).
         */
        private Label storeBulkDirect(List<org.transcuda.ir.Stmt> sts, List<org.transcuda.ir.Stmt> others, int loSlot,
                int hiSlot) {
            if (!StoreBulk.ENABLED || shape != LOCK || !lockGlobal || affineSites == null || !others.isEmpty()) {
                return null;
            }
            Inst.Store store = loneAccess(sts, Inst.Store.class);
            if (store == null || store.order() != Memory.Order.WEAK || store.space() != AddressSpace.GLOBAL
                    || !(store.src() instanceof Reg r)) {
                return null;
            }
            int site = sites.get(store);
            TypeKind k = kind(store.type());
            if (uniform.get(r.id()) || runLocal.get(r.id()) || !hoistFlag.containsKey(site)
                    || (k != TypeKind.INT && k != TypeKind.LONG) || regKind[r.id()] != k
                    || r.type().bytes() != store.type().bytes() || store.type().bytes() != (k == TypeKind.INT ? 4 : 8)) {
                return null;
            }
            int j = -1;
            for (int q = 0; q < affineSites.count(); q++) if (affineSites.inst[q] == store) j = q;
            if (j < 0) return null;
            Label skip = cb.newLabel();
            Label loop = cb.newLabel();
            cb.iload(fullSlot).ifeq(loop);
            cb.aload(eSlot).loadConstant(j);
            if (loSlot >= 0) cb.iload(loSlot).iload(hiSlot);
            else cb.iconst_0().iload(nSlot);
            cb.aload(arr(r.id()));
            Class<?> arr = k == TypeKind.INT ? int[].class : long[].class;
            cb.invokestatic(ClassDesc.of(PKG + ".StoreBulk"), k == TypeKind.INT ? "st32" : "st64",
                    MethodTypeDesc.of(CD_boolean, CD_EXEC, CD_int, CD_int, CD_int, arr.describeConstable().orElseThrow()));
            cb.ifne(skip);
            cb.labelBinding(loop);
            return skip;
        }

        /**
         * LOCK shape, {@link ArmLoadAdd}: an arm's range loop that is one unguarded weak f32 global load into a
         * run-local register, one unguarded round-to-nearest {@code add.f32} of it and a per-thread f32 register
         * {@code d} into {@code d}, and register-only statements with run-local results (the address), nothing
         * else mentioning the two registers: while every thread is active, {@link ArmLoadAdd#addf32} adds the
         * loaded elements into {@code d}'s array as vectors on device memory and the loop is skipped (returns the
         * label after it; null when the loop is not of this shape; at run time the loop runs when the site's check
         * did not pass for the block).
         */
        private Label armLoadAddDirect(List<org.transcuda.ir.Stmt> sts, List<org.transcuda.ir.Stmt> others,
                int loSlot, int hiSlot) {
            if (!ArmLoadAdd.ENABLED || ArmLoadAdd.offForTests || !LaneVec.on() || !CANONICAL_NANS || !LaneBulk.ENABLED
                    || shape != LOCK || !lockGlobal || affineSites == null || !others.isEmpty() || loSlot < 0) {
                return null;
            }
            org.transcuda.ir.Stmt loadSt = null, addSt = null;
            for (var st : sts) {
                Inst in = st.inst();
                if (loadSt == null && st.guard() == null && in instanceof Inst.Load) {
                    loadSt = st;
                    continue;
                }
                if (addSt == null && loadSt != null && st.guard() == null && in instanceof Inst.Compute c
                        && c.op() == Opcode.ADD && VectorPaths.deferredNaN(c) && c.srcs().size() == 2) {
                    addSt = st;
                    continue;
                }
                if (!pureLane(st) || in instanceof Inst.ReadSpecial) return null;
                for (Reg r : in.defs()) if (!runLocal.get(r.id())) return null;
            }
            if (loadSt == null || addSt == null) return null;
            Inst.Load load = (Inst.Load) loadSt.inst();
            Inst.Compute add = (Inst.Compute) addSt.inst();
            Reg x = load.dst(), d = add.dst();
            if (load.order() != Memory.Order.WEAK || load.type() != ScalarType.F32 || x.type() != ScalarType.F32
                    || (load.space() != AddressSpace.GLOBAL && load.space() != AddressSpace.CONST)
                    || !runLocal.get(x.id()) || x.id() == d.id()) {
                return null;
            }
            if (runLocal.get(d.id()) || uniform.get(d.id()) || threadConst.get(d.id())
                    || regKind[d.id()] != TypeKind.FLOAT || d.type() != ScalarType.F32) {
                return null;
            }
            Value s0 = add.srcs().get(0), s1 = add.srcs().get(1);
            boolean dx = s0 instanceof Reg r0 && r0.id() == d.id() && s1 instanceof Reg r1 && r1.id() == x.id();
            boolean xd = s0 instanceof Reg r0 && r0.id() == x.id() && s1 instanceof Reg r1 && r1.id() == d.id();
            if (!dx && !xd) return null;
            // nothing else of the loop mentions the loaded register or d (the load's address does not read d)
            for (var st : sts) {
                if (st == addSt) continue;
                java.util.Set<Integer> m = mentioned(st);
                if (m.contains(d.id()) || (st != loadSt && m.contains(x.id()))) return null;
            }
            int site = sites.get(load);
            if (!hoistFlag.containsKey(site)) return null;
            int j = -1;
            for (int k = 0; k < affineSites.count(); k++) if (affineSites.inst[k] == load) j = k;
            if (j < 0) return null;
            Label skip = cb.newLabel();
            Label loop = cb.newLabel();
            cb.iload(fullSlot).ifeq(loop);
            cb.aload(eSlot).loadConstant(j).iload(loSlot).iload(hiSlot).aload(arr(d.id()));
            cb.invokestatic(ClassDesc.of(PKG + ".ArmLoadAdd"), "addf32", MethodTypeDesc.of(CD_boolean, CD_EXEC, CD_int,
                    CD_int, CD_int, CD_float.arrayType()));
            cb.ifne(skip);
            cb.labelBinding(loop);
            return skip;
        }

        /**
         * LOCK shape: per global load site of the lane loop being emitted, the local holding its {@link LaneBulk}
         * scratch array (null at run time: the ordinary load; see {@link #loadInst}).
         */
        private final Map<Integer, Integer> bulkSlot = new HashMap<>();

        /**
         * LOCK shape: before the lane loop of {@code sts} and {@code others} (its if-converted arms) over the threads
         * {@code [lo, hi)} ({@code loSlot < 0}: every thread, when all are active), the {@link LaneBulk} copies of its
         * global loads whose site has a per-block flag ({@link #lockGlobalFlags}), each into its local of {@link
         * #bulkSlot} (null when the copy does not apply: the site's check failed for this block, its addresses are
         * not consecutive in thread order, or not every thread is active). Only for loops that write no memory a
         * global load can see and whose loads are all weak (see {@link LaneBulk}). {@code
         * -Dtranscuda.cpu.laneBulk=false}: none.
         */
        private void laneBulk(List<org.transcuda.ir.Stmt> sts, List<org.transcuda.ir.Stmt> others, int loSlot,
                int hiSlot) {
            if (!LaneBulk.ENABLED || shape != LOCK || !lockGlobal || affineSites == null) return;
            List<org.transcuda.ir.Stmt> all = new ArrayList<>(sts);
            all.addAll(others);
            List<Inst.Load> loads = bulkSafe(all);
            if (loads == null) return;
            AffineSites a = affineSites;
            for (Inst.Load l : loads) {
                if (l.space() != AddressSpace.GLOBAL && l.space() != AddressSpace.CONST) continue;
                int site = sites.get(l);
                if (!hoistFlag.containsKey(site) || bulkSlot.containsKey(site)) continue;
                int j = -1;
                for (int k = 0; k < a.count(); k++) if (a.inst[k] == l) j = k;
                String m = switch (l.type()) {
                    case F32 -> "ldf32";
                    case F64 -> "ldf64";
                    case B32, U32, S32 -> "ld32";
                    case B64, U64, S64 -> "ld64";
                    default -> null;
                };
                if (j < 0 || m == null) continue;
                Class<?> arr = switch (m) {
                    case "ldf32" -> float[].class;
                    case "ldf64" -> double[].class;
                    case "ld32" -> int[].class;
                    default -> long[].class;
                };
                int slot = cb.allocateLocal(TypeKind.REFERENCE);
                Label skip = cb.newLabel();
                cb.aconst_null().astore(slot);
                cb.iload(fullSlot).ifeq(skip);
                cb.aload(eSlot).loadConstant(j);
                if (loSlot >= 0) cb.iload(loSlot).iload(hiSlot);
                else cb.iconst_0().iload(nSlot);
                cb.invokestatic(ClassDesc.of(PKG + ".LaneBulk"), m, MethodTypeDesc.of(
                        arr.describeConstable().orElseThrow(), CD_EXEC, CD_int, CD_int, CD_int));
                cb.astore(slot);
                cb.labelBinding(skip);
                bulkSlot.put(site, slot);
            }
        }

        /**
         * Whether {@code i} only reads and writes registers (no memory, no collective, no control): what a lane loop
         * may hold around the accesses {@link #bulkSafe} and {@code sharedCopyStore} look at.
         */
        private static boolean registerOnly(Inst i) {
            return i instanceof Inst.Mov || i instanceof Inst.Compute || i instanceof Inst.CarryArith
                    || i instanceof Inst.Compare || i instanceof Inst.Convert || i instanceof Inst.Cvta
                    || i instanceof Inst.IsSpace || i instanceof Inst.ReadSpecial;
        }

        /**
         * The loads of a lane loop's statements {@code all} when the loop writes no memory that a global load can see
         * and its loads are all weak (a bulk copy before the loop reads what the loop would: {@link LaneBulk}, {@link
         * LoopBulk}); null otherwise.
         */
        private static List<Inst.Load> bulkSafe(List<org.transcuda.ir.Stmt> all) {
            List<Inst.Load> loads = new ArrayList<>();
            for (var st : all) {
                if (registerOnly(st.inst())) continue;
                switch (st.inst()) {
                    case Inst.Load l -> {
                        if (l.order() != Memory.Order.WEAK) return null;
                        loads.add(l);
                    }
                    case Inst.Store x -> {
                        if (x.space() != AddressSpace.SHARED && x.space() != AddressSpace.LOCAL) return null;
                    }
                    case Inst.Atomic x -> {
                        if (x.space() != AddressSpace.SHARED) return null;
                    }
                    default -> {
                        return null;
                    }
                }
            }
            return loads;
        }

        private void runLoopChecked(List<org.transcuda.ir.Stmt> sts, List<org.transcuda.ir.Stmt> others,
                Runnable body, int loSlot, int hiSlot) {
            boolean ranged = loSlot >= 0;
            List<org.transcuda.ir.Stmt> shared = affineShared(sts, others);
            List<Runnable> jam = jamStmts;
            jamStmts = null;
            boolean[] vecRaw = jamRaw;
            jamRaw = null;
            if (jam != null && (jamWidth.getOrDefault(segment, LaneJam.width()) == 0 || ranged || shared == null || !others.isEmpty() || !LaneJam.qualifies(sts, shared))) {
                jam = null;
            }
            if (shared == null) {
                if (ranged) rangeLoop(loSlot, hiSlot, body);
                else laneLoop(body);
                return;
            }
            Label checked = cb.newLabel();
            Label end = cb.newLabel();
            cb.iload(fullSlot).ifeq(checked);
            affineSite.clear();
            // group the accesses by address register, size and offset modulo the size: one check per group
            Map<String, List<org.transcuda.ir.Stmt>> groups = new java.util.LinkedHashMap<>();
            for (var st : shared) {
                Address a = sharedAccess(st);
                int bytes = accessBytes(st);
                long off = a.base() instanceof Reg ? a.offset() : constSymbol((SymbolAddr) a.base()) + a.offset();
                String key = (a.base() instanceof Reg r ? "r" + r.id() : "c") + ":" + bytes + ":"
                        + Math.floorMod(off, bytes);
                groups.computeIfAbsent(key, k -> new ArrayList<>()).add(st);
            }
            Map<Integer, AffineSite> sitesHere = new HashMap<>();
            for (List<org.transcuda.ir.Stmt> g : groups.values()) {
                Address a0 = sharedAccess(g.get(0));
                int bytes = accessBytes(g.get(0));
                SharedAffine.Form fm = a0.base() instanceof Reg r ? affine().sharedAddress(r, bytes)
                        : SharedAffine.Form.ZERO;
                long lo = Long.MAX_VALUE, hi = Long.MIN_VALUE;
                for (var st : g) {
                    Address a = sharedAccess(st);
                    long off = a.base() instanceof Reg ? a.offset() : constSymbol((SymbolAddr) a.base()) + a.offset();
                    lo = Math.min(lo, off);
                    hi = Math.max(hi, off);
                }
                int slot = cb.allocateLocal(TypeKind.INT);
                formBase(fm);
                cb.istore(slot);
                if (ranged) {
                    cb.aload(eSlot).iload(slot).loadConstant(lo).loadConstant(hi).loadConstant(fm.cx())
                            .iload(loSlot).iload(hiSlot).loadConstant(bytes);
                    inv(SharedAffine.class, "fitsRange", Exec.class, int.class, long.class, long.class, int.class,
                            int.class, int.class, int.class);
                } else if (fm.uni().length == 0) {
                    // a constant base: checked once per launch and worker
                    cb.aload(eSlot).loadConstant(sharedGroups++).iload(slot).loadConstant(lo).loadConstant(hi)
                            .loadConstant(fm.cx()).loadConstant(fm.cy()).loadConstant(fm.cz()).loadConstant(bytes);
                    inv(SharedAffine.class, "fitsCached", Exec.class, int.class, int.class, long.class, long.class,
                            int.class, int.class, int.class, int.class);
                } else {
                    cb.aload(eSlot).iload(slot).loadConstant(lo).loadConstant(hi).loadConstant(fm.cx())
                            .loadConstant(fm.cy()).loadConstant(fm.cz()).loadConstant(bytes);
                    inv(SharedAffine.class, "fits", Exec.class, int.class, long.class, long.class, int.class,
                            int.class, int.class, int.class);
                }
                cb.ifeq(checked);
                // the index of thread (0,0,0) at the lowest offset: zext(base) + lo, in words for 4-byte accesses
                cb.iload(slot);
                inv(Integer.class, "toUnsignedLong", int.class);
                cb.loadConstant(lo).ladd();
                int w = bytes == 4 ? 4 : 1;
                if (w == 4) cb.iconst_2().lushr();
                cb.l2i().istore(slot);
                for (var st : g) {
                    Address a = sharedAccess(st);
                    long off = a.base() instanceof Reg ? a.offset() : constSymbol((SymbolAddr) a.base()) + a.offset();
                    sitesHere.put(sites.get(st.inst()), new AffineSite(slot, (int) ((off - lo) / w), bytes,
                            fm.cx() / w, fm.cy() / w, fm.cz() / w));
                }
            }
            countIn("sharedRuns");
            org.transcuda.ir.Stmt copy = jam == null ? sharedCopyStore(sts, others, sitesHere) : null;
            if (shSlot < 0) shSlot = cb.allocateLocal(TypeKind.REFERENCE);
            cb.aload(eSlot).getfield(CD_EXEC, "shared", CD_int.arrayType()).astore(shSlot);
            if (LoopLength.ENABLED) cb.aload(shSlot).arraylength().pop();
            if (txSlot < 0) {
                txSlot = cb.allocateLocal(TypeKind.INT);
                tySlot = cb.allocateLocal(TypeKind.INT);
                tzSlot = cb.allocateLocal(TypeKind.INT);
                rowSlot = cb.allocateLocal(TypeKind.INT);
                ntxSlot = cb.allocateLocal(TypeKind.INT);
                ntySlot = cb.allocateLocal(TypeKind.INT);
                ntzSlot = cb.allocateLocal(TypeKind.INT);
            }
            cb.aload(eSlot).getfield(CD_EXEC, "ntx", CD_int).istore(ntxSlot);
            cb.aload(eSlot).getfield(CD_EXEC, "nty", CD_int).istore(ntySlot);
            cb.aload(eSlot).getfield(CD_EXEC, "ntz", CD_int).istore(ntzSlot);
            affineSite.putAll(sitesHere);
            affineLoop = true;
            copiedSite = copy == null ? -1 : sites.get(copy.inst());
            if (ranged) {
                // one-dimensional block: ty = tz = 0, t = tx
                cb.iconst_0().istore(tySlot).iconst_0().istore(tzSlot);
                Label l = cb.newLabel();
                Label done = cb.newLabel();
                cb.iload(loSlot).istore(txSlot);
                // ArmVec: whole vectors of the range's threads first, then the scalar loop for the rest
                if (copy == null && others.isEmpty()) armVec(sts, sitesHere, loSlot, hiSlot);
                cb.labelBinding(l);
                cb.iload(txSlot).iload(hiSlot).if_icmpge(done);
                cb.iload(txSlot).istore(tSlot);
                body.run();
                cb.iinc(txSlot, 1).goto_(l);
                cb.labelBinding(done);
                if (copy != null) {
                    // threads [lo, hi) of row 0
                    cb.iload(loSlot).istore(txSlot);
                    sharedCopyRow(copy, sitesHere, loSlot, hiSlot);
                }
                cb.goto_(end);
                affineLoop = false;
                copiedSite = -1;
                affineSite.clear();
                cb.labelBinding(checked);
                rangeLoop(loSlot, hiSlot, body);
                cb.labelBinding(end);
                return;
            }
            Label lz = cb.newLabel(), ly = cb.newLabel(), lx = cb.newLabel();
            Label nextY = cb.newLabel(), nextZ = cb.newLabel();
            cb.iconst_0().istore(tzSlot);
            cb.labelBinding(lz);
            cb.iload(tzSlot).iload(ntzSlot).if_icmpge(end);
            cb.iconst_0().istore(tySlot);
            cb.labelBinding(ly);
            cb.iload(tySlot).iload(ntySlot).if_icmpge(nextZ);
            // row = (tz * nty + ty) * ntx: the linear index of thread (0, ty, tz)
            cb.iload(tzSlot).iload(ntySlot).imul().iload(tySlot).iadd().iload(ntxSlot).imul().istore(rowSlot);
            cb.iconst_0().istore(txSlot);
            if (jam == null && LaneVec.COPY && LaneVec.on()) laneVecCopy(sts);
            if (jam != null) {
                // LaneVec: whole vectors of the row's threads first, then LaneJam's steps for what is left
                int vl = vecRaw != null && vecRaw.length == sts.size() && LaneVec.on() ? laneVec(sts, jam, vecRaw) : 0;
                if (jamWidth.getOrDefault(segment, LaneJam.width()) > 1) laneJam(sts, jam, lx, vl);
            }
            cb.labelBinding(lx);
            cb.iload(txSlot).iload(ntxSlot).if_icmpge(nextY);
            cb.iload(rowSlot).iload(txSlot).iadd().istore(tSlot);
            body.run();
            cb.iinc(txSlot, 1).goto_(lx);
            cb.labelBinding(nextY);
            if (copy != null) {
                // the row (ty, tz), threads tx = 0 .. ntx-1
                cb.iconst_0().istore(txSlot);
                sharedCopyRow(copy, sitesHere, -1, -1);
            }
            cb.iinc(tySlot, 1).goto_(ly);
            cb.labelBinding(nextZ);
            cb.iinc(tzSlot, 1).goto_(lz);
            affineLoop = false;
            copiedSite = -1;
            affineSite.clear();
            // not every thread active, or a check failed: the loop over the active threads, accesses checked
            cb.labelBinding(checked);
            activeLoop(body);
            cb.labelBinding(end);
        }

        private int shSlot = -1, rowSlot = -1, ntxSlot = -1, ntySlot = -1, ntzSlot = -1;

        /** LOCK shape: the site of the checked-once loop's shared store made by {@link SharedCopy} (-1: none). */
        private int copiedSite = -1;

        /**
         * The shared store of a checked-once lane loop that {@link SharedCopy} makes one copy per row of threads, or
         * null: the loop's statements {@code sts} and arms {@code others} are register statements, weak global or
         * constant loads and one unguarded 32-bit shared store in {@code sts} whose site {@code here} holds with
         * consecutive words in {@code tid.x}, of a per-thread register (its array, not a run local) of the stored
         * type's kind that no statement of the loop defines.
         */
        private org.transcuda.ir.Stmt sharedCopyStore(List<org.transcuda.ir.Stmt> sts,
                List<org.transcuda.ir.Stmt> others, Map<Integer, AffineSite> here) {
            if (!SharedCopy.ENABLED) return null;
            org.transcuda.ir.Stmt store = null;
            List<org.transcuda.ir.Stmt> all = new ArrayList<>(sts);
            all.addAll(others);
            for (var st : all) {
                if (registerOnly(st.inst())) continue;
                switch (st.inst()) {
                    case Inst.Load l -> {
                        if (l.order() != Memory.Order.WEAK
                                || (l.space() != AddressSpace.GLOBAL && l.space() != AddressSpace.CONST)) {
                            return null;
                        }
                    }
                    case Inst.Store x -> {
                        if (store != null || x.space() != AddressSpace.SHARED || st.guard() != null
                                || !sts.contains(st)) {
                            return null;
                        }
                        store = st;
                    }
                    default -> {
                        return null;
                    }
                }
            }
            if (store == null) return null;
            Inst.Store x = (Inst.Store) store.inst();
            AffineSite a = here.get(sites.get(x));
            if (a == null || a.bytes() != 4 || a.cx() != 1 || !(x.src() instanceof Reg r)) return null;
            int id = r.id();
            if (uniform.get(id) || runLocal.get(id) || (spilled != null && spilled.get(id))) return null;
            boolean f32 = x.type() == ScalarType.F32 && r.type() == ScalarType.F32 && regKind[id] == TypeKind.FLOAT;
            boolean i32 = (x.type() == ScalarType.B32 || x.type() == ScalarType.U32 || x.type() == ScalarType.S32)
                    && (r.type() == ScalarType.B32 || r.type() == ScalarType.U32 || r.type() == ScalarType.S32)
                    && regKind[id] == TypeKind.INT;
            if (!f32 && !i32) return null;
            for (var st : all) for (Reg d : st.inst().defs()) if (d.id() == id) return null;
            return store;
        }

        /**
         * {@link SharedCopy}: the store {@code copy} for the threads of the current row from {@code tid.x} = the
         * {@code txSlot} local (its first thread) on: up to {@code ntid.x} ({@code loSlot < 0}) or to the local
         * {@code hiSlot}; the row's linear index in {@code rowSlot} (0 for a range).
         */
        private void sharedCopyRow(org.transcuda.ir.Stmt copy, Map<Integer, AffineSite> here, int loSlot,
                int hiSlot) {
            Inst.Store x = (Inst.Store) copy.inst();
            AffineSite a = here.get(sites.get(x));
            int id = ((Reg) x.src()).id();
            boolean f32 = regKind[id] == TypeKind.FLOAT;
            cb.aload(arr(id));
            if (loSlot >= 0) cb.iload(loSlot);
            else cb.iload(rowSlot).iload(txSlot).iadd();
            cb.aload(shSlot);
            affineIndex(a);
            if (loSlot >= 0) cb.iload(hiSlot).iload(loSlot).isub();
            else cb.iload(ntxSlot);
            cb.invokestatic(ClassDesc.of(PKG + ".SharedCopy"), f32 ? "f32" : "i32", MethodTypeDesc.of(CD_void,
                    (f32 ? float[].class : int[].class).describeConstable().orElseThrow(), CD_int,
                    CD_int.arrayType(), CD_int, CD_int));
            countIn("sharedCopies");
        }

        /** The next {@link #runLoop}'s statements one by one, for {@link LaneJam} (null: its body only). */
        private List<Runnable> jamStmts;
        /** {@link LaneJam}: per extra lane, its {@code tid.x} and linear index locals and its run-local registers. */
        private int[] jamTx, jamT;
        private int[][] jamRunSlot;
        /** {@link LaneJam#reuse}: per extra lane, per kind, the JVM locals its run-local registers share. */
        private List<Map<TypeKind, List<Integer>>> jamPool;

        /** {@link LaneVec}: per statement of the next {@link #runLoop}'s run, whether its f32 NaNs are deferred. */
        private boolean[] jamRaw;

        private static final ClassDesc CD_FVEC = ClassDesc.of("jdk.incubator.vector.FloatVector");
        private static final ClassDesc CD_IVEC = ClassDesc.of("jdk.incubator.vector.IntVector");
        private static final ClassDesc CD_VEC = ClassDesc.of("jdk.incubator.vector.Vector");
        private static final ClassDesc CD_VMASK = ClassDesc.of("jdk.incubator.vector.VectorMask");
        private static final ClassDesc CD_VSPEC = ClassDesc.of("jdk.incubator.vector.VectorSpecies");
        private static final ClassDesc CD_VTEST = ClassDesc.of("jdk.incubator.vector.VectorOperators$Test");
        private static final ClassDesc CD_VOPS = ClassDesc.of(PKG + ".LaneVecOps");

        /**
         * {@link LaneVec}'s loop over whole vectors of the current row's threads ({@code tid.x} from the {@code txSlot}
         * local, which it leaves past the last full vector), emitted before {@link #laneJam}'s when every statement of
         * the qualifying run {@code sts} has a vector form; returns the vector length, or 0 (nothing emitted).
         * {@code raw}: per statement, whether the scalar code defers its f32 canonicalization ({@code deferNaN}).
         */
        private int laneVec(List<org.transcuda.ir.Stmt> sts, List<Runnable> stmts, boolean[] raw) {
            int vl = LaneVec.length();
            boolean[] once = LaneJam.rowInvariant(sts, runLocal, uniform, st -> {
                AffineSite a = affineSite.get(sites.get(st.inst()));
                return a != null && a.cx() == 0;
            });
            BitSet scalar = new BitSet(); // registers with one value per row (broadcast when read by a vector)
            for (int k = 0; k < sts.size(); k++) if (once[k]) for (Reg d : sts.get(k).inst().defs()) scalar.set(d.id());
            BitSet vec = new BitSet(); // registers defined by a vector statement so far
            for (int k = 0; k < sts.size(); k++) {
                if (once[k]) continue;
                Inst in = sts.get(k).inst();
                List<Value> srcs;
                Reg dst;
                switch (in) {
                    case Inst.Load l -> {
                        AffineSite a = affineSite.get(sites.get(in));
                        if (l.space() != AddressSpace.SHARED || (l.type() != ScalarType.F32 && l.type() != ScalarType.B32)
                                || a == null || a.bytes() != 4 || a.cx() != 1) {
                            return 0;
                        }
                        srcs = List.of();
                        dst = l.dst();
                    }
                    case Inst.Compute c -> {
                        FloatMode m = c.mode();
                        boolean op = c.op() == Opcode.ADD || c.op() == Opcode.SUB || c.op() == Opcode.MUL
                                || c.op() == Opcode.FMA;
                        if (!op || c.type() != ScalarType.F32 || roundingMode(m, false) != Fp.RN || m.ftz() || m.sat()
                                || m.approx() || c.srcs().size() != (c.op() == Opcode.FMA ? 3 : 2)) {
                            return 0;
                        }
                        srcs = c.srcs();
                        dst = c.dst();
                    }
                    case Inst.Mov m -> {
                        srcs = List.of(m.src());
                        dst = m.dst();
                    }
                    default -> {
                        return 0;
                    }
                }
                for (Value v : srcs) {
                    if (v instanceof Const) continue;
                    if (!(v instanceof Reg r) || r.type() != ScalarType.F32 || regKind[r.id()] != TypeKind.FLOAT) return 0;
                    int id = r.id();
                    boolean ok = vec.get(id) || scalar.get(id) || uniform.get(id)
                            || (!runLocal.get(id) && (spilled == null || !spilled.get(id)));
                    if (!ok) return 0;
                }
                if (dst.type() != ScalarType.F32 || regKind[dst.id()] != TypeKind.FLOAT || uniform.get(dst.id())
                        || scalar.get(dst.id()) || (spilled != null && spilled.get(dst.id()))) {
                    return 0;
                }
                vec.set(dst.id());
            }
            if (vec.isEmpty()) return 0;
            // per row of threads: vecLanes += ntx - ntx % vl
            cb.aload(eSlot).dup().getfield(CD_EXEC, "vecLanes", CD_long);
            cb.iload(ntxSlot).iload(ntxSlot).loadConstant(vl).irem().isub();
            cb.i2l().ladd().putfield(CD_EXEC, "vecLanes", CD_long);
            Map<Integer, Integer> vslot = new HashMap<>();
            for (int id = vec.nextSetBit(0); id >= 0; id = vec.nextSetBit(id + 1)) {
                vslot.put(id, cb.allocateLocal(TypeKind.REFERENCE));
            }
            Label loop = cb.newBoundLabel();
            Label done = cb.newLabel();
            cb.iload(txSlot).loadConstant(vl).iadd().iload(ntxSlot).if_icmpgt(done);
            cb.iload(rowSlot).iload(txSlot).iadd().istore(tSlot);
            BitSet defined = new BitSet();
            for (int k = 0; k < sts.size(); k++) {
                if (once[k]) {
                    stmts.get(k).run();
                    continue;
                }
                Inst in = sts.get(k).inst();
                Reg dst = in.defs().get(0);
                switch (in) {
                    case Inst.Load l -> {
                        // IntVector.fromArray(I, sh, index).reinterpretAsFloats(): the words as floats, bit for bit
                        cb.getstatic(CD_VOPS, "I", CD_VSPEC).aload(shSlot);
                        affineIndex(affineSite.get(sites.get(in)));
                        cb.invokestatic(CD_IVEC, "fromArray", MethodTypeDesc.of(CD_IVEC, CD_VSPEC, CD_int.arrayType(),
                                CD_int));
                        cb.invokevirtual(CD_IVEC, "reinterpretAsFloats", MethodTypeDesc.of(CD_FVEC));
                    }
                    case Inst.Compute c -> {
                        // the vector API's own methods, called directly (forced inline however large the segment)
                        for (Value v : c.srcs()) pushVector(v, defined, vslot);
                        String name = switch (c.op()) {
                            case ADD -> "add";
                            case SUB -> "sub";
                            case MUL -> "mul";
                            default -> "fma";
                        };
                        ClassDesc[] ps = new ClassDesc[c.srcs().size() - 1];
                        java.util.Arrays.fill(ps, CD_VEC);
                        cb.invokevirtual(CD_FVEC, name, MethodTypeDesc.of(CD_FVEC, ps));
                        if (CANONICAL_NANS && !raw[k]) {
                            // NaN lanes to the canonical NaN: v.blend(NaN, m) where m = v.test(IS_NAN) has any lane
                            int v = vslot.get(dst.id());
                            int m = cb.allocateLocal(TypeKind.REFERENCE);
                            Label none = cb.newLabel();
                            cb.astore(v);
                            cb.aload(v).getstatic(ClassDesc.of("jdk.incubator.vector.VectorOperators"), "IS_NAN",
                                    CD_VTEST);
                            cb.invokevirtual(CD_FVEC, "test", MethodTypeDesc.of(CD_VMASK, CD_VTEST)).astore(m);
                            cb.aload(m).invokevirtual(CD_VMASK, "anyTrue", MethodTypeDesc.of(CD_boolean)).ifeq(none);
                            cb.aload(v).loadConstant(Fp.CANON_F32);
                            inv(Float.class, "intBitsToFloat", int.class);
                            cb.aload(m);
                            cb.invokevirtual(CD_FVEC, "blend", MethodTypeDesc.of(CD_FVEC, CD_float, CD_VMASK));
                            cb.astore(v);
                            cb.labelBinding(none);
                            cb.aload(v);
                        }
                    }
                    case Inst.Mov m -> pushVector(m.src(), defined, vslot);
                    default -> throw new IllegalStateException();
                }
                cb.astore(vslot.get(dst.id()));
                defined.set(dst.id());
            }
            // the thread arrays of the registers the run defines (run-local ones die in it)
            for (int id = vec.nextSetBit(0); id >= 0; id = vec.nextSetBit(id + 1)) {
                if (runLocal.get(id)) continue;
                cb.aload(vslot.get(id)).aload(arr(id)).iload(tSlot);
                cb.invokevirtual(CD_FVEC, "intoArray", MethodTypeDesc.of(CD_void, CD_float.arrayType(), CD_int));
            }
            cb.iinc(txSlot, vl).goto_(loop);
            cb.labelBinding(done);
            return vl;
        }

        /**
         * {@link ArmVec}: in an arm's range loop whose shared accesses were checked for the range, the threads
         * {@code tx .. tx+VL-1} as vectors while {@code tx + VL <= hi} (local {@code hiSlot}), leaving {@code txSlot}
         * at the first thread for the scalar loop; nothing when the loop does not qualify (see the class comment).
         */
        private void armVec(List<org.transcuda.ir.Stmt> sts, Map<Integer, AffineSite> here, int loSlot, int hiSlot) {
            if (!ArmVec.ENABLED || !LaneVec.on() || loopNaN != null || !bulkSlot.isEmpty()) return;
            int vl = LaneVec.length();
            int group = -1;
            List<AffineSite> stores = new ArrayList<>(), all = new ArrayList<>();
            BitSet vec = new BitSet();
            for (var st : sts) {
                if (st.guard() != null) return;
                Inst in = st.inst();
                switch (in) {
                    case Inst.Load l -> {
                        AffineSite a = here.get(sites.get(in));
                        if (l.space() != AddressSpace.SHARED || l.type() != ScalarType.F32 || a == null
                                || a.bytes() != 4 || a.cx() != 1 || (group >= 0 && a.slot() != group)
                                || !vecLocal(l.dst())) {
                            return;
                        }
                        group = a.slot();
                        all.add(a);
                        vec.set(l.dst().id());
                    }
                    case Inst.Store x -> {
                        AffineSite a = here.get(sites.get(in));
                        if (x.space() != AddressSpace.SHARED || (x.type() != ScalarType.F32 && x.type() != ScalarType.B32)
                                || a == null || a.bytes() != 4 || a.cx() != 1 || (group >= 0 && a.slot() != group)
                                || !(x.src() instanceof Reg r) || !vec.get(r.id())) {
                            return;
                        }
                        group = a.slot();
                        all.add(a);
                        stores.add(a);
                    }
                    case Inst.Compute c -> {
                        FloatMode m = c.mode();
                        boolean op = c.op() == Opcode.ADD || c.op() == Opcode.SUB || c.op() == Opcode.MUL;
                        if (!op || c.type() != ScalarType.F32 || roundingMode(m, false) != Fp.RN || m.ftz() || m.sat()
                                || m.approx() || c.srcs().size() != 2 || !vecLocal(c.dst())) {
                            return;
                        }
                        for (Value v : c.srcs()) if (!(v instanceof Reg r) || !vec.get(r.id())) return;
                        vec.set(c.dst().id());
                    }
                    default -> {
                        return;
                    }
                }
            }
            if (stores.isEmpty()) return;
            // a word that one thread of a group of VL stores is touched by no other thread of the group
            for (AffineSite k : stores) {
                for (AffineSite m : all) {
                    long d = (long) k.delta() - m.delta();
                    if (d != 0 && Math.abs(d) < vl) return;
                }
            }
            Map<Integer, Integer> vslot = new HashMap<>();
            for (int id = vec.nextSetBit(0); id >= 0; id = vec.nextSetBit(id + 1)) {
                vslot.put(id, cb.allocateLocal(TypeKind.REFERENCE));
            }
            if (shSlot < 0) throw new IllegalStateException("shared array not loaded");
            Label loop = cb.newBoundLabel();
            Label done = cb.newLabel();
            cb.iload(txSlot).loadConstant(vl).iadd().iload(hiSlot).if_icmpgt(done);
            for (var st : sts) {
                switch (st.inst()) {
                    case Inst.Load l -> {
                        // IntVector.fromArray(I, sh, index).reinterpretAsFloats(): the words as floats, bit for bit
                        cb.getstatic(CD_VOPS, "I", CD_VSPEC).aload(shSlot);
                        affineIndex(here.get(sites.get(l)));
                        cb.invokestatic(CD_IVEC, "fromArray", MethodTypeDesc.of(CD_IVEC, CD_VSPEC, CD_int.arrayType(),
                                CD_int));
                        cb.invokevirtual(CD_IVEC, "reinterpretAsFloats", MethodTypeDesc.of(CD_FVEC));
                        cb.astore(vslot.get(l.dst().id()));
                    }
                    case Inst.Compute c -> {
                        for (Value v : c.srcs()) cb.aload(vslot.get(((Reg) v).id()));
                        String name = switch (c.op()) {
                            case ADD -> "add";
                            case SUB -> "sub";
                            default -> "mul";
                        };
                        cb.invokevirtual(CD_FVEC, name, MethodTypeDesc.of(CD_FVEC, CD_VEC));
                        int v = vslot.get(c.dst().id());
                        cb.astore(v);
                        if (CANONICAL_NANS) {
                            // NaN lanes to the canonical NaN: v.blend(NaN, v.test(IS_NAN))
                            cb.aload(v).loadConstant(Fp.CANON_F32);
                            inv(Float.class, "intBitsToFloat", int.class);
                            cb.aload(v).getstatic(ClassDesc.of("jdk.incubator.vector.VectorOperators"), "IS_NAN",
                                    CD_VTEST);
                            cb.invokevirtual(CD_FVEC, "test", MethodTypeDesc.of(CD_VMASK, CD_VTEST));
                            cb.invokevirtual(CD_FVEC, "blend", MethodTypeDesc.of(CD_FVEC, CD_float, CD_VMASK));
                            cb.astore(v);
                        }
                    }
                    case Inst.Store x -> {
                        cb.aload(vslot.get(((Reg) x.src()).id()));
                        cb.invokevirtual(CD_FVEC, "reinterpretAsInts", MethodTypeDesc.of(CD_IVEC));
                        cb.aload(shSlot);
                        affineIndex(here.get(sites.get(x)));
                        cb.invokevirtual(CD_IVEC, "intoArray", MethodTypeDesc.of(CD_void, CD_int.arrayType(), CD_int));
                    }
                    default -> throw new IllegalStateException();
                }
            }
            cb.iinc(txSlot, vl).goto_(loop);
            cb.labelBinding(done);
            // armVecLanes += tx - lo
            cb.aload(eSlot).dup().getfield(CD_EXEC, "armVecLanes", CD_long);
            cb.iload(txSlot).iload(loSlot).isub().i2l().ladd().putfield(CD_EXEC, "armVecLanes", CD_long);
        }

        /**
         * {@link ArmChain}: when a maximal chain of at least two tree steps ({@link #armChainStep}) starts at this
         * segment, {@code r = ArmChain.run(e, id); if (r >= 0) return r;} before anything else of the method.
         */
        private void armChainEntry() {
            if (!ArmChain.ENABLED || ArmChain.offForTests || !CANONICAL_NANS || !SharedAffine.ENABLED) return;
            List<ArmChain.Step> steps = new ArrayList<>();
            int next = armChainSteps(segment, steps);
            if (steps.size() < 2) return;
            // maximal: no chain from an earlier segment runs through this one
            for (int s0 = 0; s0 < segment; s0++) {
                for (int s = s0, n; (n = armChainStep(s)) >= 0; s = n) {
                    if (n == segment) return;
                }
            }
            int id = addEntry(armChainTable,
                    new ArmChain.Chain(steps.toArray(ArmChain.Step[]::new), next, LaneVec.on()));
            int r = cb.allocateLocal(TypeKind.INT);
            Label general = cb.newLabel();
            cb.aload(eSlot).loadConstant(id);
            inv(ArmChain.class, "run", Exec.class, int.class);
            cb.istore(r).iload(r).iflt(general).iload(r).ireturn();
            cb.labelBinding(general);
        }

        /** {@link InputFuse}: the kernel's liveness, made on first use. */
        private Liveness fuseLive;

        /**
         * {@link InputFuse}: when the if-converted triangle of block {@code a} (arm {@code arm}, taken where the
         * predicate is {@code want}, by compare {@code cmp}; the last run's per-thread statements {@code prefix}) starts
         * an input chain (see the class comment), {@code r = InputFuse.run(e, id, range0, range1); if (r >= 0)
         * return r;} with the arms' ranges by {@link SharedAffine#predRange}. Emitted while every thread is active,
         * after the segment's block-uniform and thread-constant statements.
         */
        private void inputFuseEntry(Block a, Block arm, boolean want, Inst.Compare cmp, List<Integer> prefix,
                List<Integer> lanes) {
            if (!InputFuse.ENABLED || InputFuse.offForTests || !CANONICAL_NANS || !isKernel || !lockGlobal
                    || affineSites == null) {
                return;
            }
            List<Block> blocks = f.blocks();
            int[] sg = lockSegs.get(segment);
            if (sg[3] != 0 || blocks.get(sg[0]) != a) return;
            // the triangles: (arm block, want, compare), each join the next triangle's block or the store's block
            List<Block> armBlocks = new ArrayList<>(List.of(arm));
            List<Boolean> wants = new ArrayList<>(List.of(want));
            List<Inst.Compare> cmps = new ArrayList<>(List.of(cmp));
            List<org.transcuda.ir.Stmt> skipped = new ArrayList<>();
            for (int j : prefix) skipped.add(a.stmts().get(j));
            skipped.addAll(arm.stmts());
            Map<String, Block> byLabel = new HashMap<>();
            for (Block x : blocks) byLabel.put(x.label(), x);
            Block cur = byLabel.get(ifArms.get(a.label()).join());
            while (true) {
                if (cur == null) return;
                Integer cs = blockSeg.get(cur.label());
                if (cs == null || cs <= segment) return;
                IfConversion.Arms ar = ifArms.get(cur.label());
                if (ar == null || lockSegs.get(cs)[3] != 0) break;
                if (armBlocks.size() == 2 || (ar.ifTrue() == null) == (ar.ifFalse() == null)) return;
                int[] csg = lockSegs.get(cs);
                if (csg[1] != 0 || csg[2] != cur.stmts().size() || csg[3] != 0) return;
                Inst.Compare c2 = armCompare((Terminator.CondBranch) cur.terminator());
                if (c2 == null) return;
                Block arm2 = ar.ifTrue() != null ? ar.ifTrue() : ar.ifFalse();
                armBlocks.add(arm2);
                wants.add(ar.ifTrue() != null);
                cmps.add(c2);
                skipped.addAll(cur.stmts());
                skipped.addAll(arm2.stmts());
                cur = byLabel.get(ar.join());
            }
            // the store's block: register-only statements and one shared store, then a complete bar.sync
            Block c = cur;
            int cs = blockSeg.get(c.label());
            int[] csg = lockSegs.get(cs);
            if (csg[1] != 0 || csg[3] != 1 || cs + 1 >= lockSegs.size()) return;
            int bi = csg[2];
            org.transcuda.ir.Stmt bar = c.stmts().get(bi);
            if (bar.guard() != null || !(bar.inst() instanceof Inst.Barrier bx) || bx.kind() != Inst.BarrierKind.SYNC
                    || bx.threads() != null || bx.dst() != null || bx.pred() != null) {
                return;
            }
            Inst.Store store = null;
            for (int j = 0; j < bi; j++) {
                org.transcuda.ir.Stmt st = c.stmts().get(j);
                if (st.inst() instanceof Inst.Store x) {
                    if (store != null) return;
                    store = x;
                }
                skipped.add(st);
            }
            if (store == null || store.space() != AddressSpace.SHARED || store.order() != Memory.Order.WEAK
                    || (store.type() != ScalarType.F32 && store.type() != ScalarType.B32)
                    || !(store.src() instanceof Reg v) || v.type() != ScalarType.F32 || uniform.get(v.id())
                    || !(store.address().base() instanceof Reg sr)) {
                return;
            }
            SharedAffine.Form sf = affine().sharedAddress(sr, 4);
            if (sf == null || sf.uni().length != 0 || sf.cx() != 4 || sf.cy() != 0 || sf.cz() != 0) return;
            long soff = (long) sf.c() + store.address().offset();
            if (soff < 0 || soff > 0x7fff_ffffL) return;
            // the recipe: v's constant in the prefix, per arm a LOAD into v or a load x and v = v + x
            java.util.Set<org.transcuda.ir.Stmt> recipe = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
            Integer init = null;
            for (int j : prefix) {
                org.transcuda.ir.Stmt st = a.stmts().get(j);
                if (st.inst() instanceof Inst.Mov m && m.dst().id() == v.id()) {
                    if (init != null || !(m.src() instanceof Const k) || k.type() != ScalarType.F32) return;
                    init = (int) k.bits();
                    recipe.add(st);
                }
            }
            if (init == null) return;
            int arms = armBlocks.size();
            int[] kind = new int[arms], site = new int[arms];
            BitSet temps = new BitSet();
            for (int k = 0; k < arms; k++) {
                Inst.Load load = null;
                org.transcuda.ir.Stmt loadSt = null, addSt = null;
                for (var st : armBlocks.get(k).stmts()) {
                    if (st.inst() instanceof Inst.Load l) {
                        if (load != null) return;
                        load = l;
                        loadSt = st;
                    } else if (st.inst() instanceof Inst.Compute cp && cp.dst().id() == v.id()) {
                        if (addSt != null) return;
                        addSt = st;
                    }
                }
                if (load == null || load.order() != Memory.Order.WEAK || load.type() != ScalarType.F32
                        || (load.space() != AddressSpace.GLOBAL && load.space() != AddressSpace.CONST)
                        || load.dst().type() != ScalarType.F32) {
                    return;
                }
                int j = -1;
                for (int q = 0; q < affineSites.count(); q++) if (affineSites.inst[q] == load) j = q;
                if (j < 0) return;
                site[k] = j;
                recipe.add(loadSt);
                if (load.dst().id() == v.id()) {
                    if (addSt != null) return;
                    kind[k] = InputFuse.LOAD;
                } else {
                    int x = load.dst().id();
                    if (addSt == null || !(addSt.inst() instanceof Inst.Compute cp) || cp.op() != Opcode.ADD
                            || cp.type() != ScalarType.F32 || cp.srcs().size() != 2) {
                        return;
                    }
                    FloatMode m = cp.mode();
                    if (roundingMode(m, false) != Fp.RN || m.ftz() || m.sat() || m.approx()
                            || !(cp.srcs().get(0) instanceof Reg s0) || !(cp.srcs().get(1) instanceof Reg s1)
                            || !((s0.id() == v.id() && s1.id() == x) || (s0.id() == x && s1.id() == v.id()))
                            || x == v.id()) {
                        return;
                    }
                    // the add must follow the load in the arm
                    if (armBlocks.get(k).stmts().indexOf(addSt) < armBlocks.get(k).stmts().indexOf(loadSt)) return;
                    temps.set(x);
                    kind[k] = InputFuse.ADD;
                    recipe.add(addSt);
                }
            }
            // every other skipped statement: unguarded, register-only, not mentioning v or a loaded temporary
            for (var st : skipped) {
                if (st.guard() != null) return;
                if (recipe.contains(st) || st.inst() == store) continue;
                if (!registerOnly(st.inst())) return;
                for (int id : mentioned(st)) if (id == v.id() || temps.get(id)) return;
            }
            // the compares' block-uniform registers: defined in the first block (already computed here)
            BitSet skippedDefs = new BitSet();
            for (var st : skipped) for (Reg d : st.inst().defs()) skippedDefs.set(d.id());
            BitSet inA = new BitSet();
            for (int j = sg[1]; j < sg[2]; j++) for (Reg d : a.stmts().get(j).inst().defs()) inA.set(d.id());
            for (Inst.Compare cp : cmps) {
                for (Value val : List.of(cp.a(), cp.b())) {
                    SharedAffine.Form fm = affine().of(val);
                    if (fm == null) return;
                    for (int u : fm.uni()) if (!uniform.get(u) || !inA.get(u) || skippedDefs.get(u)) return;
                }
            }
            // registers the skipped statements define that are live after the barrier
            if (fuseLive == null) fuseLive = new Liveness(f);
            BitSet live = fuseLive.liveAfter(c, bi);
            List<Integer> constRegs = new ArrayList<>();
            for (int d = skippedDefs.nextSetBit(0); d >= 0; d = skippedDefs.nextSetBit(d + 1)) {
                if (!live.get(d)) continue;
                if (d == v.id() || temps.get(d)) return;
                if (affineRegs != null && affineRegs.get(d) instanceof SharedAffine.Form fm) {
                    for (int u : fm.uni()) if (skippedDefs.get(u)) return;
                    continue;
                }
                if (threadConst.get(d) && !uniform.get(d)) {
                    constRegs.add(d);
                    continue;
                }
                return;
            }
            int id = addEntry(inputFuseTable, new InputFuse.Region(init, kind, site, (int) soff, cs + 1,
                    constRegs.stream().mapToInt(Integer::intValue).toArray(), threadConstRegBit));
            // the arms' ranges
            int[] rs = new int[2];
            for (int k = 0; k < 2; k++) {
                rs[k] = cb.allocateLocal(TypeKind.LONG);
                if (k >= arms) {
                    cb.lconst_0().lstore(rs[k]);
                    continue;
                }
                Inst.Compare cp = cmps.get(k);
                SharedAffine.Form fa = affine().of(cp.a());
                SharedAffine.Form fb = affine().of(cp.b());
                int op = cp.op().ordinal();
                boolean unsigned = !signed(cp.type()) || (op >= 6 && op <= 9);
                if (fa.uniform()) {
                    SharedAffine.Form x = fa;
                    fa = fb;
                    fb = x;
                    op = RangeSplit.mirror(op);
                }
                cb.aload(eSlot);
                cb.loadConstant(predSites++);
                formBase(fa);
                cb.loadConstant(fa.cx());
                formBase(fb);
                cb.loadConstant(op).loadConstant(unsigned ? 1 : 0).loadConstant(wants.get(k) ? 1 : 0);
                invPredRange();
                cb.lstore(rs[k]);
            }
            int r = cb.allocateLocal(TypeKind.INT);
            Label general = cb.newLabel();
            cb.aload(eSlot).loadConstant(id).lload(rs[0]).lload(rs[1]);
            inv(InputFuse.class, "run", Exec.class, int.class, long.class, long.class);
            cb.istore(r).iload(r).iflt(general).iload(r).ireturn();
            cb.labelBinding(general);
        }

        /** The steps of the chain from segment {@code s} into {@code steps}; the segment after the last one. */
        private int armChainSteps(int s, List<ArmChain.Step> steps) {
            while (true) {
                int n = armChainStep(s);
                if (n < 0) return s;
                steps.add(chainStepAt[s]);
                s = n;
            }
        }

        /** {@link #armChainStep(int, ArmChain.Step[])} of segment {@code s}, found once per kernel. */
        private int armChainStep(int s) {
            if (chainNext == null) {
                int[] next = new int[lockSegs.size()];
                ArmChain.Step[] at = new ArmChain.Step[lockSegs.size()];
                ArmChain.Step[] one = new ArmChain.Step[1];
                for (int k = 0; k < next.length; k++) {
                    next[k] = armChainStep(k, one);
                    at[k] = next[k] < 0 ? null : one[0];
                }
                chainStepAt = at;
                chainNext = next;
            }
            return chainNext[s];
        }

        /**
         * One tree step of {@link ArmChain} at segment {@code s} into {@code out[0]}: the segment after its join
         * barrier, or -1 when segment {@code s} is not one (see the class comment).
         */
        private int armChainStep(int s, ArmChain.Step[] out) {
            int[] sg = lockSegs.get(s);
            if (sg[3] != 0 || sg[2] - sg[1] != 1) return -1;
            List<Block> blocks = f.blocks();
            Block b = blocks.get(sg[0]);
            org.transcuda.ir.Stmt cs = b.stmts().get(sg[1]);
            if (cs.guard() != null || !(cs.inst() instanceof Inst.Compare cmp)
                    || !(b.terminator() instanceof Terminator.CondBranch cbr) || !(cbr.pred() instanceof Reg p)
                    || p.id() != cmp.dst().id() || chainMentions()[p.id()] < 2) {
                return -1;
            }
            // a predicate read again later (reduce's t == 0 after its last step): the chain writes its array
            int predOut = -1;
            if (chainMentions()[p.id()] != 2) {
                if (!ArmChain.PRED_OUT || uniform.get(p.id()) || kind(p.type()) != TypeKind.INT) {
                    return -1;
                }
                predOut = p.id();
            }
            if (cmp.type().bits() != 32 || cmp.type().kind() == ScalarType.Kind.FLOAT
                    || cmp.op().ordinal() > Inst.CmpOp.HS.ordinal()) {
                return -1;
            }
            SharedAffine.Form fa = affine().of(cmp.a()), fb = affine().of(cmp.b());
            if (fa == null || fb == null || fa.uni().length != 0 || fb.uni().length != 0) return -1;
            int op = cmp.op().ordinal();
            boolean unsigned = !signed(cmp.type()) || (op >= 6 && op <= 9);
            if (fa.cx() == 0) {
                SharedAffine.Form x = fa;
                fa = fb;
                fb = x;
                op = RangeSplit.mirror(op);
            }
            if (fa.cx() == 0 || fa.cy() != 0 || fa.cz() != 0 || fb.cx() != 0 || fb.cy() != 0 || fb.cz() != 0) {
                return -1;
            }
            // the triangle: one target the arm, which branches to the other (the join)
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < blocks.size(); i++) index.put(blocks.get(i).label(), i);
            boolean want;
            Block arm, join;
            Integer ti = index.get(cbr.ifTrue()), fi = index.get(cbr.ifFalse());
            if (ti == null || fi == null) return -1;
            if (blocks.get(fi).terminator() instanceof Terminator.Branch br && br.target().equals(cbr.ifTrue())) {
                arm = blocks.get(fi);
                join = blocks.get(ti);
                want = false;
            } else if (blocks.get(ti).terminator() instanceof Terminator.Branch br
                    && br.target().equals(cbr.ifFalse())) {
                arm = blocks.get(ti);
                join = blocks.get(fi);
                want = true;
            } else {
                return -1;
            }
            List<org.transcuda.ir.Stmt> as = arm.stmts();
            if (as.size() != 4) return -1;
            for (var st : as) if (st.guard() != null) return -1;
            if (!(as.get(0).inst() instanceof Inst.Load l0) || !(as.get(1).inst() instanceof Inst.Load l1)
                    || !(as.get(2).inst() instanceof Inst.Compute c) || !(as.get(3).inst() instanceof Inst.Store st)) {
                return -1;
            }
            for (Inst.Load l : List.of(l0, l1)) {
                if (l.space() != AddressSpace.SHARED || l.type() != ScalarType.F32 || l.order() != Memory.Order.WEAK
                        || chainMentions()[l.dst().id()] != 2) {
                    return -1;
                }
            }
            if (l0.dst().id() == l1.dst().id() || st.space() != AddressSpace.SHARED
                    || (st.type() != ScalarType.F32 && st.type() != ScalarType.B32) || st.order() != Memory.Order.WEAK
                    || !(st.src() instanceof Reg z) || z.id() != c.dst().id() || chainMentions()[z.id()] != 2) {
                return -1;
            }
            FloatMode m = c.mode();
            int arith = c.op() == Opcode.ADD ? ArmChain.ADD : c.op() == Opcode.SUB ? ArmChain.SUB
                    : c.op() == Opcode.MUL ? ArmChain.MUL : -1;
            if (arith < 0 || c.type() != ScalarType.F32 || roundingMode(m, false) != Fp.RN || m.ftz() || m.sat()
                    || m.approx() || c.srcs().size() != 2 || !(c.srcs().get(0) instanceof Reg s0)
                    || !(c.srcs().get(1) instanceof Reg s1)) {
                return -1;
            }
            boolean swap;
            if (s0.id() == l0.dst().id() && s1.id() == l1.dst().id()) swap = false;
            else if (s0.id() == l1.dst().id() && s1.id() == l0.dst().id()) swap = true;
            else return -1;
            int[] base = new int[3];
            long[] off = new long[3];
            int[] stride = {1, 1, 1};
            Address[] ad = {l0.address(), l1.address(), st.address()};
            for (int k = 0; k < 3; k++) {
                if (ArmChain.PRED_OUT && k < 2 && ad[k].base() instanceof SymbolAddr sa
                        && sa.space() == AddressSpace.SHARED && sharedOffsets.containsKey(sa.symbol())) {
                    // a load of one fixed word (reduce's s[0 + 1] in its last step): the same word for every thread
                    long so = sharedOffsets.get(sa.symbol());
                    if (so < 0 || so > 0x7fff_ffffL) return -1;
                    base[k] = (int) so;
                    off[k] = ad[k].offset();
                    stride[k] = 0;
                    continue;
                }
                if (!(ad[k].base() instanceof Reg r)) return -1;
                SharedAffine.Form fm = affine().sharedAddress(r, 4);
                if (fm == null || fm.uni().length != 0 || fm.cx() != 4 || fm.cy() != 0 || fm.cz() != 0) return -1;
                base[k] = fm.c();
                off[k] = ad[k].offset();
            }
            // the join: its first statement a complete bar.sync, its own segment; the next segment after it
            Integer js = blockSeg.get(join.label()), as0 = blockSeg.get(arm.label());
            if (js == null || as0 == null || lockSegs.get(as0)[3] != 0 || join.stmts().isEmpty()) return -1;
            int[] jsg = lockSegs.get(js);
            org.transcuda.ir.Stmt bar = join.stmts().get(0);
            if (jsg[1] != 0 || jsg[2] != 0 || jsg[3] != 1 || bar.guard() != null
                    || !(bar.inst() instanceof Inst.Barrier bi) || bi.kind() != Inst.BarrierKind.SYNC
                    || bi.threads() != null || bi.dst() != null || bi.pred() != null || js + 1 >= lockSegs.size()
                    || js + 1 <= s) {
                return -1;
            }
            out[0] = new ArmChain.Step(fa.c(), fa.cx(), fb.c(), op, unsigned, want, base, off, arith, swap, stride,
                    predOut, predOut >= 0 && threadConst.get(predOut));
            return js + 1;
        }

        /**
         * {@link Warp0Chain}: when warp 0's load–scan–store region ({@link #warp0Region}) is split at this segment,
         * {@code r = Warp0Chain.run(e, id); if (r >= 0) return r;} before anything else of the method.
         */
        private void warp0Entry() {
            if (!Warp0Chain.ENABLED || Warp0Chain.offForTests || !WarpScan.ENABLED) return;
            Warp0Chain.Region g = warp0Region(segment);
            if (g == null) return;
            int id = addEntry(warp0Table, g);
            int r = cb.allocateLocal(TypeKind.INT);
            Label general = cb.newLabel();
            cb.aload(eSlot).loadConstant(id);
            inv(Warp0Chain.class, "run", Exec.class, int.class);
            cb.istore(r).iload(r).iflt(general).iload(r).ireturn();
            cb.labelBinding(general);
        }

        /** Register arithmetic that cannot fault and touches nothing but registers. */
        private static boolean plainW0(org.transcuda.ir.Stmt st) {
            if (st.guard() != null) return false;
            return switch (st.inst()) {
                case Inst.Mov m -> true;
                case Inst.Compare c -> true;
                case Inst.Compute c -> switch (c.op()) {
                    case ADD, SUB, MUL, MUL_HI, MUL_WIDE, MAD, MIN, MAX, NEG, AND, OR, XOR, NOT, CNOT, SHL, SHR, SELP,
                            POPC, CLZ, BREV -> true;
                    default -> false;
                };
                default -> false;
            };
        }

        /**
         * Warp 0's load–scan–store region split at segment {@code s} (see {@link Warp0Chain}'s class comment for the
         * shape), or null.
         */
        private Warp0Chain.Region warp0Region(int s) {
            int[] sg = lockSegs.get(s);
            if (sg[3] != 0 || sg[2] - sg[1] != 1) return null;
            List<Block> blocks = f.blocks();
            Block b = blocks.get(sg[0]);
            org.transcuda.ir.Stmt cs = b.stmts().get(sg[1]);
            if (cs.guard() != null || !(cs.inst() instanceof Inst.Compare cmp)
                    || !(b.terminator() instanceof Terminator.CondBranch cbr) || !(cbr.pred() instanceof Reg p)
                    || p.id() != cmp.dst().id() || chainMentions()[p.id()] != 2) {
                return null;
            }
            RangeSplit.Pred rp = RangeSplit.of(cmp, affine(), this::singleDef);
            if (rp == null) return null;
            SharedAffine.Form x = rp.thread(), bd = rp.bound();
            if (x.c() != 0 || x.cx() != 1 || x.cy() != 0 || x.cz() != 0 || x.uni().length != 0 || !bd.constant()
                    || bd.c() != 32) {
                return null;
            }
            boolean below;  // the predicate is tid.x < 32
            int op = rp.op();
            if (op == 2 || op == 6) below = true;
            else if (op == 5 || op == 9) below = false;
            else return null;
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < blocks.size(); i++) index.put(blocks.get(i).label(), i);
            Integer r1i = index.get(below ? cbr.ifTrue() : cbr.ifFalse());
            Integer ji = index.get(below ? cbr.ifFalse() : cbr.ifTrue());
            if (r1i == null || ji == null) return null;
            Block r1 = blocks.get(r1i);
            // R1: register arithmetic, a branch on q (lane < K or its negation) to R2 (load) and R3
            if (!(r1.terminator() instanceof Terminator.CondBranch b1) || !(b1.pred() instanceof Reg q)) return null;
            for (var st : r1.stmts()) if (!plainW0(st)) return null;
            org.transcuda.ir.Stmt qd = singleDef(q);
            if (qd == null || !r1.stmts().contains(qd) || !(qd.inst() instanceof Inst.Compare qc)
                    || !WarpScan.int32(qc.type()) || !(qc.a() instanceof Reg lane) || !(qc.b() instanceof Const qk)) {
                return null;
            }
            long v = qk.bits();
            int k;
            boolean loadOnTrue;
            switch (qc.op()) {
                case GT, HI -> { k = (int) v + 1; loadOnTrue = false; if (v < 0 || v > 31) return null; }
                case GE, HS -> { k = (int) v; loadOnTrue = false; if (v < 1 || v > 32) return null; }
                case LT, LO -> { k = (int) v; loadOnTrue = true; if (v < 1 || v > 32) return null; }
                case LE, LS -> { k = (int) v + 1; loadOnTrue = true; if (v < 0 || v > 31) return null; }
                default -> { return null; }
            }
            Integer r2i = index.get(loadOnTrue ? b1.ifTrue() : b1.ifFalse());
            Integer r3i = index.get(loadOnTrue ? b1.ifFalse() : b1.ifTrue());
            if (r2i == null || r3i == null) return null;
            Block r2 = blocks.get(r2i), r3 = blocks.get(r3i);
            // R2: exactly the load of w, then R3
            if (r2.stmts().size() != 1 || !(r2.terminator() instanceof Terminator.Branch b2)
                    || !b2.target().equals(r3.label()) || r2.stmts().get(0).guard() != null
                    || !(r2.stmts().get(0).inst() instanceof Inst.Load ld) || ld.space() != AddressSpace.SHARED
                    || !WarpScan.int32(ld.type()) || ld.order() != Memory.Order.WEAK || !(ld.address().base() instanceof Reg a)) {
                return null;
            }
            Reg w = ld.dst();
            // R3: arithmetic and one shuffle-scan chain of w; a branch on q to R4 (store) and J
            if (!(r3.terminator() instanceof Terminator.CondBranch b3) || !WarpScan.isReg(b3.pred(), q)) return null;
            Integer r4i = index.get(loadOnTrue ? b3.ifTrue() : b3.ifFalse());
            String j3 = loadOnTrue ? b3.ifFalse() : b3.ifTrue();
            if (r4i == null || !j3.equals(blocks.get(ji).label())) return null;
            Block r4 = blocks.get(r4i);
            WarpScan.Found found = warpScanChains.computeIfAbsent(f, WarpScan::find);
            WarpScan.Chain chain = null;
            java.util.Set<Integer> chainAt = new java.util.HashSet<>();
            List<org.transcuda.ir.Stmt> s3 = r3.stmts();
            for (int i = 0; i < s3.size(); i++) {
                if (found.first().get(s3.get(i)) instanceof WarpScan.Chain c) {
                    if (chain != null) return null;
                    chain = c;
                    for (int t = 0; t < c.steps(); t++) {
                        chainAt.add(c.shuffles()[t]);
                        chainAt.add(c.selects()[t]);
                        chainAt.add(c.adds()[t]);
                    }
                }
            }
            if (chain == null || chain.in().id() != w.id() || chain.lane().id() != lane.id()) return null;
            Reg out = chain.out();
            // the lane register (and the %tid.x it masks) defined in the entry block: tid.x & 31 for every thread here
            org.transcuda.ir.Stmt laneDef = singleDef(lane);
            if (laneDef == null || !blocks.get(0).stmts().contains(laneDef)) return null;
            if (laneDef.inst() instanceof Inst.Compute la) {
                for (Value u : la.srcs()) {
                    if (u instanceof Reg ur && (singleDef(ur) == null || !blocks.get(0).stmts().contains(singleDef(ur)))) {
                        return null;
                    }
                }
            }
            java.util.Set<Integer> fixed = java.util.Set.of(w.id(), q.id(), a.id(), lane.id());
            for (int i = 0; i < s3.size(); i++) {
                if (chainAt.contains(i)) continue;
                if (!plainW0(s3.get(i))) return null;
                for (Reg d : s3.get(i).inst().defs()) if (fixed.contains(d.id()) || d.id() == out.id()) return null;
            }
            for (Reg sm : chain.sums()) if (sm.id() == w.id()) return null;
            // R4: exactly the store of the chain's result to the loaded word, then J
            if (r4.stmts().size() != 1 || !(r4.terminator() instanceof Terminator.Branch b4)
                    || !b4.target().equals(blocks.get(ji).label()) || r4.stmts().get(0).guard() != null
                    || !(r4.stmts().get(0).inst() instanceof Inst.Store st) || st.space() != AddressSpace.SHARED
                    || !WarpScan.int32(st.type()) || st.order() != Memory.Order.WEAK || !WarpScan.isReg(st.address().base(), a)
                    || st.address().offset() != ld.address().offset() || !WarpScan.isReg(st.src(), out)) {
                return null;
            }
            // A = S + (lane << 2) or S + lane·4, defined once, in R1
            org.transcuda.ir.Stmt ad = singleDef(a);
            if (ad == null || !r1.stmts().contains(ad) || !(ad.inst() instanceof Inst.Compute add)
                    || add.op() != Opcode.ADD || !WarpScan.int32(add.type()) || add.srcs().size() != 2) {
                return null;
            }
            SharedAffine.Form c0 = affine().of(add.srcs().get(0)), c1 = affine().of(add.srcs().get(1));
            Value tv;
            int base;
            if (c0 != null && c0.constant()) {
                base = c0.c();
                tv = add.srcs().get(1);
            } else if (c1 != null && c1.constant()) {
                base = c1.c();
                tv = add.srcs().get(0);
            } else {
                return null;
            }
            if (!(tv instanceof Reg tr)) return null;
            org.transcuda.ir.Stmt td = singleDef(tr);
            if (td == null || !r1.stmts().contains(td) || !(td.inst() instanceof Inst.Compute tc)
                    || !WarpScan.int32(tc.type()) || tc.srcs().size() != 2) {
                return null;
            }
            boolean times4 = tc.op() == Opcode.SHL && WarpScan.isReg(tc.srcs().get(0), lane)
                    && tc.srcs().get(1) instanceof Const k2 && k2.bits() == 2
                    || tc.op() == Opcode.MUL && (WarpScan.isReg(tc.srcs().get(0), lane)
                            && tc.srcs().get(1) instanceof Const k4 && k4.bits() == 4
                            || WarpScan.isReg(tc.srcs().get(1), lane) && tc.srcs().get(0) instanceof Const k5 && k5.bits() == 4);
            if (!times4) return null;
            // the fill: w also defined in R1 (a mov), so every lane reads a value of this run
            int wDefsR1 = 0;
            for (var x1 : r1.stmts()) for (Reg d : x1.inst().defs()) if (d.id() == w.id()) wDefsR1++;
            if (wDefsR1 != 1) return null;
            // no other branch enters R1..R4; all distinct from J and this segment's block
            java.util.Set<String> region = java.util.Set.of(r1.label(), r2.label(), r3.label(), r4.label());
            if (region.size() != 4 || region.contains(blocks.get(ji).label()) || region.contains(b.label())) {
                return null;
            }
            for (int i = 0; i < blocks.size(); i++) {
                Block x1 = blocks.get(i);
                List<String> targets = switch (x1.terminator()) {
                    case Terminator.Branch br -> List.of(br.target());
                    case Terminator.CondBranch cb2 -> List.of(cb2.ifTrue(), cb2.ifFalse());
                    case Terminator.Switch sw -> sw.targets();
                    default -> List.of();
                };
                for (String t : targets) {
                    if (!region.contains(t)) continue;
                    boolean ok = x1 == b && t.equals(r1.label()) || x1 == r1 && (t.equals(r2.label()) || t.equals(r3.label()))
                            || x1 == r2 && t.equals(r3.label()) || x1 == r3 && t.equals(r4.label());
                    if (!ok) return null;
                }
                // a block laid out before a region block may fall into it only through its terminator (checked above)
            }
            // every register defined in the region: mentioned only there, read after a definition on the way
            int[] here = new int[f.regs().size()];
            java.util.BitSet defined = new java.util.BitSet();
            java.util.BitSet regionDefs = new java.util.BitSet();
            List<org.transcuda.ir.Stmt> seq = new ArrayList<>();
            seq.add(cs);
            seq.addAll(r1.stmts());
            seq.addAll(r2.stmts());
            seq.addAll(s3);
            seq.addAll(r4.stmts());
            for (var x1 : seq) {
                for (int id : mentioned(x1)) here[id]++;
                for (Reg d : x1.inst().defs()) regionDefs.set(d.id());
            }
            for (Block x1 : List.of(b, r1, r2, r3, r4)) {
                for (Value u : x1.terminator().uses()) if (u instanceof Reg r) here[r.id()]++;
            }
            for (int id = regionDefs.nextSetBit(0); id >= 0; id = regionDefs.nextSetBit(id + 1)) {
                if (here[id] != chainMentions()[id]) return null;
            }
            for (var x1 : seq) {
                if (x1.inst() instanceof Inst.Load) {
                    // R2's load: its address read after R1; its destination also defined in R1
                } else {
                    for (Value u : x1.inst().uses()) {
                        if (u instanceof Reg r && regionDefs.get(r.id()) && !defined.get(r.id())) return null;
                    }
                }
                if (!(x1.inst() instanceof Inst.Load)) for (Reg d : x1.inst().defs()) defined.set(d.id());
                if (x1.inst() instanceof Inst.Load l2 && regionDefs.get(a.id()) && !defined.get(a.id())) return null;
            }
            Integer js = blockSeg.get(blocks.get(ji).label());
            if (js == null) return null;
            return new Warp0Chain.Region(base, ld.address().offset(), k, chain.steps(), js);
        }

        private int[] chainMentions;

        /** Per register, the statements and terminators of the function that mention it. */
        private int[] chainMentions() {
            if (chainMentions == null) {
                chainMentions = new int[f.regs().size()];
                for (Block x : f.blocks()) {
                    for (var st : x.stmts()) for (int id : mentioned(st)) chainMentions[id]++;
                    for (Value v : x.terminator().uses()) if (v instanceof Reg r) chainMentions[r.id()]++;
                }
            }
            return chainMentions;
        }

        /** {@link #armVec}: an f32 register that lives only in the current lane loop, in a JVM local. */
        private boolean vecLocal(Reg r) {
            int id = r.id();
            return r.type() == ScalarType.F32 && regKind[id] == TypeKind.FLOAT && runLocal.get(id)
                    && !uniform.get(id) && (spilled == null || !spilled.get(id));
        }

        /**
         * {@link LaneVec#COPY}: the loop over whole vectors of the current row's threads for a run that only copies
         * global words to shared memory (matmul's tile loads): every statement a 32-bit global load checked once for
         * the loop ({@link LoopChecks}' flag; the address a per-thread 64-bit register plus a constant) into a
         * run-local register, or a 32-bit shared store of such a register at consecutive words in {@code tid.x}.
         * While every flag is set, per VL threads whose addresses are consecutive (a compare over the pointer
         * registers' arrays), each load is one vector read of the global memory and each store one vector write of the
         * window, when no two stores can write the same word (their words over the block apart); at the first group
         * that is not consecutive the plain loop takes over from there for the row.
         */
        private void laneVecCopy(List<org.transcuda.ir.Stmt> sts) {
            List<Integer> flags = new ArrayList<>();
            BitSet loaded = new BitSet();
            for (var st : sts) {
                if (st.guard() != null) return;
                switch (st.inst()) {
                    case Inst.Load l -> {
                        int site = sites.get(l);
                        Integer flag = hoistFlag.get(site);
                        Reg d = l.dst();
                        if (l.space() != AddressSpace.GLOBAL || l.order() != Memory.Order.WEAK || l.type().bits() != 32
                                || l.type() == ScalarType.PRED || flag == null || bulkSlot.containsKey(site)
                                || !(l.address().base() instanceof Reg r) || regKind[r.id()] != TypeKind.LONG
                                || uniform.get(r.id()) || runLocal.get(r.id()) || (spilled != null && spilled.get(r.id()))
                                || d.type().bits() != 32 || !runLocal.get(d.id()) || loaded.get(d.id())) {
                            return;
                        }
                        flags.add(flag);
                        loaded.set(d.id());
                    }
                    case Inst.Store x -> {
                        AffineSite a = affineSite.get(sites.get(x));
                        if (x.space() != AddressSpace.SHARED || x.type().bits() != 32 || a == null || a.bytes() != 4
                                || a.cx() != 1 || !(x.src() instanceof Reg r) || !loaded.get(r.id())
                                || r.type().bits() != 32) {
                            return;
                        }
                    }
                    default -> {
                        return;
                    }
                }
            }
            if (flags.isEmpty()) return;
            int vl = LaneVec.length();
            ClassDesc seg = ClassDesc.of("java.lang.foreign.MemorySegment");
            ClassDesc order = ClassDesc.of("java.nio.ByteOrder");
            Label done = cb.newLabel();
            for (int f : flags) cb.iload(f).ifeq(done);
            // a group runs each store for its threads before the next store: only when no two stores of the run can
            // write the same word (the words each covers in the block, apart)
            List<AffineSite> stores = new ArrayList<>();
            for (var st : sts) if (st.inst() instanceof Inst.Store x) stores.add(affineSite.get(sites.get(x)));
            for (int i = 0; i < stores.size(); i++) {
                for (int j = i + 1; j < stores.size(); j++) {
                    for (AffineSite a : List.of(stores.get(i), stores.get(j))) {
                        cb.iload(a.slot());
                        if (a.delta() != 0) cb.loadConstant(a.delta()).iadd();
                        cb.loadConstant(a.cy()).loadConstant(a.cz());
                    }
                    cb.iload(ntxSlot).iload(ntySlot).iload(ntzSlot);
                    cb.invokestatic(CD_VOPS, "apart", MethodTypeDesc.of(CD_boolean, CD_int, CD_int, CD_int, CD_int,
                            CD_int, CD_int, CD_int, CD_int, CD_int));
                    cb.ifeq(done);
                }
            }
            Map<Integer, Integer> vslot = new HashMap<>();
            for (int id = loaded.nextSetBit(0); id >= 0; id = loaded.nextSetBit(id + 1)) {
                vslot.put(id, cb.allocateLocal(TypeKind.REFERENCE));
            }
            Label loop = cb.newBoundLabel();
            cb.iload(txSlot).loadConstant(vl).iadd().iload(ntxSlot).if_icmpgt(done);
            cb.iload(rowSlot).iload(txSlot).iadd().istore(tSlot);
            // VecConsecutive: the pointers compared as vectors (else LaneVecOps' scalar loop)
            boolean vecTest = VecConsecutive.ENABLED;
            for (var st : sts) {
                if (st.inst() instanceof Inst.Load l) {
                    cb.aload(arr(((Reg) l.address().base()).id())).iload(tSlot).loadConstant(vl);
                    cb.invokestatic(vecTest ? ClassDesc.of(PKG + ".VecConsecutive") : CD_VOPS, "consecutive",
                            MethodTypeDesc.of(CD_boolean, CD_long.arrayType(), CD_int, CD_int));
                    cb.ifeq(done);
                }
            }
            if (vecTest) {
                cb.aload(eSlot).dup().getfield(CD_EXEC, "vecConsecutive", CD_long).loadConstant((long) flags.size())
                        .ladd().putfield(CD_EXEC, "vecConsecutive", CD_long);
            }
            for (var st : sts) {
                switch (st.inst()) {
                    case Inst.Load l -> {
                        cb.getstatic(CD_VOPS, "I", CD_VSPEC).getstatic(ClassDesc.of(PKG + ".Mem"), "ALL", seg);
                        cb.aload(arr(((Reg) l.address().base()).id())).iload(tSlot).laload();
                        if (l.address().offset() != 0) cb.loadConstant(l.address().offset()).ladd();
                        cb.getstatic(CD_VOPS, "ORDER", order);
                        cb.invokestatic(CD_IVEC, "fromMemorySegment", MethodTypeDesc.of(CD_IVEC, CD_VSPEC, seg, CD_long,
                                order));
                        cb.astore(vslot.get(l.dst().id()));
                    }
                    case Inst.Store x -> {
                        cb.aload(vslot.get(((Reg) x.src()).id())).aload(shSlot);
                        affineIndex(affineSite.get(sites.get(x)));
                        cb.invokevirtual(CD_IVEC, "intoArray", MethodTypeDesc.of(CD_void, CD_int.arrayType(), CD_int));
                    }
                    default -> throw new IllegalStateException();
                }
            }
            cb.aload(eSlot).dup().getfield(CD_EXEC, "vecCopies", CD_long).loadConstant((long) vl).ladd()
                    .putfield(CD_EXEC, "vecCopies", CD_long);
            cb.iinc(txSlot, vl).goto_(loop);
            cb.labelBinding(done);
        }

        /** {@link #laneVec}: pushes {@code v} as a vector for the threads {@code t .. t+VL-1}. */
        private void pushVector(Value v, BitSet defined, Map<Integer, Integer> vslot) {
            if (v instanceof Reg r && defined.get(r.id())) {
                cb.aload(vslot.get(r.id()));
            } else if (v instanceof Reg r && !uniform.get(r.id()) && !runLocal.get(r.id())) {
                cb.getstatic(CD_VOPS, "F", CD_VSPEC).aload(arr(r.id())).iload(tSlot);
                cb.invokestatic(CD_FVEC, "fromArray", MethodTypeDesc.of(CD_FVEC, CD_VSPEC, CD_float.arrayType(),
                        CD_int));
            } else {
                // block-uniform, row-invariant (the first thread's local) or a constant: one value for all lanes
                cb.getstatic(CD_VOPS, "F", CD_VSPEC);
                load(v, ScalarType.F32);
                cb.invokestatic(CD_FVEC, "broadcast", MethodTypeDesc.of(CD_FVEC, CD_VSPEC, CD_float));
            }
        }

        /**
         * The interleaved {@code tid.x} loop of {@link LaneJam}, before the ordinary one ({@code rest}, which goes on
         * from where this one stops): while {@code tx + WIDTH <= ntid.x}, each statement of the run for threads
         * {@code tx .. tx+WIDTH-1} in turn, each thread with its own locals; also adds the threads it runs to
         * {@link Exec#jamLanes} once per row.
         */
        private void laneJam(List<org.transcuda.ir.Stmt> sts, List<Runnable> stmts, Label rest, int vl) {
            int w = jamWidth.getOrDefault(segment, LaneJam.width());
            if (jamTx == null) {
                jamTx = new int[w];
                jamT = new int[w];
                jamRunSlot = new int[w][];
                jamPool = new ArrayList<>();
                for (int j = 0; j < w; j++) jamPool.add(new HashMap<>());
                for (int j = 1; j < w; j++) {
                    jamTx[j] = cb.allocateLocal(TypeKind.INT);
                    jamT[j] = cb.allocateLocal(TypeKind.INT);
                    jamRunSlot[j] = new int[runSlot.length];
                    java.util.Arrays.fill(jamRunSlot[j], -1);
                }
            }
            jamTx[0] = txSlot;
            jamT[0] = tSlot;
            jamRunSlot[0] = runSlot;
            // statements whose value is the same for the threads of a row (LaneJam.rowInvariant) run for the
            // first thread only; the others read its local
            boolean[] once = LaneJam.rowInvariant(sts, runLocal, uniform, st -> {
                AffineSite a = affineSite.get(sites.get(st.inst()));
                return a != null && a.cx() == 0;
            });
            BitSet shared = new BitSet();
            for (int k = 0; k < sts.size(); k++) if (once[k]) for (Reg d : sts.get(k).inst().defs()) shared.set(d.id());
            // the other threads' copies: JVM locals reused along the run (LaneJam.reuse), else one per register
            BitSet own = (BitSet) runLocal.clone();
            own.andNot(shared);
            int[] pool = LaneJam.reuseSlots ? LaneJam.reuse(sts, own, runSlot.length, id -> regKind[id]) : null;
            for (int j = 1; j < w; j++) {
                for (int id = own.nextSetBit(0); id >= 0; id = own.nextSetBit(id + 1)) {
                    if (pool != null && pool[id] >= 0) {
                        List<Integer> locals = jamPool.get(j).computeIfAbsent(regKind[id], k -> new ArrayList<>());
                        while (locals.size() <= pool[id]) locals.add(cb.allocateLocal(regKind[id]));
                        jamRunSlot[j][id] = locals.get(pool[id]);
                    } else if (jamRunSlot[j][id] < 0 || jamRunSlot[j][id] == runSlot[id]) {
                        jamRunSlot[j][id] = cb.allocateLocal(regKind[id]);
                    }
                }
                for (int id = shared.nextSetBit(0); id >= 0; id = shared.nextSetBit(id + 1)) {
                    jamRunSlot[j][id] = runSlot[id];
                }
            }
            // per row of threads: jamLanes += n - n % WIDTH, n = ntx (after LaneVec's vectors: ntx % vl)
            cb.aload(eSlot).dup().getfield(CD_EXEC, "jamLanes", CD_long);
            cb.iload(ntxSlot);
            if (vl > 0) cb.loadConstant(vl).irem();
            cb.dup().loadConstant(w).irem().isub();
            cb.i2l().ladd().putfield(CD_EXEC, "jamLanes", CD_long);
            Label loop = cb.newBoundLabel();
            cb.iload(txSlot).loadConstant(w).iadd().iload(ntxSlot).if_icmpgt(rest);
            for (int j = 0; j < w; j++) {
                if (j > 0) cb.iload(txSlot).loadConstant(j).iadd().istore(jamTx[j]);
                cb.iload(rowSlot).iload(jamTx[j]).iadd().istore(jamT[j]);
            }
            int tx0 = txSlot, t0 = tSlot;
            int[] rs0 = runSlot;
            for (int k = 0; k < stmts.size(); k++) {
                for (int j = 0; j < (once[k] ? 1 : w); j++) {
                    txSlot = jamTx[j];
                    tSlot = jamT[j];
                    runSlot = jamRunSlot[j];
                    stmts.get(k).run();
                }
            }
            txSlot = tx0;
            tSlot = t0;
            runSlot = rs0;
            cb.iinc(txSlot, w).goto_(loop);
        }

        /** Pushes the index of the current thread's access at {@code s} (words or bytes, see {@link AffineSite}). */
        private void affineIndex(AffineSite s) {
            cb.iload(s.slot());
            if (s.delta() != 0) cb.loadConstant(s.delta()).iadd();
            int[] coef = {s.cx(), s.cy(), s.cz()};
            int[] slot = {txSlot, tySlot, tzSlot};
            for (int i = 0; i < 3; i++) {
                if (coef[i] == 0) continue;
                cb.iload(slot[i]);
                if (coef[i] != 1) cb.loadConstant(coef[i]).imul();
                cb.iadd();
            }
        }

        /** A shared load of the checked-once loop: the value as {@code Mem.lds*} returns it. */
        private void affineLoad(ScalarType t, AffineSite s) {
            cb.aload(shSlot);
            affineIndex(s);
            switch (s.bytes()) {
                case 4 -> {
                    cb.iaload();
                    if (t == ScalarType.F32) inv(Float.class, "intBitsToFloat", int.class);
                }
                case 8 -> {
                    cb.i2l();
                    inv(Mem.class, "get64", int[].class, long.class);
                    if (t == ScalarType.F64) inv(Double.class, "longBitsToDouble", long.class);
                }
                default -> {
                    cb.i2l();
                    inv(Mem.class, s.bytes() == 1 ? "get8" : "get16", int[].class, long.class);
                }
            }
        }

        /** A shared store of the checked-once loop ({@code Mem.sts*} without the check). */
        private void affineStore(ScalarType t, AffineSite s, Value src) {
            cb.aload(shSlot);
            affineIndex(s);
            if (s.bytes() != 4) cb.i2l();
            load(src, t);
            switch (s.bytes()) {
                case 4 -> {
                    if (t == ScalarType.F32) inv(Float.class, "floatToRawIntBits", float.class);
                    cb.iastore();
                }
                case 8 -> {
                    if (t == ScalarType.F64) inv(Double.class, "doubleToRawLongBits", double.class);
                    inv(Mem.class, "set64", int[].class, long.class, long.class);
                }
                default -> inv(Mem.class, s.bytes() == 1 ? "set8" : "set16", int[].class, long.class, int.class);
            }
        }

        /** {@code for (t = lo; t < hi; t++) body} (locals {@code loSlot, hiSlot}). */
        private void rangeLoop(int loSlot, int hiSlot, Runnable body) {
            Label loop = cb.newLabel();
            Label end = cb.newLabel();
            cb.iload(loSlot).istore(tSlot);
            cb.labelBinding(loop);
            cb.iload(tSlot).iload(hiSlot).if_icmpge(end);
            body.run();
            cb.iinc(tSlot, 1).goto_(loop);
            cb.labelBinding(end);
        }

        /**
         * The compare that decides an if-converted triangle's arm when its threads can be found as a range of
         * {@code tid.x} ({@link #lockArmRange}): the branch predicate's single unguarded definition is an integer
         * {@code setp eq..hs} on 32 bits between a value affine in {@code tid.x} alone and a block-uniform one;
         * else null.
         */
        private Inst.Compare armCompare(Terminator.CondBranch c) {
            if (!SharedAffine.ENABLED || !(c.pred() instanceof Reg p) || uniform.get(p.id())) return null;
            org.transcuda.ir.Stmt def = null;
            int defs = 0;
            for (Block x : f.blocks()) {
                for (var st : x.stmts()) {
                    for (Reg d : st.inst().defs()) {
                        if (d.id() == p.id()) {
                            defs++;
                            def = st;
                        }
                    }
                }
            }
            if (defs != 1 || def.guard() != null || !(def.inst() instanceof Inst.Compare cmp)) return null;
            if (cmp.type().bits() != 32 || cmp.type().kind() == ScalarType.Kind.FLOAT
                    || cmp.op().ordinal() > Inst.CmpOp.HS.ordinal()) {
                return null;
            }
            SharedAffine.Form a = affine().of(cmp.a());
            SharedAffine.Form b = affine().of(cmp.b());
            if (a == null || b == null) return null;
            boolean aThread = a.cx() != 0 && a.cy() == 0 && a.cz() == 0 && b.uniform();
            boolean bThread = b.cx() != 0 && b.cy() == 0 && b.cz() == 0 && a.uniform();
            return aThread || bThread ? cmp : null;
        }

        /** Pushes {@code c + Σ coef·uniform register} of a form (int, modulo 2^32): its value at thread (0,0,0). */
        private void formBase(SharedAffine.Form fm) {
            cb.loadConstant(fm.c());
            for (int i = 0; i < fm.uni().length; i++) {
                loadRegRaw(fm.uni()[i]);
                if (fm.coef()[i] != 1) cb.loadConstant(fm.coef()[i]).imul();
                cb.iadd();
            }
        }

        /**
         * An if-converted triangle whose arm's threads form a range of {@code tid.x} ({@link #armCompare}), while
         * every thread of a one-dimensional block is active: the prefix (register-only statements) for every thread,
         * then the arm for the threads of the range alone ({@link SharedAffine#predRange}), with its shared accesses
         * checked once for that range ({@link #runLoop}); then the join. Threads interact only through memory, and
         * the prefix touches none, so running it for every thread first is one of the schedules the fused loop could
         * take. When the block is not one-dimensional or the threads are not one range, {@code general}.
         */
        private void lockArmRange(Block a, Block arm, boolean want, Inst.Compare cmp, List<Integer> prefix,
                List<Integer> lanes, Label general) {
            SharedAffine.Form fa = affine().of(cmp.a());
            SharedAffine.Form fb = affine().of(cmp.b());
            int op = cmp.op().ordinal();
            boolean unsigned = !signed(cmp.type()) || (op >= 6 && op <= 9);
            if (fa.uniform()) {
                // b is the thread's value: mirror the order (eq/ne stay)
                SharedAffine.Form x = fa;
                fa = fb;
                fb = x;
                op = RangeSplit.mirror(op);
            }
            cb.iload(fullSlot).ifeq(general);
            inputFuseEntry(a, arm, want, cmp, prefix, lanes);
            cb.aload(eSlot);
            cb.loadConstant(predSites++);  // the arm's slot in the memo (SharedAffine.predRangeMemo)
            formBase(fa);
            cb.loadConstant(fa.cx());
            formBase(fb);
            cb.loadConstant(op).loadConstant(unsigned ? 1 : 0).loadConstant(want ? 1 : 0);
            invPredRange();
            int range = cb.allocateLocal(TypeKind.LONG);
            cb.dup2().lstore(range).lconst_0().lcmp().iflt(general);
            int lo = cb.allocateLocal(TypeKind.INT);
            int hi = cb.allocateLocal(TypeKind.INT);
            cb.lload(range).bipush(32).lushr().l2i().istore(lo);
            cb.lload(range).l2i().istore(hi);
            // the prefix for every thread, except the predicate's own compare when nothing else reads it
            runLocals(a, List.of());
            Reg pred = (Reg) ((Terminator.CondBranch) a.terminator()).pred();
            List<Integer> rest0 = prefix.stream().filter(j -> !(a.stmts().get(j).inst() == cmp
                    && mentions[pred.id()] == 2)).toList();
            boolean cmpOut = rest0.size() < prefix.size();
            // ArmDefer: prefix statements whose register only the arm reads (and the skipped compare) move into it
            List<Integer> moved = ArmDefer.ENABLED && cmpOut ? deferToArm(a, rest0, cmp, arm, lanes) : List.of();
            List<Integer> rest1 = rest0.stream().filter(j -> !moved.contains(j)).toList();
            // RangeFill: the stored predicate from the range, block-uniform values the arm overwrites filled outside it
            int predStmt = RangeFill.ENABLED && !cmpOut ? predFromRange(a, rest1, cmp, pred) : -1;
            List<Integer> fills = RangeFill.ENABLED ? fillOutside(a, rest1, cmp, arm, lanes, moved, predStmt)
                    : List.of();
            List<Integer> rest2 = rest1.stream().filter(j -> j != predStmt && !fills.contains(j)).toList();
            // RangeFill: a loop left with AffineRegs definitions only (their stores are pops) is not emitted
            boolean onlyAffine = RangeFill.ENABLED && (predStmt >= 0 || !fills.isEmpty()) && rest2.stream().allMatch(
                    j -> registerOnly(a.stmts().get(j).inst()) && a.stmts().get(j).guard() == null
                            && a.stmts().get(j).inst().defs().size() == 1
                            && affineRegs.containsKey(a.stmts().get(j).inst().defs().get(0).id()));
            List<Integer> rest = onlyAffine ? List.of() : rest2;
            if (predStmt >= 0) {
                cb.aload(arr(pred.id())).iload(lo).iload(hi).iload(nSlot).loadConstant(want ? 1 : 0);
                inv(RangeFill.class, "pred", int[].class, int.class, int.class, int.class, boolean.class);
                countIn("rangeFillPreds");
            }
            if (!rest.isEmpty()) {
                runLocals(a, rest);
                allLanes(() -> armBody(a, rest));
                runLocal.clear();
            }
            if (!fills.isEmpty()) {
                runLocal.clear();
                int zero = cb.allocateLocal(TypeKind.INT);
                cb.iconst_0().istore(zero);
                rangeLoop(zero, lo, () -> armBody(a, fills));
                rangeLoop(hi, nSlot, () -> armBody(a, fills));
                countIn("rangeFills");
            }
            runLocals(arm, lanes);
            List<org.transcuda.ir.Stmt> armStmts = new ArrayList<>();
            for (int j : moved) {
                armStmts.add(a.stmts().get(j));
                // defined here, read by the arm (and the compare that the range replaced): a JVM local of the loop
                int d = a.stmts().get(j).inst().defs().get(0).id();
                runLocal.set(d);
                if (runSlot[d] < 0) runSlot[d] = cb.allocateLocal(regKind[d]);
            }
            for (int j : lanes) armStmts.add(arm.stmts().get(j));
            if (!moved.isEmpty()) countIn("armDefers");
            armDirect = true;
            runLoop(armStmts, List.of(), () -> {
                armBody(a, moved);
                armBody(arm, lanes);
            }, lo, hi);
            armDirect = false;
            runLocal.clear();
            countIn("armRanges");
            lockTerminator(new Terminator.Branch(lockJoin));
            cb.labelBinding(general);
        }

        /**
         * {@link ArmDefer}: the statements of an if-converted arm's prefix {@code rest} (block {@code a}; the
         * predicate's compare already left out, the range computed in closed form) that can run in the arm's range
         * loop instead of for every thread: unguarded register-only statements defining one per-thread register
         * that is defined nowhere else, not block-uniform or thread-constant, whose every mention in the function is
         * in such statements, in the skipped compare or in the arm's statements {@code lanes}, and whose sources no
         * later statement of the prefix that stays redefines. Returned in prefix order.
         */
        private List<Integer> deferToArm(Block a, List<Integer> rest, Inst.Compare cmp, Block arm, List<Integer> lanes) {
            java.util.Set<Integer> moved = new java.util.HashSet<>();
            for (int k = rest.size() - 1; k >= 0; k--) {
                int j = rest.get(k);
                org.transcuda.ir.Stmt st = a.stmts().get(j);
                if (st.guard() != null || !registerOnly(st.inst()) || st.inst() instanceof Inst.ReadSpecial
                        || st.inst().defs().size() != 1) {
                    continue;
                }
                int d = st.inst().defs().get(0).id();
                if (uniform.get(d) || threadConst.get(d) || regKind[d] == null) continue;
                int inside = 0;
                for (int m = 0; m < rest.size(); m++) {
                    int jm = rest.get(m);
                    if ((jm == j || moved.contains(jm)) && mentioned(a.stmts().get(jm)).contains(d)) inside++;
                }
                for (Value v : cmp.uses()) if (v instanceof Reg r && r.id() == d) inside++;
                for (int jl : lanes) if (mentioned(arm.stmts().get(jl)).contains(d)) inside++;
                if (inside != mentions[d]) continue;
                // the sources keep their values until the arm: no later prefix statement that stays defines one
                java.util.Set<Integer> srcs = new java.util.HashSet<>();
                for (Value v : st.inst().uses()) if (v instanceof Reg r) srcs.add(r.id());
                boolean ok = true;
                for (int m = k + 1; m < rest.size() && ok; m++) {
                    int jm = rest.get(m);
                    if (moved.contains(jm)) continue;
                    for (Reg x : a.stmts().get(jm).inst().defs()) if (srcs.contains(x.id())) ok = false;
                }
                if (ok) moved.add(j);
            }
            return rest.stream().filter(moved::contains).toList();
        }

        /**
         * {@link RangeFill}: the index of the branch predicate's compare {@code cmp} in the prefix {@code rest}
         * (block {@code a}) when it can be stored from the arm's range instead: an int register in an array (not
         * block-uniform, thread-constant, affine or a loop local) that no other statement of {@code rest} mentions;
         * else -1. ({@code armCompare} has made it the predicate's only definition, unguarded.)
         */
        private int predFromRange(Block a, List<Integer> rest, Inst.Compare cmp, Reg pred) {
            int d = pred.id();
            if (uniform.get(d) || threadConst.get(d) || regKind[d] != TypeKind.INT || affineRegs.containsKey(d)) {
                return -1;
            }
            int at = -1;
            for (int j : rest) {
                org.transcuda.ir.Stmt st = a.stmts().get(j);
                if (st.inst() == cmp) {
                    if (st.guard() != null || st.inst().defs().size() != 1) return -1;
                    at = j;
                } else if (mentioned(st).contains(d)) {
                    return -1;
                }
            }
            return at;
        }

        /**
         * {@link RangeFill}: the statements of an if-converted arm's prefix {@code rest} (block {@code a}, what stays
         * in the prefix's lane loop; {@code predStmt} leaves it too) that only set a per-thread register to a
         * block-uniform value which the arm's loop overwrites for each thread of its range before reading it:
         * unguarded register-only statements that define one register, not block-uniform or thread-constant, and read
         * only block-uniform registers that no statement of {@code rest}, {@code moved} or the arm defines; whose
         * register no later statement of {@code rest}, no statement {@code moved} into the arm, the range's compare
         * and the branch mention, and whose first mention among the arm's statements {@code lanes} (the arm's other
         * statements mention it not) is an unguarded definition that does not read it. Returned in prefix order.
         */
        private List<Integer> fillOutside(Block a, List<Integer> rest, Inst.Compare cmp, Block arm,
                List<Integer> lanes, List<Integer> moved, int predStmt) {
            java.util.Set<Integer> defined = new java.util.HashSet<>();
            for (int j : rest) for (Reg x : a.stmts().get(j).inst().defs()) defined.add(x.id());
            for (int j : moved) for (Reg x : a.stmts().get(j).inst().defs()) defined.add(x.id());
            for (var st : arm.stmts()) for (Reg x : st.inst().defs()) defined.add(x.id());
            List<Integer> out = new ArrayList<>();
            for (int k = 0; k < rest.size(); k++) {
                int j = rest.get(k);
                if (j == predStmt) continue;
                org.transcuda.ir.Stmt st = a.stmts().get(j);
                if (st.guard() != null || !registerOnly(st.inst()) || st.inst() instanceof Inst.ReadSpecial
                        || st.inst().defs().size() != 1) {
                    continue;
                }
                boolean blockUniform = true;
                for (Value v : st.inst().uses()) {
                    if (v instanceof Reg r && (!uniform.get(r.id()) || defined.contains(r.id()))) blockUniform = false;
                }
                if (!blockUniform) continue;
                int d = st.inst().defs().get(0).id();
                if (uniform.get(d) || threadConst.get(d) || regKind[d] == null || affineRegs.containsKey(d)) continue;
                boolean ok = true;
                for (int m = k + 1; m < rest.size(); m++) if (mentioned(a.stmts().get(rest.get(m))).contains(d)) ok = false;
                for (int jm : moved) if (mentioned(a.stmts().get(jm)).contains(d)) ok = false;
                for (Value v : cmp.uses()) if (v instanceof Reg r && r.id() == d) ok = false;
                for (Value v : a.terminator().uses()) if (v instanceof Reg r && r.id() == d) ok = false;
                for (int x = 0; x < arm.stmts().size(); x++) {
                    org.transcuda.ir.Stmt s = arm.stmts().get(x);
                    if (!lanes.contains(x) && (mentioned(s).contains(d) || addressReads(s.inst(), d))) ok = false;
                }
                if (!ok) continue;
                boolean overwritten = false;
                for (int jl : lanes) {
                    org.transcuda.ir.Stmt s = arm.stmts().get(jl);
                    if (!registerOnly(s.inst()) && !(s.inst() instanceof Inst.Load)
                            && !(s.inst() instanceof Inst.Store)) {
                        break;  // another kind of statement first: not proven
                    }
                    boolean reads = addressReads(s.inst(), d);
                    if (!mentioned(s).contains(d) && !reads) continue;
                    for (Value v : s.inst().uses()) if (v instanceof Reg r && r.id() == d) reads = true;
                    overwritten = s.guard() == null && !reads
                            && s.inst().defs().stream().anyMatch(r -> r.id() == d);
                    break;
                }
                if (overwritten) out.add(j);
            }
            return out;
        }

        /** Whether a load's or store's address is register {@code d} plus a constant. */
        private static boolean addressReads(Inst i, int d) {
            if (i instanceof Inst.Load l) return l.address().base() instanceof Reg r && r.id() == d;
            if (i instanceof Inst.Store st) return st.address().base() instanceof Reg r && r.id() == d;
            return false;
        }

        /** The join of the if-converted branch being emitted ({@link #lockArmRange}). */
        private String lockJoin;

        /** {@code for (i = 0; i < count; i++) { t = idx[i]; body }} (the active threads; no counted version). */
        private void activeLoop(Runnable body) {
            Label loop = cb.newLabel();
            Label end = cb.newLabel();
            cb.iconst_0().istore(iSlot);
            cb.labelBinding(loop);
            cb.iload(iSlot).iload(cntSlot).if_icmpge(end);
            cb.aload(idxSlot).iload(iSlot).iaload().istore(tSlot);
            body.run();
            cb.iinc(iSlot, 1).goto_(loop);
            cb.labelBinding(end);
        }

        /**
         * {@code for (i = 0; i < count; i++) { t = idx[i]; body }} over the active threads ({@link Exec#lidx}: the
         * identity while every thread is active). One loop shape, no per-thread mask test.
         */
        /** Lockstep: {@code next[t] = pred ? segT : segF} for the current thread {@code t} of a lane loop. */
        private void storeNextSegment(Terminator.CondBranch c, int segT, int segF) {
            Label f0 = cb.newLabel();
            Label st = cb.newLabel();
            cb.aload(nbSlot).iload(tSlot);
            load(c.pred(), ScalarType.PRED);
            cb.ifeq(f0).loadConstant(segT).goto_(st);
            cb.labelBinding(f0);
            cb.loadConstant(segF);
            cb.labelBinding(st);
            cb.iastore();
        }

        private void laneLoop(Runnable body) {
            Label loop = cb.newLabel();
            Label end = cb.newLabel();
            if (DENSE) {
                // every thread active: a plain counted loop over t (C2 can unroll and vectorize it)
                Label sparse = cb.newLabel();
                Label dense = cb.newLabel();
                cb.iload(fullSlot).ifeq(sparse);
                cb.iconst_0().istore(tSlot);
                cb.labelBinding(dense);
                cb.iload(tSlot).iload(nSlot).if_icmpge(end);
                body.run();
                cb.iinc(tSlot, 1).goto_(dense);
                cb.labelBinding(sparse);
            }
            if (rloSlot >= 0) {
                cb.aload(eSlot).aload(idxSlot).iload(cntSlot);
                inv(RangeLanes.class, "lo", Exec.class, int[].class, int.class);
                cb.istore(rloSlot);
            }
            cb.iconst_0().istore(iSlot);
            cb.labelBinding(loop);
            cb.iload(iSlot).iload(cntSlot).if_icmpge(end);
            if (rloSlot >= 0) {
                // the active threads one range (RangeLanes): t = lo + i, the list not read (C2 unswitches the test)
                Label list = cb.newLabel();
                Label go = cb.newLabel();
                cb.iload(rloSlot).iflt(list);
                cb.iload(rloSlot).iload(iSlot).iadd().istore(tSlot).goto_(go);
                cb.labelBinding(list);
                cb.aload(idxSlot).iload(iSlot).iaload().istore(tSlot);
                cb.labelBinding(go);
            } else {
                cb.aload(idxSlot).iload(iSlot).iaload().istore(tSlot);
            }
            body.run();
            cb.iinc(iSlot, 1).goto_(loop);
            cb.labelBinding(end);
        }

        /** {@code for (t = 0; t < n; t++) body} over every thread of the block. */
        private void allLanes(Runnable body) {
            Label loop = cb.newLabel();
            Label end = cb.newLabel();
            cb.iconst_0().istore(tSlot);
            cb.labelBinding(loop);
            cb.iload(tSlot).iload(nSlot).if_icmpge(end);
            body.run();
            cb.iinc(tSlot, 1).goto_(loop);
            cb.labelBinding(end);
        }

        /** Sets the next segment of every active lane to {@code seg}. */
        private void setNext(int seg) {
            laneLoop(() -> cb.aload(nbSlot).iload(tSlot).loadConstant(seg).iastore());
        }

        /** Returns the int on the stack from the segment method. */
        private void ret() {
            cb.ireturn();
        }

        /** The segment ends at {@code bar.sync 0}; {@code cont} is the segment after it. */
        private void lockBarrier(int cont) {
            cb.lineNumber(++lineCounter);
            Label wait = cb.newLabel();
            // every thread active: the barrier is complete (all threads executed everything before it)
            cb.iload(fullSlot).ifeq(wait);
            cb.loadConstant(cont);
            ret();
            cb.labelBinding(wait);
            cb.aload(eSlot).loadConstant(cont);
            inv(Lockstep.class, "barrier", Exec.class, int.class);
            ret();
        }

        /** The shuffle scan chains this LOCK method compiles as sequential sums ({@link WarpScan}), once. */
        private WarpScan.Found warpScans;

        /**
         * The function's {@link WarpScan} chains whose registers are per-thread 32-bit arrays here (the scanned value,
         * the sums, the shuffle results, the selects' predicates defined before the chain, the lane register);
         * none with {@code -Dtranscuda.cpu.warpScan=false}.
         */
        private WarpScan.Found warpScans() {
            if (warpScans != null) return warpScans;
            Map<org.transcuda.ir.Stmt, WarpScan.Chain> first = new java.util.IdentityHashMap<>();
            java.util.Set<org.transcuda.ir.Stmt> skip = java.util.Collections.newSetFromMap(
                    new java.util.IdentityHashMap<>());
            if (WarpScan.ENABLED) {
                WarpScan.Found all = warpScanChains.computeIfAbsent(f, WarpScan::find);
                for (Block x : f.blocks()) {
                    for (org.transcuda.ir.Stmt st : x.stmts()) {
                        WarpScan.Chain c = all.first().get(st);
                        if (c == null) continue;
                        List<Reg> regs = new ArrayList<>(List.of(c.in(), c.out(), c.lane()));
                        regs.addAll(List.of(c.sums()));
                        for (int s = 0; s < c.steps(); s++) {
                            regs.add(((Inst.Shuffle) x.stmts().get(c.shuffles()[s]).inst()).dst());
                            if (!c.predInside()[s]) regs.add(c.preds()[s]);
                        }
                        boolean ok = true;
                        for (Reg r : regs) ok &= !uniform.get(r.id()) && regKind[r.id()] == TypeKind.INT;
                        if (!ok) continue;
                        first.put(st, c);
                        c.skipped(x.stmts(), skip);
                    }
                }
                // the lane comparisons that only these chains' selects read (ScanPreds)
                if (ScanPreds.ENABLED) skip.addAll(ScanPreds.unread(f, first, skip));
            }
            warpScans = new WarpScan.Found(first, skip);
            return warpScans;
        }

        /**
         * A shuffle scan chain ({@link WarpScan}) at its first shuffle: {@link WarpScan#scan} over the active threads;
         * when it declines, every step literally (the shuffle's usual code, then one lane loop for the select and add).
         */
        private void lockWarpScan(WarpScan.Chain c, List<org.transcuda.ir.Stmt> stmts) {
            cb.lineNumber(++lineCounter);
            Label done = cb.newLabel();
            cb.aload(eSlot).aload(arr(c.in().id())).aload(arr(c.out().id())).loadConstant(c.steps())
                    .loadConstant(c.tidLane() ? 1 : 0);
            // a five-step chain (window 32) with whole warps as vector prefix sums (WarpScanVec)
            inv(c.steps() == 5 && WarpScan.VEC ? WarpScanVec.class : WarpScan.class, "scan", Exec.class, int[].class,
                    int[].class, int.class, boolean.class);
            cb.ifne(done);
            for (int s = 0; s < c.steps(); s++) {
                Inst.Shuffle sh = (Inst.Shuffle) stmts.get(c.shuffles()[s]).inst();
                lockCollective(stmts.get(c.shuffles()[s]));
                int prev = arr((s == 0 ? c.in() : c.sums()[s - 1]).id());
                int o = arr(sh.dst().id());
                int r = arr(c.sums()[s].id());
                // the select's predicate from the lane register (equivalent, WarpScan.find; its comparison may be
                // left out, ScanPreds)
                int lane = arr(c.lane().id());
                int d = 1 << s;
                laneLoop(() -> {
                    cb.aload(r).iload(tSlot);
                    cb.aload(lane).iload(tSlot).iaload();
                    cb.loadConstant(d);
                    inv(WarpScan.class, "below", int.class, int.class);
                    cb.aload(o).iload(tSlot).iaload();
                    cb.aload(prev).iload(tSlot).iaload();
                    inv(WarpScan.class, "step", int.class, int.class, int.class);
                    cb.iastore();
                });
            }
            cb.labelBinding(done);
        }

        private void lockCollective(org.transcuda.ir.Stmt st) {
            cb.lineNumber(++lineCounter);
            Inst i = st.inst();
            int k = pointOf.get(st);
            Label done = null;
            if (i instanceof Inst.Shuffle sh && directShuffle(sh, k)) {
                done = cb.newLabel();
                emitShiftShuffle(sh, k, done);
                // every thread active: one loop straight between the register arrays
                Label general = cb.newLabel();
                cb.iload(fullSlot).ifeq(general);
                emitDirectShuffle(sh, k);
                cb.goto_(done);
                cb.labelBinding(general);
            } else if (i instanceof Inst.Shuffle sh && uniformShift(sh)) {
                done = cb.newLabel();
                emitUniformShift(sh, done);
            }
            laneLoop(() -> storeOperands(i));
            cb.aload(eSlot).loadConstant(k).iload(fullSlot);
            inv(Lockstep.class, "collective", Exec.class, int.class, int.class);
            laneLoop(() -> results(i));
            if (done != null) cb.labelBinding(done);
        }

        /**
         * True when a shuffle can run as a direct permutation of register arrays while every thread is active: its
         * source lanes are known at compile time ({@code b} and {@code c} constant: {@link SuspendPoint#shuffleSource})
         * and its value, result and predicate are per-thread 32-bit registers, the result not the value itself
         * (with every thread active the member mask changes nothing: {@link Lockstep#collective} does not check it
         * then either).
         */
        private boolean directShuffle(Inst.Shuffle sh, int k) {
            if (!DIRECT_SHUFFLE || points.get(k).shuffleSource() == null) return false;
            if (!(sh.a() instanceof Reg a) || !perThreadInt(a) || !perThreadInt(sh.dst()) || sh.dst().id() == a.id()) {
                return false;
            }
            return sh.valid() == null || (perThreadInt(sh.valid()) && sh.valid().id() != a.id());
        }

        /**
         * A shuffle whose source table is a shift ({@link WarpShuffle#shiftOf}): {@link WarpShuffle#shift} over the
         * active threads, to {@code done} when they were whole warps.
         */
        private void emitShiftShuffle(Inst.Shuffle sh, int k, Label done) {
            int[] shift = WarpShuffle.ENABLED ? WarpShuffle.shiftOf(points.get(k).shuffleSource()) : null;
            if (shift == null) return;
            cb.aload(eSlot).aload(arr(((Reg) sh.a()).id())).aload(arr(sh.dst().id()));
            loadValidOrNull(sh);
            cb.loadConstant(shift[0]).loadConstant(shift[1]).loadConstant(shift[2]);
            inv(WarpShuffle.class, "shift", Exec.class, int[].class, int[].class, int[].class, int.class, int.class,
                    int.class);
            cb.ifne(done);
        }

        /**
         * A {@code shfl.sync.up/down} whose {@code b} and {@code c} are block-uniform but not constants (a delta
         * computed in a loop) and whose value, result and predicate are per-thread 32-bit registers, the result not
         * the value: {@link WarpShuffle#shiftUniform} first.
         */
        private boolean uniformShift(Inst.Shuffle sh) {
            if (!WarpShuffle.ENABLED) return false;
            if (sh.mode() != Inst.ShuffleMode.UP && sh.mode() != Inst.ShuffleMode.DOWN) return false;
            if (!(sh.a() instanceof Reg a) || !perThreadInt(a) || !perThreadInt(sh.dst()) || sh.dst().id() == a.id()) {
                return false;
            }
            if (sh.valid() != null && (!perThreadInt(sh.valid()) || sh.valid().id() == a.id())) return false;
            return shiftOperand(sh.b()) && shiftOperand(sh.c());
        }

        /** A constant, a block-uniform register, or a per-thread 32-bit register (checked equal at run time). */
        private boolean shiftOperand(Value v) {
            return v instanceof Const || v instanceof Reg r && (uniform.get(r.id()) || perThreadInt(r));
        }

        private void emitUniformShift(Inst.Shuffle sh, Label done) {
            cb.aload(eSlot).aload(arr(((Reg) sh.a()).id())).aload(arr(sh.dst().id()));
            loadValidOrNull(sh);
            cb.loadConstant(sh.mode() == Inst.ShuffleMode.UP ? 1 : 0);
            boolean varying = false;
            for (Value v : new Value[] {sh.b(), sh.c()}) {
                if (v instanceof Reg r && !uniform.get(r.id())) {
                    cb.aload(arr(r.id())).iconst_0();
                    varying = true;
                } else {
                    cb.aconst_null();
                    load(v, ScalarType.U32);
                }
            }
            inv(WarpShuffle.class, "shiftVarying", Exec.class, int[].class, int[].class, int[].class, int.class,
                    int[].class, int.class, int[].class, int.class);
            cb.ifne(done);
        }

        /**
         * The shuffle's predicate array for {@link WarpShuffle}, or null when the predicate is absent or never read
         * (nvcc's {@code shfl.sync.up.b32 %r|%p, ...} with {@code %p} unused: no statement or terminator but the
         * shuffle mentions it).
         */
        private void loadValidOrNull(Inst.Shuffle sh) {
            Reg v = sh.valid();
            boolean read = false;
            if (v != null) {
                for (Block x : f.blocks()) {
                    for (var st : x.stmts()) if (st.inst() != sh && mentioned(st).contains(v.id())) read = true;
                    for (Value u : x.terminator().uses()) if (u instanceof Reg r && r.id() == v.id()) read = true;
                }
            }
            if (read) cb.aload(arr(v.id()));
            else cb.aconst_null();
        }

        private boolean perThreadInt(Reg r) {
            return !uniform.get(r.id()) && !runLocal.get(r.id()) && regKind[r.id()] == TypeKind.INT;
        }

        /**
         * {@code for t: j = src[t & 31]; dst[t] = j >= 0 && warpBase + j < n ? a[warpBase + j] : a[t]; valid[t] = j >= 0}
         * (the semantics of {@link BlockScheduler}'s constant-source shuffle with every lane of the warp in the group:
         * a source lane past the end of a partial last warp gives the own value).
         */
        private void emitDirectShuffle(Inst.Shuffle sh, int k) {
            int a = arr(((Reg) sh.a()).id());
            int dst = arr(sh.dst().id());
            int src = cb.allocateLocal(TypeKind.REFERENCE);
            cb.aload(eSlot).loadConstant(k);
            inv(Lockstep.class, "shuffleSource", Exec.class, int.class);
            cb.astore(src);
            int j = tmpInt();
            int jt = tmpInt();
            allLanes(() -> {
                cb.aload(src).iload(tSlot).loadConstant(31).iand().iaload().istore(j);
                cb.iload(tSlot).loadConstant(~31).iand().iload(j).iadd().istore(jt);
                Label own = cb.newLabel();
                Label store = cb.newLabel();
                cb.aload(dst).iload(tSlot);
                cb.iload(j).iflt(own);
                cb.iload(jt).iload(nSlot).if_icmpge(own);
                cb.aload(a).iload(jt).iaload().goto_(store);
                cb.labelBinding(own);
                cb.aload(a).iload(tSlot).iaload();
                cb.labelBinding(store);
                cb.iastore();
                if (sh.valid() != null) {
                    cb.aload(arr(sh.valid().id())).iload(tSlot);
                    cb.iload(j).loadConstant(31).iushr().iconst_1().ixor();
                    cb.iastore();
                }
            });
            releaseInt(j);
            releaseInt(jt);
        }

        private void lockTerminator(Terminator t) {
            cb.lineNumber(++lineCounter);
            switch (t) {
                case Terminator.Branch br -> {
                    int seg = blockSeg.get(br.target());
                    Label divergent = cb.newLabel();
                    cb.iload(fullSlot).ifeq(divergent);
                    goSegment(seg);
                    cb.labelBinding(divergent);
                    if (JUMP_ON) {
                        // no thread outside the active set waits below the target: the active threads run on alone
                        // (what a scheduler pass would choose), their lnb entries stay stale until they next wait
                        Label pass = cb.newLabel();
                        Label run = cb.newLabel();
                        cb.loadConstant(seg).aload(eSlot).getfield(CD_EXEC, "lnext", CD_int).if_icmplt(run);
                        // every other thread waits there (after a split of all threads): all active again
                        cb.aload(eSlot).loadConstant(seg);
                        inv(Lockstep.class, "rejoin", Exec.class, int.class);
                        cb.ifeq(pass);
                        cb.labelBinding(run);
                        cb.loadConstant(seg);
                        ret();
                        cb.labelBinding(pass);
                    }
                    setNext(seg);
                    cb.loadConstant(Lockstep.SCHEDULE);
                    ret();
                }
                case Terminator.CondBranch c -> {
                    int segT = blockSeg.get(c.ifTrue());
                    int segF = blockSeg.get(c.ifFalse());
                    Label split = cb.newLabel();
                    Label notAll = cb.newLabel();
                    Label notNone = cb.newLabel();
                    cb.iload(fullSlot).ifeq(split);
                    if (uniformJump(c)) {
                        // MultiDefUniform: every thread active and the predicate block-uniform, a plain jump
                        Label no = cb.newLabel();
                        load(c.pred(), ScalarType.PRED);
                        cb.ifeq(no);
                        goSegment(segT);
                        cb.labelBinding(no);
                        goSegment(segF);
                    }
                    rangeSplit(c, segT, segF);
                    // every thread active: count the threads that take the branch (unless the last run did)
                    int count = fusedCount >= 0 ? fusedCount : tmpInt();
                    if (fusedCount < 0) {
                        cb.iconst_0().istore(count);
                        laneLoop(() -> {
                            cb.iload(count);
                            load(c.pred(), ScalarType.PRED);
                            cb.iadd().istore(count);
                        });
                    }
                    cb.iload(count).iload(nSlot).if_icmpne(notAll);
                    goSegment(segT);
                    cb.labelBinding(notAll);
                    cb.iload(count).ifne(notNone);
                    goSegment(segF);
                    cb.labelBinding(notNone);
                    // the threads split: record each one's next segment and list the threads of the lower one, which
                    // runs next (no scheduler pass: nothing else is waiting while every thread was active)
                    boolean lowIsTrue = segT < segF;
                    cb.iconst_0().istore(count);
                    laneLoop(() -> {
                        Label skip = cb.newLabel();
                        storeNextSegment(c, segT, segF);
                        load(c.pred(), ScalarType.PRED);
                        if (lowIsTrue) cb.ifeq(skip);
                        else cb.ifne(skip);
                        cb.aload(idxSlot).iload(count).iload(tSlot).iastore();
                        cb.iinc(count, 1);
                        cb.labelBinding(skip);
                    });
                    cb.aload(eSlot).iload(count).putfield(CD_EXEC, "lcount", CD_int);
                    cb.aload(eSlot).iconst_0().putfield(CD_EXEC, "lfull", CD_int);
                    cb.aload(eSlot).iload(nSlot).putfield(CD_EXEC, "llive", CD_int);
                    cb.aload(eSlot).loadConstant(Math.max(segT, segF)).putfield(CD_EXEC, "lnext", CD_int);
                    cb.aload(eSlot).iconst_1().putfield(CD_EXEC, "lrest", CD_int);
                    cb.loadConstant(Math.min(segT, segF));
                    ret();
                    releaseInt(count);
                    cb.labelBinding(split);
                    laneLoop(() -> {
                        storeNextSegment(c, segT, segF);
                    });
                    cb.loadConstant(Lockstep.SCHEDULE);
                    ret();
                }
                case Terminator.Return r -> lockExit();
                case Terminator.Exit x -> lockExit();
                case Terminator.Trap tr -> {
                    // the first active thread is the one the fault names
                    cb.aload(idxSlot).iconst_0().iaload().istore(tSlot);
                    cb.aload(eSlot);
                    inv(Rt.class, "trap", Exec.class);
                    cb.athrow();
                }
                case Terminator.Unreachable u -> {
                    cb.aload(idxSlot).iconst_0().iaload().istore(tSlot);
                    cb.aload(eSlot).loadConstant(f.name());
                    inv(Rt.class, "unreachable", Exec.class, String.class);
                    cb.athrow();
                }
                case Terminator.Switch sw -> throw new IllegalStateException("brx.idx in the lockstep shape");
            }
        }

        /**
         * The thread-range predicate ({@link RangeSplit}) of a conditional branch whose predicate is a per-thread
         * register defined once, by a compare in the branch's own block, with none of the forms' block-uniform
         * registers redefined after the compare; null otherwise. The compare may sit in an earlier segment of the
         * block (before a barrier): {@link #segmentRegs} then loads the forms' registers for the branch's segment.
         */
        private RangeSplit.Pred rangeSplitPred(Terminator.CondBranch c) {
            if (!(c.pred() instanceof Reg p) || uniform.get(p.id())) return null;
            Block own = null;
            for (Block x : f.blocks()) if (x.terminator() == c) own = x;
            org.transcuda.ir.Stmt d = singleDef(p);
            if (own == null || d == null || !own.stmts().contains(d) || !(d.inst() instanceof Inst.Compare cmp)) {
                return null;
            }
            RangeSplit.Pred rp = RangeSplit.of(cmp, affine(), this::singleDef);
            if (rp == null) return null;
            // the forms' block-uniform registers are read at the branch: none may change after the compare
            java.util.Set<Integer> uni = new java.util.HashSet<>();
            for (int u : rp.thread().uni()) uni.add(u);
            for (int u : rp.bound().uni()) uni.add(u);
            List<org.transcuda.ir.Stmt> body = own.stmts();
            for (int j = body.indexOf(d) + 1; j < body.size(); j++) {
                for (Reg r : body.get(j).inst().defs()) if (uni.contains(r.id())) return null;
            }
            return rp;
        }

        /**
         * Every thread active at a conditional branch whose predicate is a thread-range predicate ({@link RangeSplit}):
         * the split by range, without a loop over the threads; falls through to the loop when the threads are not
         * one range. Emits nothing for other predicates or with {@code -Dtranscuda.cpu.rangeSplit=false}.
         */
        private void rangeSplit(Terminator.CondBranch c, int segT, int segF) {
            if (!RangeSplit.ENABLED || !SharedAffine.ENABLED || !(c.pred() instanceof Reg p) || uniform.get(p.id())) {
                return;
            }
            RangeSplit.Pred rp = rangeSplitPred(c);
            if (rp == null) return;
            Label loop = cb.newLabel();
            Label notAll = cb.newLabel();
            Label notNone = cb.newLabel();
            cb.aload(eSlot).loadConstant(predSites++);  // its slot in SharedAffine.predRangeMemo
            formBase(rp.thread());
            cb.loadConstant(rp.thread().cx());
            formBase(rp.bound());
            cb.loadConstant(rp.op()).loadConstant(rp.unsigned() ? 1 : 0).loadConstant(segT).loadConstant(segF);
            inv(RangeSplit.class, "split", Exec.class, int.class, int.class, int.class, int.class, int.class,
                    boolean.class, int.class, int.class);
            cb.dup().loadConstant(RangeSplit.ALL).if_icmpne(notAll);
            cb.pop();
            goSegment(segT);
            cb.labelBinding(notAll);
            cb.dup().loadConstant(RangeSplit.NONE).if_icmpne(notNone);
            cb.pop();
            goSegment(segF);
            cb.labelBinding(notNone);
            cb.dup().loadConstant(RangeSplit.LOOP).if_icmpeq(loop);
            ret();
            cb.labelBinding(loop);
            cb.pop();
        }

        /** The single unguarded definition of {@code r} in the function, or null. */
        private org.transcuda.ir.Stmt singleDef(Reg r) {
            org.transcuda.ir.Stmt def = null;
            int defs = 0;
            for (Block x : f.blocks()) {
                for (var st : x.stmts()) {
                    for (Reg d : st.inst().defs()) {
                        if (d.id() == r.id()) {
                            defs++;
                            def = st;
                        }
                    }
                }
            }
            return defs == 1 && def.guard() == null ? def : null;
        }

        private void lockExit() {
            Label divergent = cb.newLabel();
            cb.iload(fullSlot).ifeq(divergent);
            cb.loadConstant(Lockstep.DONE);
            ret();
            cb.labelBinding(divergent);
            setNext(Lockstep.EXITED);
            cb.loadConstant(Lockstep.SCHEDULE);
            ret();
        }

        // ---- body ----

        private void body() {
            List<Block> blocks = f.blocks();
            BitSet[] blockIn = spilled != null ? inLocalAtBlocks() : null;
            for (int bi = 0; bi < blocks.size(); bi++) {
                Block b = blocks.get(bi);
                if (blockIn != null) cur = (BitSet) blockIn[bi].clone();
                cb.labelBinding(label(b.label()));
                BitSet[] dead = spilled != null ? deadWriteThroughs(b) : null;
                for (int si = 0; si < b.stmts().size(); si++) {
                    skipWriteThrough = dead != null ? dead[si] : null;
                    stmt(b, si, b.stmts().get(si));
                }
                skipWriteThrough = null;
                terminator(b.terminator(), bi + 1 < blocks.size() ? blocks.get(bi + 1).label() : null);
            }
        }

        private void stmt(Block b, int index, org.transcuda.ir.Stmt s) {
            // line numbers: the statement's position in the function (1-based), for profilers and stack traces
            cb.lineNumber(++lineCounter);
            if (LINES != null) LINES.append(f.name()).append(':').append(lineCounter).append(' ')
                    .append(IrPrinter.inst(s.inst())).append('\n');
            Label skip = null;
            BitSet after = spilled != null ? transfer(cur, s) : null;
            if (s.guard() != null) {
                skip = cb.newLabel();
                ensureLocal(s.guard().id());
                // a guarded definition may not happen: the old value must be in the local either way
                for (Reg d : s.inst().defs()) ensureLocal(d.id());
                loadRegRaw(s.guard().id());
                if (s.negateGuard()) cb.ifne(skip);
                else cb.ifeq(skip);
            }
            Integer nanAcc = loopNaN == null ? null : loopNaN.get(s);
            boolean deferWas = deferNaN;
            if (nanAcc != null) deferNaN = true;
            try {
                inst(b, index, s);
            } catch (CompileError e) {
                throw e;
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw CompileError.unsupported(e.getMessage() + ": " + where(f, s));
            } finally {
                deferNaN = deferWas;
            }
            if (nanAcc != null && nanScratch >= 0) {
                // NaNZeros: scratch[t] = x - x (+0.0 unless x is a NaN or an infinity), added to the loop's earlier ones
                cb.aload(nanScratch).iload(tSlot);
                if (s != nanFirst) cb.dup2().faload();
                cb.aload(arr(((Inst.Compute) s.inst()).dst().id())).iload(tSlot).faload().dup().fsub();
                if (s != nanFirst) cb.fadd();
                cb.fastore();
            } else if (nanAcc != null) {
                // LoopNaN: the raw result joins the loop's NaN test
                cb.fload(nanAcc).aload(arr(((Inst.Compute) s.inst()).dst().id())).iload(tSlot).faload();
                inv(Math.class, "max", float.class, float.class);
                cb.fstore(nanAcc);
            }
            if (skip != null) cb.labelBinding(skip);
            if (after != null) cur = after;
        }

        private void inst(Block b, int index, org.transcuda.ir.Stmt s) {
            switch (s.inst()) {
                case Inst.Mov m -> {
                    load(m.src(), m.dst().type());
                    storeReg(m.dst(), m.dst().type());
                }
                case Inst.Compute c -> compute(c, s);
                case Inst.CarryArith c -> carry(c);
                case Inst.Compare c -> compare(c);
                case Inst.Convert c -> convert(c);
                case Inst.Cvta c -> cvta(c);
                case Inst.IsSpace c -> isSpace(c);
                case Inst.Load l -> loadInst(l, s);
                case Inst.Store st -> storeInst(st);
                case Inst.Atomic a -> atomic(a);
                case Inst.ReadSpecial r -> special(r);
                case Inst.Fence fe -> {
                    if (fe.scope() != Memory.Scope.CTA) inv(Atom.class, "fence");
                }
                case Inst.Call c -> call(c);
                case Inst.Unsupported u -> throw CompileError.invalid("cannot translate " + u.opcode() + ": "
                        + u.message());
                default -> {
                    if (shape != STEP) throw new IllegalStateException("suspension point outside a kernel");
                    suspend(b, index, s);
                }
            }
        }

        private void terminator(Terminator t, String nextLabel) {
            switch (t) {
                case Terminator.Branch br -> {
                    if (!br.target().equals(nextLabel)) cb.goto_(label(br.target()));
                }
                case Terminator.CondBranch c -> {
                    load(c.pred(), ScalarType.PRED);
                    cb.ifne(label(c.ifTrue()));
                    if (!c.ifFalse().equals(nextLabel)) cb.goto_(label(c.ifFalse()));
                }
                case Terminator.Switch sw -> {
                    load(sw.index(), ScalarType.U32);
                    Label bad = cb.newLabel();
                    List<SwitchCase> cases = new ArrayList<>();
                    for (int i = 0; i < sw.targets().size(); i++) cases.add(SwitchCase.of(i, label(sw.targets().get(i))));
                    int tmp = tmpInt();
                    cb.dup().istore(tmp);
                    cb.tableswitch(0, cases.size() - 1, bad, cases);
                    cb.labelBinding(bad);
                    cb.aload(eSlot).iload(tmp).i2l();
                    inv(Rt.class, "badSwitch", Exec.class, long.class);
                    cb.athrow();
                    releaseInt(tmp);
                }
                case Terminator.Return r -> {
                    if (shape == DEVICE) deviceReturn();
                    else exitThread();
                }
                case Terminator.Exit x -> {
                    if (shape == DEVICE) cb.aload(eSlot).getfield(CD_EXEC, "exit", CD_EXIT).athrow();
                    else exitThread();
                }
                case Terminator.Trap tr -> {
                    cb.aload(eSlot);
                    inv(Rt.class, "trap", Exec.class);
                    cb.athrow();
                }
                case Terminator.Unreachable u -> {
                    cb.aload(eSlot).loadConstant(f.name());
                    inv(Rt.class, "unreachable", Exec.class, String.class);
                    cb.athrow();
                }
            }
        }

        private void exitThread() {
            if (shape == STEP) cb.aload(rpArray).iload(tSlot).iconst_m1().iastore();
            cb.goto_(threadDone);
        }

        private void deviceReturn() {
            if (frameSize > 0) cb.aload(eSlot).iload(fpSlot).putfield(CD_EXEC, "sp", CD_int);
            List<Reg> rets = f.returnRegs();
            if (rets.size() == 1) {
                Reg r = rets.get(0);
                cb.loadLocal(regKind[r.id()], regSlot[r.id()]);
                cb.return_(regKind[r.id()]);
                return;
            }
            for (int i = 0; i < rets.size(); i++) {
                Reg r = rets.get(i);
                cb.aload(eSlot).getfield(CD_EXEC, "ret", CD_long.arrayType()).loadConstant(i);
                cb.loadLocal(regKind[r.id()], regSlot[r.id()]);
                toLongBits(regKind[r.id()]);
                cb.lastore();
            }
            cb.return_();
        }

        // ---- values ----

        private void load(Value v, ScalarType as) {
            switch (v) {
                case Reg r -> {
                    ensureLocal(r.id());
                    loadRegRaw(r.id());
                    coerce(r.type(), as);
                }
                case Const c -> constant(c, as);
                case SymbolAddr s -> {
                    symbol(s);
                    coerce(ScalarType.U64, as);
                }
            }
        }

        /** Pushes register {@code id} in its own kind (lockstep: the current lane's element of its array). */
        private void loadRegRaw(int id) {
            if (shape == VEC && vecPlan.arrays().get(id)) {
                cb.aload(regSlot[id]).iload(tSlot).arrayLoad(regKind[id]);
                return;
            }
            if (shape == LOCK && runLocal.get(id)) {
                cb.loadLocal(regKind[id], runSlot[id]);
            } else if (shape == LOCK && affineRegs.get(id) instanceof SharedAffine.Form fm) {
                // AffineRegs: not materialized; its form's value for this thread
                formBase(fm);
                threadIndex("tx", txSlot);
                if (fm.cx() != 1) cb.loadConstant(fm.cx()).imul();
                cb.iadd();
            } else if (shape == LOCK && !uniform.get(id)) {
                cb.aload(regSlot[id]).iload(tSlot).arrayLoad(regKind[id]);
            } else {
                cb.loadLocal(regKind[id], regSlot[id]);
            }
        }

        /**
         * Register {@code id}'s array slot, for code that reads or writes the array itself; throws
         * {@link AffineRegs.Conflict} for a register {@link AffineRegs} left without its array (generated again with it).
         */
        private int arr(int id) {
            if (shape == LOCK && affineRegs.containsKey(id)) throw new AffineRegs.Conflict(id);
            return regSlot[id];
        }

        /** LOCK shape: the registers {@link AffineRegs} leaves without their arrays, with their forms. */
        private Map<Integer, SharedAffine.Form> affineRegs = Map.of();

        private void storeReg(Reg r, ScalarType from) {
            coerce(from, r.type());
            if (shape == VEC && vecPlan.arrays().get(r.id())) {
                TypeKind k = regKind[r.id()];
                int tmp = vecTmp.computeIfAbsent(k, cb::allocateLocal);
                cb.storeLocal(k, tmp);
                cb.aload(regSlot[r.id()]).iload(tSlot).loadLocal(k, tmp).arrayStore(k);
                return;
            }
            if (shape == LOCK && runLocal.get(r.id())) {
                cb.storeLocal(regKind[r.id()], runSlot[r.id()]);
                return;
            }
            if (shape == LOCK && affineRegs.containsKey(r.id())) {
                // AffineRegs: every reader computes the value from its form
                cb.pop();
                return;
            }
            if (shape == LOCK && !uniform.get(r.id())) {
                TypeKind k = regKind[r.id()];
                int tmp = lockTmp.get(k);
                cb.storeLocal(k, tmp);
                cb.aload(regSlot[r.id()]).iload(tSlot).loadLocal(k, tmp).arrayStore(k);
                return;
            }
            cb.storeLocal(regKind[r.id()], regSlot[r.id()]);
            if (shape == LOCK) {
                cb.aload(eSlot).getfield(CD_EXEC, "luni", CD_long.arrayType()).loadConstant(r.id());
                cb.loadLocal(regKind[r.id()], regSlot[r.id()]);
                toLongBits(regKind[r.id()]);
                cb.lastore();
            }
            int id = r.id();
            if (spilled != null && spilled.get(id) && skipWriteThrough != null && skipWriteThrough.get(id)) {
                cur.set(id);
            } else if (spilled != null && spilled.get(id)) {
                // write-through: the spill slot is the home of registers live across suspension points
                cb.aload(spillArray).iload(spillBaseSlot).loadConstant(spillIndex[id]).iadd();
                cb.loadLocal(regKind[id], regSlot[id]);
                toLongBits(regKind[id]);
                cb.lastore();
                cur.set(id);
            }
        }

        /**
         * Per statement of a block, the spilled registers whose write-through is dead: the same register is
         * defined again, unconditionally, later in the block with no suspension point in between, so nobody can
         * read the slot in the meantime (lazy loads only happen after a resume).
         */
        private BitSet[] deadWriteThroughs(Block b) {
            List<org.transcuda.ir.Stmt> stmts = b.stmts();
            BitSet[] out = new BitSet[stmts.size()];
            BitSet later = new BitSet();
            for (int i = stmts.size() - 1; i >= 0; i--) {
                org.transcuda.ir.Stmt st = stmts.get(i);
                if (isSuspension(st.inst())) {
                    later.clear();
                    out[i] = new BitSet();
                    continue;
                }
                BitSet d = new BitSet();
                for (Reg r : st.inst().defs()) if (later.get(r.id())) d.set(r.id());
                out[i] = d;
                if (st.guard() == null) for (Reg r : st.inst().defs()) later.set(r.id());
            }
            return out;
        }

        /** Loads a spilled register from its slot unless its value is known to be in its local. */
        private void ensureLocal(int id) {
            if (spilled == null || !spilled.get(id) || cur.get(id)) return;
            cb.aload(spillArray).iload(spillBaseSlot).loadConstant(spillIndex[id]).iadd().laload();
            fromLongBits(regKind[id]);
            cb.storeLocal(regKind[id], regSlot[id]);
            cur.set(id);
        }

        /**
         * The "value is in its local" state after statement {@code st}, for spilled registers (a must-analysis,
         * shared by the fixpoint and the emitter so that both agree).
         */
        private BitSet transfer(BitSet in, org.transcuda.ir.Stmt st) {
            BitSet c = (BitSet) in.clone();
            Inst i = st.inst();
            if (st.guard() != null) c.set(st.guard().id());
            boolean suspension = isSuspension(i)
                    && !(i instanceof Inst.Barrier bar && bar.kind() == Inst.BarrierKind.ARRIVE);
            if (suspension) {
                BitSet defs = new BitSet();
                for (Reg d : i.defs()) defs.set(d.id());
                if (st.guard() == null) return defs;
                c.and(defs);
                return c;
            }
            for (Reg d : i.defs()) c.set(d.id());
            if (st.guard() == null) {
                for (Value v : i.uses()) if (v instanceof Reg r) c.set(r.id());
            }
            return c;
        }

        /** Block-entry states of the in-local analysis (entry block: everything is in locals). */
        private BitSet[] inLocalAtBlocks() {
            List<Block> blocks = f.blocks();
            int n = blocks.size();
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < n; i++) index.put(blocks.get(i).label(), i);
            BitSet all = new BitSet();
            all.set(0, Math.max(1, f.regs().size()));
            BitSet[] in = new BitSet[n];
            for (int i = 0; i < n; i++) in[i] = (BitSet) all.clone();
            boolean changed = true;
            while (changed) {
                changed = false;
                BitSet[] next = new BitSet[n];
                for (int i = 0; i < n; i++) next[i] = i == 0 ? (BitSet) all.clone() : null;
                for (int i = 0; i < n; i++) {
                    Block b = blocks.get(i);
                    BitSet c = (BitSet) in[i].clone();
                    for (var st : b.stmts()) c = transfer(c, st);
                    for (Value v : b.terminator().uses()) if (v instanceof Reg r) c.set(r.id());
                    for (String succ : b.terminator().successors()) {
                        Integer j = index.get(succ);
                        if (j == null) continue;
                        if (next[j] == null) next[j] = (BitSet) c.clone();
                        else next[j].and(c);
                    }
                }
                for (int i = 0; i < n; i++) {
                    BitSet v = next[i] == null ? (BitSet) all.clone() : next[i];
                    if (!v.equals(in[i])) {
                        in[i] = v;
                        changed = true;
                    }
                }
            }
            return in;
        }

        private void constant(Const c, ScalarType as) {
            ScalarType ct = c.type();
            if ((ct == ScalarType.F32 || ct == ScalarType.F64) && (as == ScalarType.F32 || as == ScalarType.F64)
                    && ct != as) {
                double v = ct == ScalarType.F32 ? Float.intBitsToFloat((int) c.bits()) : Double.longBitsToDouble(c.bits());
                if (as == ScalarType.F32) pushFloat((float) v);
                else pushDouble(v);
                return;
            }
            long bits = signed(ct) ? c.signed() : c.bits();
            if (as == ScalarType.PRED) {
                cb.loadConstant(bits != 0 ? 1 : 0);
                return;
            }
            switch (kind(as)) {
                case INT -> cb.loadConstant(normalizeConst((int) bits, as));
                case LONG -> cb.loadConstant(bits);
                case FLOAT -> pushFloat(Float.intBitsToFloat((int) bits));
                default -> pushDouble(Double.longBitsToDouble(bits));
            }
        }

        private void pushFloat(float v) {
            int bits = Float.floatToRawIntBits(v);
            if (bits == 0) {
                cb.fconst_0();
            } else if (v == 1f) {
                cb.fconst_1();
            } else {
                cb.loadConstant(bits);
                inv(Float.class, "intBitsToFloat", int.class);
            }
        }

        private void pushDouble(double v) {
            long bits = Double.doubleToRawLongBits(v);
            if (bits == 0) {
                cb.dconst_0();
            } else if (v == 1d) {
                cb.dconst_1();
            } else {
                cb.loadConstant(bits);
                inv(Double.class, "longBitsToDouble", long.class);
            }
        }

        private int normalizeConst(int v, ScalarType t) {
            return switch (t) {
                case U8, B8 -> v & 0xff;
                case S8 -> (byte) v;
                case U16, B16, F16, BF16 -> v & 0xffff;
                case S16 -> (short) v;
                case PRED -> v & 1;
                default -> v;
            };
        }

        /** Brings the int on the stack to the normal form of t (8/16-bit types). */
        private void normalize(ScalarType t) {
            switch (t) {
                case U8, B8 -> cb.loadConstant(0xff).iand();
                case S8 -> cb.i2b();
                case U16, B16, F16, BF16 -> cb.loadConstant(0xffff).iand();
                case S16 -> cb.i2s();
                default -> {
                }
            }
        }

        /** Converts the value of type {@code from} on the stack to type {@code to}, bit-exactly. */
        private void coerce(ScalarType from, ScalarType to) {
            if (from == to) return;
            if (to == ScalarType.PRED) {
                TypeKind fk = kind(from);
                toIntegerBits(fk);
                if (fk == TypeKind.LONG || fk == TypeKind.DOUBLE) {
                    cb.lconst_0().lcmp();
                }
                Label z = cb.newLabel();
                Label end = cb.newLabel();
                cb.ifeq(z).iconst_1().goto_(end);
                cb.labelBinding(z);
                cb.iconst_0();
                cb.labelBinding(end);
                return;
            }
            TypeKind fk = kind(from);
            TypeKind tk = kind(to);
            if (fk == tk && fk == TypeKind.INT) {
                normalize(to);
                return;
            }
            if (fk == tk) return;
            // to integer bits
            toIntegerBits(fk);
            boolean fromLong = fk == TypeKind.LONG || fk == TypeKind.DOUBLE;
            boolean toLong = tk == TypeKind.LONG || tk == TypeKind.DOUBLE;
            if (!fromLong && toLong) {
                cb.i2l();
                if (!signed(from) && from.bits() == 32) cb.ldc(0xffff_ffffL).land();
            } else if (fromLong && !toLong) {
                cb.l2i();
            }
            switch (tk) {
                case FLOAT -> inv(Float.class, "intBitsToFloat", int.class);
                case DOUBLE -> inv(Double.class, "longBitsToDouble", long.class);
                case INT -> normalize(to);
                default -> {
                }
            }
        }

        private void toIntegerBits(TypeKind k) {
            if (k == TypeKind.FLOAT) inv(Float.class, "floatToRawIntBits", float.class);
            if (k == TypeKind.DOUBLE) inv(Double.class, "doubleToRawLongBits", double.class);
        }

        private void toLongBits(TypeKind k) {
            switch (k) {
                case INT -> cb.i2l();
                case FLOAT -> {
                    inv(Float.class, "floatToRawIntBits", float.class);
                    cb.i2l();
                }
                case DOUBLE -> inv(Double.class, "doubleToRawLongBits", double.class);
                default -> {
                }
            }
        }

        private void fromLongBits(TypeKind k) {
            switch (k) {
                case INT -> cb.l2i();
                case FLOAT -> {
                    cb.l2i();
                    inv(Float.class, "intBitsToFloat", int.class);
                }
                case DOUBLE -> inv(Double.class, "longBitsToDouble", long.class);
                default -> {
                }
            }
        }

        /** Pushes the address value of a symbol (long). */
        private void symbol(SymbolAddr s) {
            Long c = constSymbol(s);
            if (c != null) {
                cb.loadConstant(c.longValue());
                return;
            }
            // a local variable of a device function: frame pointer + offset
            long off = frame.get(s.symbol());
            cb.iload(fpSlot).i2l();
            if (off != 0) cb.loadConstant(off).ladd();
            if (s.space() == AddressSpace.GENERIC) cb.loadConstant(Windows.LOCAL).ladd();
        }

        /** The constant value of a symbol address, or null when it depends on the frame pointer. */
        private Long constSymbol(SymbolAddr s) {
            String name = s.symbol();
            boolean generic = s.space() == AddressSpace.GENERIC;
            if (frame.containsKey(name)) {
                if (shape == DEVICE) return null;
                long off = frame.get(name);
                return generic ? Windows.LOCAL + off : off;
            }
            if (isKernel && kernelParams.containsKey(name)) {
                long off = kernelParams.get(name).offset();
                return generic ? Windows.PARAM + off : off;
            }
            if (sharedOffsets.containsKey(name)) {
                long off = sharedOffsets.get(name);
                return generic ? Windows.SHARED + off : off;
            }
            if (globals.containsKey(name)) return globals.get(name);
            if (moduleIndex.containsKey(name) && byName.get(name) != null) return Windows.FUNC + moduleIndex.get(name);
            Variable v = module.variable(name).orElse(null);
            if (v != null) {
                throw CompileError.invalid("variable " + name + " (" + v.space().name().toLowerCase() + ") has no "
                        + "storage: extern variables defined in other modules are not linked by the CPU backend");
            }
            throw CompileError.invalid("address of unknown symbol " + name + " in " + f.name());
        }

        /** Pushes base + offset of a memory operand as a long. */
        private void address(Address a) {
            if (a.base() instanceof SymbolAddr s) {
                Long c = constSymbol(s);
                if (c != null) {
                    cb.loadConstant(c + a.offset());
                    return;
                }
            }
            load(a.base(), ScalarType.U64);
            if (a.offset() != 0) cb.loadConstant(a.offset()).ladd();
        }

        // ---- memory ----

        private String suffix(ScalarType t) {
            if (t == ScalarType.F32) return "f32";
            if (t == ScalarType.F64) return "f64";
            return String.valueOf(t.bits());
        }

        private Class<?> jtype(ScalarType t) {
            if (t == ScalarType.F32) return float.class;
            if (t == ScalarType.F64) return double.class;
            return t.bits() == 64 ? long.class : int.class;
        }

        private void loadInst(Inst.Load l, org.transcuda.ir.Stmt s) {
            ScalarType t = l.type();
            int site = sites.get(l);
            AddressSpace space = l.space();
            if (space == AddressSpace.PARAM && isKernel && l.order() == Memory.Order.WEAK
                    && l.address().base() instanceof SymbolAddr sa && kernelParams.containsKey(sa.symbol())) {
                long off = kernelParams.get(sa.symbol()).offset() + l.address().offset();
                cb.loadLocal(kind(t), paramLocal(off + ":" + t.name()));
                storeReg(l.dst(), t);
                return;
            }
            if (l.order() != Memory.Order.WEAK && (space == AddressSpace.GLOBAL || space == AddressSpace.CONST
                    || space == AddressSpace.GENERIC)) {
                if (space == AddressSpace.GENERIC) {
                    cb.aload(siteLocal(site));
                    address(l.address());
                    cb.loadConstant(t.bytes()).loadConstant(orderCode(l.order()));
                    inv(Mem.class, "ldOrderedGeneric", SiteCache.class, long.class, int.class, int.class);
                } else {
                    checkedAddress(space, l.address(), t.bytes(), site);
                    cb.loadConstant(t.bytes()).loadConstant(orderCode(l.order()));
                    inv(Mem.class, "ldOrdered", long.class, int.class, int.class);
                }
                fromLongBits(kind(t));
                if (kind(t) == TypeKind.INT) normalizeLoaded(t);
                storeReg(l.dst(), t);
                return;
            }
            Class<?> rt = jtype(t);
            switch (space) {
                case GLOBAL, CONST, GENERIC -> {
                    Integer bulk = bulkSlot.get(site);
                    Label bulkDone = cb.newLabel();
                    if (bulk != null) {
                        // the thread's element of the lane loop's bulk copy (LaneBulk), when it was made
                        Label read = cb.newLabel();
                        cb.aload(bulk).ifnull(read);
                        cb.aload(bulk).iload(tSlot).arrayLoad(t.bytes() == 1 ? TypeKind.BYTE
                                : t.bytes() == 2 ? TypeKind.SHORT : kind(t));
                        cb.goto_(bulkDone);
                        cb.labelBinding(read);
                    }
                    cb.aload(siteLocal(site));
                    address(l.address());
                    Integer flag = space == AddressSpace.GENERIC ? null : hoistFlag.get(site);
                    if (flag != null || shape == PATH) {
                        // PATH: every access was checked for the whole block (UniformPaths)
                        if (shape == PATH) cb.iconst_1();
                        else cb.iload(flag);
                        cb.invokestatic(ClassDesc.of(PKG + ".Mem"), "hgld" + suffix(t),
                                MethodTypeDesc.of(rt.describeConstable().orElseThrow(), CD_SITE, CD_long, CD_int));
                    } else {
                        cb.invokestatic(ClassDesc.of(PKG + ".Mem"), (space == AddressSpace.GENERIC ? "ld" : "gld")
                                + suffix(t), MethodTypeDesc.of(rt.describeConstable().orElseThrow(), CD_SITE, CD_long));
                    }
                    cb.labelBinding(bulkDone);
                }
                case SHARED, LOCAL, PARAM -> {
                    if (space == AddressSpace.PARAM && !isKernel) {
                        throw CompileError.unsupported("ld.param in a device function");
                    }
                    if (space == AddressSpace.SHARED && affineLoop && affineSite.containsKey(site)) {
                        affineLoad(t, affineSite.get(site));
                        break;
                    }
                    String p = space == AddressSpace.SHARED ? "lds" : space == AddressSpace.LOCAL ? "ldl" : "ldp";
                    if (space == AddressSpace.SHARED && !hoistFlag.containsKey(site) && word(t)) {
                        cb.aload(eSlot).getfield(CD_EXEC, "shared", CD_int.arrayType());
                        if (rangeIndex(l.address(), 4, l)) {
                            // SharedRange: the address is inside the static shared variables
                            cb.iaload();
                            if (t == ScalarType.F32) inv(Float.class, "intBitsToFloat", int.class);
                            break;
                        }
                        cb.pop();
                    }
                    cb.aload(eSlot);
                    address(l.address());
                    cb.loadConstant(site);
                    Integer once = space == AddressSpace.SHARED ? hoistFlag.get(site) : null;
                    if (once != null) {
                        // checked once for the arm's threads (ArmShared)
                        cb.iload(once);
                        inv(ArmShared.class, "lds32", Exec.class, long.class, int.class, boolean.class);
                        break;
                    }
                    cb.invokestatic(ClassDesc.of(PKG + ".Mem"), p + suffix(t),
                            MethodTypeDesc.of(rt.describeConstable().orElseThrow(), CD_EXEC, CD_long, CD_int));
                }
            }
            if (kind(t) == TypeKind.INT) normalizeLoaded(t);
            storeReg(l.dst(), t);
        }

        private int orderCode(Memory.Order o) {
            return switch (o) {
                case ACQUIRE -> 1;
                case RELEASE -> 2;
                case SC, ACQ_REL -> 3;
                default -> 0;
            };
        }

        private void storeInst(Inst.Store st) {
            ScalarType t = st.type();
            int site = sites.get(st);
            AddressSpace space = st.space();
            if (space == AddressSpace.PARAM) throw CompileError.unsupported("st.param outside call lowering");
            if (st.order() != Memory.Order.WEAK && (space == AddressSpace.GLOBAL || space == AddressSpace.CONST
                    || space == AddressSpace.GENERIC)) {
                if (space == AddressSpace.GENERIC) {
                    cb.aload(siteLocal(site));
                    address(st.address());
                    load(st.src(), t);
                    toLongBits(kind(t));
                    cb.loadConstant(t.bytes()).loadConstant(orderCode(st.order()));
                    inv(Mem.class, "stOrderedGeneric", SiteCache.class, long.class, long.class, int.class, int.class);
                } else {
                    checkedAddress(space, st.address(), t.bytes(), site);
                    load(st.src(), t);
                    toLongBits(kind(t));
                    cb.loadConstant(t.bytes()).loadConstant(orderCode(st.order()));
                    inv(Mem.class, "stOrdered", long.class, long.class, int.class, int.class);
                }
                return;
            }
            ClassDesc vt = jtype(t).describeConstable().orElseThrow();
            switch (space) {
                case GLOBAL, CONST, GENERIC -> {
                    cb.aload(siteLocal(site));
                    address(st.address());
                    load(st.src(), t);
                    Integer flag = space == AddressSpace.GENERIC ? null : hoistFlag.get(site);
                    if (flag != null || shape == PATH) {
                        if (shape == PATH) cb.iconst_1();
                        else cb.iload(flag);
                        cb.invokestatic(ClassDesc.of(PKG + ".Mem"), "hgst" + suffix(t),
                                MethodTypeDesc.of(CD_void, CD_SITE, CD_long, vt, CD_int));
                    } else {
                        cb.invokestatic(ClassDesc.of(PKG + ".Mem"), (space == AddressSpace.GENERIC ? "st" : "gst")
                                + suffix(t), MethodTypeDesc.of(CD_void, CD_SITE, CD_long, vt));
                    }
                }
                default -> {
                    if (space == AddressSpace.SHARED && affineLoop && affineSite.containsKey(site)) {
                        // a SharedCopy store: made for the row after the loop
                        if (site != copiedSite) affineStore(t, affineSite.get(site), st.src());
                        break;
                    }
                    String p = space == AddressSpace.SHARED ? "sts" : "stl";
                    if (space == AddressSpace.SHARED && word(t)) {
                        cb.aload(eSlot).getfield(CD_EXEC, "shared", CD_int.arrayType());
                        if (rangeIndex(st.address(), 4, st)) {
                            // SharedRange: the address is inside the static shared variables
                            load(st.src(), t);
                            if (t == ScalarType.F32) inv(Float.class, "floatToRawIntBits", float.class);
                            cb.iastore();
                            break;
                        }
                        cb.pop();
                    }
                    cb.aload(eSlot);
                    address(st.address());
                    load(st.src(), t);
                    cb.loadConstant(site);
                    cb.invokestatic(ClassDesc.of(PKG + ".Mem"), p + suffix(t),
                            MethodTypeDesc.of(CD_void, CD_EXEC, CD_long, vt, CD_int));
                }
            }
        }

        /** Pushes the checked native address (long) of a global/const access of {@code size} bytes. */
        private void checkedAddress(AddressSpace space, Address a, int size, int site) {
            cb.aload(siteLocal(site));
            address(a);
            cb.loadConstant(Integer.numberOfTrailingZeros(size));
            inv(Mem.class, "at", SiteCache.class, long.class, int.class);
        }

        private void atomic(Inst.Atomic a) {
            ScalarType t = a.type();
            int site = sites.get(a);
            AddressSpace space = a.space();
            if (space == AddressSpace.PARAM || space == AddressSpace.CONST) {
                throw CompileError.invalid("atomic on " + space + " memory");
            }
            int op = a.op().ordinal();
            if ((a.op() == Memory.AtomicOp.MIN || a.op() == Memory.AtomicOp.MAX) && !signed(t)) op |= Atom.UNSIGNED;
            String suffix;
            Class<?> vt;
            switch (t) {
                case B32, U32, S32 -> {
                    suffix = "32";
                    vt = int.class;
                }
                case B64, U64, S64 -> {
                    suffix = "64";
                    vt = long.class;
                }
                case F32 -> {
                    suffix = "f32";
                    vt = float.class;
                }
                case F64 -> {
                    suffix = "f64";
                    vt = double.class;
                }
                default -> throw CompileError.unsupported("atomic " + a.op() + " on " + t.ptxName());
            }
            int k = Integer.numberOfTrailingZeros(t.bytes());
            switch (space) {
                case GLOBAL -> {
                    if (deferInsts.contains(a)) {
                        // AddDefer: summed per worker (the same address check first)
                        cb.aload(eSlot);
                        cb.aload(siteLocal(site));
                        address(a.address());
                        load(a.a(), t);
                        inv(AddDefer.class, "add", Exec.class, SiteCache.class, long.class, int.class);
                        break;
                    }
                    checkedAddress(space, a.address(), t.bytes(), site);
                    operands(a, op, t);
                    inv(Atom.class, "a" + suffix, long.class, int.class, vt, vt);
                }
                case GENERIC -> {
                    cb.aload(siteLocal(site));
                    address(a.address());
                    operands(a, op, t);
                    inv(Atom.class, "g" + suffix, SiteCache.class, long.class, int.class, vt, vt);
                }
                default -> {
                    boolean shared = space == AddressSpace.SHARED;
                    cb.aload(eSlot).getfield(CD_EXEC, shared ? "shared" : "local", CD_int.arrayType());
                    if (shared && suffix.equals("32") && rangeIndex(a.address(), 4, a)) {
                        // SharedRange: the address is inside the static shared variables
                        operands(a, op, t);
                        inv(SharedRange.class, "s32", int[].class, int.class, int.class, vt, vt);
                        break;
                    }
                    cb.aload(eSlot);
                    address(a.address());
                    cb.loadConstant(k).loadConstant(site);
                    inv(Mem.class, shared ? "sh" : "lo", Exec.class, long.class, int.class, int.class);
                    operands(a, op, t);
                    inv(Atom.class, "s" + suffix, int[].class, long.class, int.class, vt, vt);
                }
            }
            if (a.dst() != null) {
                storeReg(a.dst(), t);
            } else if (kind(t).slotSize() == 2) {
                cb.pop2();
            } else {
                cb.pop();
            }
        }

        private void operands(Inst.Atomic a, int op, ScalarType t) {
            cb.loadConstant(op);
            load(a.a(), t);
            if (a.b() != null) load(a.b(), t);
            else zero(kind(t));
        }

        // ---- special registers ----

        private void threadIndex(String field, int slot) {
            if (shape == DEVICE) {
                cb.aload(eSlot).getfield(CD_EXEC, field, CD_int);
            } else if (shape == LOCK && affineLoop) {
                cb.iload(slot);
            } else if (shape == STEP || shape == LOCK) {
                String array = "tid" + Character.toUpperCase(field.charAt(1));
                cb.aload(eSlot).getfield(CD_EXEC, array, CD_int.arrayType()).iload(tSlot).iaload();
            } else {
                cb.iload(slot);
            }
        }

        private void linearThread() {
            if (shape == DEVICE) cb.aload(eSlot).getfield(CD_EXEC, "t", CD_int);
            else cb.iload(tSlot);
        }

        private void field(String name) {
            cb.aload(eSlot).getfield(CD_EXEC, name, CD_int);
        }

        private void special(Inst.ReadSpecial r) {
            ScalarType type = r.which().type();
            switch (r.which()) {
                case TID_X -> threadIndex("tx", txSlot);
                case TID_Y -> threadIndex("ty", tySlot);
                case TID_Z -> threadIndex("tz", tzSlot);
                case NTID_X -> field("ntx");
                case NTID_Y -> field("nty");
                case NTID_Z -> field("ntz");
                case CTAID_X, CLUSTERID_X -> field("cx");
                case CTAID_Y, CLUSTERID_Y -> field("cy");
                case CTAID_Z, CLUSTERID_Z -> field("cz");
                case NCTAID_X, NCLUSTERID_X -> field("ncx");
                case NCTAID_Y, NCLUSTERID_Y -> field("ncy");
                case NCTAID_Z, NCLUSTERID_Z -> field("ncz");
                case LANEID -> {
                    linearThread();
                    cb.loadConstant(31).iand();
                }
                case WARPID -> {
                    linearThread();
                    cb.iconst_5().iushr();
                }
                case NWARPID -> {
                    field("nthreads");
                    cb.loadConstant(31).iadd().iconst_5().iushr();
                }
                case SMID -> field("worker");
                case NSMID -> field("workers");
                case GRIDID -> cb.aload(eSlot).getfield(CD_EXEC, "gridId", CD_long);
                case LANEMASK_EQ -> {
                    cb.iconst_1();
                    linearThread();
                    cb.ishl();
                }
                case LANEMASK_LT, LANEMASK_GE -> {
                    cb.iconst_1();
                    linearThread();
                    cb.loadConstant(31).iand().ishl().iconst_1().isub();
                    if (r.which() == org.transcuda.ir.Special.LANEMASK_GE) cb.iconst_m1().ixor();
                }
                case LANEMASK_LE, LANEMASK_GT -> {
                    cb.iconst_2().i2l();
                    linearThread();
                    cb.loadConstant(31).iand().lshl().lconst_1().lsub().l2i();
                    if (r.which() == org.transcuda.ir.Special.LANEMASK_GT) cb.iconst_m1().ixor();
                }
                case CLOCK -> {
                    inv(Rt.class, "clock64");
                    cb.l2i();
                }
                case CLOCK64 -> inv(Rt.class, "clock64");
                case GLOBALTIMER -> inv(Rt.class, "globalTimer");
                case GLOBALTIMER_LO -> {
                    inv(Rt.class, "globalTimer");
                    cb.l2i();
                }
                case GLOBALTIMER_HI -> {
                    inv(Rt.class, "globalTimer");
                    cb.bipush(32).lushr().l2i();
                }
                case DYNAMIC_SMEM_SIZE -> field("dynShared");
                case TOTAL_SMEM_SIZE -> cb.aload(eSlot).getfield(CD_EXEC, "sharedSize", CD_long).l2i();
                case CLUSTER_CTAID_X, CLUSTER_CTAID_Y, CLUSTER_CTAID_Z, CLUSTER_CTARANK, IS_EXPLICIT_CLUSTER ->
                        cb.iconst_0();
                case CLUSTER_NCTAID_X, CLUSTER_NCTAID_Y, CLUSTER_NCTAID_Z, CLUSTER_NCTARANK -> cb.iconst_1();
            }
            storeReg(r.dst(), type);
        }

        // ---- cvta / isspacep ----

        private void cvta(Inst.Cvta c) {
            load(c.src(), ScalarType.U64);
            long base = switch (c.space()) {
                case SHARED -> Windows.SHARED;
                case LOCAL -> Windows.LOCAL;
                case PARAM -> Windows.PARAM;
                default -> 0;
            };
            if (base != 0) {
                cb.loadConstant(base);
                if (c.toGeneric()) cb.ladd();
                else cb.lsub();
            }
            storeReg(c.dst(), ScalarType.U64);
        }

        private void isSpace(Inst.IsSpace s) {
            switch (s.space()) {
                case GLOBAL -> {
                    load(s.address(), ScalarType.U64);
                    inv(Builtins.class, "isGlobal", long.class);
                }
                case CONST -> {
                    cb.aload(eSlot);
                    load(s.address(), ScalarType.U64);
                    inv(Builtins.class, "isConst", Exec.class, long.class);
                }
                case GENERIC -> cb.iconst_1();
                default -> {
                    load(s.address(), ScalarType.U64);
                    cb.loadConstant(s.space() == AddressSpace.SHARED ? Windows.SHARED
                            : s.space() == AddressSpace.LOCAL ? Windows.LOCAL : Windows.PARAM);
                    inv(Builtins.class, "isWindow", long.class, long.class);
                }
            }
            storeReg(s.dst(), ScalarType.PRED);
        }

        // ---- compare ----

        private void compare(Inst.Compare c) {
            ScalarType t = c.type();
            int op = c.op().ordinal();
            if (t == ScalarType.F32) {
                cb.loadConstant(op);
                load(c.a(), t);
                load(c.b(), t);
                cb.loadConstant(c.ftz() ? 1 : 0);
                inv(Rt.class, "fcmp", int.class, float.class, float.class, boolean.class);
            } else if (t == ScalarType.F64) {
                cb.loadConstant(op);
                load(c.a(), t);
                load(c.b(), t);
                inv(Rt.class, "dcmp", int.class, double.class, double.class);
            } else if (t == ScalarType.F16 || t == ScalarType.BF16) {
                cb.loadConstant(op);
                load(c.a(), t);
                cb.loadConstant(floatFormat(t));
                inv(Fp.class, "half2d", int.class, int.class);
                load(c.b(), t);
                cb.loadConstant(floatFormat(t));
                inv(Fp.class, "half2d", int.class, int.class);
                inv(Rt.class, "dcmp", int.class, double.class, double.class);
            } else if (t.kind() == ScalarType.Kind.FLOAT) {
                throw CompileError.unsupported("setp on " + t.ptxName());
            } else if (INLINE_ICMP && op <= Inst.CmpOp.HS.ordinal()) {
                integerCompare(c, op, t);
            } else if (kind(t) == TypeKind.LONG) {
                cb.loadConstant(op);
                load(c.a(), t);
                load(c.b(), t);
                cb.loadConstant(signed(t) ? 0 : 1);
                inv(Rt.class, "lcmp", int.class, long.class, long.class, boolean.class);
            } else {
                cb.loadConstant(op);
                load(c.a(), t);
                load(c.b(), t);
                cb.loadConstant(signed(t) ? 0 : 1);
                inv(Rt.class, "icmp", int.class, int.class, int.class, boolean.class);
            }
            storeReg(c.dst(), ScalarType.PRED);
        }

        /**
         * Integer {@code setp} (eq..hs) as a JVM comparison and a 0/1 select, no helper call (C2 turns it into a
         * compare and a conditional move inside lane loops): unsigned orders (lo/ls/hi/hs, or an unsigned type)
         * compare with the sign bits flipped, as {@link Rt#icmp}/{@link Rt#lcmp} do with compareUnsigned. By default
         * the compare is arithmetic without a branch ({@link BranchFree}; {@code -Dtranscuda.cpu.branchFree=false}
         * gives the compare-and-branch form).
         */
        private void integerCompare(Inst.Compare c, int op, ScalarType t) {
            boolean wideKind = kind(t) == TypeKind.LONG;
            boolean unsigned = !signed(t) || (op >= 6 && op <= 9);
            if (BranchFree.ON) {
                BranchFree.Load la = () -> load(c.a(), t);
                BranchFree.Load lb = () -> load(c.b(), t);
                if (wideKind) {
                    int x = tmpLong();
                    int y = tmpLong();
                    BranchFree.compareLong(cb, op, unsigned, la, lb, x, y);
                    release(y);
                    release(x);
                } else {
                    BranchFree.compareInt(cb, op, unsigned, la, lb);
                }
                return;
            }
            load(c.a(), t);
            if (unsigned) flipSign(wideKind);
            load(c.b(), t);
            if (unsigned) flipSign(wideKind);
            Label yes = cb.newLabel();
            Label done = cb.newLabel();
            if (wideKind) {
                cb.lcmp();
                switch (op) {
                    case 0 -> cb.ifeq(yes);
                    case 1 -> cb.ifne(yes);
                    case 2, 6 -> cb.iflt(yes);
                    case 3, 7 -> cb.ifle(yes);
                    case 4, 8 -> cb.ifgt(yes);
                    default -> cb.ifge(yes);
                }
            } else {
                switch (op) {
                    case 0 -> cb.if_icmpeq(yes);
                    case 1 -> cb.if_icmpne(yes);
                    case 2, 6 -> cb.if_icmplt(yes);
                    case 3, 7 -> cb.if_icmple(yes);
                    case 4, 8 -> cb.if_icmpgt(yes);
                    default -> cb.if_icmpge(yes);
                }
            }
            cb.iconst_0().goto_(done);
            cb.labelBinding(yes);
            cb.iconst_1();
            cb.labelBinding(done);
        }

        private void flipSign(boolean wideKind) {
            if (wideKind) cb.loadConstant(Long.MIN_VALUE).lxor();
            else cb.loadConstant(Integer.MIN_VALUE).ixor();
        }

        // ---- carry arithmetic ----

        private void carry(Inst.CarryArith c) {
            ScalarType t = c.type();
            List<Value> s = c.srcs();
            boolean is64 = t.bits() == 64;
            if (!is64 && t.bits() != 32) throw CompileError.unsupported("carry arithmetic on " + t.ptxName());
            if (is64) {
                int x = tmpLong();
                int y = tmpLong();
                int cin = tmpInt();
                // x: first operand (a, or a*b for mad), y: the addend
                if (c.op() == Opcode.MAD || c.op() == Opcode.MAD_HI) {
                    load(s.get(0), t);
                    load(s.get(1), t);
                    if (c.op() == Opcode.MAD) cb.lmul();
                    else if (signed(t)) inv(Math.class, "multiplyHigh", long.class, long.class);
                    else inv(Math.class, "unsignedMultiplyHigh", long.class, long.class);
                    cb.lstore(x);
                    load(s.get(2), t);
                    cb.lstore(y);
                } else {
                    load(s.get(0), t);
                    cb.lstore(x);
                    load(s.get(1), t);
                    cb.lstore(y);
                }
                if (c.carryIn() != null) load(c.carryIn(), ScalarType.PRED);
                else cb.iconst_0();
                cb.istore(cin);
                boolean sub = c.op() == Opcode.SUB;
                cb.lload(x).lload(y);
                if (sub) cb.lsub();
                else cb.ladd();
                cb.iload(cin).i2l();
                if (sub) cb.lsub();
                else cb.ladd();
                storeReg(c.dst(), t);
                if (c.carryOut() != null) {
                    cb.lload(x).lload(y).iload(cin);
                    inv(Rt.class, sub ? "borrow64" : "carry64", long.class, long.class, int.class);
                    storeReg(c.carryOut(), ScalarType.PRED);
                }
                release(x);
                release(y);
                releaseInt(cin);
                return;
            }
            int r = tmpLong();
            if (c.op() == Opcode.MAD || c.op() == Opcode.MAD_HI) {
                load(s.get(0), t);
                load(s.get(1), t);
                if (c.op() == Opcode.MAD) cb.imul();
                else if (signed(t)) inv(Rt.class, "mulHiS32", int.class, int.class);
                else inv(Rt.class, "mulHiU32", int.class, int.class);
                load(s.get(2), t);
            } else {
                load(s.get(0), t);
                load(s.get(1), t);
            }
            if (c.carryIn() != null) load(c.carryIn(), ScalarType.PRED);
            else cb.iconst_0();
            inv(Rt.class, c.op() == Opcode.SUB ? "subc32" : "addc32", int.class, int.class, int.class);
            cb.lstore(r);
            cb.lload(r).l2i();
            storeReg(c.dst(), t);
            if (c.carryOut() != null) {
                cb.lload(r).bipush(32).lushr().l2i().iconst_1().iand();
                storeReg(c.carryOut(), ScalarType.PRED);
            }
            release(r);
        }

        // ---- compute ----

        private void compute(Inst.Compute c, org.transcuda.ir.Stmt s) {
            ScalarType t = c.type();
            ScalarType result;
            if (t.kind() == ScalarType.Kind.FLOAT) {
                result = floatCompute(c);
            } else {
                result = intCompute(c);
            }
            storeReg(c.dst(), result);
        }

        private void srcs(Inst.Compute c, ScalarType t, int n) {
            for (int i = 0; i < n; i++) load(c.srcs().get(i), t);
        }

        /** Loads a shift amount or bit position (unsigned, at least 32 bits wide) as a long. */
        private void loadAmount(Value v) {
            ScalarType vt = v.type();
            if (vt.bits() == 64) {
                load(v, ScalarType.U64);
            } else {
                load(v, ScalarType.U32);
                cb.i2l().ldc(0xffff_ffffL).land();
            }
        }

        private ScalarType intCompute(Inst.Compute c) {
            ScalarType t = c.type();
            boolean l = kind(t) == TypeKind.LONG;
            boolean sg = signed(t);
            int w = t.bits();
            FloatMode m = c.mode();
            switch (c.op()) {
                case ADD, SUB -> {
                    srcs(c, t, 2);
                    if (m.sat() && t == ScalarType.S32) {
                        inv(Rt.class, c.op() == Opcode.ADD ? "addSatS32" : "subSatS32", int.class, int.class);
                    } else if (l) {
                        if (c.op() == Opcode.ADD) cb.ladd();
                        else cb.lsub();
                    } else {
                        if (c.op() == Opcode.ADD) cb.iadd();
                        else cb.isub();
                        if (t == ScalarType.PRED) cb.iconst_1().iand();
                        normalize(t);
                    }
                    return t;
                }
                case MUL -> {
                    srcs(c, t, 2);
                    if (l) cb.lmul();
                    else {
                        cb.imul();
                        normalize(t);
                    }
                    return t;
                }
                case MUL_HI -> {
                    srcs(c, t, 2);
                    mulHi(t);
                    return t;
                }
                case MUL_WIDE -> {
                    ScalarType wt = wide(t);
                    mulWide(c.srcs().get(0), c.srcs().get(1), t);
                    return wt;
                }
                case MAD -> {
                    srcs(c, t, 2);
                    if (l) {
                        cb.lmul();
                        load(c.srcs().get(2), t);
                        cb.ladd();
                    } else {
                        cb.imul();
                        load(c.srcs().get(2), t);
                        cb.iadd();
                        normalize(t);
                    }
                    return t;
                }
                case MAD_HI -> {
                    srcs(c, t, 2);
                    mulHi(t);
                    if (m.sat() && t == ScalarType.S32) {
                        cb.i2l();
                        load(c.srcs().get(2), t);
                        cb.i2l().ladd();
                        inv(Rt.class, "satS32", long.class);
                    } else {
                        load(c.srcs().get(2), t);
                        if (l) cb.ladd();
                        else {
                            cb.iadd();
                            normalize(t);
                        }
                    }
                    return t;
                }
                case MAD_WIDE -> {
                    ScalarType wt = wide(t);
                    mulWide(c.srcs().get(0), c.srcs().get(1), t);
                    load(c.srcs().get(2), wt);
                    if (kind(wt) == TypeKind.LONG) cb.ladd();
                    else {
                        cb.iadd();
                        normalize(wt);
                    }
                    return wt;
                }
                case DIV, REM -> {
                    srcs(c, t, 2);
                    String name = (c.op() == Opcode.DIV ? "div" : "rem") + (sg ? "S" : "U") + (l ? "64" : "32");
                    if (l) inv(Rt.class, name, long.class, long.class);
                    else {
                        inv(Rt.class, name, int.class, int.class);
                        normalize(t);
                    }
                    return t;
                }
                case MIN, MAX -> {
                    srcs(c, t, 2);
                    String name = c.op() == Opcode.MIN ? "min" : "max";
                    if (l) {
                        if (sg) inv(Math.class, name, long.class, long.class);
                        else inv(Rt.class, name + "U64", long.class, long.class);
                    } else if (sg || w < 32) {
                        inv(Math.class, name, int.class, int.class);
                    } else {
                        inv(Rt.class, name + "U32", int.class, int.class);
                    }
                    return t;
                }
                case ABS -> {
                    srcs(c, t, 1);
                    if (l) inv(Math.class, "abs", long.class);
                    else {
                        inv(Math.class, "abs", int.class);
                        normalize(t);
                    }
                    return t;
                }
                case NEG -> {
                    srcs(c, t, 1);
                    if (l) cb.lneg();
                    else {
                        cb.ineg();
                        normalize(t);
                    }
                    return t;
                }
                case AND, OR, XOR -> {
                    srcs(c, t, 2);
                    switch (c.op()) {
                        case AND -> {
                            if (l) cb.land();
                            else cb.iand();
                        }
                        case OR -> {
                            if (l) cb.lor();
                            else cb.ior();
                        }
                        default -> {
                            if (l) cb.lxor();
                            else cb.ixor();
                        }
                    }
                    return t;
                }
                case NOT -> {
                    srcs(c, t, 1);
                    if (t == ScalarType.PRED) cb.iconst_1().ixor();
                    else if (l) cb.ldc(-1L).lxor();
                    else {
                        cb.iconst_m1().ixor();
                        normalize(t);
                    }
                    return t;
                }
                case CNOT -> {
                    srcs(c, t, 1);
                    if (l) {
                        cb.lconst_0().lcmp();
                    }
                    Label z = cb.newLabel();
                    Label end = cb.newLabel();
                    cb.ifeq(z);
                    if (l) cb.lconst_0();
                    else cb.iconst_0();
                    cb.goto_(end);
                    cb.labelBinding(z);
                    if (l) cb.lconst_1();
                    else cb.iconst_1();
                    cb.labelBinding(end);
                    return t;
                }
                case SHL, SHR -> {
                    load(c.srcs().get(0), t);
                    loadAmount(c.srcs().get(1));
                    if (l) {
                        String name = c.op() == Opcode.SHL ? "shl64" : sg ? "shrS64" : "shrU64";
                        inv(Rt.class, name, long.class, long.class);
                    } else {
                        cb.loadConstant(w);
                        String name = c.op() == Opcode.SHL ? "shl" : sg ? "shrS" : "shrU";
                        inv(Rt.class, name, int.class, long.class, int.class);
                        normalize(t);
                    }
                    return t;
                }
                case SHF_L_CLAMP, SHF_L_WRAP, SHF_R_CLAMP, SHF_R_WRAP -> {
                    srcs(c, ScalarType.B32, 2);
                    load(c.srcs().get(2), ScalarType.U32);
                    Opcode op = c.op();
                    cb.loadConstant(op == Opcode.SHF_L_CLAMP || op == Opcode.SHF_L_WRAP ? 1 : 0);
                    cb.loadConstant(op == Opcode.SHF_L_CLAMP || op == Opcode.SHF_R_CLAMP ? 1 : 0);
                    inv(Rt.class, "shf", int.class, int.class, int.class, boolean.class, boolean.class);
                    return ScalarType.B32;
                }
                case POPC, CLZ -> {
                    srcs(c, t, 1);
                    String name = c.op() == Opcode.POPC ? "bitCount" : "numberOfLeadingZeros";
                    if (l) inv(Long.class, name, long.class);
                    else if (w == 32) inv(Integer.class, name, int.class);
                    else {
                        // 8/16-bit forms: count within the width
                        inv(Integer.class, name, int.class);
                        if (c.op() == Opcode.CLZ) cb.loadConstant(32 - w).isub();
                    }
                    return ScalarType.U32;
                }
                case BREV -> {
                    srcs(c, t, 1);
                    if (l) inv(Long.class, "reverse", long.class);
                    else inv(Integer.class, "reverse", int.class);
                    return t;
                }
                case BFIND, BFIND_SHIFTAMT -> {
                    srcs(c, t, 1);
                    cb.loadConstant(sg ? 1 : 0).loadConstant(c.op() == Opcode.BFIND_SHIFTAMT ? 1 : 0);
                    if (l) inv(Rt.class, "bfind64", long.class, boolean.class, boolean.class);
                    else inv(Rt.class, "bfind32", int.class, boolean.class, boolean.class);
                    return ScalarType.U32;
                }
                case BFE -> {
                    load(c.srcs().get(0), t);
                    if (!l) {
                        cb.i2l();
                        if (!sg) cb.ldc(0xffff_ffffL).land();
                    }
                    load(c.srcs().get(1), ScalarType.U32);
                    load(c.srcs().get(2), ScalarType.U32);
                    cb.loadConstant(w).loadConstant(sg ? 1 : 0);
                    inv(Rt.class, "bfe", long.class, int.class, int.class, int.class, boolean.class);
                    if (!l) cb.l2i();
                    return t;
                }
                case BFI -> {
                    load(c.srcs().get(0), t);
                    if (!l) cb.i2l();
                    load(c.srcs().get(1), t);
                    if (!l) cb.i2l();
                    load(c.srcs().get(2), ScalarType.U32);
                    load(c.srcs().get(3), ScalarType.U32);
                    cb.loadConstant(w);
                    inv(Rt.class, "bfi", long.class, long.class, int.class, int.class, int.class);
                    if (!l) cb.l2i();
                    return t;
                }
                case PRMT, PRMT_F4E, PRMT_B4E, PRMT_RC8, PRMT_ECL, PRMT_ECR, PRMT_RC16 -> {
                    srcs(c, ScalarType.B32, 3);
                    cb.loadConstant(c.op().ordinal() - Opcode.PRMT.ordinal());
                    inv(Rt.class, "prmt", int.class, int.class, int.class, int.class);
                    return ScalarType.B32;
                }
                case SELP -> {
                    srcs(c, t, 2);
                    load(c.srcs().get(2), ScalarType.PRED);
                    select(kind(t));
                    return t;
                }
                case DP4A -> {
                    srcs(c, t, 3);
                    cb.loadConstant(sg ? 1 : 0).loadConstant(sg ? 1 : 0);
                    inv(Rt.class, "dp4a", int.class, int.class, int.class, boolean.class, boolean.class);
                    return t;
                }
                case SAD -> {
                    srcs(c, t, 3);
                    cb.loadConstant(sg ? 1 : 0);
                    if (l) inv(Rt.class, "sad64", long.class, long.class, long.class, boolean.class);
                    else {
                        inv(Rt.class, "sad", int.class, int.class, int.class, boolean.class);
                        normalize(t);
                    }
                    return t;
                }
                default -> throw CompileError.unsupported(c.op() + " on " + t.ptxName());
            }
        }

        /**
         * {@code p ? a : b} with {@code a b p} on the stack: integer kinds branch-free ({@link BranchFree}), floats
         * (and integers with {@code -Dtranscuda.cpu.branchFree=false}) through {@code Fp2.sel*}.
         */
        private void select(TypeKind k) {
            if (BranchFree.ON && k == TypeKind.INT) {
                int m = tmpInt();
                BranchFree.selectInt(cb, m);
                releaseInt(m);
                return;
            }
            if (BranchFree.ON && k == TypeKind.LONG) {
                int m = tmpLong();
                BranchFree.selectLong(cb, m);
                release(m);
                return;
            }
            switch (k) {
                case LONG -> inv(Fp2.class, "selJ", long.class, long.class, int.class);
                case FLOAT -> inv(Fp2.class, "selF", float.class, float.class, int.class);
                case DOUBLE -> inv(Fp2.class, "selD", double.class, double.class, int.class);
                default -> inv(Fp2.class, "selI", int.class, int.class, int.class);
            }
        }

        private void mulHi(ScalarType t) {
            boolean sg = signed(t);
            switch (t.bits()) {
                case 64 -> inv(Math.class, sg ? "multiplyHigh" : "unsignedMultiplyHigh", long.class, long.class);
                case 32 -> inv(Rt.class, sg ? "mulHiS32" : "mulHiU32", int.class, int.class);
                case 16 -> {
                    inv(Rt.class, sg ? "mulHiS16" : "mulHiU16", int.class, int.class);
                    normalize(t);
                }
                default -> throw CompileError.unsupported("mul.hi on " + t.ptxName());
            }
        }

        private void mulWide(Value a, Value b, ScalarType t) {
            boolean sg = signed(t);
            if (t.bits() == 32) {
                load(a, t);
                cb.i2l();
                if (!sg) cb.ldc(0xffff_ffffL).land();
                load(b, t);
                cb.i2l();
                if (!sg) cb.ldc(0xffff_ffffL).land();
                cb.lmul();
            } else if (t.bits() == 16 || t.bits() == 8) {
                load(a, t);
                load(b, t);
                cb.imul();
                normalize(wide(t));
            } else {
                throw CompileError.unsupported("mul.wide on " + t.ptxName());
            }
        }

        private ScalarType floatCompute(Inst.Compute c) {
            ScalarType t = c.type();
            FloatMode m = c.mode();
            if (isHalf(t)) return halfCompute(c);
            boolean f32 = t == ScalarType.F32;
            Class<?> jt = f32 ? float.class : double.class;
            int rm = roundingMode(m, false);
            boolean ftz = m.ftz();
            boolean fast = rm == Fp.RN && !(f32 && ftz);
            Opcode op = c.op();
            switch (op) {
                case ADD, SUB, MUL, DIV -> {
                    srcs(c, t, 2);
                    if (fast && !f32 && CANONICAL_NANS) {
                        // f64 NaN operands propagate as on the H100 (first NaN operand, quieted): Fp.addD etc.
                        String name = op.name().toLowerCase(java.util.Locale.ROOT) + "D";
                        inv(Fp.class, name, double.class, double.class);
                    } else if (fast) {
                        switch (op) {
                            case ADD -> {
                                if (f32) cb.fadd();
                                else cb.dadd();
                            }
                            case SUB -> {
                                if (f32) cb.fsub();
                                else cb.dsub();
                            }
                            case MUL -> {
                                if (f32) cb.fmul();
                                else cb.dmul();
                            }
                            default -> {
                                if (f32) cb.fdiv();
                                else cb.ddiv();
                            }
                        }
                        if (f32 && CANONICAL_NANS && !deferNaN) inv(Fp.class, "cf", float.class);
                    } else {
                        String name = op.name().toLowerCase(java.util.Locale.ROOT);
                        cb.loadConstant(rm);
                        if (f32) {
                            cb.loadConstant(ftz ? 1 : 0);
                            inv(Fp.class, name, float.class, float.class, int.class, boolean.class);
                        } else {
                            inv(Fp.class, name, double.class, double.class, int.class);
                        }
                    }
                }
                case FMA, MAD -> {
                    srcs(c, t, 3);
                    if (fast && !f32 && CANONICAL_NANS) {
                        inv(Fp.class, "fmaD", double.class, double.class, double.class);
                    } else if (fast) {
                        inv(Math.class, "fma", jt, jt, jt);
                        if (f32 && CANONICAL_NANS && !deferNaN) inv(Fp.class, "cf", float.class);
                    } else {
                        cb.loadConstant(rm);
                        if (f32) {
                            cb.loadConstant(ftz ? 1 : 0);
                            inv(Fp.class, "fma", float.class, float.class, float.class, int.class, boolean.class);
                        } else {
                            inv(Fp.class, "fma", double.class, double.class, double.class, int.class);
                        }
                    }
                }
                case MIN, MAX -> {
                    srcs(c, t, 2);
                    String name = op == Opcode.MIN ? "min" : "max";
                    if (f32) {
                        cb.loadConstant(ftz ? 1 : 0);
                        inv(Fp.class, name, float.class, float.class, boolean.class);
                    } else {
                        inv(Fp.class, name, double.class, double.class);
                    }
                }
                case ABS, NEG -> {
                    srcs(c, t, 1);
                    String name = op == Opcode.ABS ? "abs" : "neg";
                    if (f32) {
                        cb.loadConstant(ftz ? 1 : 0);
                        inv(Fp2.class, name, float.class, boolean.class);
                    } else {
                        inv(Fp2.class, name, double.class);
                    }
                }
                case COPYSIGN -> {
                    srcs(c, t, 2);
                    inv(Fp2.class, "copysign", jt, jt);
                }
                case SQRT, RCP -> {
                    srcs(c, t, 1);
                    String name = op == Opcode.SQRT ? "sqrt" : "rcp";
                    cb.loadConstant(rm);
                    if (f32) {
                        cb.loadConstant(ftz ? 1 : 0);
                        inv(Fp.class, name, float.class, int.class, boolean.class);
                    } else {
                        inv(Fp.class, name, double.class, int.class);
                    }
                }
                case RSQRT, SIN, COS, EX2, LG2, TANH -> {
                    srcs(c, t, 1);
                    String name = op.name().toLowerCase(java.util.Locale.ROOT);
                    if (f32) {
                        cb.loadConstant(ftz ? 1 : 0);
                        inv(Fp2.class, name, float.class, boolean.class);
                    } else {
                        inv(Fp2.class, name, double.class);
                    }
                }
                case TESTP_FINITE, TESTP_INFINITE, TESTP_NUMBER, TESTP_NAN, TESTP_NORMAL, TESTP_SUBNORMAL -> {
                    cb.loadConstant(op.ordinal() - Opcode.TESTP_FINITE.ordinal());
                    load(c.srcs().get(0), t);
                    if (f32) cb.f2d();
                    cb.loadConstant(f32 ? 1 : 0);
                    inv(Fp.class, "testp", int.class, double.class, boolean.class);
                    return ScalarType.PRED;
                }
                case SELP -> {
                    srcs(c, t, 2);
                    load(c.srcs().get(2), ScalarType.PRED);
                    select(kind(t));
                    return t;
                }
                default -> throw CompileError.unsupported(op + " on " + t.ptxName());
            }
            if (m.sat()) inv(Fp.class, "sat", jt);
            return t;
        }

        private ScalarType halfCompute(Inst.Compute c) {
            ScalarType t = c.type();
            FloatMode m = c.mode();
            int fmt = floatFormat(t);
            boolean pairs = t == ScalarType.F16X2 || t == ScalarType.BF16X2;
            int code = switch (c.op()) {
                case ADD -> 0;
                case SUB -> 1;
                case MUL -> 2;
                case FMA, MAD -> 3;
                case MIN -> 4;
                case MAX -> 5;
                case NEG -> 6;
                case ABS -> 7;
                case EX2, TANH, SQRT, RSQRT, RCP, SIN, COS, LG2 -> -1;
                case SELP -> -2;
                default -> throw CompileError.unsupported(c.op() + " on " + t.ptxName());
            };
            if (code == -2) {
                srcs(c, t, 2);
                load(c.srcs().get(2), ScalarType.PRED);
                select(TypeKind.INT);
                return t;
            }
            if (code == -1) {
                cb.loadConstant(c.op().ordinal());
                load(c.srcs().get(0), t);
                cb.loadConstant(fmt).loadConstant(m.ftz() ? 1 : 0).loadConstant(pairs ? 1 : 0);
                inv(Fp2.class, "halfUnary", int.class, int.class, int.class, boolean.class, boolean.class);
                return t;
            }
            cb.loadConstant(code);
            int n = c.op().arity();
            for (int i = 0; i < 3; i++) {
                if (i < n) load(c.srcs().get(i), t);
                else cb.iconst_0();
            }
            cb.loadConstant(fmt).loadConstant(roundingMode(m, false)).loadConstant(m.ftz() ? 1 : 0)
                    .loadConstant(m.sat() ? 1 : 0).loadConstant(pairs ? 1 : 0);
            inv(Fp.class, "halfOps", int.class, int.class, int.class, int.class, int.class, int.class, boolean.class,
                    boolean.class, boolean.class);
            return t;
        }

        // ---- conversions ----

        private void toLongExtended(ScalarType from) {
            TypeKind k = kind(from);
            if (k == TypeKind.INT) {
                cb.i2l();
                if (!signed(from) && from.bits() == 32) cb.ldc(0xffff_ffffL).land();
            }
        }

        private void fromLong(ScalarType to) {
            if (kind(to) == TypeKind.INT) {
                cb.l2i();
                normalize(to);
            }
        }

        private void convert(Inst.Convert c) {
            ScalarType to = c.to();
            ScalarType from = c.from();
            FloatMode m = c.mode();
            boolean fromF = from.kind() == ScalarType.Kind.FLOAT;
            boolean toF = to.kind() == ScalarType.Kind.FLOAT;
            if ((fromF && (from == ScalarType.F16X2 || from == ScalarType.BF16X2))
                    || (toF && (to == ScalarType.F16X2 || to == ScalarType.BF16X2))) {
                throw CompileError.unsupported("cvt with packed x2 types");
            }
            if (to == ScalarType.PRED || from == ScalarType.PRED) throw CompileError.unsupported("cvt of predicates");
            if (!fromF && !toF) {
                load(c.src(), from);
                toLongExtended(from);
                if (m.sat()) {
                    cb.loadConstant(signed(from) ? 1 : 0).loadConstant(from.bits()).loadConstant(to.bits())
                            .loadConstant(signed(to) ? 1 : 0);
                    inv(Fp2.class, "satInt", long.class, boolean.class, int.class, int.class, boolean.class);
                }
                fromLong(to);
            } else if (!fromF) {
                int rm = roundingMode(m, false);
                load(c.src(), from);
                boolean sg = signed(from);
                if (rm == Fp.RN && (to == ScalarType.F32 || to == ScalarType.F64)
                        && (sg || from.bits() < 64)) {
                    toLongExtended(from);
                    if (to == ScalarType.F32) cb.l2f();
                    else cb.l2d();
                } else {
                    toLongExtended(from);
                    cb.loadConstant(sg ? 1 : 0).loadConstant(floatFormat(to)).loadConstant(rm);
                    inv(Fp.class, "fromInt", long.class, boolean.class, int.class, int.class);
                    fromFloatBits(to);
                }
                if (m.sat()) saturateFloat(to);
            } else if (!toF) {
                int rm = roundingMode(m, true);
                load(c.src(), from);
                toDoubleValue(from, m.ftz());
                cb.loadConstant(rm).loadConstant(to.bits()).loadConstant(signed(to) ? 1 : 0)
                        .loadConstant(Fp.toIntNaN(floatFormat(from), to.bits()));
                inv(Fp.class, "toInt", double.class, int.class, int.class, boolean.class, long.class);
                fromLong(to);
            } else if (from == to) {
                boolean integral = switch (m.rounding()) {
                    case RNI, RZI, RMI, RPI -> true;
                    default -> false;
                };
                load(c.src(), from);
                if (integral) {
                    toFloatBits(from);
                    cb.loadConstant(floatFormat(from)).loadConstant(roundingMode(m, true))
                            .loadConstant(m.ftz() ? 1 : 0).loadConstant(m.sat() ? 1 : 0);
                    inv(Fp.class, "roundIntegral", long.class, int.class, int.class, boolean.class, boolean.class);
                    fromFloatBits(to);
                } else {
                    if (m.ftz() && to == ScalarType.F32) inv(Fp.class, "ftz", float.class);
                    if (m.sat()) saturateFloat(to);
                }
            } else {
                int rm = roundingMode(m, false);
                load(c.src(), from);
                if (from == ScalarType.F32 && to == ScalarType.F64 && !m.ftz() && !m.sat()) {
                    cb.f2d();
                } else if (from == ScalarType.F64 && to == ScalarType.F32 && rm == Fp.RN && !m.ftz() && !m.sat()) {
                    inv(Fp.class, "d2f", double.class);
                } else {
                    toFloatBits(from);
                    cb.loadConstant(floatFormat(from)).loadConstant(floatFormat(to)).loadConstant(rm)
                            .loadConstant(m.ftz() ? 1 : 0).loadConstant(m.sat() ? 1 : 0);
                    inv(Fp.class, "cvtFloat", long.class, int.class, int.class, int.class, boolean.class,
                            boolean.class);
                    fromFloatBits(to);
                }
            }
            storeReg(c.dst(), to);
        }

        private void saturateFloat(ScalarType t) {
            switch (t) {
                case F32 -> inv(Fp.class, "sat", float.class);
                case F64 -> inv(Fp.class, "sat", double.class);
                default -> {
                    cb.loadConstant(floatFormat(t));
                    inv(Fp2.class, "satHalf", int.class, int.class);
                }
            }
        }

        private void toFloatBits(ScalarType t) {
            switch (t) {
                case F32 -> {
                    inv(Float.class, "floatToRawIntBits", float.class);
                    cb.i2l().ldc(0xffff_ffffL).land();
                }
                case F64 -> inv(Double.class, "doubleToRawLongBits", double.class);
                default -> cb.i2l();
            }
        }

        private void fromFloatBits(ScalarType t) {
            switch (t) {
                case F32 -> {
                    cb.l2i();
                    inv(Float.class, "intBitsToFloat", int.class);
                }
                case F64 -> inv(Double.class, "longBitsToDouble", long.class);
                default -> cb.l2i();
            }
        }

        private void toDoubleValue(ScalarType t, boolean ftz) {
            switch (t) {
                case F32 -> {
                    if (ftz) inv(Fp.class, "ftz", float.class);
                    cb.f2d();
                }
                case F64 -> {
                }
                default -> {
                    cb.loadConstant(floatFormat(t));
                    inv(Fp.class, "half2d", int.class, int.class);
                }
            }
        }

        // ---- calls ----

        private void call(Inst.Call c) {
            if (c.callee() != null) {
                Function g = byName.get(c.callee());
                if (g == null || !g.isDefined()) {
                    builtin(c);
                    return;
                }
                directCall(g, c);
                return;
            }
            List<Function> candidates = new ArrayList<>();
            for (Function g : devices) {
                if (g.paramRegs().size() == c.args().size() && g.returnRegs().size() >= c.results().size()) {
                    candidates.add(g);
                }
            }
            int target = tmpLong();
            load(c.target(), ScalarType.U64);
            cb.lstore(target);
            Label bad = cb.newLabel();
            Label join = cb.newLabel();
            cb.lload(target).loadConstant(Windows.FUNC).lsub().lstore(target);
            cb.lload(target).lconst_0().lcmp().iflt(bad);
            cb.lload(target).loadConstant((long) module.functions().size()).lcmp().ifge(bad);
            List<SwitchCase> cases = new ArrayList<>();
            List<Label> ls = new ArrayList<>();
            for (Function g : candidates) {
                Label l = cb.newLabel();
                ls.add(l);
                cases.add(SwitchCase.of(moduleIndex.get(g.name()), l));
            }
            cb.lload(target).l2i().lookupswitch(bad, cases);
            for (int i = 0; i < candidates.size(); i++) {
                cb.labelBinding(ls.get(i));
                directCall(candidates.get(i), c);
                cb.goto_(join);
            }
            cb.labelBinding(bad);
            cb.aload(eSlot).lload(target).loadConstant(Windows.FUNC).ladd();
            inv(Rt.class, "badCall", Exec.class, long.class);
            cb.athrow();
            cb.labelBinding(join);
            release(target);
        }

        private void directCall(Function g, Inst.Call c) {
            if (g.paramRegs().size() != c.args().size()) {
                throw CompileError.invalid("call of " + g.name() + " with " + c.args().size() + " arguments; it takes "
                        + g.paramRegs().size());
            }
            cb.aload(eSlot);
            for (int i = 0; i < c.args().size(); i++) load(c.args().get(i), g.paramRegs().get(i).type());
            cb.invokestatic(thisClass, methodName(g), descriptor(g));
            List<Reg> rets = g.returnRegs();
            if (rets.size() == 1) {
                if (c.results().isEmpty()) {
                    if (kind(rets.get(0).type()).slotSize() == 2) cb.pop2();
                    else cb.pop();
                } else {
                    storeReg(c.results().get(0), rets.get(0).type());
                }
                return;
            }
            for (int i = 0; i < c.results().size() && i < rets.size(); i++) {
                TypeKind k = kind(rets.get(i).type());
                cb.aload(eSlot).getfield(CD_EXEC, "ret", CD_long.arrayType()).loadConstant(i).laload();
                fromLongBits(k);
                storeReg(c.results().get(i), rets.get(i).type());
            }
        }

        private void builtin(Inst.Call c) {
            List<Value> a = c.args();
            switch (c.callee()) {
                case "vprintf" -> {
                    cb.aload(eSlot);
                    load(a.get(0), ScalarType.U64);
                    if (a.size() > 1) load(a.get(1), ScalarType.U64);
                    else cb.lconst_0();
                    inv(Builtins.class, "vprintf", Exec.class, long.class, long.class);
                    if (c.results().isEmpty()) cb.pop();
                    else storeReg(c.results().get(0), ScalarType.S32);
                }
                case "__assertfail" -> {
                    cb.aload(eSlot);
                    load(a.get(0), ScalarType.U64);
                    load(a.get(1), ScalarType.U64);
                    load(a.get(2), ScalarType.U32);
                    load(a.get(3), ScalarType.U64);
                    if (a.size() > 4) load(a.get(4), ScalarType.U64);
                    else cb.lconst_1();
                    inv(Builtins.class, "assertfail", Exec.class, long.class, long.class, int.class, long.class,
                            long.class);
                    cb.athrow();
                }
                case "malloc" -> {
                    cb.aload(eSlot);
                    load(a.get(0), ScalarType.U64);
                    inv(Builtins.class, "malloc", Exec.class, long.class);
                    if (c.results().isEmpty()) cb.pop2();
                    else storeReg(c.results().get(0), ScalarType.U64);
                }
                case "free" -> {
                    cb.aload(eSlot);
                    load(a.get(0), ScalarType.U64);
                    inv(Builtins.class, "free", Exec.class, long.class);
                }
                default -> throw CompileError.invalid("call of undefined function " + c.callee());
            }
        }

        // ---- suspension points ----

        private void storeOperand(String array, Value v, ScalarType t) {
            cb.aload(eSlot).getfield(CD_EXEC, array, CD_long.arrayType()).iload(tSlot);
            if (v == null) {
                cb.ldc(-1L);
            } else {
                load(v, t);
                toLongExtended(t);
            }
            cb.lastore();
        }

        private void storeMask(Value v) {
            cb.aload(eSlot).getfield(CD_EXEC, "opMask", CD_int.arrayType()).iload(tSlot);
            load(v, ScalarType.B32);
            cb.iastore();
        }

        private void storePred(String array, Value p, boolean negate) {
            cb.aload(eSlot).getfield(CD_EXEC, array, CD_long.arrayType()).iload(tSlot);
            load(p, ScalarType.PRED);
            if (negate) cb.iconst_1().ixor();
            cb.i2l().lastore();
        }

        private void suspend(Block b, int index, org.transcuda.ir.Stmt s) {
            int k = pointOf.getOrDefault(s, -1);
            Inst i = s.inst();
            storeOperands(i);
            if (i instanceof Inst.Barrier bar && bar.kind() == Inst.BarrierKind.ARRIVE) {
                cb.aload(eSlot).iload(tSlot).loadConstant(k);
                inv(BlockScheduler.class, "arrived", Exec.class, int.class, int.class);
                return;
            }
            cb.aload(rpArray).iload(tSlot).loadConstant(k).iastore();
            cb.iinc(waitingSlot, 1);
            if (!(i instanceof Inst.Barrier)) {
                // the warp's last lane: when the whole warp waits here, complete the collective now and run the
                // warp on from its first lane in this round (no scheduler round per collective)
                cb.aload(eSlot).iload(tSlot).loadConstant(k);
                inv(BlockScheduler.class, "warpArrived", Exec.class, int.class, int.class);
                cb.ifeq(threadDone);
                cb.iload(tSlot).loadConstant(-32).iand().iconst_1().isub().istore(tSlot);
            }
            cb.goto_(threadDone);
            Label after = cb.newBoundLabel();
            resumeStubs.add(() -> {
                cb.labelBinding(resumeLabels.get(k));
                cur = new BitSet();
                results(i);
                cb.goto_(after);
            });
        }

        /** Stores the operands of suspension point {@code i} of thread/lane {@code tSlot} into {@code e.op*}. */
        private void storeOperands(Inst i) {
            switch (i) {
                case Inst.Barrier bar -> {
                    if (!(bar.id() instanceof Const)) storeOperand("opA", bar.id(), ScalarType.U32);
                    if (bar.threads() != null && !(bar.threads() instanceof Const)) {
                        storeOperand("opB", bar.threads(), ScalarType.U32);
                    }
                    if (bar.pred() != null) storePred("opC", bar.pred(), bar.negatePred());
                }
                case Inst.Shuffle sh -> {
                    storeOperand("opA", sh.a(), ScalarType.U32);
                    if (constantOf(sh.b()) == null || constantOf(sh.c()) == null) {
                        // constant b and c: the source lanes are in the suspension point (shuffleSource)
                        storeOperand("opB", sh.b(), ScalarType.U32);
                        storeOperand("opC", sh.c(), ScalarType.U32);
                    }
                    storeMask(sh.memberMask());
                }
                case Inst.Vote v -> {
                    storePred("opA", v.pred(), v.negate());
                    storeMask(v.memberMask());
                }
                case Inst.Match mt -> {
                    ScalarType t = mt.type().bits() == 64 ? ScalarType.U64 : ScalarType.U32;
                    storeOperand("opA", mt.value(), t);
                    storeMask(mt.memberMask());
                }
                case Inst.Redux r -> {
                    storeOperand("opA", r.value(), signed(r.type()) ? ScalarType.S32 : ScalarType.U32);
                    storeMask(r.memberMask());
                }
                case Inst.WarpSync ws -> storeMask(ws.memberMask());
                default -> {
                }
            }
        }

        private void resultA(Reg dst, ScalarType t) {
            if (dst == null) return;
            cb.aload(eSlot).getfield(CD_EXEC, "resA", CD_long.arrayType()).iload(tSlot).laload();
            if (kind(t) == TypeKind.LONG) {
                storeReg(dst, t);
            } else {
                cb.l2i();
                storeReg(dst, t);
            }
        }

        private void resultB(Reg dst) {
            if (dst == null) return;
            cb.aload(eSlot).getfield(CD_EXEC, "resB", CD_int.arrayType()).iload(tSlot).iaload();
            storeReg(dst, ScalarType.PRED);
        }

        private void results(Inst i) {
            switch (i) {
                case Inst.Barrier bar -> {
                    if (bar.dst() != null) {
                        resultA(bar.dst(), bar.kind() == Inst.BarrierKind.RED_POPC ? ScalarType.U32 : ScalarType.PRED);
                    }
                }
                case Inst.Shuffle sh -> {
                    resultA(sh.dst(), ScalarType.B32);
                    resultB(sh.valid());
                }
                case Inst.Vote v -> resultA(v.dst(), v.mode() == Inst.VoteMode.BALLOT ? ScalarType.B32 : ScalarType.PRED);
                case Inst.Match mt -> {
                    resultA(mt.dst(), ScalarType.B32);
                    resultB(mt.allEqual());
                }
                case Inst.Redux r -> resultA(r.dst(), signed(r.type()) ? ScalarType.S32 : ScalarType.U32);
                case Inst.ActiveMask a -> resultA(a.dst(), ScalarType.B32);
                default -> {
                }
            }
        }
    }

    /**
     * {@code NAME(e, k)}: a switch over the uniform paths that {@code has} selects, each calling the static
     * {@code PREFIX + k}; any other k throws {@code IllegalStateException(message)}.
     */
    private void pathSwitch(java.lang.classfile.ClassBuilder clb, String name, String prefix,
            java.util.function.IntPredicate has, String message) {
        clb.withMethodBody(name, MethodTypeDesc.of(CD_void, CD_EXEC, CD_int), ACC_PUBLIC, cb -> {
            Label none = cb.newLabel();
            List<SwitchCase> cases = new ArrayList<>();
            List<Integer> ks = new ArrayList<>();
            for (int k = 0; k < uniformPaths.paths.size(); k++) {
                if (has.test(k)) {
                    cases.add(SwitchCase.of(k, cb.newLabel()));
                    ks.add(k);
                }
            }
            cb.iload(2).lookupswitch(none, cases);
            for (int i = 0; i < cases.size(); i++) {
                cb.labelBinding(cases.get(i).target());
                cb.aload(1).invokestatic(thisClass, prefix + ks.get(i), MethodTypeDesc.of(CD_void, CD_EXEC));
                cb.return_();
            }
            cb.labelBinding(none);
            java.lang.constant.ClassDesc ise = java.lang.constant.ClassDesc.of("java.lang.IllegalStateException");
            cb.new_(ise).dup().ldc(message).invokespecial(ise, INIT_NAME,
                    MethodTypeDesc.of(CD_void, java.lang.constant.ConstantDescs.CD_String)).athrow();
        });
    }
}
