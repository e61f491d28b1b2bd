package org.transcuda.backend.cpu;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Lockstep engine: an if-converted arm's 32-bit global load ({@link LaneBulk}'s direct copy into the register's
 * array) fused with the full-warp scan chain ({@link WarpScanVec}) that is the register's only reader: the arm does
 * not copy; it records the load's site address and thread range for the block ({@link #defer}), and the chain reads
 * each whole warp inside that range straight from device memory with {@code IntVector.fromMemorySegment} (scan's
 * {@code v = in[i]} then the five {@code shfl.up} steps: one pass over the block's input instead of a copy into the
 * array and a read back).
 *
 * <p>When it applies ({@code KernelCompiler}'s {@code fusedScan}): the chain has five steps (window 32) and is in the
 * block the arm joins; every statement of that block before the chain is register-only and does not mention the
 * register; every statement of the function that reads the register is one of the chain's, and no terminator reads
 * it. So between the arm and the chain nothing reads or redefines the register and nothing writes memory, and after
 * the chain nothing reads the register's array (the arm's threads' elements of it stay stale). The site passed the
 * block's check ({@link LaneBulk#start}: every address of the block inside one live allocation, consecutive 4-byte
 * elements in thread order), so reading an element later, at the chain, can fault nowhere and reads what the copy
 * would have read. A refused site ({@code false}) runs the arm's ordinary loop (a bad pointer faults there, with its
 * thread and instruction, as without this class) and clears the record.
 *
 * <p>The record is for one block ({@link Exec#blockLinear}) and consumed by the chain ({@link #scan}): a chain that
 * finds no record of its block and array is {@link WarpScanVec#scan} unchanged. With a record: every thread active
 * and 1-D-compatible, each whole warp inside the range is loaded from memory and summed as vectors; the lanes of the
 * range in any other warp (a partial last block's boundary warp, a partial last warp) are first copied into the
 * array, then that warp takes {@link WarpScanVec}'s or {@link WarpScan}'s usual form; in every other case the whole
 * range is copied into the array first and {@link WarpScanVec#scan} runs (its declines then read a full array). Bit
 * for bit the same sums. Off with {@code -Dtranscuda.cpu.fusedScan=false}; {@code -Dtranscuda.cpu.stats=true} counts
 * the warps read from memory ({@link Exec#fusedScans}).
 */
final class FusedScan {
    /** On unless {@code -Dtranscuda.cpu.fusedScan=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.fusedScan"));
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    private static final int VL = I.length();
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private FusedScan() {
    }

    /** Whether the compiler may use it: the vector module present and a species {@link WarpScanVec} fits. */
    static boolean usable() {
        return ENABLED && LaneVec.AVAILABLE && WarpScanVec.fits();
    }

    /**
     * The arm's load of site {@code j} for threads {@code [lo, hi)} into {@code dst}, deferred to the chain: true
     * when the site passed ({@link LaneBulk#start}; the record set, nothing copied), false when it did not (the
     * record cleared, the arm's loop runs).
     */
    static boolean defer(Exec e, int j, int lo, int hi, int[] dst) {
        long a = LaneBulk.start(e, j, 4, lo, hi);
        if (a < 0 || hi <= lo) {
            e.fuseBlock = -1;
            return a >= 0;
        }
        e.fuseBlock = e.blockLinear;
        e.fuseBase = a - 4L * lo;
        e.fuseLo = lo;
        e.fuseHi = hi;
        e.fuseDst = dst;
        e.laneBulk++;
        return true;
    }

    /** Copies the recorded load's elements of threads {@code [from, to)} (clipped to its range) into {@code in}. */
    private static void fill(Exec e, int[] in, int from, int to) {
        int s = Math.max(from, e.fuseLo), t = Math.min(to, e.fuseHi);
        if (t > s) MemorySegment.copy(Mem.ALL, Mem.I32, e.fuseBase + 4L * s, in, s, t - s);
    }

    /** {@link WarpScanVec#scan} of a five-step chain whose input register is {@code in}, consuming the record. */
    static boolean scan(Exec e, int[] in, int[] out, int steps, boolean tidLane) {
        if (e.fuseBlock != e.blockLinear || e.fuseDst != in) return WarpScanVec.scan(e, in, out, steps, tidLane);
        e.fuseBlock = -1;
        e.fuseDst = null;
        int n = e.nthreads;
        if (steps != 5 || e.lfull == 0 || (tidLane && (e.ntx & 31) != 0 && e.nty * e.ntz != 1)) {
            fill(e, in, 0, n);
            return WarpScanVec.scan(e, in, out, steps, tidLane);
        }
        int lo = e.fuseLo, hi = e.fuseHi;
        long base = e.fuseBase;
        int end = n & ~31;
        long fused = 0;
        for (int w = 0; w < end; w += 32) {
            if (w >= lo && w + 32 <= hi) {
                warp(base + 4L * w, out, w);
                fused++;
            } else {
                fill(e, in, w, w + 32);
                WarpScanVec.warp(in, out, w);
            }
        }
        if (end < n) {
            fill(e, in, end, n);
            WarpScan.warp(e, in, out, end, n - end, 32);
        }
        e.warpScans += (n + 31) >>> 5;
        e.warpScanVecs += end >>> 5;
        e.fusedScans += fused;
        return true;
    }

    /** {@link WarpScanVec#warp} of the 32 ints at device address {@code a}. */
    private static void warp(long a, int[] out, int w) {
        MemorySegment m = Mem.ALL;
        if (VL == 16) {
            WarpScanVec.warp2(IntVector.fromMemorySegment(I, m, a, LE), IntVector.fromMemorySegment(I, m, a + 64, LE),
                    out, w);
        } else {
            WarpScanVec.warp4(IntVector.fromMemorySegment(I, m, a, LE), IntVector.fromMemorySegment(I, m, a + 32, LE),
                    IntVector.fromMemorySegment(I, m, a + 64, LE), IntVector.fromMemorySegment(I, m, a + 96, LE),
                    out, w);
        }
    }
}
