package org.transcuda.backend.cpu;

import java.lang.foreign.MemorySegment;

/**
 * Block-wide global loads and stores of {@link VectorPaths}: the hoisted site {@code j} of {@link AffineSites}, whose
 * per-block check passed (every address of the block is inside one live allocation and aligned), moved between
 * memory and a per-thread register array (thread {@code (x, y, z)} at index {@code x + ntx * (y + nty * z)}).
 * A row of {@code ntx} threads whose x-stride is the element size is one {@code MemorySegment.copy} (the whole block
 * when the rows are contiguous too); other strides are a loop. Stores run in thread order, so when threads store to
 * the same address the highest thread wins, as in the thread-by-thread code.
 */
final class VecMem {
    private VecMem() {
    }

    /** Fills {@code u, ax, ay, az} of site {@code j} for the current block into {@code c[0..3]}. */
    private static void coefficients(Exec e, int j, long[] c) {
        AffineSites a = e.launch.kernel.affine;
        int p = a.prog[j];
        long[] res = e.affineResult;
        c[0] = res[4 * p] + a.offset[j];
        c[1] = res[4 * p + 1];
        c[2] = res[4 * p + 2];
        c[3] = res[4 * p + 3];
    }

    /** Whether the block's addresses are one contiguous run of {@code size}-byte elements in thread order. */
    private static boolean contiguous(Exec e, long[] c, long size) {
        return (c[1] == size || e.vnx == 1) && (c[2] == size * e.vnx || e.vny == 1)
                && (c[3] == size * e.vnx * e.vny || e.vnz == 1);
    }

    /**
     * In a grid-row loop, the {@code ctaid.x} coefficient of load {@code j}'s address when the address is
     * block-uniform (no {@code tid.x} term: read once per block of the loop's lanes and filled over them), else 0.
     */
    private static long rowStep(Exec e, int j) {
        return e.vrow ? e.rowAcx[e.launch.kernel.affine.prog[j]] : 0;
    }

    /** The block-uniform address of load {@code j} for the grid-row loop's first block. */
    private static long rowBase(Exec e, int j) {
        return e.affineResult[4 * e.launch.kernel.affine.prog[j]] + e.launch.kernel.affine.offset[j];
    }

    /** The end (exclusive) of the lanes of block {@code b} (counted from the loop's first block) in the loop. */
    private static int blockEnd(Exec e, int b) {
        return Math.min(e.vn, (b + 1) * e.ntx - e.vx0);
    }

    static void ldf32(Exec e, int j, float[] dst) {
        long step = rowStep(e, j);
        if (step != 0) {
            long u = rowBase(e, j);
            for (int l = 0; l < e.vn;) {
                int b = (e.vx0 + l) / e.ntx, end = blockEnd(e, b);
                java.util.Arrays.fill(dst, l, end, Mem.ALL.get(Mem.F32, u + step * b));
                l = end;
            }
            return;
        }
        long[] c = e.vecCoef;
        coefficients(e, j, c);
        int ntx = e.vnx;
        if (contiguous(e, c, 4)) {
            MemorySegment.copy(Mem.ALL, Mem.F32, c[0], dst, 0, e.vn);
            return;
        }
        int r = 0;
        for (int z = 0; z < e.vnz; z++) {
            for (int y = 0; y < e.vny; y++, r += ntx) {
                long base = c[0] + c[2] * y + c[3] * z;
                long ax = c[1];
                if (ax == 4) {
                    MemorySegment.copy(Mem.ALL, Mem.F32, base, dst, r, ntx);
                } else {
                    for (int x = 0; x < ntx; x++) dst[r + x] = Mem.ALL.get(Mem.F32, base + ax * x);
                }
            }
        }
    }

    static void ldf64(Exec e, int j, double[] dst) {
        long step = rowStep(e, j);
        if (step != 0) {
            long u = rowBase(e, j);
            for (int l = 0; l < e.vn;) {
                int b = (e.vx0 + l) / e.ntx, end = blockEnd(e, b);
                java.util.Arrays.fill(dst, l, end, Mem.ALL.get(Mem.F64, u + step * b));
                l = end;
            }
            return;
        }
        long[] c = e.vecCoef;
        coefficients(e, j, c);
        int ntx = e.vnx;
        if (contiguous(e, c, 8)) {
            MemorySegment.copy(Mem.ALL, Mem.F64, c[0], dst, 0, e.vn);
            return;
        }
        int r = 0;
        for (int z = 0; z < e.vnz; z++) {
            for (int y = 0; y < e.vny; y++, r += ntx) {
                long base = c[0] + c[2] * y + c[3] * z;
                long ax = c[1];
                if (ax == 8) {
                    MemorySegment.copy(Mem.ALL, Mem.F64, base, dst, r, ntx);
                } else {
                    for (int x = 0; x < ntx; x++) dst[r + x] = Mem.ALL.get(Mem.F64, base + ax * x);
                }
            }
        }
    }

    static void ld32(Exec e, int j, int[] dst) {
        long step = rowStep(e, j);
        if (step != 0) {
            long u = rowBase(e, j);
            for (int l = 0; l < e.vn;) {
                int b = (e.vx0 + l) / e.ntx, end = blockEnd(e, b);
                java.util.Arrays.fill(dst, l, end, Mem.ALL.get(Mem.I32, u + step * b));
                l = end;
            }
            return;
        }
        long[] c = e.vecCoef;
        coefficients(e, j, c);
        int ntx = e.vnx;
        if (contiguous(e, c, 4)) {
            MemorySegment.copy(Mem.ALL, Mem.I32, c[0], dst, 0, e.vn);
            return;
        }
        int r = 0;
        for (int z = 0; z < e.vnz; z++) {
            for (int y = 0; y < e.vny; y++, r += ntx) {
                long base = c[0] + c[2] * y + c[3] * z;
                long ax = c[1];
                if (ax == 4) {
                    MemorySegment.copy(Mem.ALL, Mem.I32, base, dst, r, ntx);
                } else {
                    for (int x = 0; x < ntx; x++) dst[r + x] = Mem.ALL.get(Mem.I32, base + ax * x);
                }
            }
        }
    }

    static void ld64(Exec e, int j, long[] dst) {
        long step = rowStep(e, j);
        if (step != 0) {
            long u = rowBase(e, j);
            for (int l = 0; l < e.vn;) {
                int b = (e.vx0 + l) / e.ntx, end = blockEnd(e, b);
                java.util.Arrays.fill(dst, l, end, Mem.ALL.get(Mem.I64, u + step * b));
                l = end;
            }
            return;
        }
        long[] c = e.vecCoef;
        coefficients(e, j, c);
        int ntx = e.vnx;
        if (contiguous(e, c, 8)) {
            MemorySegment.copy(Mem.ALL, Mem.I64, c[0], dst, 0, e.vn);
            return;
        }
        int r = 0;
        for (int z = 0; z < e.vnz; z++) {
            for (int y = 0; y < e.vny; y++, r += ntx) {
                long base = c[0] + c[2] * y + c[3] * z;
                long ax = c[1];
                if (ax == 8) {
                    MemorySegment.copy(Mem.ALL, Mem.I64, base, dst, r, ntx);
                } else {
                    for (int x = 0; x < ntx; x++) dst[r + x] = Mem.ALL.get(Mem.I64, base + ax * x);
                }
            }
        }
    }

    static void stf32(Exec e, int j, float[] src) {
        long[] c = e.vecCoef;
        coefficients(e, j, c);
        int ntx = e.vnx;
        if (contiguous(e, c, 4)) {
            MemorySegment.copy(src, 0, Mem.ALL, Mem.F32, c[0], e.vn);
            return;
        }
        int r = 0;
        for (int z = 0; z < e.vnz; z++) {
            for (int y = 0; y < e.vny; y++, r += ntx) {
                long base = c[0] + c[2] * y + c[3] * z;
                long ax = c[1];
                if (ax == 4) {
                    MemorySegment.copy(src, r, Mem.ALL, Mem.F32, base, ntx);
                } else {
                    for (int x = 0; x < ntx; x++) Mem.ALL.set(Mem.F32, base + ax * x, src[r + x]);
                }
            }
        }
    }

    static void stf64(Exec e, int j, double[] src) {
        long[] c = e.vecCoef;
        coefficients(e, j, c);
        int ntx = e.vnx;
        if (contiguous(e, c, 8)) {
            MemorySegment.copy(src, 0, Mem.ALL, Mem.F64, c[0], e.vn);
            return;
        }
        int r = 0;
        for (int z = 0; z < e.vnz; z++) {
            for (int y = 0; y < e.vny; y++, r += ntx) {
                long base = c[0] + c[2] * y + c[3] * z;
                long ax = c[1];
                if (ax == 8) {
                    MemorySegment.copy(src, r, Mem.ALL, Mem.F64, base, ntx);
                } else {
                    for (int x = 0; x < ntx; x++) Mem.ALL.set(Mem.F64, base + ax * x, src[r + x]);
                }
            }
        }
    }

    static void st32(Exec e, int j, int[] src) {
        long[] c = e.vecCoef;
        coefficients(e, j, c);
        int ntx = e.vnx;
        if (contiguous(e, c, 4)) {
            MemorySegment.copy(src, 0, Mem.ALL, Mem.I32, c[0], e.vn);
            return;
        }
        int r = 0;
        for (int z = 0; z < e.vnz; z++) {
            for (int y = 0; y < e.vny; y++, r += ntx) {
                long base = c[0] + c[2] * y + c[3] * z;
                long ax = c[1];
                if (ax == 4) {
                    MemorySegment.copy(src, r, Mem.ALL, Mem.I32, base, ntx);
                } else {
                    for (int x = 0; x < ntx; x++) Mem.ALL.set(Mem.I32, base + ax * x, src[r + x]);
                }
            }
        }
    }

    static void st64(Exec e, int j, long[] src) {
        long[] c = e.vecCoef;
        coefficients(e, j, c);
        int ntx = e.vnx;
        if (contiguous(e, c, 8)) {
            MemorySegment.copy(src, 0, Mem.ALL, Mem.I64, c[0], e.vn);
            return;
        }
        int r = 0;
        for (int z = 0; z < e.vnz; z++) {
            for (int y = 0; y < e.vny; y++, r += ntx) {
                long base = c[0] + c[2] * y + c[3] * z;
                long ax = c[1];
                if (ax == 8) {
                    MemorySegment.copy(src, r, Mem.ALL, Mem.I64, base, ntx);
                } else {
                    for (int x = 0; x < ntx; x++) Mem.ALL.set(Mem.I64, base + ax * x, src[r + x]);
                }
            }
        }
    }

    /**
     * Loads site {@code j} into {@code dst} from {@code src}, the array that already holds site {@code k} for this
     * block (an earlier load of the path, no write between them: {@link VectorPaths}), where the two sites' addresses
     * differ by whole elements and rows: {@code u_j + ax·x + ay·y + az·z = u_k + ax·(x+dx) + ay·(y+dy) + az·z}
     * with {@code ax} the element size, equal {@code ay, az}, {@code |dx| < ntx}, {@code |dy| < nty} (stencil
     * neighbours {@code in[i±1]}, {@code in[i±nx]}). Thread {@code (x, y)} of {@code j} reads what thread
     * {@code (x+dx, y+dy)} of {@code k} read, when that thread exists: one {@code System.arraycopy} of the block
     * shifted by {@code dy·ntx + dx} per z-slice; rows whose {@code y+dy} is outside the block are copied from
     * memory, the {@code |dx|} elements of the other rows whose {@code x+dx} is outside are read one by one (both
     * inside site {@code j}'s checked range; {@code ldf32s} etc.). Returns {@code dy << 32 | dx} (32 bits each), or
     * {@link #NO_SHIFT} when the coefficients do not relate so (the load then copies from memory).
     */
    static long share(Exec e, int j, int k, int size) {
        long[] c = e.vecCoef;
        coefficients(e, j, c);
        AffineSites a = e.launch.kernel.affine;
        int p = a.prog[k];
        long[] res = e.affineResult;
        long ax = c[1], ay = c[2], az = c[3];
        if (ax != size || res[4 * p + 1] != ax || res[4 * p + 2] != ay || res[4 * p + 3] != az) return NO_SHIFT;
        int ntx = e.vnx, nty = e.vny;
        long delta = c[0] - (res[4 * p] + a.offset[k]);
        // delta = size·dx + ay·dy: the solution with the smallest |dx|
        long dx = Long.MAX_VALUE, dy = 0;
        if (nty == 1 || ay == 0) {
            if (delta % size == 0) dx = delta / size;
        } else {
            long d0 = Math.floorDiv(delta, ay);
            for (long cand = d0 - 1; cand <= d0 + 1; cand++) {
                if (Math.abs(cand) >= nty) continue;
                long rest = delta - ay * cand;
                if (rest % size != 0) continue;
                long x = rest / size;
                if (Math.abs(x) < Math.abs(dx)) {
                    dx = x;
                    dy = cand;
                }
            }
        }
        if (Math.abs(dx) >= ntx) return NO_SHIFT;
        e.vecShared++;
        return dy << 32 | dx & 0xffffffffL;
    }

    /** {@link #share}'s answer when site {@code j}'s addresses are not site {@code k}'s shifted. */
    static final long NO_SHIFT = Long.MIN_VALUE;

    static void ldf32s(Exec e, int j, float[] dst, int k, float[] src) {
        long sh = share(e, j, k, 4);
        if (sh == NO_SHIFT) {
            ldf32(e, j, dst);
            return;
        }
        long[] c = e.vecCoef;
        int sx = (int) sh, sy = (int) (sh >> 32);
        int ntx = e.vnx, nty = e.vny, ntz = e.vnz;
        int slice = ntx * nty;
        int s = sy * ntx + sx;
        int lo = Math.max(0, -s), hi = Math.min(slice, slice - s);
        for (int z = 0; z < ntz; z++) {
            int base = z * slice;
            if (hi > lo) System.arraycopy(src, base + lo + s, dst, base + lo, hi - lo);
            for (int y = 0; y < nty; y++) {
                int r = base + y * ntx;
                long row = c[0] + c[2] * y + c[3] * z;
                if (y + sy < 0 || y + sy >= nty) {
                    MemorySegment.copy(Mem.ALL, Mem.F32, row, dst, r, ntx);
                } else {
                    int from = sx < 0 ? 0 : ntx - sx, to = sx < 0 ? -sx : ntx;
                    for (int x = from; x < to; x++) dst[r + x] = Mem.ALL.get(Mem.F32, row + 4L * x);
                }
            }
        }
    }

    static void ldf64s(Exec e, int j, double[] dst, int k, double[] src) {
        long sh = share(e, j, k, 8);
        if (sh == NO_SHIFT) {
            ldf64(e, j, dst);
            return;
        }
        long[] c = e.vecCoef;
        int sx = (int) sh, sy = (int) (sh >> 32);
        int ntx = e.vnx, nty = e.vny, ntz = e.vnz;
        int slice = ntx * nty;
        int s = sy * ntx + sx;
        int lo = Math.max(0, -s), hi = Math.min(slice, slice - s);
        for (int z = 0; z < ntz; z++) {
            int base = z * slice;
            if (hi > lo) System.arraycopy(src, base + lo + s, dst, base + lo, hi - lo);
            for (int y = 0; y < nty; y++) {
                int r = base + y * ntx;
                long row = c[0] + c[2] * y + c[3] * z;
                if (y + sy < 0 || y + sy >= nty) {
                    MemorySegment.copy(Mem.ALL, Mem.F64, row, dst, r, ntx);
                } else {
                    int from = sx < 0 ? 0 : ntx - sx, to = sx < 0 ? -sx : ntx;
                    for (int x = from; x < to; x++) dst[r + x] = Mem.ALL.get(Mem.F64, row + 8L * x);
                }
            }
        }
    }

    static void ld32s(Exec e, int j, int[] dst, int k, int[] src) {
        long sh = share(e, j, k, 4);
        if (sh == NO_SHIFT) {
            ld32(e, j, dst);
            return;
        }
        long[] c = e.vecCoef;
        int sx = (int) sh, sy = (int) (sh >> 32);
        int ntx = e.vnx, nty = e.vny, ntz = e.vnz;
        int slice = ntx * nty;
        int s = sy * ntx + sx;
        int lo = Math.max(0, -s), hi = Math.min(slice, slice - s);
        for (int z = 0; z < ntz; z++) {
            int base = z * slice;
            if (hi > lo) System.arraycopy(src, base + lo + s, dst, base + lo, hi - lo);
            for (int y = 0; y < nty; y++) {
                int r = base + y * ntx;
                long row = c[0] + c[2] * y + c[3] * z;
                if (y + sy < 0 || y + sy >= nty) {
                    MemorySegment.copy(Mem.ALL, Mem.I32, row, dst, r, ntx);
                } else {
                    int from = sx < 0 ? 0 : ntx - sx, to = sx < 0 ? -sx : ntx;
                    for (int x = from; x < to; x++) dst[r + x] = Mem.ALL.get(Mem.I32, row + 4L * x);
                }
            }
        }
    }

    static void ld64s(Exec e, int j, long[] dst, int k, long[] src) {
        long sh = share(e, j, k, 8);
        if (sh == NO_SHIFT) {
            ld64(e, j, dst);
            return;
        }
        long[] c = e.vecCoef;
        int sx = (int) sh, sy = (int) (sh >> 32);
        int ntx = e.vnx, nty = e.vny, ntz = e.vnz;
        int slice = ntx * nty;
        int s = sy * ntx + sx;
        int lo = Math.max(0, -s), hi = Math.min(slice, slice - s);
        for (int z = 0; z < ntz; z++) {
            int base = z * slice;
            if (hi > lo) System.arraycopy(src, base + lo + s, dst, base + lo, hi - lo);
            for (int y = 0; y < nty; y++) {
                int r = base + y * ntx;
                long row = c[0] + c[2] * y + c[3] * z;
                if (y + sy < 0 || y + sy >= nty) {
                    MemorySegment.copy(Mem.ALL, Mem.I64, row, dst, r, ntx);
                } else {
                    int from = sx < 0 ? 0 : ntx - sx, to = sx < 0 ? -sx : ntx;
                    for (int x = from; x < to; x++) dst[r + x] = Mem.ALL.get(Mem.I64, row + 8L * x);
                }
            }
        }
    }

    /** Stores the block-uniform {@code v} for every thread of the block (site {@code j}). */
    static void stf32u(Exec e, int j, float v) {
        st32u(e, j, Float.floatToRawIntBits(v));
    }

    static void stf64u(Exec e, int j, double v) {
        st64u(e, j, Double.doubleToRawLongBits(v));
    }

    static void st32u(Exec e, int j, int v) {
        long[] c = e.vecCoef;
        coefficients(e, j, c);
        for (int z = 0; z < e.vnz; z++) {
            for (int y = 0; y < e.vny; y++) {
                long base = c[0] + c[2] * y + c[3] * z;
                for (int x = 0; x < e.vnx; x++) Mem.ALL.set(Mem.I32, base + c[1] * x, v);
            }
        }
    }

    static void st64u(Exec e, int j, long v) {
        long[] c = e.vecCoef;
        coefficients(e, j, c);
        for (int z = 0; z < e.vnz; z++) {
            for (int y = 0; y < e.vny; y++) {
                long base = c[0] + c[2] * y + c[3] * z;
                for (int x = 0; x < e.vnx; x++) Mem.ALL.set(Mem.I64, base + c[1] * x, v);
            }
        }
    }

    /** {@code %tid.x} ({@code dim} 0), {@code .y} (1) or {@code .z} (2) of every thread of the block. */
    static void tid(Exec e, int[] dst, int dim) {
        if (e.vrow) {
            // a grid row (GridRows): lane L is thread (vx0 + L) % ntx of its block, tid.y/z the row's
            int ntx = e.ntx, x0 = e.vx0, v = dim == 1 ? e.vty : e.vtz;
            for (int x = 0; x < e.vnx; x++) dst[x] = dim == 0 ? (x0 + x) % ntx : v;
            return;
        }
        int t = 0;
        for (int z = 0; z < e.vnz; z++) {
            for (int y = 0; y < e.vny; y++) {
                for (int x = 0; x < e.vnx; x++) dst[t++] = dim == 0 ? x : dim == 1 ? y : z;
            }
        }
    }

    /** NaNs of {@code a[0..n)} to NVIDIA's canonical NaN (the vector loop found one). */
    static void canonical(float[] a, int n) {
        for (int i = 0; i < n; i++) if (a[i] != a[i]) a[i] = Fp.NAN_F32;
    }
}
