package org.transcuda.backend.vulkan.codegen;

import org.transcuda.backend.vulkan.spirv.Op;
import org.transcuda.backend.vulkan.spirv.SpirvFunction;
import org.transcuda.backend.vulkan.spirv.Spv;
import org.transcuda.ir.AddressSpace;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Memory;
import org.transcuda.ir.ScalarType;

/**
 * {@code atom}/{@code red} for {@link SpirvCodegen}.
 *
 * <ul>
 * <li>Global memory: 32- and 64-bit integer operations are single SPIR-V atomics on a
 * {@code PhysicalStorageBuffer} pointer (64-bit ones need {@code shaderBufferInt64Atomics}); {@code add.f32}
 * is {@code OpAtomicFAddEXT} where the device has {@code shaderBufferFloat32AtomicAdd}.</li>
 * <li>Shared memory: 32-bit operations on the shared word array; 64-bit ones under a lock
 * ({@link SharedAtomics64}: the array is of 32-bit words).</li>
 * <li>Emulated with a compare-and-swap loop (a helper function): {@code add.f32} without the feature,
 * {@code add.f64}, {@code inc}, {@code dec} and float add on shared memory. The loop reads the word
 * atomically, computes the new value and retries until {@code OpAtomicCompareExchange} sees the value it
 * read: linearizable like the hardware instruction. The old value leaves the loop through memory at a dynamic
 * index, since on lavapipe a loop value used after the loop came out 0 for lanes that finished earlier than others
 * of their subgroup ({@code ContendedAtomicsTest}).</li>
 * <li>Generic addresses: a helper dispatches on the window tag to the shared or the global form.</li>
 * </ul>
 * Scope: {@code .cta} is {@code Workgroup}, anything wider {@code Device}; orders stronger than relaxed add
 * acquire-release semantics on uniform and workgroup memory.
 */
final class Atomics {
    private final SpirvCodegen g;

    private Atomics(SpirvCodegen g) {
        this.g = g;
    }

    static void atomic(SpirvCodegen g, Inst.Atomic a) throws CodegenException {
        new Atomics(g).emit(a);
    }

    private SpirvFunction f() {
        return g.f();
    }

    private void emit(Inst.Atomic a) throws CodegenException {
        ScalarType t = a.type();
        int w = t.bits();
        if (w != 32 && w != 64) throw new CodegenException("atom" + t.ptxName() + ": only 32/64-bit atomics on Vulkan");
        if (t == ScalarType.F64 && g.tF64() == 0) throw new CodegenException("no 64-bit floats on this device");
        boolean isFloat = t == ScalarType.F32 || t == ScalarType.F64;
        if (isFloat && a.op() != Memory.AtomicOp.ADD && a.op() != Memory.AtomicOp.EXCH && a.op() != Memory.AtomicOp.CAS) {
            throw new CodegenException("atom." + a.op().name().toLowerCase(java.util.Locale.ROOT) + t.ptxName()
                    + " is not supported on Vulkan");
        }
        if (w == 64 && a.space() != AddressSpace.SHARED) {
            if (!g.target().int64Atomics()) {
                throw new CodegenException("64-bit atomics need shaderBufferInt64Atomics, which the device lacks");
            }
            g.m().capability(Spv.Capability.Int64Atomics);
        }
        int scope = a.scope() == Memory.Scope.CTA ? Spv.Scope.Workgroup : Spv.Scope.Device;
        int sem = a.order() == Memory.Order.RELAXED || a.order() == Memory.Order.WEAK ? 0
                : Spv.MemorySemantics.AcquireRelease | Spv.MemorySemantics.UniformMemory
                        | Spv.MemorySemantics.WorkgroupMemory;
        int x = g.val(a.a(), t);
        int y = a.b() == null ? 0 : g.val(a.b(), t);
        AddressSpace space = a.space();
        int addr = g.addressOf(a.address(), space == AddressSpace.CONST ? AddressSpace.GLOBAL : space);
        int old = switch (space) {
            case GLOBAL, CONST -> direct(false, a.op(), t, addr, x, y, scope, sem);
            case SHARED -> direct(true, a.op(), t, addr, x, y, Spv.Scope.Workgroup, sem);
            case GENERIC -> genericCall(a.op(), t, addr, x, y, scope, sem);
            default -> throw new CodegenException("atomics on " + space + " memory");
        };
        if (a.dst() != null) g.def(a.dst(), old, t);
    }

    private int intT(ScalarType t) {
        return g.intTypeId(t.bits());
    }

    private int pointer(boolean shared, ScalarType t, int addr) {
        if (shared) {
            int idx = f().op(Op.ShiftRightLogical, g.tU32(), addr, g.cU32(2));
            return f().accessChain(g.ptrWgU32(), g.sharedVar(), idx);
        }
        return g.globalPointer(intT(t), g.checkedGlobal(addr, t.bytes()));
    }

    /** The atomic in the current function; returns the old value as {@code t}. */
    private int direct(boolean shared, Memory.AtomicOp op, ScalarType t, int addr, int x, int y, int scope, int sem)
            throws CodegenException {
        boolean isFloat = t == ScalarType.F32 || t == ScalarType.F64;
        int it = intT(t);
        if (shared && t.bits() == 64) return SharedAtomics64.call(g, op, t, addr, x, y);
        if (needsLoop(shared, op, t)) {
            int fn = casLoop(shared, op, t, scope);
            return f().op(Op.FunctionCall, g.ty(t), fn, addr, x);
        }
        if (isFloat && op == Memory.AtomicOp.ADD) {
            g.m().capability(Spv.Capability.AtomicFloat32AddEXT).extension("SPV_EXT_shader_atomic_float_add");
            int ptr = g.globalPointer(g.tF32(), g.checkedGlobal(addr, 4));
            return f().op(Op.AtomicFAddEXT, g.tF32(), ptr, g.cU32(scope), g.cU32(sem), x);
        }
        int ptr = pointer(shared, t, addr);
        int xi = isFloat ? f().op(Op.Bitcast, it, x) : x;
        int yi = isFloat && y != 0 ? f().op(Op.Bitcast, it, y) : y;
        boolean sg = t.kind() == ScalarType.Kind.SIGNED;
        int sc = g.cU32(scope);
        int sm = g.cU32(sem);
        int r = switch (op) {
            case ADD -> f().op(Op.AtomicIAdd, it, ptr, sc, sm, xi);
            case SUB -> f().op(Op.AtomicISub, it, ptr, sc, sm, xi);
            case AND -> f().op(Op.AtomicAnd, it, ptr, sc, sm, xi);
            case OR -> f().op(Op.AtomicOr, it, ptr, sc, sm, xi);
            case XOR -> f().op(Op.AtomicXor, it, ptr, sc, sm, xi);
            case MIN -> f().op(sg ? Op.AtomicSMin : Op.AtomicUMin, it, ptr, sc, sm, xi);
            case MAX -> f().op(sg ? Op.AtomicSMax : Op.AtomicUMax, it, ptr, sc, sm, xi);
            case EXCH -> f().op(Op.AtomicExchange, it, ptr, sc, sm, xi);
            case CAS -> f().op(Op.AtomicCompareExchange, it, ptr, sc, sm, sm, yi, xi);
            default -> throw new CodegenException("atom." + op);
        };
        return isFloat ? f().op(Op.Bitcast, g.ty(t), r) : r;
    }

    private boolean needsLoop(boolean shared, Memory.AtomicOp op, ScalarType t) {
        if (op == Memory.AtomicOp.INC || op == Memory.AtomicOp.DEC) return true;
        if (op == Memory.AtomicOp.ADD && t == ScalarType.F64) return true;
        return op == Memory.AtomicOp.ADD && t == ScalarType.F32 && (shared || !g.target().float32AtomicAdd());
    }

    /** {@code T helper(addr, T a)}: a compare-and-swap loop computing {@code new = op(old, a)}. */
    private int casLoop(boolean shared, Memory.AtomicOp op, ScalarType t, int scope) throws CodegenException {
        int type = g.ty(t);
        int it = intT(t);
        int addrType = shared ? g.tU32() : g.tU64();
        String key = "cas" + (shared ? "S" : "G") + op + t + scope;
        return g.helper(key, type, new int[] {addrType, type}, p -> {
            SpirvFunction fn = g.f();
            int ptr = pointer(shared, t, p[0]);
            // the old value leaves the loop through memory at a dynamic index: on lavapipe a value computed in the
            // loop and used after it came out wrong (0) for lanes that left in an earlier iteration than others
            int slots = fn.variable(g.m().typePointer(Spv.StorageClass.Function, g.m().typeArray(it, g.cU32(2))));
            int ptrSlot = g.m().typePointer(Spv.StorageClass.Function, it);
            int header = g.m().id(), body = g.m().id(), cont = g.m().id(), merge = g.m().id();
            fn.branch(header);
            fn.label(header);
            fn.loopMerge(merge, cont);
            fn.branch(body);
            fn.label(body);
            int sc = g.cU32(scope);
            int z = g.cU32(0);
            int oldBits = fn.op(Op.AtomicLoad, it, ptr, sc, z);
            int old = it == type ? oldBits : fn.op(Op.Bitcast, type, oldBits);
            int nv = switch (op) {
                case ADD -> fn.op(Op.FAdd, type, old, p[1]);
                case INC -> fn.op(Op.Select, type, fn.op(Op.UGreaterThanEqual, g.tBool(), old, p[1]),
                        g.cInt(t.bits(), 0), fn.op(Op.IAdd, type, old, g.cInt(t.bits(), 1)));
                case DEC -> fn.op(Op.Select, type, fn.op(Op.LogicalOr, g.tBool(),
                        fn.op(Op.IEqual, g.tBool(), old, g.cInt(t.bits(), 0)),
                        fn.op(Op.UGreaterThan, g.tBool(), old, p[1])), p[1],
                        fn.op(Op.ISub, type, old, g.cInt(t.bits(), 1)));
                default -> throw new CodegenException("CAS loop for " + op);
            };
            int newBits = it == type ? nv : fn.op(Op.Bitcast, it, nv);
            int got = fn.op(Op.AtomicCompareExchange, it, ptr, sc, z, z, newBits, oldBits);
            int done = fn.op(Op.IEqual, g.tBool(), got, oldBits);
            fn.store(fn.accessChain(ptrSlot, slots, fn.op(Op.Select, g.tU32(), done, g.cU32(0), g.cU32(1))), got);
            fn.branchConditional(done, merge, cont);
            fn.label(cont);
            fn.branch(header);
            fn.label(merge);
            int r = fn.load(it, fn.accessChain(ptrSlot, slots, g.cU32(0)));
            fn.opVoid(Op.ReturnValue, it == type ? r : fn.op(Op.Bitcast, type, r));
        });
    }

    /** A call of the generic form: shared window to the shared atomic (32-bit), else global. */
    private int genericCall(Memory.AtomicOp op, ScalarType t, int addr, int x, int y, int scope, int sem)
            throws CodegenException {
        int type = g.ty(t);
        boolean cas = op == Memory.AtomicOp.CAS;
        int[] params = cas ? new int[] {g.tU64(), type, type} : new int[] {g.tU64(), type};
        String key = "gatom" + op + t + scope + ":" + sem;
        int fn = g.helper(key, type, params, p -> {
            SpirvFunction h = g.f();
            int tag = h.op(Op.ShiftRightLogical, g.tU64(), p[0], g.cU64(48));
            int isShared = h.op(Op.IEqual, g.tBool(), tag, g.cU64(SpirvCodegen.SHARED_TAG));
            int lS = g.m().id(), lG = g.m().id(), merge = g.m().id();
            int res = h.variable(g.m().typePointer(Spv.StorageClass.Function, type));
            h.selectionMerge(merge);
            h.branchConditional(isShared, lS, lG);
            h.label(lS);
            int off = h.op(Op.UConvert, g.tU32(), p[0]);
            h.store(res, direct(true, op, t, off, p[1], cas ? p[2] : 0, Spv.Scope.Workgroup, sem));
            h.branch(merge);
            h.label(lG);
            h.store(res, direct(false, op, t, p[0], p[1], cas ? p[2] : 0, scope, sem));
            h.branch(merge);
            h.label(merge);
            h.opVoid(Op.ReturnValue, h.load(type, res));
        });
        return cas ? f().op(Op.FunctionCall, type, fn, addr, x, y) : f().op(Op.FunctionCall, type, fn, addr, x);
    }
}
