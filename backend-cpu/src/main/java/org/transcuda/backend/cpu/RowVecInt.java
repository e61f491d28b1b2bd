package org.transcuda.backend.cpu;

import java.util.List;
import org.transcuda.ir.Const;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Opcode;
import org.transcuda.ir.ScalarType;
import org.transcuda.ir.Value;

/**
 * {@link RowVec}'s direct form (grid-row loops as vectors on device memory) for 32-bit integer paths and for
 * block-uniform loads: scan's {@code scan_add} ({@code out[i] += offsets[blockIdx.x]}).
 *
 * <h2>Which paths</h2>
 * Besides {@link RowVec}'s f32 statements: loads and stores of 32-bit integer types ({@code .b32/.u32/.s32}) of 32-bit
 * integer registers ({@code IntVector.fromMemorySegment / intoMemorySegment}); {@code add, sub} (no {@code .sat}),
 * {@code mul.lo}, {@code and, or, xor} of 32-bit integers, {@code shl} and {@code shr} (arithmetic for {@code .s32},
 * logical otherwise) by a constant amount 0..31, and integer {@code mov}s, over vector registers, block-uniform
 * registers and constants. Each is the lane-wise {@code IntVector} operation, which wraps modulo 2^32 as Java's
 * {@code int} arithmetic of the scalar code does ({@code mul.lo}: the low 32 bits of the product; the shift amounts
 * are those for which the scalar code's {@code Rt.shl/shrS/shrU} are Java's {@code << >> >>>}); integer operations
 * have no NaN rules. A float register never meets an integer operation (no reinterpreting {@code mov}).
 *
 * <h2>Block-uniform loads</h2>
 * A load whose address program ({@link AffineSites}) has no {@code %tid} term ({@code offsets[blockIdx.x]}: one
 * address per block of the row, {@link Exec#rowAcx} apart, {@link GridRows}) is read once per block of the loop's
 * lanes, before that block's vectors, and broadcast ({@code rK}'s loop is then one loop over the blocks around the
 * loop over a block's vectors). Per loop ({@link RowVec#ok}) its address must have no {@code tid.x} coefficient, the
 * block size and the loop's first lane must be multiples of the vector length (no vector spans two blocks), and its
 * words over the loop's blocks must miss every store's range, so reading it earlier than the array form does (before
 * the block's stores, not before the loop's) reads the same values. Otherwise the loop runs in the array form.
 *
 * <p>{@code -Dtranscuda.cpu.rowVecInt=false}: paths that need this class run in the array form as before (per launch,
 * from {@link CpuDevice#rowVecInt}); the f32 paths of {@link RowVec} are unchanged. Counted with {@link RowVec}'s
 * loops ("as vectors on memory").
 */
final class RowVecInt {
    /** {@code -Dtranscuda.cpu.rowVecInt=false}: integer paths and block-uniform loads keep the array form. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.rowVecInt"));
    /** Marks a block-uniform load's site in {@link RowVec#accesses} (sites are below {@link AffineSites#MAX_SITES}). */
    static final int UNIFORM = 1 << 30;

    private RowVecInt() {
    }

    /** The default of {@link CpuDevice#rowVecInt}: on unless switched off. */
    static boolean defaultOn() {
        return ENABLED;
    }

    /** A 32-bit integer type (held in a Java {@code int}). */
    static boolean int32(ScalarType t) {
        return t == ScalarType.B32 || t == ScalarType.U32 || t == ScalarType.S32;
    }

    /** The integer operations above, 32-bit type and result. */
    static boolean op(Inst.Compute c) {
        if (!int32(c.type()) || !int32(c.dst().type())) return false;
        return switch (c.op()) {
            case ADD, SUB -> c.srcs().size() == 2 && !c.mode().sat();
            case MUL, AND, OR, XOR -> c.srcs().size() == 2;
            case SHL, SHR -> c.srcs().size() == 2 && shift(c.srcs().get(1)) >= 0;
            default -> false;
        };
    }

    /** A constant shift amount 0..31, else -1. */
    static int shift(Value v) {
        return v instanceof Const k && k.bits() >= 0 && k.bits() < 32 ? (int) k.bits() : -1;
    }

    /** The sources of {@code c} that are vectors or broadcast (a shift's constant amount is not). */
    static List<Value> vectorSources(Inst.Compute c) {
        return c.op() == Opcode.SHL || c.op() == Opcode.SHR ? List.of(c.srcs().get(0)) : c.srcs();
    }

    /** Whether hoisted site {@code j}'s address program has no {@code %tid} term (block-uniform in a grid row). */
    static boolean blockUniform(AffineSites a, int j) {
        int p = a.prog[j];
        int[] ops = a.ops(p);
        long[] args = a.args(p);
        for (int i = 0; i < ops.length; i++) {
            if (ops[i] == AffineSites.SPECIAL
                    && (args[i] == AffineSites.TX || args[i] == AffineSites.TY || args[i] == AffineSites.TZ)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the words of block-uniform load {@code j} over the current loop's blocks ({@link RowVec#base} for the
     * first block, {@link Exec#rowAcx} apart) miss the store range {@code [bs, bs + bytes)}.
     */
    static boolean apart(Exec e, int j, long bs, long bytes) {
        AffineSites a = e.launch.kernel.affine;
        long u = RowVec.base(e, j);
        long step = e.rowAcx[a.prog[j]];
        long last = (e.vx0 + e.vn - 1L) / e.ntx;
        long lo = Math.min(u, u + step * last), hi = Math.max(u, u + step * last) + (1L << a.log2[j]);
        return hi <= bs || bs + bytes <= lo;
    }

    /** The first block's address of block-uniform load {@code j} in the current loop ({@code rK}). */
    static long base(Exec e, int j) {
        return RowVec.base(e, j);
    }

    /** The {@code ctaid.x} step of block-uniform load {@code j}'s address in the current loop ({@code rK}). */
    static long step(Exec e, int j) {
        return e.rowAcx[e.launch.kernel.affine.prog[j]];
    }

    /** A block-uniform 32-bit integer load's value ({@code rK}; the loop's accesses were checked). */
    static int ld32(long address) {
        return Mem.ALL.get(Mem.I32, address);
    }

    /** A block-uniform f32 load's value ({@code rK}; the loop's accesses were checked). */
    static float ldf32(long address) {
        return Mem.ALL.get(Mem.F32, address);
    }
}
