package org.transcuda.backend.cpu;

import java.lang.foreign.MemorySegment;

/**
 * The lockstep engine's bulk global loads: a load of a lane loop whose site {@code j} of {@link AffineSites} passed
 * this block's check ({@link Exec#lglob}: every address of the site, for every thread of the block, is inside one
 * live allocation and aligned) and whose addresses are consecutive elements in thread order (thread {@code t} at
 * {@code a0 + size·t}: the {@code tid.x} coefficient is the element size, and each further dimension's coefficient
 * is the size of the rows or planes below it, or that dimension is 1) is read for the loop's threads
 * {@code [lo, hi)} with one {@code MemorySegment.copy} into a per-site scratch array before the loop; the loop then
 * reads the thread's element from the array instead of one {@code MemorySegment} access per thread (reduce's
 * {@code in[i]} and {@code in[i + 256]}: about half of its CPU time was these reads).
 *
 * <p>Why it is the same as the per-thread loads: loads have no side effects, and every address of the block was
 * checked, so reading an element that a thread would not load (it skips the access by a branch or a guard) can fault
 * nowhere and changes nothing; the copy reads memory before the loop instead of at each thread's turn, which the
 * compiler allows only when the loop ({@code KernelCompiler}'s {@code laneBulk}) writes no memory that a global
 * load can see: no global, generic or constant store, no atomic outside shared memory, no call, no fence, and every
 * load weak. Shared and local memory are separate arrays of the backend, so their stores cannot change what the copy
 * read. A clear bit or other strides return null and the loop's ordinary (checked or flagged) load runs, so faults
 * keep their thread and instruction. {@code -Dtranscuda.cpu.laneBulk=false}: off.
 */
final class LaneBulk {
    /** {@code -Dtranscuda.cpu.laneBulk=false}: every global load of a lane loop is read thread by thread. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.laneBulk"));

    private LaneBulk() {
    }

    /**
     * The address of thread {@code lo}'s element of site {@code j} in this block, or -1 when the site's bit is clear or
     * its addresses are not consecutive {@code size}-byte elements in thread order.
     */
    static long start(Exec e, int j, int size, int lo, int hi) {
        if ((e.lglob >>> j & 1) == 0 || lo < 0 || hi > e.nthreads) return -1;
        AffineSites a = e.launch.kernel.affine;
        int p = a.prog[j];
        long[] res = e.affineResult;
        if (!((res[4 * p + 1] == size || e.ntx == 1) && (res[4 * p + 2] == (long) size * e.ntx || e.nty == 1)
                && (res[4 * p + 3] == (long) size * e.ntx * e.nty || e.ntz == 1))) {
            return -1;
        }
        return res[4 * p] + a.offset[j] + (long) size * lo;
    }

    /**
     * The scratch array of slot {@code j} in {@code slots}, made on first use with {@code n} elements of {@code kind}
     * (0 byte, 1 short, 2 int, 3 long, 4 float, 5 double); one slot always holds one kind (a site loads one type).
     * Shared with {@link LoopBulk}.
     */
    static Object scratch(Object[] slots, int j, int kind, int n) {
        Object o = slots[j];
        if (o == null) {
            o = slots[j] = switch (kind) {
                case 0 -> new byte[n];
                case 1 -> new short[n];
                case 2 -> new int[n];
                case 3 -> new long[n];
                case 4 -> new float[n];
                default -> new double[n];
            };
        }
        return o;
    }

    private static Object scratch(Exec e, int j, int kind) {
        Object[] s = e.lbulk;
        if (s == null) s = e.lbulk = new Object[AffineSites.MAX_SITES];
        return scratch(s, j, kind, e.nthreads);
    }

    /** Site {@code j}'s 4-byte elements of threads {@code [lo, hi)} at their thread's index, or null (see above). */
    static int[] ld32(Exec e, int j, int lo, int hi) {
        long a = start(e, j, 4, lo, hi);
        if (a < 0 || hi <= lo) return null;
        int[] s = (int[]) scratch(e, j, 2);
        MemorySegment.copy(Mem.ALL, Mem.I32, a, s, lo, hi - lo);
        e.laneBulk++;
        return s;
    }

    static long[] ld64(Exec e, int j, int lo, int hi) {
        long a = start(e, j, 8, lo, hi);
        if (a < 0 || hi <= lo) return null;
        long[] s = (long[]) scratch(e, j, 3);
        MemorySegment.copy(Mem.ALL, Mem.I64, a, s, lo, hi - lo);
        e.laneBulk++;
        return s;
    }

    static float[] ldf32(Exec e, int j, int lo, int hi) {
        long a = start(e, j, 4, lo, hi);
        if (a < 0 || hi <= lo) return null;
        float[] s = (float[]) scratch(e, j, 4);
        MemorySegment.copy(Mem.ALL, Mem.F32, a, s, lo, hi - lo);
        e.laneBulk++;
        return s;
    }

    /**
     * Site {@code j}'s 4-byte elements of threads {@code [lo, hi)} straight into {@code dst}, the load's register
     * array (a lane loop that does nothing else, {@code KernelCompiler}'s {@code laneBulkDirect}); false when the copy
     * does not apply (nothing written: the loop runs).
     */
    static boolean ld32(Exec e, int j, int lo, int hi, int[] dst) {
        long a = start(e, j, 4, lo, hi);
        if (a < 0) return false;
        if (hi > lo) {
            MemorySegment.copy(Mem.ALL, Mem.I32, a, dst, lo, hi - lo);
            e.laneBulk++;
        }
        return true;
    }

    static boolean ld64(Exec e, int j, int lo, int hi, long[] dst) {
        long a = start(e, j, 8, lo, hi);
        if (a < 0) return false;
        if (hi > lo) {
            MemorySegment.copy(Mem.ALL, Mem.I64, a, dst, lo, hi - lo);
            e.laneBulk++;
        }
        return true;
    }

    static boolean ldf32(Exec e, int j, int lo, int hi, float[] dst) {
        long a = start(e, j, 4, lo, hi);
        if (a < 0) return false;
        if (hi > lo) {
            MemorySegment.copy(Mem.ALL, Mem.F32, a, dst, lo, hi - lo);
            e.laneBulk++;
        }
        return true;
    }

    static boolean ldf64(Exec e, int j, int lo, int hi, double[] dst) {
        long a = start(e, j, 8, lo, hi);
        if (a < 0) return false;
        if (hi > lo) {
            MemorySegment.copy(Mem.ALL, Mem.F64, a, dst, lo, hi - lo);
            e.laneBulk++;
        }
        return true;
    }

    static double[] ldf64(Exec e, int j, int lo, int hi) {
        long a = start(e, j, 8, lo, hi);
        if (a < 0 || hi <= lo) return null;
        double[] s = (double[]) scratch(e, j, 5);
        MemorySegment.copy(Mem.ALL, Mem.F64, a, s, lo, hi - lo);
        e.laneBulk++;
        return s;
    }
}
