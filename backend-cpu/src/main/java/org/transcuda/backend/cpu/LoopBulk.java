package org.transcuda.backend.cpu;

import java.lang.foreign.MemorySegment;

/**
 * The lockstep engine's bulk global loads for accesses checked once per lane loop ({@link LoopChecks}' {@link
 * LoopChecks.Index} form, {@code uni + ext(idx)·scale + offset}): histogram's grid-stride {@code data[i]}, whose
 * index is loop-carried, so {@link LaneBulk} (block-affine sites only) does not reach it. When every thread of the
 * block is active, the loop check passed, the prescan's extremes of {@code idx} (in the order of its extension) are
 * {@code nthreads − 1} apart (so the indices do not wrap), the scale is the element size and thread {@code t}'s index
 * is thread 0's plus {@code t} (one compare loop over the index register's array: the prescan's vectorized reductions
 * cannot tell a permutation from thread order, and an {@code idx − t} reduction added to them kept C2 from vectorizing
 * the prescan, which cost more than the copy saved), thread {@code t} reads the element at {@code start + size·t}:
 * one {@code MemorySegment.copy} of the block's {@code nthreads} elements into a per-site scratch array before the
 * loop, and the loop reads the thread's element from it instead of one {@code MemorySegment} access per thread.
 *
 * <p>Same conditions as {@link LaneBulk} for why the copy reads what the per-thread loads would (the compiler
 * allows it only in a loop that writes no memory a global load can see and whose loads are all weak; every address
 * was checked inside one live allocation), and every element copied is one that a thread of the loop loads (all
 * threads are active and the access is unguarded). When a condition fails the methods return null and the loop's
 * ordinary loads run, so faults keep their thread and instruction. {@code -Dtranscuda.cpu.loopBulk=false}: off.
 */
final class LoopBulk {
    /** {@code -Dtranscuda.cpu.loopBulk=false}: loads checked once per loop are read thread by thread. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.loopBulk"));

    private LoopBulk() {
    }

    /**
     * The address of thread 0's element, or -1 when the copy does not apply: {@code ok} is the loop check's flag,
     * {@code base} the access's {@code uni + offset}, {@code min/max} the prescan's extremes of the index (of
     * {@code idx ^ 0x80000000} when it is zero-extended), {@code idx} the index register's per-thread array as the
     * loop starts, or null when thread {@code t}'s index is known to be {@code min + t} ({@link StrideLoop}).
     */
    static long start(Exec e, boolean ok, long base, int min, int max, int[] idx, boolean signed, int scale,
            int size) {
        int n = e.nthreads;
        if (!ok || scale != size || e.lfull == 0 || (long) max - (long) min != n - 1) return -1;
        // thread t's index is idx[0] + t (a separate loop: in the prescan, idx - t kept C2 from vectorizing it);
        // null: the caller knows it (StrideLoop's iterations, whose indices are base + t)
        if (idx != null) {
            int d = idx[0];
            for (int t = 1; t < n; t++) if (idx[t] != d + t) return -1;
        }
        long lo = signed ? min : Integer.toUnsignedLong(min ^ Integer.MIN_VALUE);
        return base + lo * scale;
    }

    private static Object scratch(Exec e, int site, int kind) {
        Object[] s = e.lloopBulk;
        if (s == null) s = e.lloopBulk = new Object[e.sites.length];
        return LaneBulk.scratch(s, site, kind, e.nthreads);
    }

    /** Site {@code site}'s bytes of every thread at their thread's index, or null (see {@link #start}). */
    static byte[] ld8(Exec e, int site, boolean ok, long base, int min, int max, int[] idx, boolean signed,
            int scale) {
        long a = start(e, ok, base, min, max, idx, signed, scale, 1);
        if (a < 0) return null;
        byte[] s = (byte[]) scratch(e, site, 0);
        MemorySegment.copy(Mem.ALL, Mem.I8, a, s, 0, e.nthreads);
        e.laneBulk++;
        return s;
    }

    static short[] ld16(Exec e, int site, boolean ok, long base, int min, int max, int[] idx,
            boolean signed, int scale) {
        long a = start(e, ok, base, min, max, idx, signed, scale, 2);
        if (a < 0) return null;
        short[] s = (short[]) scratch(e, site, 1);
        MemorySegment.copy(Mem.ALL, Mem.I16, a, s, 0, e.nthreads);
        e.laneBulk++;
        return s;
    }

    static int[] ld32(Exec e, int site, boolean ok, long base, int min, int max, int[] idx, boolean signed,
            int scale) {
        long a = start(e, ok, base, min, max, idx, signed, scale, 4);
        if (a < 0) return null;
        int[] s = (int[]) scratch(e, site, 2);
        MemorySegment.copy(Mem.ALL, Mem.I32, a, s, 0, e.nthreads);
        e.laneBulk++;
        return s;
    }

    static long[] ld64(Exec e, int site, boolean ok, long base, int min, int max, int[] idx,
            boolean signed, int scale) {
        long a = start(e, ok, base, min, max, idx, signed, scale, 8);
        if (a < 0) return null;
        long[] s = (long[]) scratch(e, site, 3);
        MemorySegment.copy(Mem.ALL, Mem.I64, a, s, 0, e.nthreads);
        e.laneBulk++;
        return s;
    }

    static float[] ldf32(Exec e, int site, boolean ok, long base, int min, int max, int[] idx,
            boolean signed, int scale) {
        long a = start(e, ok, base, min, max, idx, signed, scale, 4);
        if (a < 0) return null;
        float[] s = (float[]) scratch(e, site, 4);
        MemorySegment.copy(Mem.ALL, Mem.F32, a, s, 0, e.nthreads);
        e.laneBulk++;
        return s;
    }

    static double[] ldf64(Exec e, int site, boolean ok, long base, int min, int max, int[] idx,
            boolean signed, int scale) {
        long a = start(e, ok, base, min, max, idx, signed, scale, 8);
        if (a < 0) return null;
        double[] s = (double[]) scratch(e, site, 5);
        MemorySegment.copy(Mem.ALL, Mem.F64, a, s, 0, e.nthreads);
        e.laneBulk++;
        return s;
    }
}
