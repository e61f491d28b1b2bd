package org.transcuda.backend.cpu;

/**
 * {@link AffineSites}' per-block check reduced to its results when the launch forms prove every site for the whole
 * grid. Applies to a launch (per worker) where every address program has a launch form
 * ({@link LaunchForms#programOk}) and every hoisted site is inside one live allocation and aligned for every
 * block ({@link LaunchForms#siteAlways}): then the per-block mask is the same for every block (all sites' bits),
 * known once per launch, and the only per-block work left is each program's {@code u} (three multiply-adds; the
 * {@code ax, ay, az} are launch constants) for the code that reads {@link Exec#affineResult} ({@link LaneBulk},
 * {@link VecMem}, {@link RowVec}). The general {@code checkBlock} would compute the same values through its
 * per-program and per-site loops (reduce's {@code ls0}: about a third of that segment's samples, 2026-11-27).
 * A launch where any program or site is not proved for the whole grid runs the general per-block check, unchanged.
 * Counted in {@link Exec#siteMaskOnce}; {@code -Dtranscuda.cpu.siteMaskOnce=false} turns it off.
 */
final class SiteMaskOnce {
    /** On unless {@code -Dtranscuda.cpu.siteMaskOnce=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.siteMaskOnce"));

    /** Per program: {@code c, ax, ay, az, cx, cy, cz} (the launch form's constant, thread and block coefficients). */
    private final long[] forms;
    private final int nprog;
    /** Every site's bit, and their number. */
    private final long mask;
    private final int hits;

    private SiteMaskOnce(long[] forms, int nprog, long mask, int hits) {
        this.forms = forms;
        this.nprog = nprog;
        this.mask = mask;
        this.hits = hits;
    }

    /** The launch's reduced check, or null where some program or site is not proved for the whole grid. */
    static SiteMaskOnce of(LaunchForms lf, int nprog, int nsites) {
        if (!ENABLED || nsites > AffineSites.MAX_SITES) return null;
        for (int p = 0; p < nprog; p++) if (!lf.programOk[p]) return null;
        for (int j = 0; j < nsites; j++) if (!lf.siteAlways[j]) return null;
        long[] forms = new long[LaunchForms.W * nprog];
        for (int p = 0; p < nprog; p++) {
            int o = LaunchForms.W * p;
            // LaunchForms.block's u = c + cx*x + cy*y + cz*z; ax, ay, az = the thread coefficients
            forms[o] = lf.programs[o];
            forms[o + 1] = lf.programs[o + 1];
            forms[o + 2] = lf.programs[o + 2];
            forms[o + 3] = lf.programs[o + 3];
            forms[o + 4] = lf.programs[o + 4];
            forms[o + 5] = lf.programs[o + 5];
            forms[o + 6] = lf.programs[o + 6];
        }
        long mask = nsites == 64 ? -1L : (1L << nsites) - 1;
        return new SiteMaskOnce(forms, nprog, mask, nsites);
    }

    /** This block's program results into {@code res} (as {@code checkBlock} writes them) and its site mask. */
    long block(Exec e, long[] res) {
        long[] f = forms;
        long x = e.cx, y = e.cy, z = e.cz;
        for (int p = 0, o = 0, r = 0; p < nprog; p++, o += LaunchForms.W, r += 4) {
            res[r] = f[o] + f[o + 4] * x + f[o + 5] * y + f[o + 6] * z;
            res[r + 1] = f[o + 1];
            res[r + 2] = f[o + 2];
            res[r + 3] = f[o + 3];
        }
        e.siteMaskOnce++;
        if (mask != 0) e.affineHits += hits;
        return mask;
    }
}
