package org.transcuda.backend.cpu;

import java.lang.foreign.MemorySegment;

/**
 * {@link StrideLoop}'s fast iterations with the next iteration's index loads checked and copied before the current
 * iteration's lane loop (off with {@code -Dtranscuda.cpu.strideNext=false}). Histogram's grid-stride loop reads 256
 * bytes per 64 KiB; the copy takes the cache misses, and the lane loop that follows it reads the copied bytes, so
 * nothing overlaps the misses. Here iteration {@code k}'s copies are made before iteration {@code k − 1}'s lane loop,
 * into a second scratch array per site (two arrays used in turn), so that the lane loop, which does not depend on
 * them, runs while they are in flight.
 *
 * <p>It applies where every index load of the fast loop is copied ({@link LoopBulk}: the scale is the element size).
 * The next iteration's conditions are the ones the plain fast loop tests at its start ({@code StrideLoop.stay}, then
 * {@code StrideLoop.fits} for each load, then the copies): tested one lane loop earlier, with the same values, since
 * the loop writes no memory a global load can see and its index advances by a block-uniform step; when one fails the
 * current iteration still runs and the fast loop then ends with the index at the next iteration, as it would have.
 * So the same iterations run fast, the same elements are copied (each copy is of an iteration that then runs), and
 * faults keep their thread and instruction (the general loop runs the rest). Statistics: "grid-stride iterations
 * whose copies were made one lane loop ahead".
 */
final class StrideNext {
    /** On unless {@code -Dtranscuda.cpu.strideNext=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.strideNext"));

    private StrideNext() {
    }

    /** The address of element {@code first} (in the order of its extension) of the access at {@code base}. */
    static long address(long base, int first, boolean signed, int scale) {
        return base + (signed ? first : Integer.toUnsignedLong(first)) * (long) scale;
    }

    /**
     * Copies the {@code nthreads} elements at {@code a} (kind as {@link LaneBulk#scratch}: 0 bytes, 1 shorts, 2 ints,
     * 3 longs, 4 floats, 5 doubles) into site {@code site}'s scratch array number {@code buf} and returns it.
     */
    static Object copy(Exec e, int site, int kind, long a, int buf) {
        Object[] s;
        if (buf == 0) {
            s = e.lloopBulk;
            if (s == null) s = e.lloopBulk = new Object[e.sites.length];
        } else {
            s = e.lstrideNext;
            if (s == null) s = e.lstrideNext = new Object[e.sites.length];
        }
        int n = e.nthreads;
        Object o = LaneBulk.scratch(s, site, kind, n);
        switch (kind) {
            case 0 -> MemorySegment.copy(Mem.ALL, Mem.I8, a, (byte[]) o, 0, n);
            case 1 -> MemorySegment.copy(Mem.ALL, Mem.I16, a, (short[]) o, 0, n);
            case 2 -> MemorySegment.copy(Mem.ALL, Mem.I32, a, (int[]) o, 0, n);
            case 3 -> MemorySegment.copy(Mem.ALL, Mem.I64, a, (long[]) o, 0, n);
            case 4 -> MemorySegment.copy(Mem.ALL, Mem.F32, a, (float[]) o, 0, n);
            default -> MemorySegment.copy(Mem.ALL, Mem.F64, a, (double[]) o, 0, n);
        }
        e.laneBulk++;
        return o;
    }
}
