package org.transcuda.backend.cpu;

import static org.transcuda.backend.cpu.AffineSites.add;
import static org.transcuda.backend.cpu.AffineSites.mul;

/**
 * The range of a launch form over a set of a grid row's lanes ({@link GridRows#range}) without the general case's
 * block arithmetic, for forms that are affine in the lane: a form whose {@code ctaid.x} coefficient is {@code ntid.x}
 * times its {@code tid.x} coefficient (every address program of a grid-row launch and, in CUDA code, every
 * {@code blockIdx.x * blockDim.x + threadIdx.x} comparison: stencil's {@code x == 0}, {@code x >= nx}) has over lanes
 * {@code X in [ra, rend)} of thread row {@code (rty, rtz)} the values {@code c + ax·X}, so its range is
 * {@code c + ax·ra} and {@code c + ax·(rend - 1)}. The general code finds the same range through each end's block
 * ({@code X / ntid.x}: two integer divisions) and an array per call; a grid-row plan evaluates about 20 such ranges
 * per thread row (each branch condition's comparisons, for each candidate run of lanes) and the piece's sites.
 *
 * <h2>Why this is exact</h2>
 * With {@code acx = ax·ntx} (checked without overflow), lane {@code X = b·ntx + x} of block {@code b} has the value
 * {@code c + acx·b + ax·x = c + ax·X}: linear in {@code X}, so its extremes over the consecutive lanes are at the
 * ends, the values the general code computes. Every product and sum is overflow-checked as in the general code
 * ({@link AffineSites#add}, {@link AffineSites#mul}); on an overflow, or for any other form, the general code runs.
 * So a range from here is the exact range of the lanes' values, and every decision made from it (a branch condition
 * decided for a run of lanes, a site's accesses inside an allocation) is one the general code would make whenever
 * its own intermediate products do not overflow.
 *
 * <p>{@code -Dtranscuda.cpu.rowRange=false}: the general code only (A/B); the ranges taken here are counted (per
 * worker, {@link Exec#rowRanges}; "lane ranges without divisions" in {@code -Dtranscuda.cpu.stats=true}).
 */
final class RowRange {
    /** {@code -Dtranscuda.cpu.rowRange=false}: lane ranges always by the general code. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.rowRange"));

    private RowRange() {
    }

    /**
     * The range {lo, hi} into {@code out[0..1]} of launch form {@code off} of {@code form} over lanes
     * {@code [ra, rend)} (absolute {@code X}, {@code rend > ra}) of thread row {@code (rty, rtz)} of grid row
     * {@code (cy, cz)} with blocks of {@code ntx} threads in x; false, with {@code out} untouched, when the form is
     * not affine in the lane or a value overflows (the caller then runs the general code).
     */
    static boolean lanes(long[] form, int off, int ntx, long cy, long cz, int rty, int rtz, int ra, int rend,
            long[] out) {
        long ax = form[off + 1];
        long acx = mul(ax, ntx);
        if (acx == Long.MIN_VALUE || acx != form[off + 4]) return false;
        long c = add(add(form[off], add(mul(form[off + 5], cy), mul(form[off + 6], cz))),
                add(mul(form[off + 2], rty), mul(form[off + 3], rtz)));
        long first = add(c, mul(ax, ra));
        long d = mul(ax, rend - 1L - ra);
        if (first == Long.MIN_VALUE || d == Long.MIN_VALUE) return false;
        long lo = add(first, Math.min(0, d)), hi = add(first, Math.max(0, d));
        if (lo == Long.MIN_VALUE || hi == Long.MIN_VALUE) return false;
        out[0] = lo;
        out[1] = hi;
        return true;
    }
}
