package org.transcuda.backend.vulkan.codegen;

import org.transcuda.backend.vulkan.spirv.Op;
import org.transcuda.backend.vulkan.spirv.SpirvFunction;
import org.transcuda.backend.vulkan.spirv.Spv;
import org.transcuda.ir.Memory;
import org.transcuda.ir.ScalarType;

/**
 * 64-bit atomics on shared memory ({@code atom/red.shared} of {@code .b64/.u64/.s64/.f64}: add, and/or/xor,
 * min/max, exch, cas) for {@link Atomics}; also the shared branch of 64-bit atomics on generic addresses.
 *
 * <p>Shared memory is one array of 32-bit words, and SPIR-V cannot view it as 64-bit words without
 * {@code VK_KHR_workgroup_memory_explicit_layout} (which lavapipe lacks), so {@code shaderSharedInt64Atomics}
 * does not help and a 64-bit compare-and-swap on two words is impossible. The operation runs under a lock instead:
 * {@value #LOCKS} lock words among the backend's extra shared words ({@link SpirvCodegen#lockWord}, zeroed by the
 * block when the kernel starts), the lock chosen by the 8-byte word's index. The loop keeps acquire, critical
 * section and release in the same iteration, so lanes of one SIMT group that lose the lock retry while the winner
 * finishes (the naive "spin until acquired, then work" shape deadlocks when the winner waits at the loop's
 * reconvergence for the losers). The iteration is straight-line code, like the compare-and-swap loops of
 * {@link Atomics}: {@code won = CAS(lock, 0, 1) == 0}; the two words read, computed and written are the operand's
 * when {@code won}, else two dummy words (junk nobody reads); the unlocking store goes to the lock when {@code won},
 * else to a dummy lock word; the loop exits when {@code won}. The old value leaves the loop through a two-element
 * function array written at a dynamic index ({@code won ? 0 : 1}): on lavapipe a value computed in the loop and used
 * after it came out as 0 for lanes that left in an earlier iteration than others of their subgroup.
 *
 * <p>The lock's atomics are relaxed: with acquire/release semantics lavapipe lost whole lanes in this loop. That is
 * correct on lavapipe (a workgroup's subgroups run one after another between barriers and its atomics are
 * sequentially consistent in LLVM); a GPU with a weaker memory model may need fences around the critical section
 * (not tested: no such device here). Atomic with respect to the other 64-bit shared atomics (CUDA's guarantee); a
 * 32-bit atomic on half of the same 8 bytes is not ordered with it (CUDA programs do not mix them).
 */
final class SharedAtomics64 {
    /** Lock words. */
    static final int LOCKS = 32;
    /** Extra-word index of the two dummy data words a thread without the lock works on. */
    static final int DUMMY = LOCKS;
    /** Lock index of the dummy lock word such a thread "releases". */
    static final int DUMMY_LOCK = LOCKS + 2;
    /** Extra words: the locks, the dummy data words and the dummy lock. */
    static final int WORDS = LOCKS + 3;

    private SharedAtomics64() {
    }

    /**
     * A call of the locked helper for {@code op} on type {@code t} at shared byte offset {@code addr} (u32); returns
     * the old value as {@code t}. {@code y} is the CAS new value (0 otherwise).
     */
    static int call(SpirvCodegen g, Memory.AtomicOp op, ScalarType t, int addr, int x, int y) throws CodegenException {
        switch (op) {
            case ADD, AND, OR, XOR, MIN, MAX, EXCH, CAS -> {
            }
            default -> throw new CodegenException("atom.shared." + op.name().toLowerCase(java.util.Locale.ROOT)
                    + t.ptxName() + " is not supported on Vulkan");
        }
        if ((t == ScalarType.F64) && op != Memory.AtomicOp.ADD && op != Memory.AtomicOp.EXCH
                && op != Memory.AtomicOp.CAS) {
            throw new CodegenException("atom.shared." + op + t.ptxName() + " is not supported on Vulkan");
        }
        int type = g.ty(t);
        int u64 = g.tU64();
        int u32 = g.tU32();
        boolean cas = op == Memory.AtomicOp.CAS;
        int[] params = cas ? new int[] {u32, type, type} : new int[] {u32, type};
        int fn = g.helper("satom64" + op + t, type, params, p -> {
            SpirvFunction h = g.f();
            int bool = g.tBool();
            int wordIdx = h.op(Op.ShiftRightLogical, u32, p[0], g.cU32(2));
            int lockIdx = h.op(Op.BitwiseAnd, u32, h.op(Op.ShiftRightLogical, u32, p[0], g.cU32(3)),
                    g.cU32(LOCKS - 1));
            // the result leaves the loop through memory, by a dynamic index (see the class comment)
            int slots = h.variable(g.m().typePointer(Spv.StorageClass.Function, g.m().typeArray(u64, g.cU32(2))));
            int ptrSlot = g.m().typePointer(Spv.StorageClass.Function, u64);
            int header = g.m().id(), body = g.m().id(), cont = g.m().id(), merge = g.m().id();
            h.branch(header);
            h.label(header);
            h.loopMerge(merge, cont);
            h.branch(body);
            h.label(body);
            int wg = g.cU32(Spv.Scope.Workgroup);
            int acquire = g.cU32(0);
            int release = g.cU32(0);
            int got = h.op(Op.AtomicCompareExchange, u32, g.lockWord(lockIdx), wg, acquire, g.cU32(0), g.cU32(1),
                    g.cU32(0));
            int won = h.op(Op.IEqual, bool, got, g.cU32(0));
            // straight-line critical section: a thread that did not get the lock works on the dummy words
            int lo0 = h.op(Op.Select, u32, won, wordIdx, g.extraIndex(g.cU32(DUMMY)));
            int pLo = h.accessChain(g.ptrWgU32(), g.sharedVar(), lo0);
            int pHi = h.accessChain(g.ptrWgU32(), g.sharedVar(), h.op(Op.IAdd, u32, lo0, g.cU32(1)));
            int lo = h.op(Op.AtomicLoad, u32, pLo, wg, g.cU32(0));
            int hi = h.op(Op.AtomicLoad, u32, pHi, wg, g.cU32(0));
            int oldBits = h.op(Op.BitwiseOr, u64, h.op(Op.UConvert, u64, lo),
                    h.op(Op.ShiftLeftLogical, u64, h.op(Op.UConvert, u64, hi), g.cU64(32)));
            int xb = t == ScalarType.F64 ? h.op(Op.Bitcast, u64, p[1]) : p[1];
            boolean sg = t.kind() == ScalarType.Kind.SIGNED;
            int newBits = switch (op) {
                case ADD -> t == ScalarType.F64
                        ? h.op(Op.Bitcast, u64, g.noContraction(h.op(Op.FAdd, type, h.op(Op.Bitcast, type, oldBits),
                                p[1])))
                        : h.op(Op.IAdd, u64, oldBits, xb);
                case AND -> h.op(Op.BitwiseAnd, u64, oldBits, xb);
                case OR -> h.op(Op.BitwiseOr, u64, oldBits, xb);
                case XOR -> h.op(Op.BitwiseXor, u64, oldBits, xb);
                case MIN -> h.op(Op.Select, u64, h.op(sg ? Op.SLessThan : Op.ULessThan, bool, xb, oldBits), xb, oldBits);
                case MAX -> h.op(Op.Select, u64, h.op(sg ? Op.SGreaterThan : Op.UGreaterThan, bool, xb, oldBits), xb,
                        oldBits);
                case EXCH -> xb;
                default -> { // CAS: p[1] compare, p[2] new value
                    int yb = t == ScalarType.F64 ? h.op(Op.Bitcast, u64, p[2]) : p[2];
                    yield h.op(Op.Select, u64, h.op(Op.IEqual, bool, oldBits, xb), yb, oldBits);
                }
            };
            h.opVoid(Op.AtomicStore, pLo, wg, g.cU32(0), h.op(Op.UConvert, u32, newBits));
            h.opVoid(Op.AtomicStore, pHi, wg, g.cU32(0), h.op(Op.UConvert, u32,
                    h.op(Op.ShiftRightLogical, u64, newBits, g.cU64(32))));
            int releaseIdx = h.op(Op.Select, u32, won, lockIdx, g.cU32(DUMMY_LOCK));
            h.opVoid(Op.AtomicStore, g.lockWord(releaseIdx), wg, release, g.cU32(0));
            h.store(h.accessChain(ptrSlot, slots, h.op(Op.Select, u32, won, g.cU32(0), g.cU32(1))), oldBits);
            h.branchConditional(won, merge, cont);
            h.label(cont);
            h.branch(header);
            h.label(merge);
            int r = h.load(u64, h.accessChain(ptrSlot, slots, g.cU32(0)));
            h.opVoid(Op.ReturnValue, t == ScalarType.F64 ? h.op(Op.Bitcast, type, r) : r);
        });
        return cas ? g.f().op(Op.FunctionCall, type, fn, addr, x, y) : g.f().op(Op.FunctionCall, type, fn, addr, x);
    }
}
