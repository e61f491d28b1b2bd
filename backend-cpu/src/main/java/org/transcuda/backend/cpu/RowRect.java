package org.transcuda.backend.cpu;

/**
 * A grid-row plan's split of lanes by path ({@link GridRows}) decided once for all thread rows of a piece instead of
 * once per thread row: the branch conditions are evaluated over the rectangle of lanes {@code [lo, hi)} and every
 * thread row {@code (tid.y, tid.z)} of the blocks, split (first and last lane apart, else halves) as the per-row
 * plan splits one thread row; when every part is decided, each thread row gets those parts as its loops. stencil's
 * 16 × 16 blocks: per piece (a 4096-wide row of blocks) 3 or 4 walks over the conditions (6 comparisons each)
 * instead of 4 per thread row, 64 per piece; its first and last rows of blocks (where {@code y == 0} and
 * {@code y == ny - 1} split the thread rows) are not decided so and plan per thread row as before.
 *
 * <h2>Why this is exact</h2>
 * A condition is decided over a rectangle from the range of its launch form over all the rectangle's threads
 * ({@link GridRows#range} with the thread-row terms ranging over {@code [0, ntid.y)} and {@code [0, ntid.z)}: a
 * superset), so a path decided for the rectangle is the path of every one of its threads, and in particular of
 * every thread row's lanes {@code [lo, hi)}: the same decision the per-row plan would reach for a run of lanes of
 * one path (a part of the rectangle may be larger or smaller than the runs the per-row plan would find, but every
 * loop is a run of lanes of one path, which is all that {@link GridRows}' loops need). The loops are added in the
 * same order (thread rows, then lanes) with the same access checks per loop ({@code GridRows.addLoop}, single
 * thread rows), so faults and the order of the pieces are unchanged; a rectangle that is not decided down to
 * single lanes leaves the piece to the per-row plan, from its start.
 *
 * <p>{@code -Dtranscuda.cpu.rowRect=false}: per thread row only (A/B); counted as "lane splits for all thread rows"
 * in {@code -Dtranscuda.cpu.stats=true}.
 */
final class RowRect {
    /** {@code -Dtranscuda.cpu.rowRect=false}: grid-row plans split the lanes per thread row only. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.rowRect"));

    private RowRect() {
    }

    /**
     * Splits lanes {@code [0, n)} of block {@code e.cx}'s piece for every thread row at once into {@link Exec#rectSeg}
     * ({@code lo, hi, path} triples in lane order); false when some part is not decided for all thread rows.
     */
    static boolean split(Exec e, int n) {
        e.rectSegN = 0;
        e.rrect = true;
        e.rty = 0;
        e.rtz = 0;
        e.rty1 = e.nty - 1;
        e.rtz1 = e.ntz - 1;
        try {
            return parts(e, 0, n);
        } finally {
            e.rrect = false;
            e.rty1 = e.rty;
            e.rtz1 = e.rtz;
        }
    }

    private static boolean parts(Exec e, int lo, int hi) {
        int p = GridRows.path(e, lo, hi);
        if (p >= 0) return add(e, lo, hi, p);
        if (hi - lo == 1) return false;
        if (hi - lo > 2) {
            p = GridRows.path(e, lo + 1, hi - 1);
            if (p >= 0) return parts(e, lo, lo + 1) && add(e, lo + 1, hi - 1, p) && parts(e, hi - 1, hi);
        }
        int mid = (lo + hi) >>> 1;
        return parts(e, lo, mid) && parts(e, mid, hi);
    }

    private static boolean add(Exec e, int lo, int hi, int p) {
        int k = e.rectSegN;
        if (k + 3 > e.rectSeg.length) e.rectSeg = java.util.Arrays.copyOf(e.rectSeg, 2 * e.rectSeg.length);
        e.rectSeg[k] = lo;
        e.rectSeg[k + 1] = hi;
        e.rectSeg[k + 2] = p;
        e.rectSegN = k + 3;
        return true;
    }
}
