package org.transcuda.backend.vulkan.codegen;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.transcuda.backend.vulkan.VulkanKernel;
import org.transcuda.backend.vulkan.spirv.KernelFrame;
import org.transcuda.backend.vulkan.spirv.Op;
import org.transcuda.backend.vulkan.spirv.SpirvFunction;
import org.transcuda.backend.vulkan.spirv.SpirvModule;
import org.transcuda.backend.vulkan.spirv.Spv;
import org.transcuda.ir.Address;
import org.transcuda.ir.AddressSpace;
import org.transcuda.ir.Block;
import org.transcuda.ir.Const;
import org.transcuda.ir.Function;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Module;
import org.transcuda.ir.Param;
import org.transcuda.ir.Reg;
import org.transcuda.ir.ScalarType;
import org.transcuda.ir.Stmt;
import org.transcuda.ir.StructuredFunction;
import org.transcuda.ir.SymbolAddr;
import org.transcuda.ir.Terminator;
import org.transcuda.ir.Value;
import org.transcuda.ir.Variable;

/**
 * Compiles one kernel of a structured, predicated IR module (and the device functions it calls) into a
 * Vulkan compute SPIR-V module that follows {@link org.transcuda.backend.vulkan.KernelAbi}.
 *
 * <h2>Mapping</h2>
 * <ul>
 * <li>Registers are {@code Function} variables of their type (LLVM-based drivers promote them to SSA);
 * predicates are {@code bool}; 8/16/32/64-bit integer types are unsigned SPIR-V integers of that width
 * (signed operations use the signed instructions); {@code .f16}/{@code .bf16} (and the x2 forms) are held as
 * their bits and computed through f32/f64 (see {@link Arith}).</li>
 * <li>Control flow: the front end's structurizer output, block for block: one SPIR-V block per IR block,
 * {@code OpSelectionMerge}/{@code OpLoopMerge} from its constructs. Code that needs control flow of its own
 * (generic-address dispatch, compare-and-swap loops, warp emulation loops) goes into helper functions, so IR
 * blocks are never split.</li>
 * <li>Global and constant memory: 64-bit addresses, {@code OpConvertUToPtr} to {@code PhysicalStorageBuffer}
 * pointers, loads and stores {@code Aligned} to the access size. Module {@code .global}/{@code .const}
 * variables are device allocations whose addresses are constants of the module (a module is compiled per
 * context).</li>
 * <li>Shared memory: one {@code Workgroup} array of 32-bit words: static variables, then the launch's dynamic
 * shared memory (specialization constant 3), then the backend's scratch words (see below), then the extra words of
 * the 64-bit shared atomics ({@link SharedAtomics64}) where a kernel has them. Shared addresses are
 * byte offsets in it; 8/16-bit stores are word-atomic AND/OR, 64-bit accesses two words.</li>
 * <li>Local memory: one {@code Private} array of words per invocation, each function's {@code .local}
 * variables at their own offset (no recursion in SPIR-V, so offsets never overlap live frames).</li>
 * <li>Recursion: {@link #prepare} runs the front end's {@code explicit-stack} pass, which turns every cycle of direct
 * calls into a loop over a per-thread stack of {@link #RECURSION_STACK_BYTES} bytes (a {@code .local} variable of the
 * merged function, so part of the {@code Private} array); a call that would overflow it claims the fault record
 * ({@link #FAULT_STACK_OVERFLOW}) and ends the thread. Recursion through function pointers fails to compile.</li>
 * <li>Generic addresses: global addresses as they are; shared and local addresses in windows tagged in the top
 * 16 bits ({@link #SHARED_TAG}, {@link #LOCAL_TAG}); {@code cvta} adds or strips the tag. Generic accesses call
 * a helper that dispatches on the tag.</li>
 * </ul>
 *
 * <h2>Arithmetic guarantees</h2>
 * Integer operations are exact with PTX's edge cases (as the CPU backend): division by zero gives all ones
 * (unsigned) or {@code ±1} (signed), {@code x % 0 = x}, {@code MIN / -1 = MIN}, shifts by at least the width
 * give 0 or the sign fill, {@code bfe}/{@code bfi}/{@code prmt}/{@code bfind}/funnel shifts are spelled out
 * bit for bit. Floats: {@code add/sub/mul/fma/div/sqrt} in round-to-nearest are single IEEE operations
 * ({@code NoContraction} on add/sub/mul so nothing fuses); Vulkan allows {@code OpFDiv} 2.5 ulp and
 * {@code Sqrt} the precision of {@code 1/InverseSqrt}, so f32 {@code div/rcp/sqrt} are computed in f64 and
 * rounded once more (exact), and {@code fma} is {@code OpFmaKHR} where the device has {@code VK_KHR_shader_fma}, else
 * emulated exactly (see {@link Arith}). The directed rounding modes
 * {@code .rz/.rm/.rp} (Vulkan offers only RTE/RTZ execution modes per module, lavapipe not even RTZ) are
 * emulated for f32 arithmetic, f64 add/sub/mul/div/rcp/sqrt/fma ({@link FmaF64}) and conversions.
 * {@code .ftz} is done by hand:
 * subnormal f32 inputs and results are replaced by a zero of the same sign. {@code .sat} clamps to [0, 1]
 * with NaN to +0. {@code min/max} return the non-NaN operand and order -0 below +0. Approximate
 * instructions ({@code sin, cos, ex2, lg2, rsqrt, tanh}) use GLSL.std.450; their error is the driver's.
 * Conversions to integers saturate; a NaN gives what an NVIDIA H100 gives ({@code Arith.nanToInt}: 0x80..0 for
 * f32 to 64-bit and f64 to 32/64-bit integers, else 0; the PTX ISA says 0).
 *
 * <h2>Scratch words, barriers with reductions and warps</h2>
 * After dynamic shared memory come {@code 4 + 32 + 2 * threads} scratch words (declared only by kernels that
 * need them): the {@code bar.red} counter, one ballot word per warp and two exchange words per thread. CUDA's
 * warps are 32 consecutive linear thread ids; the device's subgroups are not used. Every warp instruction is
 * implemented with workgroup barriers: each thread publishes its operand in its exchange words (or adds its
 * lane bit to its warp's ballot word), the workgroup synchronizes, each thread computes its result from its
 * warp's 32 entries, the workgroup synchronizes again (and ballot bits are subtracted back, so the words are 0
 * between operations without a branch). A shuffle synchronizes once: it uses exchange word 0 or 1 by a per-thread
 * parity that every shuffle flips (the same for all threads, which run the same sequence of warp instructions), so
 * the next shuffle writes the other word and the one after it writes this word only after the next shuffle's
 * barrier, which every reader of this one has passed; match and redux, which use both words, synchronize once more
 * before they write. The counter and ballot words are zeroed at entry only in kernels with votes, activemask or
 * {@code bar.red}. This is exact for the 32-lane semantics when every thread of the
 * block executes the warp instruction (uniform control flow, the usual case); a warp instruction reached by
 * only part of the block would be undefined behaviour in Vulkan (a hang or wrong results), so a kernel with a
 * warp instruction, a barrier or a call of a function containing one outside uniform control flow (as
 * {@link Uniformity} conservatively decides) fails to compile with the reason and PTX location. {@link #prepare}
 * runs the front end's {@code uniform-collectives} pass first, which moves warp instructions and barriers out of
 * divergent control flow (predicating the code around them), so only the shapes it does not handle are rejected
 * (the message names the shape). {@code activemask} is the ballot of
 * {@code true}. {@code bar.warp.sync} ({@code __syncwarp}) is a workgroup control barrier, which covers the warp
 * (a device subgroup may be narrower than 32 lanes, and the target carries no subgroup size), checked like the
 * warp instructions. {@code bar.red.popc/and/or} count with an atomic add on the counter word the same way.
 */
public final class SpirvCodegen {
    /** Tag (bits 63..48) of generic addresses in the shared window. */
    public static final long SHARED_TAG = 0xFFFEL;
    /** Tag (bits 63..48) of generic addresses in the local window. */
    public static final long LOCAL_TAG = 0xFFFDL;
    static final long SHARED_BASE = SHARED_TAG << 48;
    static final long LOCAL_BASE = LOCAL_TAG << 48;
    /**
     * Tag of the placeholder "addresses" of functions ({@code FUNC_TAG << 48 | index} in the module's function
     * list), in code and in initializers; indirect calls switch on the index.
     */
    public static final long FUNC_TAG = 0xFFFCL;

    private final Module ir;
    private final Map<String, StructuredFunction> structured;
    private final Function kernel;
    private final Target target;
    /** Functions of this kernel that execute atomics, directly or by calls (see {@link #regsOfAtomicLoops}). */
    private Set<String> atomicFunctions = Set.of();
    /** {@code Private} bool: the driver ended one of this thread's loops ({@link #FAULT_LOOP_CUT}); 0 when not watched. */
    private int loopCutVar;
    private final Map<String, Long> globalAddresses;
    private final long faultAddress;
    private final long printfAddress;
    /** Names global-access sites for the runtime's fault message; null: global accesses are not checked. */
    private final java.util.function.ToIntFunction<String> sites;

    // layout
    private final Map<String, Long> sharedOffsets = new HashMap<>();
    private long staticSharedBytes;
    private final Map<String, Map<String, Long>> localOffsets = new HashMap<>();
    private long localBytes;
    private final List<Function> callees = new ArrayList<>();
    private boolean needsScratch;
    /** The kernel needs the lock words of 64-bit shared atomics ({@link #EXTRA_WORDS}). */
    private boolean needsExtraWords;
    private int extraBase; // spec-constant word index of the extra words

    // module
    private KernelFrame k;
    private SpirvModule m;
    private SpirvFunction f;
    private int glsl;
    private int tBool, tU8, tU16, tU32, tU64, tF32, tF64;
    private int sharedVar, ptrWgU32;
    private int parityVar;
    private boolean needsBallotWords; // scratch users other than shuffle/match/redux: zero the counter and ballot words
    private int localVar, ptrPrivU32;
    // checked kernels: global bounds, the site of the access a helper checks, the thread's first bad access
    private int loVar, hiVar, siteVar, badSiteVar, badAddressVar;
    private int curSite; // site id of the statement being compiled
    private boolean inHelper;
    private int scratchBase; // spec-constant word index of the scratch area
    private final Map<String, Integer> functionIds = new HashMap<>();
    private final Map<String, Integer> helperIds = new HashMap<>();
    private final ArrayDeque<Runnable> pendingHelpers = new ArrayDeque<>();
    private final Set<Integer> decoratedNoContraction = new HashSet<>();

    // the function being emitted
    private Function fir;
    private Map<Integer, Integer> regVars;
    /** Registers of the current function held in two-element arrays read at an opaque zero index (see below). */
    private Set<Integer> indirectRegs = Set.of();
    /** Private u32 holding 0 computed so that the driver cannot fold it (0: not needed). */
    private int opaqueZeroVar;
    private Map<String, Integer> labels;
    private int returnType;

    private SpirvCodegen(Module ir, Map<String, StructuredFunction> structured, Function kernel, Target target,
            Map<String, Long> globalAddresses, Runtime runtime) {
        this.ir = ir;
        this.structured = structured;
        this.kernel = kernel;
        this.target = target;
        this.globalAddresses = globalAddresses;
        this.faultAddress = runtime.faultRecord();
        this.printfAddress = runtime.printfBuffer();
        this.sites = runtime.faultRecord() == 0 ? null : runtime.sites();
    }

    /**
     * Device addresses of the context's runtime buffers a kernel is compiled against; 0 for one the kernel may not
     * use (then what needs it fails to compile).
     *
     * @param faultRecord  {@link #FAULT_BYTES} bytes: the fault record ({@code trap}, {@code assert})
     * @param printfBuffer {@link #PRINTF_BYTES} bytes: the printf buffer (see {@link Printf})
     * @param sites        when not null (and with a fault record), every global access is checked against the
     *                     bounds of the context's device memory in the push constants
     *                     ({@link org.transcuda.backend.vulkan.KernelAbi#boundsOffset}); this names each access
     *                     site (the PTX location) with the u32 the fault record receives
     */
    public record Runtime(long faultRecord, long printfBuffer, java.util.function.ToIntFunction<String> sites) {
        /** No runtime buffers. */
        public static final Runtime NONE = new Runtime(0, 0, null);

        /** Trap/assert and printf buffers, global accesses unchecked. */
        public Runtime(long faultRecord, long printfBuffer) {
            this(faultRecord, printfBuffer, null);
        }
    }

    /** Bytes of the printf buffer. */
    public static final int PRINTF_BYTES = Printf.BYTES;
    /** Byte offset of the first record in the printf buffer (the u32 cursor, in 8-byte units, is at 0). */
    public static final int PRINTF_HEADER = Printf.HEADER;

    /**
     * Layout of the fault record a kernel writes on {@code trap} or a failed {@code assert} (when compiled with a
     * fault address): u32 code at 0 (0 none, {@link #FAULT_TRAP}, {@link #FAULT_ASSERT}; the first fault of a
     * launch wins, by compare-and-swap), then for asserts the u64 generic addresses of the message (8), file (16)
     * and function (24) strings and the u32 line (32). A global access outside the bounds is recorded apart, with
     * plain stores by every thread that made one (the last store wins): the u64 address at
     * {@link #FAULT_BAD_ADDRESS}, the u32 site plus one at {@link #FAULT_SITE} and their check word at
     * {@link #FAULT_CHECK} (one u64 store). Each launch passes the bounds of the context's device memory in its push
     * constants ({@link org.transcuda.backend.vulkan.KernelAbi#boundsOffset}: the lowest address and the size of the
     * range from it, at least 16; with nothing allocated the range is the sink).
     * Accesses outside them are skipped: redirected to the record's {@link #FAULT_SINK} (16 bytes nobody reads).
     * The runtime reads the record after launches of kernels that can trap or assert, and at every synchronization.
     */
    public static final int FAULT_TRAP = 1;
    /** See {@link #FAULT_TRAP}. */
    public static final int FAULT_ASSERT = 2;
    /**
     * {@code bar.sync} with a thread count other than the block's threads ({@link NamedBarriers}):
     * CUDA_ERROR_NOT_SUPPORTED; the u32 count at 8, the block's threads at 12.
     */
    public static final int FAULT_COUNTED_BARRIER = 4;
    /**
     * A recursive call found the explicit recursion stack full ({@link #RECURSION_STACK_BYTES}): the launch fails with
     * CUDA_ERROR_LAUNCH_FAILED, as on the CPU backend; the u32 stack size at 8.
     */
    public static final int FAULT_STACK_OVERFLOW = 8;
    /**
     * Bytes per thread of the stack that recursive device functions run on (the front end's {@code explicit-stack}
     * pass; SPIR-V has no recursion). Fixed: the backend SPI does not pass CUDA's stack-size limit
     * ({@code cudaLimitStackSize}) to backends; 16 KiB, as the CPU backend gives recursive kernels.
     */
    public static final int RECURSION_STACK_BYTES = 16 * 1024;
    /** Offset of the u64 faulting address in the fault record. */
    public static final int FAULT_BAD_ADDRESS = 40;
    /**
     * Offset of the u32 site of the faulting access plus one in the fault record: 0 while no thread made a bad
     * global access.
     */
    public static final int FAULT_SITE = 48;
    /** Offset of the u32 check word of site and address ({@link #faultCheck}) in the fault record. */
    public static final int FAULT_CHECK = 52;
    /**
     * Offset of a u32 that a thread sets (plain store of 1) when the driver ended one of its loops before the loop's
     * own exit ({@link Target#loopLimiter()}: lavapipe's loop limiter): the launch fails with CUDA_ERROR_LAUNCH_FAILED
     * rather than leaving wrong results.
     */
    public static final int FAULT_LOOP_CUT = 56;
    /** Offset of the 16 bytes skipped accesses go to. */
    public static final int FAULT_SINK = 80;
    /** Bytes of the fault record. */
    public static final int FAULT_BYTES = 96;

    /**
     * A module ready for code generation: predicated (guards become branches) and every defined function
     * structured; a function the structurizer rejects is absent from {@code structured} (compiling a kernel that
     * is or calls it fails with the reason in {@code unstructured}).
     */
    public record Prepared(Module module, Map<String, StructuredFunction> structured, Map<String, String> unstructured) {
    }

    /**
     * Predicates {@code ir}, moves its warp collectives and barriers out of divergent control flow (the front end's
     * {@code uniform-collectives} pass) and structures it (see {@link Prepared}).
     */
    public static Prepared prepare(Module ir) {
        return prepare(ir, true);
    }

    /** {@link #prepare(Module)}, with or without the {@code uniform-collectives} pass (tests of the check without it). */
    static Prepared prepare(Module ir, boolean uniformCollectives) {
        Module predicated = org.transcuda.ptx.PtxTranslator.predicate(ir);
        // recursion: loops over a per-thread stack (the module itself when nothing recurses)
        predicated = org.transcuda.ptx.PtxTranslator.explicitStack(predicated, RECURSION_STACK_BYTES);
        if (uniformCollectives) predicated = org.transcuda.ptx.PtxTranslator.uniformCollectives(predicated);
        Map<String, StructuredFunction> structured = new HashMap<>();
        Map<String, String> failed = new HashMap<>();
        for (Function fn : predicated.functions()) {
            if (!fn.isDefined()) continue;
            try {
                for (StructuredFunction sf : org.transcuda.ptx.PtxTranslator.structurize(
                        new Module(ir.name(), List.of(fn)))) {
                    structured.put(sf.function().name(), sf);
                }
            } catch (RuntimeException e) {
                failed.put(fn.name(), String.valueOf(e.getMessage()));
            }
        }
        return new Prepared(predicated, structured, failed);
    }

    /** Compiles {@code kernelName} of a prepared module. */
    public static VulkanKernel compile(Prepared p, String kernelName, Target target, Map<String, Long> globalAddresses)
            throws CodegenException {
        return compile(p, kernelName, target, globalAddresses, 0);
    }

    /**
     * Compiles {@code kernelName}; with a non-zero {@code faultAddress} (a device address of
     * {@link #FAULT_BYTES} bytes) {@code trap} and {@code assert} write the fault record there and end the thread,
     * else they fail to compile.
     */
    public static VulkanKernel compile(Prepared p, String kernelName, Target target, Map<String, Long> globalAddresses,
            long faultAddress) throws CodegenException {
        return compile(p, kernelName, target, globalAddresses, new Runtime(faultAddress, 0));
    }

    /** Compiles {@code kernelName} against the context's runtime buffers (see {@link Runtime}). */
    public static VulkanKernel compile(Prepared p, String kernelName, Target target, Map<String, Long> globalAddresses,
            Runtime runtime) throws CodegenException {
        String why = p.unstructured().get(kernelName);
        if (why != null) throw new CodegenException(kernelName + ": control flow cannot be structured: " + why);
        StructuredFunction sf = p.structured().get(kernelName);
        if (sf == null || !sf.function().kernel()) throw new CodegenException("no kernel " + kernelName);
        SpirvCodegen g = new SpirvCodegen(p.module(), p.structured(), sf.function(), target, globalAddresses,
                runtime);
        try {
            return g.run();
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new CodegenException(kernelName + ": code generator error: " + e);
        }
    }

    /** True when the kernel or a function it calls calls {@code vprintf}. */
    public static boolean mayPrint(Prepared p, String kernelName) {
        java.util.ArrayDeque<String> todo = new java.util.ArrayDeque<>(List.of(kernelName));
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            StructuredFunction sf = p.structured().get(todo.poll());
            if (sf == null || !seen.add(sf.function().name())) continue;
            for (Block b : sf.function().blocks()) {
                for (Stmt s : b.stmts()) {
                    if (s.inst() instanceof Inst.Call c && c.callee() != null) {
                        if (c.callee().equals("vprintf")) return true;
                        todo.add(c.callee());
                    }
                }
            }
        }
        return false;
    }

    /** True when the kernel or a function it calls can report a fault ({@code trap} or {@code assert}). */
    public static boolean mayFault(Prepared p, String kernelName) {
        java.util.ArrayDeque<String> todo = new java.util.ArrayDeque<>(List.of(kernelName));
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            StructuredFunction sf = p.structured().get(todo.poll());
            if (sf == null || !seen.add(sf.function().name())) continue;
            for (Block b : sf.function().blocks()) {
                if (b.terminator() instanceof Terminator.Trap) return true;
                for (Stmt s : b.stmts()) {
                    if (NamedBarriers.mayFault(s.inst())) return true;
                    if (s.inst() instanceof Inst.Call c && c.callee() != null) {
                        if (c.callee().equals("__assertfail")) return true;
                        if (c.callee().equals(org.transcuda.ptx.PtxTranslator.STACK_OVERFLOW)) return true;
                        todo.add(c.callee());
                    }
                }
            }
        }
        return false;
    }

    /**
     * Compiles {@code kernelName}.
     *
     * @param ir              the module, predicated ({@code PtxTranslator.predicate})
     * @param structured      the structurizer's output for every defined function of {@code ir}, by name
     * @param target          the device's capabilities
     * @param globalAddresses device address of every {@code .global}/{@code .const} variable
     */
    public static VulkanKernel compile(Module ir, Map<String, StructuredFunction> structured, String kernelName,
            Target target, Map<String, Long> globalAddresses) throws CodegenException {
        StructuredFunction sf = structured.get(kernelName);
        if (sf == null || !sf.function().kernel()) throw new CodegenException("no kernel " + kernelName);
        SpirvCodegen g = new SpirvCodegen(ir, structured, sf.function(), target, globalAddresses, Runtime.NONE);
        try {
            return g.run();
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new CodegenException(kernelName + ": code generator error: " + e);
        }
    }

    // =====================================================================================================
    // driver

    private VulkanKernel run() throws CodegenException {
        collectCallees(kernel, new LinkedHashSet<>(), new LinkedHashSet<>());
        layout();
        int argBytes = kernel.paramBufferSize();
        boolean inline = org.transcuda.backend.vulkan.KernelAbi.boundsOffset(true, argBytes)
                + org.transcuda.backend.vulkan.KernelAbi.BOUNDS_BYTES <= target.maxPushConstants();
        k = new KernelFrame(kernel.name(), inline, argBytes);
        m = k.m;
        f = k.fn;
        glsl = m.extInstImport("GLSL.std.450");
        m.capability(Spv.Capability.Int8).capability(Spv.Capability.Int16);
        if (target.float64()) m.capability(Spv.Capability.Float64);
        m.capability(Spv.Capability.StorageBuffer8BitAccess).capability(Spv.Capability.StorageBuffer16BitAccess);
        if (!target.int8() || !target.int16()) {
            throw new CodegenException("the device lacks 8/16-bit integers or storage (shaderInt8, shaderInt16, "
                    + "storageBuffer8BitAccess, storageBuffer16BitAccess), which the Vulkan backend requires");
        }
        tBool = m.typeBool();
        tU8 = m.typeInt(8, false);
        tU16 = m.typeInt(16, false);
        tU32 = m.typeInt(32, false);
        tU64 = m.typeInt(64, false);
        tF32 = m.typeFloat(32);
        tF64 = target.float64() ? m.typeFloat(64) : 0;
        declareMemory();
        for (Function c : callees) functionIds.put(c.name(), m.id());
        if (target.loopLimiter() && faultAddress != 0) {
            loopCutVar = m.globalVariable(m.typePointer(Spv.StorageClass.Private, tBool), Spv.StorageClass.Private,
                    m.constantBool(false));
            m.name(loopCutVar, "loopCut");
        }
        atomicFunctions = atomicFunctions(kernel, callees);
        boolean opaque = loopCutVar != 0 || !regsOfAtomicLoops(kernel, atomicFunctions).isEmpty();
        for (Function c : callees) opaque |= !regsOfAtomicLoops(c, atomicFunctions).isEmpty();
        if (opaque) {
            // initialized (0): loops before the kernel body (zeroing the extra words) read it before the body's store
            opaqueZeroVar = m.globalVariable(m.typePointer(Spv.StorageClass.Private, tU32), Spv.StorageClass.Private,
                    cU32(0));
            m.name(opaqueZeroVar, "opaqueZero");
        }
        if (loopCutVar != 0) m.watchLoopExits(loopCutVar, opaqueZeroVar);

        // the kernel
        if (needsScratch) f.store(parityVar, cU32(0));
        if (needsBallotWords) zeroBallotWords();
        if (needsExtraWords) zeroExtraWords();
        emitBody(structured.get(kernel.name()), true);
        f.end();
        for (Function c : callees) emitDeviceFunction(c);
        while (!pendingHelpers.isEmpty()) pendingHelpers.poll().run();
        k.at(k.fn);
        int[] words = k.finishModule();
        int maxThreads = 0;
        var d = kernel.directives();
        if (!d.reqntid().isEmpty()) maxThreads = product(d.reqntid());
        else if (!d.maxntid().isEmpty()) maxThreads = product(d.maxntid());
        return new VulkanKernel(kernel.name(), words, kernel.params(),
                inline ? VulkanKernel.ArgsMode.PUSH_CONSTANTS : VulkanKernel.ArgsMode.BUFFER,
                (int) staticSharedBytes, maxThreads, 0);
    }

    private static int product(List<Integer> l) {
        int p = 1;
        for (int i : l) p *= i;
        return p;
    }

    private void collectCallees(Function fn, Set<String> visiting, Set<String> done) throws CodegenException {
        if (!visiting.add(fn.name())) {
            // direct recursion became loops over a stack (explicit-stack pass): what is left goes through pointers
            throw new CodegenException("recursive call of " + fn.name() + " through a function pointer (SPIR-V has no"
                    + " recursion; only direct recursive calls are run on an explicit stack)");
        }
        for (Block b : fn.blocks()) {
            for (Stmt s : b.stmts()) {
                if (s.inst() instanceof Inst.Call c) {
                    if (c.callee() == null) {
                        if (sites == null) {
                            throw new CodegenException("indirect calls need the runtime's fault record (compiled"
                                    + " without one)");
                        }
                        for (Function t : indirectTargets(c)) {
                            if (!done.contains(t.name())) collectCallees(t, visiting, done);
                        }
                        continue;
                    }
                    switch (c.callee()) {
                        case "vprintf" -> {
                            if (printfAddress == 0) {
                                throw new CodegenException("printf needs a printf buffer (compiled without one)");
                            }
                            continue;
                        }
                        case "__assertfail" -> {
                            if (faultAddress == 0) {
                                throw new CodegenException("assert needs a fault record (compiled without one)");
                            }
                            continue;
                        }
                        case org.transcuda.ptx.PtxTranslator.STACK_OVERFLOW -> {
                            if (faultAddress == 0) {
                                throw new CodegenException("recursion needs a fault record for stack overflows"
                                        + " (compiled without one)");
                            }
                            continue;
                        }
                        case "malloc", "free" -> throw new CodegenException(
                                "device-side malloc/free are not supported on the Vulkan backend");
                        default -> {
                        }
                    }
                    StructuredFunction callee = structured.get(c.callee());
                    if (callee == null) throw new CodegenException("call of undefined function " + c.callee());
                    if (!done.contains(c.callee())) {
                        collectCallees(callee.function(), visiting, done);
                    }
                }
            }
        }
        visiting.remove(fn.name());
        if (done.add(fn.name()) && fn != kernel) callees.add(fn);
    }

    private void layout() throws CodegenException {
        List<Function> all = new ArrayList<>(callees);
        all.add(kernel);
        Set<String> used = new HashSet<>();
        for (Function fn : all) {
            for (Block b : fn.blocks()) {
                for (Stmt s : b.stmts()) {
                    for (Value v : s.inst().uses()) if (v instanceof SymbolAddr a) used.add(a.symbol());
                    Inst i = s.inst();
                    boolean had = needsScratch;
                    needsScratch = false;
                    if (i instanceof Inst.Shuffle || i instanceof Inst.Vote || i instanceof Inst.Match
                            || i instanceof Inst.Redux || i instanceof Inst.ActiveMask) {
                        needsScratch = true;
                    }
                    if (i instanceof Inst.Barrier br && br.kind() != Inst.BarrierKind.SYNC) needsScratch = true;
                    if (needsExtraWords(i)) needsExtraWords = true;
                    // every scratch user but the exchange-word ones (shuffle, match, redux) gets the counter and
                    // ballot words zeroed at entry
                    if (needsScratch && !(i instanceof Inst.Shuffle || i instanceof Inst.Match
                            || i instanceof Inst.Redux)) {
                        needsBallotWords = true;
                    }
                    needsScratch |= had;
                }
            }
        }
        long off = 0;
        for (Variable v : ir.variables()) {
            if (v.space() != AddressSpace.SHARED || !used.contains(v.name())) continue;
            if (v.external() && v.count() == 0) continue;
            off = align(off, Math.max(4, v.alignment()));
            sharedOffsets.put(v.name(), off);
            off += v.size();
        }
        staticSharedBytes = off;
        long dynBase = align(off, 16);
        for (Variable v : ir.variables()) {
            if (v.space() == AddressSpace.SHARED && v.external() && v.count() == 0) sharedOffsets.put(v.name(), dynBase);
        }
        // local memory
        long loc = 0;
        Map<String, Long> moduleLocals = new HashMap<>();
        for (Variable v : ir.variables()) {
            if (v.space() != AddressSpace.LOCAL) continue;
            loc = align(loc, Math.max(4, v.alignment()));
            moduleLocals.put(v.name(), loc);
            loc += v.size();
        }
        for (Function fn : all) {
            Map<String, Long> mine = new HashMap<>(moduleLocals);
            for (Variable v : fn.locals()) {
                if (v.space() == AddressSpace.SHARED) {
                    throw new CodegenException("function-scope .shared variable " + v.name() + " was not hoisted");
                }
                if (v.space() != AddressSpace.LOCAL) continue;
                loc = align(loc, Math.max(4, v.alignment()));
                mine.put(v.name(), loc);
                loc += Math.max(1, v.size());
            }
            localOffsets.put(fn.name(), mine);
        }
        localBytes = loc;
    }

    private static long align(long v, long a) {
        return (v + a - 1) / a * a;
    }

    private void declareMemory() {
        // shared: static words + dynamic words + scratch words
        int staticWords = (int) ((align(staticSharedBytes, 16)) / 4);
        int u32 = tU32;
        int rounded = m.specConstantOp(u32, Op.IAdd, k.dynamicSharedBytes, m.constantU32(3));
        int dynWords = m.specConstantOp(u32, Op.UDiv, rounded, m.constantU32(4));
        scratchBase = m.specConstantOp(u32, Op.IAdd, dynWords, m.constantU32(staticWords));
        int total = scratchBase;
        if (needsScratch) {
            int xy = m.specConstantOp(u32, Op.IMul, k.blockX, k.blockY);
            int threads = m.specConstantOp(u32, Op.IMul, xy, k.blockZ);
            int exch = m.specConstantOp(u32, Op.IMul, threads, m.constantU32(2));
            int scratch = m.specConstantOp(u32, Op.IAdd, exch, m.constantU32(36));
            total = m.specConstantOp(u32, Op.IAdd, scratchBase, scratch);
        }
        extraBase = total;
        if (needsExtraWords) total = m.specConstantOp(u32, Op.IAdd, total, m.constantU32(EXTRA_WORDS));
        int isZero = m.specConstantOp(tBool, Op.IEqual, total, m.constantU32(0));
        int words = m.specConstantOp(u32, Op.Select, isZero, m.constantU32(1), total);
        int array = m.typeArray(u32, words);
        sharedVar = m.globalVariable(m.typePointer(Spv.StorageClass.Workgroup, array), Spv.StorageClass.Workgroup);
        m.name(sharedVar, "shared");
        ptrWgU32 = m.typePointer(Spv.StorageClass.Workgroup, u32);
        int localWords = (int) Math.max(1, (localBytes + 3) / 4);
        int larray = m.typeArray(u32, m.constantU32(localWords));
        localVar = m.globalVariable(m.typePointer(Spv.StorageClass.Private, larray), Spv.StorageClass.Private);
        m.name(localVar, "local");
        ptrPrivU32 = m.typePointer(Spv.StorageClass.Private, u32);
        if (sites != null) {
            loVar = m.globalVariable(m.typePointer(Spv.StorageClass.Private, tU64), Spv.StorageClass.Private);
            hiVar = m.globalVariable(m.typePointer(Spv.StorageClass.Private, tU64), Spv.StorageClass.Private);
            siteVar = m.globalVariable(m.typePointer(Spv.StorageClass.Private, u32), Spv.StorageClass.Private);
            badSiteVar = m.globalVariable(m.typePointer(Spv.StorageClass.Private, u32), Spv.StorageClass.Private);
            badAddressVar = m.globalVariable(m.typePointer(Spv.StorageClass.Private, tU64), Spv.StorageClass.Private);
            m.name(badSiteVar, "badSite");
            m.name(badAddressVar, "badAddress");
            m.name(loVar, "globalLo");
            m.name(hiVar, "globalHi");
            m.name(siteVar, "site");
        }
        if (needsScratch) {
            parityVar = m.globalVariable(m.typePointer(Spv.StorageClass.Private, u32), Spv.StorageClass.Private);
            m.name(parityVar, "shuffleParity");
        }
    }

    /** The thread's shuffle parity (Private u32, 0 at entry): which exchange word the next shuffle uses. */
    int shuffleParity() {
        return parityVar;
    }

    // =====================================================================================================
    // functions and control flow

    private void emitDeviceFunction(Function fn) throws CodegenException {
        List<Reg> results = fn.returnRegs();
        int ret = returnTypeOf(results);
        int[] paramTypes = new int[fn.paramRegs().size()];
        for (int i = 0; i < paramTypes.length; i++) paramTypes[i] = ty(fn.paramRegs().get(i).type());
        if (fn.paramRegs().isEmpty() && !fn.params().isEmpty()) {
            throw new CodegenException(fn.name() + ": parameters were not lowered to registers");
        }
        f = m.function(functionIds.get(fn.name()), ret, m.typeFunction(ret, paramTypes), Spv.FunctionControl.None);
        m.name(f.id(), fn.name());
        k.at(f);
        int[] params = new int[paramTypes.length];
        for (int i = 0; i < params.length; i++) params[i] = f.parameter(paramTypes[i]);
        f.label();
        returnType = ret;
        startRegs(fn);
        for (int i = 0; i < params.length; i++) f.store(regPtr(fn.paramRegs().get(i)), params[i]);
        emitBody(structured.get(fn.name()), false);
        f.end();
    }

    private int returnTypeOf(List<Reg> results) throws CodegenException {
        if (results.isEmpty()) return m.typeVoid();
        if (results.size() == 1) return ty(results.get(0).type());
        int[] ts = new int[results.size()];
        for (int i = 0; i < ts.length; i++) ts[i] = ty(results.get(i).type());
        String key = "struct" + java.util.Arrays.toString(ts);
        Integer id = helperIds.get(key);
        if (id == null) {
            id = m.typeStruct(ts);
            helperIds.put(key, id);
        }
        return id;
    }

    private void startRegs(Function fn) throws CodegenException {
        fir = fn;
        regVars = new HashMap<>();
        indirectRegs = opaqueZeroVar != 0 ? regsOfAtomicLoops(fn, atomicFunctions) : Set.of();
        for (Reg r : fn.regs()) {
            int t = ty(r.type());
            if (indirectRegs.contains(r.id())) {
                regVars.put(r.id(), f.variable(m.typePointer(Spv.StorageClass.Function, m.typeArray(t, cU32(2)))));
            } else {
                regVars.put(r.id(), f.variable(m.typePointer(Spv.StorageClass.Function, t)));
            }
        }
    }

    /**
     * The kernel and device functions that execute an atomic, directly or through the functions they call (an
     * indirect call counts as one when any function here has an atomic).
     */
    private static Set<String> atomicFunctions(Function kernel, List<Function> callees) {
        List<Function> all = new ArrayList<>(callees);
        all.add(kernel);
        Set<String> atomic = new HashSet<>();
        for (Function fn : all) {
            for (Block b : fn.blocks()) {
                for (Stmt st : b.stmts()) if (st.inst() instanceof Inst.Atomic) atomic.add(fn.name());
            }
        }
        boolean changed = !atomic.isEmpty();
        while (changed) {
            changed = false;
            for (Function fn : all) {
                if (atomic.contains(fn.name())) continue;
                for (Block b : fn.blocks()) {
                    for (Stmt st : b.stmts()) {
                        if (st.inst() instanceof Inst.Call c && (c.callee() == null || atomic.contains(c.callee()))) {
                            changed |= atomic.add(fn.name());
                        }
                    }
                }
            }
        }
        return atomic;
    }

    /**
     * The registers defined in loops that contain an atomic (or a call of a function that executes one:
     * {@code atomicFunctions}): for each branch from block i back to block j (block order), blocks j..i with an
     * atomic among them. On lavapipe, in a loop containing an atomic, values live after the loop read 0 in lanes
     * that left the loop before others of their subgroup (seen with {@code atom.cas} retry loops, also with the
     * atomic in a called function, which the driver inlines); registers kept in memory at an index the driver cannot
     * fold to a constant are not promoted to SSA values and keep each lane's last write ({@code ContendedAtomicsTest}).
     */
    private static Set<Integer> regsOfAtomicLoops(Function fn, Set<String> atomicFunctions) {
        List<Block> bs = fn.blocks();

        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < bs.size(); i++) index.put(bs.get(i).label(), i);
        Set<Integer> regs = new HashSet<>();
        for (int i = 0; i < bs.size(); i++) {
            for (String t : bs.get(i).terminator().successors()) {
                Integer j = index.get(t);
                if (j == null || j > i) continue;
                boolean atomic = false;
                for (int b = j; b <= i && !atomic; b++) {
                    for (Stmt st : bs.get(b).stmts()) {
                        if (st.inst() instanceof Inst.Atomic || st.inst() instanceof Inst.Call c
                                && (c.callee() == null ? !atomicFunctions.isEmpty()
                                        : atomicFunctions.contains(c.callee()))) {
                            atomic = true;
                        }
                    }
                }
                if (!atomic) continue;
                for (int b = j; b <= i; b++) {
                    for (Stmt st : bs.get(b).stmts()) for (Reg r : st.inst().defs()) regs.add(r.id());
                }
            }
        }
        return regs;
    }

    /** The pointer a register is read and written through. */
    private int regPtr(Reg r) throws CodegenException {
        Integer var = regVars.get(r.id());
        if (var == null) throw new CodegenException("register " + r + " is not declared");
        if (!indirectRegs.contains(r.id())) return var;
        return f.accessChain(m.typePointer(Spv.StorageClass.Function, ty(r.type())), var,
                f.load(tU32, opaqueZeroVar));
    }

    private void emitBody(StructuredFunction sf, boolean isKernel) throws CodegenException {
        Function fn = sf.function();
        checkUniform(fn);
        if (isKernel) {
            returnType = m.typeVoid();
            startRegs(fn);
        }
        labels = new HashMap<>();
        for (Block b : fn.blocks()) labels.put(b.label(), m.id());
        if (isKernel && opaqueZeroVar != 0) {
            // n / (n + 1) = 0 for the grid's block count n (< 2^31): a zero the driver cannot fold
            int n = k.nctaid(0);
            f.store(opaqueZeroVar, f.op(Op.UDiv, tU32, n, f.op(Op.IAdd, tU32, n, cU32(1))));
        }
        if (isKernel && sites != null) {
            f.store(loVar, k.boundsLo());
            f.store(hiVar, k.boundsSize());
            f.store(badSiteVar, cU32(0));
            f.store(badAddressVar, cU64(0));
        }
        f.branch(labels.get(fn.blocks().get(0).label()));
        for (Block b : fn.blocks()) {
            f.label(labels.get(b.label()));
            for (Stmt s : b.stmts()) {
                if (s.guard() != null) throw new CodegenException("guarded instruction left after predication");
                try {
                    if (sites != null && accessesGlobal(s.inst())) {
                        curSite = sites.applyAsInt(kernel.name() + " at " + (s.loc() == null
                                ? fn.name() + ":" + b.label() : s.loc().toString()));
                        // helpers (generic dispatch, atomics, callees' printf) read the site from siteVar
                        if (viaHelper(s.inst())) f.store(siteVar, cU32(curSite));
                    }
                    inst(s.inst());
                    forgetChecked(s.inst().defs());
                } catch (CodegenException e) {
                    String where = s.loc() == null ? "" : s.loc() + ": ";
                    throw new CodegenException(where + e.getMessage());
                }
            }
            StructuredFunction.Construct c = sf.construct(b.label()).orElse(null);
            Terminator t = b.terminator();
            // a thread of a checked kernel that ends reports its first bad global access
            if (isKernel && (t instanceof Terminator.Return || t instanceof Terminator.Exit
                    || t instanceof Terminator.Trap || t instanceof Terminator.Unreachable)) {
                reportBadAccess();
                reportLoopCut();
            }
            // operands first: the merge instruction must immediately precede the branch
            int cond = t instanceof Terminator.CondBranch cb ? val(cb.pred(), ScalarType.PRED) : 0;
            int selector = t instanceof Terminator.Switch sw ? val(sw.index(), ScalarType.U32) : 0;
            if (c != null && c.kind() == StructuredFunction.Kind.LOOP) {
                f.loopMerge(label(c.merge()), label(c.continueTarget()));
            } else if (c != null && !(t instanceof Terminator.Branch)) {
                f.selectionMerge(label(c.merge()));
            }
            switch (t) {
                case Terminator.Branch br -> f.branch(label(br.target()));
                case Terminator.CondBranch cb -> f.branchConditional(cond, label(cb.ifTrue()), label(cb.ifFalse()));
                case Terminator.Switch sw -> {
                    int def = c != null ? label(c.merge()) : label(sw.targets().get(0));
                    int[] ops = new int[2 + 2 * sw.targets().size()];
                    ops[0] = selector;
                    ops[1] = def;
                    for (int i = 0; i < sw.targets().size(); i++) {
                        ops[2 + 2 * i] = i;
                        ops[3 + 2 * i] = label(sw.targets().get(i));
                    }
                    f.opVoid(Op.Switch, ops);
                }
                case Terminator.Return r -> ret(isKernel);
                case Terminator.Exit e -> {
                    if (!isKernel) throw new CodegenException("exit inside a device function is not supported");
                    f.returnVoid();
                }
                case Terminator.Trap tr -> {
                    if (faultAddress == 0) throw new CodegenException("trap needs a fault record (compiled without one)");
                    fault(FAULT_TRAP);
                    endThread(isKernel);
                }
                // never reached (after a noreturn call such as __assertfail): leave the function
                case Terminator.Unreachable u -> endThread(isKernel);
            }
        }
    }

    /**
     * Fails when a warp instruction, a CTA barrier or a call of a function containing one lies outside uniform
     * control flow of {@code fn} ({@link Uniformity}): the emulation's workgroup barriers need every thread of the
     * block, so such code would hang or silently compute wrong results.
     */
    private void checkUniform(Function fn) throws CodegenException {
        Uniformity u = Uniformity.of(fn);
        for (Block b : fn.blocks()) {
            for (Stmt st : b.stmts()) {
                if (st.inst() instanceof Inst.Barrier br && br.threads() != null && u.divergent(br.threads())) {
                    throw new CodegenException(kernel.name() + ": " + (st.loc() == null ? "" : st.loc() + ": ")
                            + "bar.sync with a thread count that may differ between the block's threads is not"
                            + " supported on Vulkan");
                }
            }
        }
        Stmt s = u.firstCollectiveOutsideUniform(callee -> collectiveInside(callee, new HashSet<>()));
        if (s == null) return;
        String what = switch (s.inst()) {
            case Inst.Shuffle sh -> "shfl.sync." + sh.mode().name().toLowerCase(java.util.Locale.ROOT);
            case Inst.Vote v -> "vote.sync." + v.mode().name().toLowerCase(java.util.Locale.ROOT);
            case Inst.Match mt -> "match.sync";
            case Inst.Redux r -> "redux.sync";
            case Inst.ActiveMask a -> "activemask";
            case Inst.WarpSync w -> "bar.warp.sync";
            case Inst.Barrier b -> "bar." + b.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '.');
            case Inst.Call c -> "call of " + c.callee() + " (which uses warp operations or barriers)";
            default -> s.inst().getClass().getSimpleName();
        };
        String kind = s.inst() instanceof Inst.Barrier ? "barrier" : "warp operation";
        String shape = org.transcuda.ptx.PtxTranslator.uniformCollectivesUnsupportedShape(fn,
                callee -> collectiveInside(callee, new HashSet<>()));
        throw new CodegenException(kernel.name() + ": " + (s.loc() == null ? "" : s.loc() + ": ")
                + (fn == kernel ? "" : "in " + fn.name() + ": ") + what + ": " + kind
                + " in divergent control flow is not supported by the Vulkan backend's 32-lane emulation"
                + (shape == null ? "" : " (the uniform-collectives pass does not handle " + shape + ")"));
    }

    /** Whether function {@code name} or a function it calls contains a warp instruction or a CTA barrier. */
    private boolean collectiveInside(String name, Set<String> seen) {
        StructuredFunction sf = structured.get(name);
        if (sf == null || !seen.add(name)) return false;
        for (Block b : sf.function().blocks()) {
            for (Stmt s : b.stmts()) {
                if (Uniformity.collective(s.inst())) return true;
                if (s.inst() instanceof Inst.Call c && c.callee() != null && collectiveInside(c.callee(), seen)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Ends this invocation's work in the current function: return (a value of undefined contents from a function). */
    private void endThread(boolean isKernel) {
        if (isKernel || returnType == m.typeVoid()) f.returnVoid();
        else f.opVoid(Op.ReturnValue, f.op(Op.Undef, returnType));
    }

    /** Whether {@code i} may access global memory through an address the kernel computed. */
    private static boolean accessesGlobal(Inst i) {
        return switch (i) {
            case Inst.Load l -> l.space() == AddressSpace.GLOBAL || l.space() == AddressSpace.CONST
                    || l.space() == AddressSpace.GENERIC;
            case Inst.Store st -> st.space() == AddressSpace.GLOBAL || st.space() == AddressSpace.CONST
                    || st.space() == AddressSpace.GENERIC;
            case Inst.Atomic a -> a.space() == AddressSpace.GLOBAL || a.space() == AddressSpace.CONST
                    || a.space() == AddressSpace.GENERIC;
            case Inst.Call c -> true;
            default -> false;
        };
    }

    private static boolean viaHelper(Inst i) {
        return switch (i) {
            case Inst.Load l -> l.space() == AddressSpace.GENERIC;
            case Inst.Store st -> st.space() == AddressSpace.GENERIC;
            default -> true; // atomics (CAS loops, generic dispatch) and calls
        };
    }

    /**
     * The address a global access of {@code bytes} at {@code a} (u64) goes to: {@code a} when it lies within the
     * bounds of the context's device memory, else the fault record's sink; the thread remembers its last bad
     * access (site and address) and reports it when it ends ({@link #reportBadAccess}). Branch-free, so the check
     * costs a few compares and selects per access. {@code a} itself when global accesses are not checked.
     */
    int checkedGlobal(int a, int bytes) {
        if (sites == null) return a;
        // one unsigned compare: a - lo <= size - bytes (the runtime keeps size >= 16, so no wrap-around)
        int off = f.op(Op.ISub, tU64, a, f.load(tU64, loVar));
        int limit = f.op(Op.ISub, tU64, f.load(tU64, hiVar), cU64(bytes));
        int ok = f.op(Op.ULessThanEqual, tBool, off, limit);
        int site1 = inHelper ? f.op(Op.IAdd, tU32, f.load(tU32, siteVar), cU32(1)) : cU32(curSite + 1L);
        // the thread's last bad access (a thread that faulted once usually goes on faulting at the same site)
        f.store(badSiteVar, f.op(Op.Select, tU32, ok, f.load(tU32, badSiteVar), site1));
        f.store(badAddressVar, f.op(Op.Select, tU64, ok, f.load(tU64, badAddressVar), a));
        return f.op(Op.Select, tU64, ok, a, cU64(faultAddress + FAULT_SINK));
    }

    /**
     * At the end of a checked kernel's thread: records its bad global access, if any, in the fault record with two
     * plain stores (the address; site + 1 with the check word {@link #faultCheck} of site and address). No atomic:
     * on lavapipe a compare-and-swap, even one no thread executes, made small kernels about 25% slower
     * (docs/benchmarks.md). Threads that fault at once may mix their stores; the check
     * word tells the runtime whether address and site belong together.
     */
    /** At the end of a thread whose loops are watched: a plain store of 1 at {@link #FAULT_LOOP_CUT} when one was cut. */
    private void reportLoopCut() {
        if (loopCutVar == 0) return;
        int fn = helper("reportLoopCut", m.typeVoid(), new int[0], p -> {
            int report = m.id(), done = m.id();
            f.selectionMerge(done);
            f.branchConditional(f.load(tBool, loopCutVar), report, done);
            f.label(report);
            globalStore(ScalarType.U32, cU64(faultAddress + FAULT_LOOP_CUT), cU32(1),
                    org.transcuda.ir.Memory.Order.WEAK);
            f.branch(done);
            f.label(done);
            f.returnVoid();
        });
        f.op(Op.FunctionCall, m.typeVoid(), fn);
    }

    private void reportBadAccess() {
        if (sites == null) return;
        int fn = helper("reportBadAccess", m.typeVoid(), new int[0], p -> {
            int bad = f.load(tU32, badSiteVar);
            int report = m.id(), done = m.id();
            int any = f.op(Op.INotEqual, tBool, bad, cU32(0));
            f.selectionMerge(done);
            f.branchConditional(any, report, done);
            f.label(report);
            int address = f.load(tU64, badAddressVar);
            int lo = f.op(Op.UConvert, tU32, address);
            int hi = f.op(Op.UConvert, tU32, f.op(Op.ShiftRightLogical, tU64, address, cU32(32)));
            int check = f.op(Op.BitwiseXor, tU32, f.op(Op.BitwiseXor, tU32, lo,
                    f.op(Op.IMul, tU32, hi, cU32(FAULT_CHECK_HI))), f.op(Op.IMul, tU32, bad, cU32(FAULT_CHECK_SITE)));
            // site + 1 (non-zero: the flag) and the check word in one store
            int siteCheck = f.op(Op.BitwiseOr, tU64, f.op(Op.UConvert, tU64, bad),
                    f.op(Op.ShiftLeftLogical, tU64, f.op(Op.UConvert, tU64, check), cU32(32)));
            var weak = org.transcuda.ir.Memory.Order.WEAK;
            globalStore(ScalarType.U64, cU64(faultAddress + FAULT_BAD_ADDRESS), address, weak);
            globalStore(ScalarType.U64, cU64(faultAddress + FAULT_SITE), siteCheck, weak);
            f.branch(done);
            f.label(done);
            f.returnVoid();
        });
        f.op(Op.FunctionCall, m.typeVoid(), fn);
    }

    /** Whether kernels are compiled with the runtime's fault record. */
    boolean hasFaultRecord() {
        return faultAddress != 0;
    }

    /** Claims the fault record with {@code code} (first fault wins) and stores u32 {@code a} at 8, {@code b} at 12. */
    void faultWith(int code, int a, int b) throws CodegenException {
        int won = fault(code);
        int lWon = m.id(), lEnd = m.id();
        f.selectionMerge(lEnd);
        f.branchConditional(won, lWon, lEnd);
        f.label(lWon);
        globalStore(ScalarType.U32, cU64(faultAddress + 8), a, org.transcuda.ir.Memory.Order.WEAK);
        globalStore(ScalarType.U32, cU64(faultAddress + 12), b, org.transcuda.ir.Memory.Order.WEAK);
        f.branch(lEnd);
        f.label(lEnd);
    }

    private static final int FAULT_CHECK_HI = 0x85EBCA6B;
    private static final int FAULT_CHECK_SITE = 0x9E3779B1;

    /**
     * The check word a thread stores with the site and address of its bad access ({@link #FAULT_CHECK}): a runtime
     * that reads back a different one has address and site from different threads.
     */
    public static int faultCheck(int site, long address) {
        return (int) address ^ (int) (address >>> 32) * FAULT_CHECK_HI ^ (site + 1) * FAULT_CHECK_SITE;
    }

    /** Claims the fault record with {@code code} (first fault wins); returns whether this thread claimed it. */
    private int fault(int code) {
        int ptr = globalPointer(tU32, cU64(faultAddress));
        int old = f.op(Op.AtomicCompareExchange, tU32, ptr, cU32(Spv.Scope.Device), cU32(0), cU32(0), cU32(code),
                cU32(0));
        return f.op(Op.IEqual, tBool, old, cU32(0));
    }

    private void assertFail(Inst.Call c) throws CodegenException {
        if (c.args().size() < 4) throw new CodegenException("__assertfail with " + c.args().size() + " arguments");
        int fn = helper("assertRecord", m.typeVoid(), new int[] {tU64, tU64, tU32, tU64}, p -> {
            // the thread that claims the record writes its strings' addresses and line
            int claimed = fault(FAULT_ASSERT);
            int write = m.id();
            int done = m.id();
            f.selectionMerge(done);
            f.branchConditional(claimed, write, done);
            f.label(write);
            globalStore(ScalarType.U64, cU64(faultAddress + 8), p[0], org.transcuda.ir.Memory.Order.WEAK);
            globalStore(ScalarType.U64, cU64(faultAddress + 16), p[1], org.transcuda.ir.Memory.Order.WEAK);
            globalStore(ScalarType.U32, cU64(faultAddress + 32), p[2], org.transcuda.ir.Memory.Order.WEAK);
            globalStore(ScalarType.U64, cU64(faultAddress + 24), p[3], org.transcuda.ir.Memory.Order.WEAK);
            f.branch(done);
            f.label(done);
            f.returnVoid();
        });
        f.op(Op.FunctionCall, m.typeVoid(), fn, val(c.args().get(0), ScalarType.U64), val(c.args().get(1),
                ScalarType.U64), val(c.args().get(2), ScalarType.U32), val(c.args().get(3), ScalarType.U64));
    }

    private void ret(boolean isKernel) throws CodegenException {
        if (isKernel || fir.returnRegs().isEmpty()) {
            f.returnVoid();
            return;
        }
        List<Reg> rs = fir.returnRegs();
        if (rs.size() == 1) {
            f.opVoid(Op.ReturnValue, val(rs.get(0), rs.get(0).type()));
            return;
        }
        int[] parts = new int[rs.size()];
        for (int i = 0; i < parts.length; i++) parts[i] = val(rs.get(i), rs.get(i).type());
        f.opVoid(Op.ReturnValue, f.op(Op.CompositeConstruct, returnType, parts));
    }

    private int label(String l) throws CodegenException {
        Integer id = labels.get(l);
        if (id == null) throw new CodegenException("branch to unknown block " + l);
        return id;
    }

    // =====================================================================================================
    // types, constants, values

    int ty(ScalarType t) throws CodegenException {
        return switch (t) {
            case PRED -> tBool;
            case B8, U8, S8 -> tU8;
            case B16, U16, S16, F16, BF16 -> tU16;
            case B32, U32, S32, F16X2, BF16X2 -> tU32;
            case B64, U64, S64 -> tU64;
            case F32 -> tF32;
            case F64 -> {
                if (tF64 == 0) throw new CodegenException("the device has no 64-bit floats (shaderFloat64)");
                yield tF64;
            }
            case B128 -> throw new CodegenException(".b128 values are not supported on the Vulkan backend");
        };
    }

    private int intType(int bits) {
        return switch (bits) {
            case 8 -> tU8;
            case 16 -> tU16;
            case 32 -> tU32;
            default -> tU64;
        };
    }

    private static boolean isFloat(ScalarType t) {
        return t == ScalarType.F32 || t == ScalarType.F64;
    }

    private static boolean isHalf(ScalarType t) {
        return t == ScalarType.F16 || t == ScalarType.BF16 || t == ScalarType.F16X2 || t == ScalarType.BF16X2;
    }

    private static boolean signed(ScalarType t) {
        return t.kind() == ScalarType.Kind.SIGNED;
    }

    int cU32(long v) {
        return m.constantU32((int) v);
    }

    int cU64(long v) {
        return m.constantU64(v);
    }

    /** A constant of SPIR-V type for {@code t} with raw bits. */
    int constBits(ScalarType t, long bits) throws CodegenException {
        if (t == ScalarType.PRED) return m.constantBool((bits & 1) != 0);
        int type = ty(t);
        int w = t.bits();
        if (w < 64) bits &= (1L << w) - 1;
        return w == 64 ? m.constant(type, (int) bits, (int) (bits >>> 32)) : m.constant(type, (int) bits);
    }

    int cInt(int bits, long v) {
        if (bits == 64) return m.constant(tU64, (int) v, (int) (v >>> 32));
        if (bits < 32) v &= (1L << bits) - 1;
        return m.constant(intType(bits), (int) v);
    }

    int cF(ScalarType t, double v) {
        return t == ScalarType.F32 ? m.constantF32((float) v) : m.constantF64(v);
    }

    /** A value read as {@code as}. */
    int val(Value v, ScalarType as) throws CodegenException {
        switch (v) {
            case Reg r -> {
                int x = f.load(ty(r.type()), regPtr(r));
                return coerce(x, r.type(), as);
            }
            case Const c -> {
                if (c.type().bits() == as.bits() || as == ScalarType.PRED) return constBits(as, c.bits());
                // a constant of another width: its value converted as an integer
                long bits = c.type().kind() == ScalarType.Kind.SIGNED ? c.signed() : c.bits();
                return constBits(as, bits);
            }
            case SymbolAddr a -> {
                int x = symbolAddress(a);
                return coerce(x, a.type(), as);
            }
        }
    }

    /** Converts between representations: equal widths bit-cast, integers resized (sign-extended when signed). */
    int coerce(int x, ScalarType from, ScalarType to) throws CodegenException {
        int tf = ty(from);
        int tt = ty(to);
        if (tf == tt) return x;
        if (from == ScalarType.PRED) {
            int one = constBits(to.kind() == ScalarType.Kind.FLOAT ? intTypeOf(to) : to, 1);
            int zero = constBits(to.kind() == ScalarType.Kind.FLOAT ? intTypeOf(to) : to, 0);
            int r = f.op(Op.Select, ty(to.kind() == ScalarType.Kind.FLOAT ? intTypeOf(to) : to), x, one, zero);
            return to.kind() == ScalarType.Kind.FLOAT ? f.op(Op.Bitcast, tt, r) : r;
        }
        if (to == ScalarType.PRED) {
            int asInt = from.kind() == ScalarType.Kind.FLOAT ? f.op(Op.Bitcast, intType(from.bits()), x) : x;
            return f.op(Op.INotEqual, tBool, asInt, cInt(from.bits(), 0));
        }
        if (from.bits() == to.bits()) return f.op(Op.Bitcast, tt, x);
        int xi = from.kind() == ScalarType.Kind.FLOAT || isHalf(from) ? bitsOf(x, from) : x;
        int resized = f.op(signed(from) && to.bits() > from.bits() ? Op.SConvert : Op.UConvert, intType(to.bits()), xi);
        return intType(to.bits()) == tt ? resized : f.op(Op.Bitcast, tt, resized);
    }

    private static ScalarType intTypeOf(ScalarType t) {
        return switch (t.bits()) {
            case 8 -> ScalarType.U8;
            case 16 -> ScalarType.U16;
            case 32 -> ScalarType.U32;
            default -> ScalarType.U64;
        };
    }

    private int bitsOf(int x, ScalarType t) throws CodegenException {
        int it = intType(t.bits());
        return ty(t) == it ? x : f.op(Op.Bitcast, it, x);
    }

    void def(Reg r, int x, ScalarType as) throws CodegenException {
        f.store(regPtr(r), coerce(x, as, r.type()));
    }

    /** The value of a symbol's address in its space (u64 device address, shared/local byte offset). */
    private int symbolAddress(SymbolAddr a) throws CodegenException {
        String s = a.symbol();
        Long g = globalAddresses.get(s);
        if (g != null) {
            if (a.type().bits() == 32) throw new CodegenException("32-bit address of global " + s);
            return cU64(g);
        }
        boolean narrow = a.type().bits() == 32;
        Long sh = sharedOffsets.get(s);
        if (sh != null) {
            if (a.space() == AddressSpace.SHARED) return narrow ? cU32(sh) : cU64(sh);
            return cU64(SHARED_BASE + sh);
        }
        Long lo = localOffsets.get(fir.name()).get(s);
        if (lo != null) {
            if (a.space() == AddressSpace.LOCAL) return narrow ? cU32(lo) : cU64(lo);
            return cU64(LOCAL_BASE + lo);
        }
        if (a.space() == AddressSpace.PARAM) {
            throw new CodegenException("the address of kernel parameter " + s + " is taken (not supported on Vulkan)");
        }
        for (int i = 0; i < ir.functions().size(); i++) {
            // placeholder address, as in initializers: only indirect calls use it
            if (ir.functions().get(i).name().equals(s)) return cU64((FUNC_TAG << 48) + i);
        }
        throw new CodegenException("unknown symbol " + s);
    }

    // =====================================================================================================
    // instructions

    private void inst(Inst i) throws CodegenException {
        switch (i) {
            case Inst.Mov mv -> def(mv.dst(), val(mv.src(), mv.dst().type()), mv.dst().type());
            case Inst.Compute c -> Arith.compute(this, c);
            case Inst.CarryArith c -> Arith.carry(this, c);
            case Inst.Compare c -> Arith.compare(this, c);
            case Inst.Convert c -> Arith.convert(this, c);
            case Inst.Cvta c -> cvta(c);
            case Inst.IsSpace s -> isSpace(s);
            case Inst.Load l -> load(l);
            case Inst.Store st -> store(st);
            case Inst.Atomic a -> Atomics.atomic(this, a);
            case Inst.ReadSpecial rs -> special(rs);
            case Inst.Barrier b -> barrier(b);
            case Inst.Fence fe -> f.opVoid(Op.MemoryBarrier, cU32(fe.scope() == org.transcuda.ir.Memory.Scope.CTA
                    ? Spv.Scope.Workgroup : Spv.Scope.Device), cU32(Spv.MemorySemantics.AcquireRelease
                    | Spv.MemorySemantics.UniformMemory | Spv.MemorySemantics.WorkgroupMemory));
            case Inst.Shuffle s -> Warps.shuffle(this, s);
            case Inst.Vote v -> Warps.vote(this, v);
            case Inst.Match mt -> Warps.match(this, mt);
            case Inst.Redux r -> Warps.redux(this, r);
            case Inst.ActiveMask a -> def(a.dst(), Warps.ballot(this, m.constantBool(true)), ScalarType.U32);
            // warps are not subgroups here (and a subgroup may be narrower than 32 lanes), so __syncwarp must
            // synchronize the whole workgroup, which covers the warp; Uniformity keeps it in uniform control flow
            case Inst.WarpSync w -> workgroupBarrier();
            case Inst.Call c -> call(c);
            case Inst.Unsupported u -> throw new CodegenException(u.opcode() + ": " + u.message());
        }
    }

    /**
     * The functions an indirect call may reach: the defined functions of the module whose address is taken (in code
     * or in a variable's initializer) and whose parameter and result widths match the call's, in module order.
     */
    private List<Function> indirectTargets(Inst.Call c) throws CodegenException {
        Set<String> taken = new HashSet<>();
        for (Variable v : ir.variables()) for (Variable.Relocation r : v.relocations()) taken.add(r.symbol());
        for (Function fn : ir.functions()) {
            for (Block b : fn.blocks()) {
                for (Stmt s : b.stmts()) {
                    for (Value v : s.inst().uses()) if (v instanceof SymbolAddr a) taken.add(a.symbol());
                }
            }
        }
        List<Function> out = new ArrayList<>();
        for (Function fn : ir.functions()) {
            if (!taken.contains(fn.name()) || !fn.isDefined() || fn.kernel() || !structured.containsKey(fn.name())) {
                continue;
            }
            List<Reg> ps = fn.paramRegs();
            List<Reg> rs = fn.returnRegs();
            boolean fits = ps.size() == c.args().size() && rs.size() >= c.results().size();
            for (int i = 0; fits && i < ps.size(); i++) fits = ps.get(i).type().bits() == c.args().get(i).type().bits();
            for (int i = 0; fits && i < c.results().size(); i++) {
                fits = rs.get(i).type().bits() == c.results().get(i).type().bits();
            }
            if (fits && !out.isEmpty()) fits = sameSignature(out.get(0), fn);
            if (fits) out.add(fn);
        }
        if (out.isEmpty()) {
            throw new CodegenException("indirect call: no function of the module whose address is taken has its"
                    + " signature");
        }
        return out;
    }

    private static boolean sameSignature(Function a, Function b) {
        if (a.paramRegs().size() != b.paramRegs().size() || a.returnRegs().size() != b.returnRegs().size()) return false;
        for (int i = 0; i < a.paramRegs().size(); i++) {
            if (a.paramRegs().get(i).type() != b.paramRegs().get(i).type()) return false;
        }
        for (int i = 0; i < a.returnRegs().size(); i++) {
            if (a.returnRegs().get(i).type() != b.returnRegs().get(i).type()) return false;
        }
        return true;
    }

    /**
     * An indirect call: a helper switches on the function index in the target's placeholder address
     * ({@link #FUNC_TAG}) over {@link #indirectTargets}; any other target is a bad access of the call's site (the
     * thread's results are undefined, the launch fails with CUDA_ERROR_ILLEGAL_ADDRESS).
     */
    private void indirectCall(Inst.Call c) throws CodegenException {
        List<Function> targets = indirectTargets(c);
        Function first = targets.get(0);
        List<Reg> ps = first.paramRegs();
        int rt = returnTypeOf(first.returnRegs());
        int[] params = new int[1 + ps.size()];
        params[0] = tU64;
        for (int i = 0; i < ps.size(); i++) params[1 + i] = ty(ps.get(i).type());
        StringBuilder key = new StringBuilder("icall");
        for (Function t : targets) key.append(':').append(t.name());
        int fid = helper(key.toString(), rt, params, p -> {
            boolean isVoid = rt == m.typeVoid();
            int res = isVoid ? 0 : f.variable(m.typePointer(Spv.StorageClass.Function, rt));
            int isFunc = f.op(Op.IEqual, tBool, f.op(Op.ShiftRightLogical, tU64, p[0], cU64(48)), cU64(FUNC_TAG));
            int selector = f.op(Op.Select, tU32, isFunc, f.op(Op.UConvert, tU32, p[0]), cU32(0xFFFF_FFFFL));
            int merge = m.id(), bad = m.id();
            int[] labelsOf = new int[targets.size()];
            int[] ops = new int[2 + 2 * targets.size()];
            ops[0] = selector;
            ops[1] = bad;
            for (int i = 0; i < targets.size(); i++) {
                labelsOf[i] = m.id();
                ops[2 + 2 * i] = ir.functions().indexOf(targets.get(i));
                ops[3 + 2 * i] = labelsOf[i];
            }
            f.selectionMerge(merge);
            f.opVoid(Op.Switch, ops);
            for (int i = 0; i < targets.size(); i++) {
                f.label(labelsOf[i]);
                int[] call = new int[1 + ps.size()];
                call[0] = functionIds.get(targets.get(i).name());
                System.arraycopy(p, 1, call, 1, ps.size());
                int r = f.op(Op.FunctionCall, rt, call);
                if (!isVoid) f.store(res, r);
                f.branch(merge);
            }
            f.label(bad);
            f.store(badSiteVar, f.op(Op.IAdd, tU32, f.load(tU32, siteVar), cU32(1)));
            f.store(badAddressVar, p[0]);
            f.branch(merge);
            f.label(merge);
            if (isVoid) f.returnVoid();
            else f.opVoid(Op.ReturnValue, f.load(rt, res));
        });
        int[] ops = new int[1 + params.length];
        ops[0] = fid;
        ops[1] = val(c.target(), ScalarType.U64);
        for (int i = 0; i < ps.size(); i++) ops[2 + i] = val(c.args().get(i), ps.get(i).type());
        int r = f.op(Op.FunctionCall, rt, ops);
        List<Reg> rr = first.returnRegs();
        if (rr.size() == 1 && c.results().size() == 1) {
            def(c.results().get(0), r, rr.get(0).type());
        } else {
            for (int i = 0; i < c.results().size(); i++) {
                def(c.results().get(i), f.compositeExtract(ty(rr.get(i).type()), r, i), rr.get(i).type());
            }
        }
    }

    private void call(Inst.Call c) throws CodegenException {
        if (c.callee() == null) {
            indirectCall(c);
            return;
        }
        if ("__assertfail".equals(c.callee())) {
            assertFail(c);
            return;
        }
        if (org.transcuda.ptx.PtxTranslator.STACK_OVERFLOW.equals(c.callee())) {
            // the explicit recursion stack is full: report; the function returns and its callers unwind
            faultWith(FAULT_STACK_OVERFLOW, cU32(RECURSION_STACK_BYTES), cU32(0));
            return;
        }
        if ("vprintf".equals(c.callee())) {
            Printf.call(this, fir, c, printfAddress);
            return;
        }
        Function callee = structured.get(c.callee()).function();
        Integer id = functionIds.get(c.callee());
        if (id == null) throw new CodegenException("call of " + c.callee() + " not collected");
        List<Reg> ps = callee.paramRegs();
        if (ps.size() != c.args().size()) {
            throw new CodegenException("call of " + c.callee() + " with " + c.args().size() + " arguments for "
                    + ps.size() + " parameters");
        }
        int[] ops = new int[1 + ps.size()];
        ops[0] = id;
        for (int i = 0; i < ps.size(); i++) ops[1 + i] = val(c.args().get(i), ps.get(i).type());
        int rt = returnTypeOf(callee.returnRegs());
        int r = f.op(Op.FunctionCall, rt, ops);
        List<Reg> rr = callee.returnRegs();
        if (c.results().size() > rr.size()) throw new CodegenException("call of " + c.callee() + ": too many results");
        if (rr.size() == 1 && c.results().size() == 1) {
            def(c.results().get(0), r, rr.get(0).type());
        } else {
            for (int i = 0; i < c.results().size(); i++) {
                def(c.results().get(i), f.compositeExtract(ty(rr.get(i).type()), r, i), rr.get(i).type());
            }
        }
    }

    private void special(Inst.ReadSpecial rs) throws CodegenException {
        int x;
        ScalarType t = ScalarType.U32;
        switch (rs.which()) {
            case TID_X -> x = k.tid(0);
            case TID_Y -> x = k.tid(1);
            case TID_Z -> x = k.tid(2);
            case NTID_X -> x = k.ntid(0);
            case NTID_Y -> x = k.ntid(1);
            case NTID_Z -> x = k.ntid(2);
            case CTAID_X, CLUSTERID_X -> x = k.ctaid(0);
            case CTAID_Y, CLUSTERID_Y -> x = k.ctaid(1);
            case CTAID_Z, CLUSTERID_Z -> x = k.ctaid(2);
            case NCTAID_X, NCLUSTERID_X -> x = k.nctaid(0);
            case NCTAID_Y, NCLUSTERID_Y -> x = k.nctaid(1);
            case NCTAID_Z, NCLUSTERID_Z -> x = k.nctaid(2);
            case LANEID -> x = f.op(Op.BitwiseAnd, tU32, linearTid(), cU32(31));
            case WARPID -> x = f.op(Op.ShiftRightLogical, tU32, linearTid(), cU32(5));
            case NWARPID -> x = f.op(Op.ShiftRightLogical, tU32, f.op(Op.IAdd, tU32, threads(), cU32(31)), cU32(5));
            case SMID, CLUSTER_CTAID_X, CLUSTER_CTAID_Y, CLUSTER_CTAID_Z, CLUSTER_CTARANK -> x = cU32(0);
            case NSMID, CLUSTER_NCTAID_X, CLUSTER_NCTAID_Y, CLUSTER_NCTAID_Z, CLUSTER_NCTARANK -> x = cU32(1);
            case IS_EXPLICIT_CLUSTER -> {
                x = m.constantBool(false);
                t = ScalarType.PRED;
            }
            case LANEMASK_EQ, LANEMASK_LT, LANEMASK_LE, LANEMASK_GT, LANEMASK_GE -> {
                int lane = f.op(Op.BitwiseAnd, tU32, linearTid(), cU32(31));
                int eq = f.op(Op.ShiftLeftLogical, tU32, cU32(1), lane);
                int lt = f.op(Op.ISub, tU32, eq, cU32(1));
                x = switch (rs.which()) {
                    case LANEMASK_EQ -> eq;
                    case LANEMASK_LT -> lt;
                    case LANEMASK_LE -> f.op(Op.BitwiseOr, tU32, lt, eq);
                    case LANEMASK_GT -> f.op(Op.Not, tU32, f.op(Op.BitwiseOr, tU32, lt, eq));
                    default -> f.op(Op.Not, tU32, lt);
                };
            }
            case DYNAMIC_SMEM_SIZE -> x = k.dynamicSharedBytes;
            case TOTAL_SMEM_SIZE -> x = f.op(Op.IAdd, tU32, k.dynamicSharedBytes, cU32(staticSharedBytes));
            case CLOCK, CLOCK64, GLOBALTIMER, GLOBALTIMER_LO, GLOBALTIMER_HI -> {
                if (!target.shaderClock()) {
                    throw new CodegenException("%" + rs.which().name().toLowerCase(java.util.Locale.ROOT)
                            + " needs VK_KHR_shader_clock (shaderSubgroupClock, shaderDeviceClock)");
                }
                m.capability(Spv.Capability.ShaderClockKHR).extension("SPV_KHR_shader_clock");
                boolean timer = rs.which() != org.transcuda.ir.Special.CLOCK
                        && rs.which() != org.transcuda.ir.Special.CLOCK64;
                // %clock/%clock64: the subgroup's clock; %globaltimer: the device clock (unit: the driver's)
                int v = f.op(Op.ReadClockKHR, tU64, cU32(timer ? Spv.Scope.Device : Spv.Scope.Subgroup));
                switch (rs.which()) {
                    case CLOCK, GLOBALTIMER_LO -> x = f.op(Op.UConvert, tU32, v);
                    case GLOBALTIMER_HI -> x = f.op(Op.UConvert, tU32, f.op(Op.ShiftRightLogical, tU64, v, cU32(32)));
                    default -> {
                        x = v;
                        t = ScalarType.U64;
                    }
                }
            }
            case GRIDID -> throw new CodegenException("%gridid is not supported on Vulkan");
            default -> throw new CodegenException("special register " + rs.which());
        }
        def(rs.dst(), x, t);
    }

    int linearTid() {
        int tx = k.tid(0);
        int ty = k.tid(1);
        int tz = k.tid(2);
        int yz = f.op(Op.IAdd, tU32, ty, f.op(Op.IMul, tU32, tz, k.ntid(1)));
        return f.op(Op.IAdd, tU32, tx, f.op(Op.IMul, tU32, yz, k.ntid(0)));
    }

    private int wholeWarps;

    /** A specialization-constant bool: the block's thread count is a multiple of 32. */
    int wholeWarps() {
        if (wholeWarps == 0) {
            int threads = m.specConstantOp(tU32, Op.IMul, m.specConstantOp(tU32, Op.IMul, k.ntid(0), k.ntid(1)),
                    k.ntid(2));
            wholeWarps = m.specConstantOp(tBool, Op.IEqual, m.specConstantOp(tU32, Op.BitwiseAnd, threads, cU32(31)),
                    cU32(0));
        }
        return wholeWarps;
    }

    int threads() {
        return f.op(Op.IMul, tU32, f.op(Op.IMul, tU32, k.ntid(0), k.ntid(1)), k.ntid(2));
    }

    // ---- barriers

    void workgroupBarrier() {
        f.controlBarrier(Spv.Scope.Workgroup, Spv.Scope.Workgroup, Spv.MemorySemantics.AcquireRelease
                | Spv.MemorySemantics.WorkgroupMemory | Spv.MemorySemantics.UniformMemory);
    }

    private void barrier(Inst.Barrier b) throws CodegenException {
        switch (b.kind()) {
            case SYNC -> {
                if (b.threads() != null) {
                    NamedBarriers.countedSync(this, val(b.threads(), ScalarType.U32));
                    return;
                }
                workgroupBarrier();
            }
            case ARRIVE -> throw new CodegenException("bar.arrive is not supported on Vulkan");
            case RED_POPC, RED_AND, RED_OR -> {
                if (b.threads() != null) {
                    throw new CodegenException("bar.red with a thread count is not supported on Vulkan");
                }
                int p = val(b.pred(), ScalarType.PRED);
                if (b.negatePred()) p = f.op(Op.LogicalNot, tBool, p);
                int one = f.op(Op.Select, tU32, p, cU32(1), cU32(0));
                int counter = scratchWord(cU32(0));
                workgroupBarrier();
                atomicWg(Op.AtomicIAdd, counter, one);
                workgroupBarrier();
                int n = f.load(tU32, counter);
                workgroupBarrier();
                atomicWg(Op.AtomicISub, counter, one);
                int r;
                ScalarType rt;
                switch (b.kind()) {
                    case RED_POPC -> {
                        r = n;
                        rt = ScalarType.U32;
                    }
                    case RED_AND -> {
                        r = f.op(Op.IEqual, tBool, n, threads());
                        rt = ScalarType.PRED;
                    }
                    default -> {
                        r = f.op(Op.INotEqual, tBool, n, cU32(0));
                        rt = ScalarType.PRED;
                    }
                }
                def(b.dst(), r, rt);
            }
        }
    }

    int atomicWg(int op, int ptr, int value) {
        return f.op(op, tU32, ptr, cU32(Spv.Scope.Workgroup), cU32(0), value);
    }

    /** Pointer to scratch word {@code index} (a u32 id). */
    int scratchWord(int index) {
        return f.accessChain(ptrWgU32, sharedVar, f.op(Op.IAdd, tU32, scratchBase, index));
    }

    /**
     * Extra shared words after the scratch words (kernels that need them): the lock words and dummy words of the
     * 64-bit shared atomics ({@link SharedAtomics64}).
     */
    static final int EXTRA_WORDS = SharedAtomics64.WORDS;

    private static boolean needsExtraWords(Inst i) {
        return i instanceof Inst.Atomic a && a.type().bits() == 64
                && (a.space() == AddressSpace.SHARED || a.space() == AddressSpace.GENERIC);
    }

    /** Pointer to extra word {@code index} (a u32 id below {@link #EXTRA_WORDS}). */
    int lockWord(int index) {
        return f.accessChain(ptrWgU32, sharedVar, extraIndex(index));
    }

    /** Shared word index of extra word {@code index} (a u32 id). */
    int extraIndex(int index) {
        return f.op(Op.IAdd, tU32, extraBase, index);
    }

    /** The block zeroes the extra words (a loop over the threads, in a helper), then synchronizes. */
    private void zeroExtraWords() {
        int fn = helper("zeroExtraWords", m.typeVoid(), new int[] {tU32, tU32}, p -> {
            int i = f.variable(m.typePointer(Spv.StorageClass.Function, tU32));
            f.store(i, p[0]);
            int header = m.id(), body = m.id(), cont = m.id(), merge = m.id();
            f.branch(header);
            f.label(header);
            f.loopMerge(merge, cont);
            f.branch(body);
            f.label(body);
            int iv = f.load(tU32, i);
            int more = f.op(Op.ULessThan, tBool, iv, cU32(EXTRA_WORDS));
            int store = m.id();
            f.branchConditional(more, store, merge);
            f.label(store);
            f.opVoid(Op.AtomicStore, f.accessChain(ptrWgU32, sharedVar, f.op(Op.IAdd, tU32, extraBase, iv)),
                    cU32(Spv.Scope.Workgroup), cU32(0), cU32(0));
            f.store(i, f.op(Op.IAdd, tU32, iv, p[1]));
            f.branch(cont);
            f.label(cont);
            f.branch(header);
            f.label(merge);
            f.returnVoid();
        });
        f.op(Op.FunctionCall, m.typeVoid(), fn, linearTid(), threads());
        workgroupBarrier();
    }

    /** Every thread stores 0 in the counter and its warp's ballot word, then the block synchronizes. */
    private void zeroBallotWords() {
        int z = cU32(0);
        f.opVoid(Op.AtomicStore, scratchWord(cU32(0)), cU32(Spv.Scope.Workgroup), z, z);
        int warp = f.op(Op.ShiftRightLogical, tU32, linearTid(), cU32(5));
        f.opVoid(Op.AtomicStore, scratchWord(f.op(Op.IAdd, tU32, warp, cU32(4))), cU32(Spv.Scope.Workgroup), z, z);
        workgroupBarrier();
    }

    // ---- address spaces

    private void cvta(Inst.Cvta c) throws CodegenException {
        long base = switch (c.space()) {
            case SHARED -> SHARED_BASE;
            case LOCAL -> LOCAL_BASE;
            case GLOBAL, CONST, GENERIC -> 0;
            case PARAM -> throw new CodegenException("cvta.param is not supported on Vulkan");
        };
        ScalarType dt = c.dst().type();
        if (c.toGeneric()) {
            int a = val(c.src(), ScalarType.U64);
            if (c.src().type().bits() == 32) a = f.op(Op.UConvert, tU64, val(c.src(), ScalarType.U32));
            def(c.dst(), base == 0 ? a : f.op(Op.BitwiseOr, tU64, a, cU64(base)), ScalarType.U64);
        } else {
            int a = val(c.src(), ScalarType.U64);
            int r = base == 0 ? a : f.op(Op.BitwiseAnd, tU64, a, cU64(0xFFFF_FFFF_FFFFL));
            if (dt.bits() == 32) def(c.dst(), f.op(Op.UConvert, tU32, r), ScalarType.U32);
            else def(c.dst(), r, ScalarType.U64);
        }
    }

    private void isSpace(Inst.IsSpace s) throws CodegenException {
        int a = val(s.address(), ScalarType.U64);
        int tag = f.op(Op.ShiftRightLogical, tU64, a, cU64(48));
        int r = switch (s.space()) {
            case SHARED -> f.op(Op.IEqual, tBool, tag, cU64(SHARED_TAG));
            case LOCAL -> f.op(Op.IEqual, tBool, tag, cU64(LOCAL_TAG));
            case GLOBAL -> f.op(Op.LogicalAnd, tBool, f.op(Op.INotEqual, tBool, tag, cU64(SHARED_TAG)),
                    f.op(Op.INotEqual, tBool, tag, cU64(LOCAL_TAG)));
            case CONST -> {
                // inside one of the module's .const variables
                int in = m.constantBool(false);
                for (Variable v : ir.variables()) {
                    Long base = v.space() == AddressSpace.CONST ? globalAddresses.get(v.name()) : null;
                    if (base == null) continue;
                    int ge = f.op(Op.UGreaterThanEqual, tBool, a, cU64(base));
                    int lt = f.op(Op.ULessThan, tBool, a, cU64(base + Math.max(1, v.size())));
                    in = f.op(Op.LogicalOr, tBool, in, f.op(Op.LogicalAnd, tBool, ge, lt));
                }
                yield in;
            }
            case GENERIC -> m.constantBool(true);
            case PARAM -> m.constantBool(false);
        };
        def(s.dst(), r, ScalarType.PRED);
    }

    // ---- loads and stores

    /**
     * {@link #checkedGlobal} for a load or store at IR address {@code addr} (value {@code a}), reusing the checked
     * address of an earlier access in the same SPIR-V block through the same register and offset with at least as
     * many bytes (saxpy's {@code y[i]} load and store: one check instead of two); the register's definition ends the
     * reuse ({@link #forgetChecked}). A bad address is then recorded at the first of the two sites.
     */
    private int checkedGlobalAt(Address addr, int a, int bytes) {
        if (sites == null || inHelper || !(addr.base() instanceof Reg r)) return checkedGlobal(a, bytes);
        int label = f.currentLabel();
        if (label != checkedBlock) {
            checkedInBlock.clear();
            checkedBlock = label;
        }
        Map<Long, int[]> byOffset = checkedInBlock.computeIfAbsent(r.id(), x -> new HashMap<>());
        int[] c = byOffset.get(addr.offset());
        if (c != null && c[0] >= bytes) return c[1];
        int checked = checkedGlobal(a, bytes);
        byOffset.put(addr.offset(), new int[] {bytes, checked});
        return checked;
    }

    /** A statement defined these registers: their checked addresses no longer apply. */
    private void forgetChecked(List<Reg> defs) {
        for (Reg r : defs) checkedInBlock.remove(r.id());
    }

    /** Checked global addresses of the current SPIR-V block ({@link #checkedGlobalAt}): register id, offset. */
    private final Map<Integer, Map<Long, int[]>> checkedInBlock = new HashMap<>();
    private int checkedBlock = -1;

    /** The address of a memory operand: u64 for global/const/generic, u32 byte offset for shared/local. */
    int addressOf(Address a, AddressSpace space) throws CodegenException {
        boolean wide = space == AddressSpace.GLOBAL || space == AddressSpace.CONST || space == AddressSpace.GENERIC;
        if (wide) {
            int b = a.base().type().bits() == 32 ? f.op(Op.UConvert, tU64, val(a.base(), ScalarType.U32))
                    : val(a.base(), ScalarType.U64);
            return a.offset() == 0 ? b : f.op(Op.IAdd, tU64, b, cU64(a.offset()));
        }
        int b = a.base().type().bits() == 64 ? f.op(Op.UConvert, tU32, val(a.base(), ScalarType.U64))
                : val(a.base(), ScalarType.U32);
        return a.offset() == 0 ? b : f.op(Op.IAdd, tU32, b, cU32(a.offset()));
    }

    private void load(Inst.Load l) throws CodegenException {
        ScalarType t = l.type();
        if (l.space() == AddressSpace.PARAM) {
            def(l.dst(), paramLoad(l), t);
            return;
        }
        int a = addressOf(l.address(), l.space());
        int x = switch (l.space()) {
            case GLOBAL, CONST -> globalLoad(t, checkedGlobalAt(l.address(), a, t.bytes()), l.order());
            case SHARED -> wordLoad(t, a, true);
            case LOCAL -> wordLoad(t, a, false);
            case GENERIC -> f.op(Op.FunctionCall, ty(t), genericHelper(t, false), a);
            case PARAM -> throw new IllegalStateException();
        };
        def(l.dst(), x, t);
        var o = l.order();
        if (o == org.transcuda.ir.Memory.Order.ACQUIRE || o == org.transcuda.ir.Memory.Order.ACQ_REL
                || o == org.transcuda.ir.Memory.Order.SC) {
            orderingBarrier(l.scope(), Spv.MemorySemantics.Acquire);
        }
    }

    /** Orders a {@code .acquire} load (barrier after) or {@code .release} store (barrier before) at its scope. */
    private void orderingBarrier(org.transcuda.ir.Memory.Scope scope, int semantics) {
        int sc = scope == org.transcuda.ir.Memory.Scope.CTA ? Spv.Scope.Workgroup : Spv.Scope.Device;
        f.opVoid(Op.MemoryBarrier, cU32(sc), cU32(semantics | Spv.MemorySemantics.UniformMemory
                | Spv.MemorySemantics.WorkgroupMemory));
    }

    private void store(Inst.Store s) throws CodegenException {
        ScalarType t = s.type();
        if (s.space() == AddressSpace.PARAM) throw new CodegenException("st.param outside a call is not supported");
        int a = addressOf(s.address(), s.space());
        int v = val(s.src(), t);
        var o = s.order();
        if (o == org.transcuda.ir.Memory.Order.RELEASE || o == org.transcuda.ir.Memory.Order.ACQ_REL
                || o == org.transcuda.ir.Memory.Order.SC) {
            orderingBarrier(s.scope(), Spv.MemorySemantics.Release);
        }
        switch (s.space()) {
            case GLOBAL, CONST -> globalStore(t, checkedGlobalAt(s.address(), a, t.bytes()), v, s.order());
            case SHARED -> wordStore(t, a, v, true);
            case LOCAL -> wordStore(t, a, v, false);
            case GENERIC -> f.op(Op.FunctionCall, m.typeVoid(), genericHelper(t, true), a, v);
            case PARAM -> throw new IllegalStateException();
        }
    }

    private int paramLoad(Inst.Load l) throws CodegenException {
        if (!(l.address().base() instanceof SymbolAddr sa)) {
            throw new CodegenException("ld.param through a register address is not supported on Vulkan");
        }
        Param p = kernel.params().stream().filter(q -> q.name().equals(sa.symbol())).findFirst()
                .orElseThrow(() -> new CodegenException("ld.param of unknown parameter " + sa.symbol()));
        long off = p.offset() + l.address().offset();
        ScalarType t = l.type();
        int bytes = t.bytes();
        if (fir != kernel) throw new CodegenException("ld.param of a kernel parameter inside a device function");
        if (bytes == 8) {
            int lo = word(off);
            int hi = word(off + 4);
            int v = f.op(Op.Bitcast, tU64, f.op(Op.CompositeConstruct, m.typeVector(tU32, 2), lo, hi));
            return f.op(Op.Bitcast, ty(t), v);
        }
        if (bytes == 4) return f.op(Op.Bitcast, ty(t), word(off));
        int w = word(off & ~3L);
        int shifted = f.op(Op.ShiftRightLogical, tU32, w, cU32(8 * (off & 3)));
        int narrow = f.op(Op.UConvert, intType(bytes * 8), shifted);
        return f.op(Op.Bitcast, ty(t), narrow);
    }

    /** The 32-bit argument word holding byte {@code off} (off a multiple of 4), or a combination for misaligned. */
    private int word(long off) throws CodegenException {
        if (off % 4 == 0) return k.argU32((int) off);
        int lo = k.argU32((int) (off & ~3L));
        int hi = k.argU32((int) (off & ~3L) + 4);
        int sh = (int) (8 * (off & 3));
        return f.op(Op.BitwiseOr, tU32, f.op(Op.ShiftRightLogical, tU32, lo, cU32(sh)),
                f.op(Op.ShiftLeftLogical, tU32, hi, cU32(32 - sh)));
    }

    int globalPointer(int type, int address) {
        return f.op(Op.ConvertUToPtr, m.typePointer(Spv.StorageClass.PhysicalStorageBuffer, type), address);
    }

    int globalLoad(ScalarType t, int a, org.transcuda.ir.Memory.Order order) throws CodegenException {
        int type = ty(t);
        int ptr = globalPointer(type, a);
        int access = Spv.MemoryAccess.Aligned;
        if (order != org.transcuda.ir.Memory.Order.WEAK) access |= Spv.MemoryAccess.Volatile;
        return f.op(Op.Load, type, ptr, access, Math.max(1, t.bytes()));
    }

    void globalStore(ScalarType t, int a, int v, org.transcuda.ir.Memory.Order order) throws CodegenException {
        int type = ty(t);
        int ptr = globalPointer(type, a);
        int access = Spv.MemoryAccess.Aligned;
        if (order != org.transcuda.ir.Memory.Order.WEAK) access |= Spv.MemoryAccess.Volatile;
        f.opVoid(Op.Store, ptr, v, access, Math.max(1, t.bytes()));
    }

    int wordPtr(boolean shared, int wordIndex) {
        return shared ? f.accessChain(ptrWgU32, sharedVar, wordIndex) : f.accessChain(ptrPrivU32, localVar, wordIndex);
    }

    /** A load from the shared or local word array at byte offset {@code a} (u32). */
    int wordLoad(ScalarType t, int a, boolean shared) throws CodegenException {
        int idx = f.op(Op.ShiftRightLogical, tU32, a, cU32(2));
        int bytes = t.bytes();
        if (bytes == 4) return f.op(Op.Bitcast, ty(t), f.load(tU32, wordPtr(shared, idx)));
        if (bytes == 8) {
            int lo = f.load(tU32, wordPtr(shared, idx));
            int hi = f.load(tU32, wordPtr(shared, f.op(Op.IAdd, tU32, idx, cU32(1))));
            int v = f.op(Op.Bitcast, tU64, f.op(Op.CompositeConstruct, m.typeVector(tU32, 2), lo, hi));
            return f.op(Op.Bitcast, ty(t), v);
        }
        if (bytes == 1 || bytes == 2) {
            int w = f.load(tU32, wordPtr(shared, idx));
            int sh = f.op(Op.ShiftLeftLogical, tU32, f.op(Op.BitwiseAnd, tU32, a, cU32(3)), cU32(3));
            int narrow = f.op(Op.UConvert, intType(8 * bytes), f.op(Op.ShiftRightLogical, tU32, w, sh));
            return f.op(Op.Bitcast, ty(t), narrow);
        }
        throw new CodegenException("load of " + t.ptxName());
    }

    void wordStore(ScalarType t, int a, int v, boolean shared) throws CodegenException {
        int idx = f.op(Op.ShiftRightLogical, tU32, a, cU32(2));
        int bytes = t.bytes();
        if (bytes == 4) {
            f.store(wordPtr(shared, idx), f.op(Op.Bitcast, tU32, v));
            return;
        }
        if (bytes == 8) {
            int u = f.op(Op.Bitcast, m.typeVector(tU32, 2), f.op(Op.Bitcast, tU64, v));
            f.store(wordPtr(shared, idx), f.compositeExtract(tU32, u, 0));
            f.store(wordPtr(shared, f.op(Op.IAdd, tU32, idx, cU32(1))), f.compositeExtract(tU32, u, 1));
            return;
        }
        if (bytes == 1 || bytes == 2) {
            int sh = f.op(Op.ShiftLeftLogical, tU32, f.op(Op.BitwiseAnd, tU32, a, cU32(3)), cU32(3));
            int vi = f.op(Op.UConvert, tU32, f.op(Op.Bitcast, intType(8 * bytes), v));
            int mask = f.op(Op.ShiftLeftLogical, tU32, cU32(bytes == 1 ? 0xff : 0xffff), sh);
            int bits = f.op(Op.ShiftLeftLogical, tU32, vi, sh);
            int ptr = wordPtr(shared, idx);
            if (shared) {
                atomicWg(Op.AtomicAnd, ptr, f.op(Op.Not, tU32, mask));
                atomicWg(Op.AtomicOr, ptr, bits);
            } else {
                int w = f.load(tU32, ptr);
                f.store(ptr, f.op(Op.BitwiseOr, tU32, f.op(Op.BitwiseAnd, tU32, w, f.op(Op.Not, tU32, mask)), bits));
            }
            return;
        }
        throw new CodegenException("store of " + t.ptxName());
    }

    /** {@code T load(u64)} or {@code void store(u64, T)} on a generic address, dispatching on its window tag. */
    int genericHelper(ScalarType t, boolean isStore) throws CodegenException {
        int type = ty(t);
        String key = (isStore ? "gst" : "gld") + t;
        Integer id = helperIds.get(key);
        if (id != null) return id;
        int fid = m.id();
        helperIds.put(key, fid);
        int ret = isStore ? m.typeVoid() : type;
        int fnType = isStore ? m.typeFunction(ret, tU64, type) : m.typeFunction(ret, tU64);
        pendingHelpers.add(() -> helperBody(fid, ret, fnType, isStore ? new int[] {tU64, type} : new int[] {tU64},
                p -> {
                    int a = p[0];
                    int tag = f.op(Op.ShiftRightLogical, tU64, a, cU64(48));
                    int off = f.op(Op.UConvert, tU32, a);
                    int res = isStore ? 0 : f.variable(m.typePointer(Spv.StorageClass.Function, type));
                    int lShared = m.id(), lNot = m.id(), lLocal = m.id(), lGlobal = m.id(), m1 = m.id(), m2 = m.id();
                    int isShared = f.op(Op.IEqual, tBool, tag, cU64(SHARED_TAG));
                    f.selectionMerge(m1);
                    f.branchConditional(isShared, lShared, lNot);
                    f.label(lShared);
                    if (isStore) wordStore(t, off, p[1], true);
                    else f.store(res, wordLoad(t, off, true));
                    f.branch(m1);
                    f.label(lNot);
                    int isLocal = f.op(Op.IEqual, tBool, tag, cU64(LOCAL_TAG));
                    f.selectionMerge(m2);
                    f.branchConditional(isLocal, lLocal, lGlobal);
                    f.label(lLocal);
                    if (isStore) wordStore(t, off, p[1], false);
                    else f.store(res, wordLoad(t, off, false));
                    f.branch(m2);
                    f.label(lGlobal);
                    int ga = checkedGlobal(a, t.bytes());
                    if (isStore) globalStore(t, ga, p[1], org.transcuda.ir.Memory.Order.WEAK);
                    else f.store(res, globalLoad(t, ga, org.transcuda.ir.Memory.Order.WEAK));
                    f.branch(m2);
                    f.label(m2);
                    f.branch(m1);
                    f.label(m1);
                    if (isStore) f.returnVoid();
                    else f.opVoid(Op.ReturnValue, f.load(type, res));
                }));
        return fid;
    }

    /** Body of a helper function written after the current one. */
    interface HelperBody {
        void emit(int[] params) throws CodegenException;
    }

    /** Registers a helper under {@code key} (once); its body is written after the current function. */
    int helper(String key, int ret, int[] paramTypes, HelperBody body) {
        Integer id = helperIds.get(key);
        if (id != null) return id;
        int fid = m.id();
        helperIds.put(key, fid);
        int fnType = m.typeFunction(ret, paramTypes);
        pendingHelpers.add(() -> helperBody(fid, ret, fnType, paramTypes, body));
        return fid;
    }

    private void helperBody(int fid, int ret, int fnType, int[] paramTypes, HelperBody body) {
        SpirvFunction saved = f;
        boolean savedInHelper = inHelper;
        inHelper = true;
        f = m.function(fid, ret, fnType, Spv.FunctionControl.None);
        k.at(f);
        int[] ps = new int[paramTypes.length];
        for (int i = 0; i < ps.length; i++) ps[i] = f.parameter(paramTypes[i]);
        f.label();
        try {
            body.emit(ps);
        } catch (CodegenException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        f.end();
        f = saved;
        inHelper = savedInHelper;
    }

    // accessors for the other parts of the generator
    Module module() {
        return ir;
    }

    SpirvFunction f() {
        return f;
    }

    SpirvModule m() {
        return m;
    }

    KernelFrame k() {
        return k;
    }

    Target target() {
        return target;
    }

    int glsl() {
        return glsl;
    }

    int tBool() {
        return tBool;
    }

    int tU32() {
        return tU32;
    }

    int tU64() {
        return tU64;
    }

    int tF32() {
        return tF32;
    }

    int tF64() {
        return tF64;
    }

    int intTypeId(int bits) {
        return intType(bits);
    }

    int sharedVar() {
        return sharedVar;
    }

    int ptrWgU32() {
        return ptrWgU32;
    }

    /** {@code NoContraction} on a float add/sub/mul result (so the driver never fuses it). */
    int noContraction(int id) {
        if (decoratedNoContraction.add(id)) m.decorate(id, Spv.Decoration.NoContraction);
        return id;
    }
}
