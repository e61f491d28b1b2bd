package org.transcuda.backend.cpu;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A lockstep lane loop that only copies 32-bit global words to shared memory (the {@link LaneVec#COPY} form: matmul's
 * tile loads {@code As[ty][tx] = A[...]}, {@code Bs[ty][tx] = B[...]}) run as one call per store over the whole block,
 * every row of threads as vector reads of device memory and vector writes of the shared window, with the rows'
 * consecutiveness decided once per block ({@code -Dtranscuda.cpu.tileCopy=false}: the per-row form of
 * {@link LaneVec#COPY}, which per row of threads calls {@code apart}, tests each load's pointers per group of VL threads
 * ({@link VecConsecutive}) and copies group by group).
 *
 * <p>Applies when the generated code has the copy form's preconditions for the whole loop: every thread of the block
 * active (the affine loop runs only then), every load's {@link LoopChecks} flag set (every thread's address aligned and
 * inside one live allocation), the stores' shared words checked for the block ({@code SharedAffine}) and pairwise apart
 * ({@code LaneVecOps.apart}, once per loop instead of once per row), {@code ntid.x} a multiple of VL, and, for each
 * load, every row's pointers consecutive words: {@code a[row + i] = a[row] + 4·i} for {@code i < ntid.x}
 * ({@link #rows}). Then each thread's word is read from where its own load reads it and written where its own store
 * writes it; loads read global memory only and the stores write disjoint shared words, so the order between threads
 * and between the stores cannot be seen, and nothing faults (everything was checked): the result is bit for bit the
 * lane loop's (raw 32-bit words, NaN payloads untouched, as the vector copy and the plain loop). When any condition
 * fails the code falls through to the per-row form and the plain loop, unchanged, so a pointer that leaves its
 * allocation in some tile faults there with the same block, thread and instruction as before.
 *
 * <p>The consecutiveness is decided once per block through {@link PtrStep}'s record of the pointer register: {@link
 * #rows} tests every row once and marks the register's record; the record stays valid only while the register changes
 * by {@link PtrStep#step}s that every thread ran ({@code a[t] += u} for all t, which keeps {@code a[row + i] - a[row]}
 * exactly, wrapping or not) and is dropped, or stored again by a new prescan, which clears the mark, on anything else.
 * So after matmul's first tile (the prescan stores the record) the next 31 tiles' copies run without a pointer test.
 * Without a valid record (PtrStep off, a partial block) the rows are tested on every call.
 */
final class TileCopy {
    /** On unless {@code -Dtranscuda.cpu.tileCopy=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.tileCopy"));

    /** Tests of the per-row form: kernels compiled from now on without this form. */
    static volatile boolean offForTests;

    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;

    /** Whether kernels compiled now use this form. */
    static boolean on() {
        return ENABLED && !offForTests;
    }

    private TileCopy() {
    }

    /**
     * Whether every row of {@code ntx} threads of the block ({@code n} threads) has consecutive 32-bit words in the
     * pointer register {@code reg}'s array {@code a}, {@code ntx} a multiple of the vector length: from the register's
     * {@link PtrStep} record when a test of this block marked it and it was not dropped since, else tested here (and
     * the record marked when it is valid).
     */
    static boolean rows(Exec e, long[] a, int reg, int n, int ntx) {
        if (ntx % I.length() != 0) return false;
        if (PtrStep.rowsKnown(e, reg)) {
            e.tileRowsKept++;
            return true;
        }
        for (int row = 0; row < n; row += ntx) {
            long a0 = a[row];
            for (int i = 1; i < ntx; i++) if (a[row + i] != a0 + 4L * i) return false;
        }
        PtrStep.markRows(e, reg);
        return true;
    }

    /**
     * The copy of one load/store pair for every thread of the block: thread {@code (tx, ty, tz)}'s 32-bit word at
     * {@code a[t] + off} (= {@code a[row] + off + 4·tx}, {@link #rows}) to {@code sh[base + tx + cy·ty + cz·tz]}.
     */
    static void copy(Exec e, long[] a, long off, int[] sh, int base, int cy, int cz, int ntx, int nty, int ntz) {
        int vl = I.length();
        for (int tz = 0; tz < ntz; tz++) {
            for (int ty = 0; ty < nty; ty++) {
                long p = a[(tz * nty + ty) * ntx] + off;
                int w = base + cy * ty + cz * tz;
                for (int tx = 0; tx < ntx; tx += vl) {
                    IntVector.fromMemorySegment(I, Mem.ALL, p + 4L * tx, LaneVecOps.ORDER).intoArray(sh, w + tx);
                }
            }
        }
        e.tileCopies++;
    }
}
