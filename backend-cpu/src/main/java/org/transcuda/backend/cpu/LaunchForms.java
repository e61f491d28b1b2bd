package org.transcuda.backend.cpu;

import static org.transcuda.backend.cpu.AffineSites.add;
import static org.transcuda.backend.cpu.AffineSites.mul;
import static org.transcuda.backend.cpu.AffineSites.sub;

/**
 * Address programs and branch conditions of {@link AffineSites} and {@link UniformPaths} evaluated once per launch
 * (per worker), symbolically in the block index: {@code c + tx·x + ty·y + tz·z + cx·ctaid.x + cy·ctaid.y +
 * cz·ctaid.z} with exact integer coefficients. A block then gets its {@code u, ax, ay, az} with three multiply-adds
 * instead of running the program.
 *
 * <p>A program has a launch form when it is affine over the whole grid: every product has a factor without thread
 * or block index, no coefficient or range over the grid overflows, and where the code sign- or zero-extends a 32-bit
 * intermediate, the range of that intermediate over all threads of all blocks lies in one window of 2^32 values (then
 * every block's range lies in that same window, so the per-block evaluation would subtract the same multiple of 2^32:
 * both give the same {@code u, ax, ay, az}). Otherwise the program is evaluated per block, as before. A hoisted
 * site whose addresses over the whole grid are aligned and inside one allocation needs no per-block range check
 * ({@link #siteAlways}): allocations are not freed while a launch runs ({@code DeviceMemory.beginLaunch}).
 * {@code -Dtranscuda.cpu.launchForms=false}: per-block evaluation only (A/B measurements).
 */
final class LaunchForms {
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.launchForms"));
    /** Coefficients per form: constant, tid.x, tid.y, tid.z, ctaid.x, ctaid.y, ctaid.z. */
    static final int W = 7;

    /** AffineSites' programs: forms and whether each has one. */
    final long[] programs;
    final boolean[] programOk;
    /**
     * Per hoisted site of AffineSites: every access of the whole grid is inside one live allocation and aligned
     * (allocations are not freed while a launch runs), so no block needs the site's range check.
     */
    final boolean[] siteAlways;
    /** UniformPaths' comparisons (by index): the form of the difference a - b and of a and b. */
    final long[] cmpDiff, cmpA, cmpB;
    final boolean[] cmpOk;
    /** Every program and site proved for the whole grid: the per-block check's reduced form, else null. */
    SiteMaskOnce siteMaskOnce;

    private LaunchForms(int nprog, int nsites, int ncmp) {
        siteAlways = new boolean[nsites];
        programs = new long[W * nprog];
        programOk = new boolean[nprog];
        cmpDiff = new long[W * ncmp];
        cmpA = new long[W * ncmp];
        cmpB = new long[W * ncmp];
        cmpOk = new boolean[ncmp];
    }

    /** The forms of {@code e}'s launch (computed at the worker's first use). */
    static LaunchForms of(Exec e) {
        LaunchForms f = e.forms;
        if (f == null) {
            f = ColdLaunch.ENABLED ? kept(e) : compute(e);
            e.forms = f;
        }
        return f;
    }

    /**
     * {@link ColdLaunch}: the forms another worker of the launch computed, or an earlier launch of the kernel with
     * the same grid, block and parameter words while the allocation table is the same ({@link DeviceMemory#snapshot}
     * is replaced by every allocation and free): {@link #compute}'s inputs are exactly these, and the forms are
     * never written after they are made. Else computed, and kept in the kernel's {@link CompiledKernel#keptForms}.
     * Not across launches of a kernel with {@link AddDefer} sites: the computation reports the allocations its load
     * sites accept to the launch's deferred-add state, which a form kept from an earlier launch would not.
     */
    private static LaunchForms kept(Exec e) {
        Launch l = e.launch;
        LaunchForms f = l.forms;
        if (f != null) {
            e.formsKept++;
            return f;
        }
        if (l.defer != null) {
            // AddDefer: computing the forms reports each load site's allocation to this launch's deferred-add state
            // (inside → AddDefer.seen); forms kept from an earlier launch would skip that report
            f = compute(e);
            l.forms = f;
            return f;
        }
        CompiledKernel k = l.kernel;
        DeviceMemory.Snapshot table = e.memory();
        Object[] memo = k.keptForms;
        synchronized (memo) {
            for (int i = 0; i < memo.length; i++) {
                if (memo[i] instanceof Kept m && m.table == table && m.ntx == e.ntx && m.nty == e.nty
                        && m.ntz == e.ntz && m.ncx == e.ncx && m.ncy == e.ncy && m.ncz == e.ncz
                        && java.util.Arrays.equals(m.params, e.params)) {
                    l.forms = m.forms;
                    e.formsKept++;
                    return m.forms;
                }
            }
        }
        f = compute(e);
        l.forms = f;
        if (e.memory() == table) {
            synchronized (memo) {
                memo[k.keptNext] = new Kept(table, e.ntx, e.nty, e.ntz, e.ncx, e.ncy, e.ncz, e.params.clone(), f);
                k.keptNext = (k.keptNext + 1) % memo.length;
            }
        }
        return f;
    }

    /** One launch's forms and what they were computed from ({@link #kept}). */
    private record Kept(DeviceMemory.Snapshot table, int ntx, int nty, int ntz, int ncx, int ncy, int ncz,
            int[] params, LaunchForms forms) {
    }

    private static LaunchForms compute(Exec e) {
        CompiledKernel k = e.launch.kernel;
        AffineSites a = k.affine;
        UniformPaths up = k.paths;
        int nprog = a == null ? 0 : a.programs();
        int ncmp = up == null ? 0 : up.comparisons();
        LaunchForms f = new LaunchForms(nprog, a == null ? 0 : a.count(), ncmp);
        if (!ENABLED) return f;
        long[] st = new long[W * (AffineSites.MAX_OPS + 2)];
        for (int p = 0; p < nprog; p++) {
            f.programOk[p] = eval(e, a.ops(p), a.args(p), st) && range(e, st, 0) != null;
            if (f.programOk[p]) System.arraycopy(st, 0, f.programs, W * p, W);
        }
        for (int j = 0; a != null && j < a.count(); j++) {
            int p = a.prog[j];
            if (f.programOk[p]) f.siteAlways[j] = inside(e, f.programs, W * p, a.offset[j], 1L << a.log2[j], a.site[j]);
        }
        if (a != null) f.siteMaskOnce = SiteMaskOnce.of(f, nprog, a.count());
        for (int c = 0; c < ncmp; c++) {
            int[][] ops = up.comparisonOps(c);
            long[][] args = up.comparisonArgs(c);
            if (!eval(e, ops[0], args[0], st) || range(e, st, 0) == null) continue;
            System.arraycopy(st, 0, f.cmpA, W * c, W);
            if (!eval(e, ops[1], args[1], st) || range(e, st, 0) == null) continue;
            System.arraycopy(st, 0, f.cmpB, W * c, W);
            boolean ok = true;
            for (int i = 0; i < W && ok; i++) {
                long d = sub(f.cmpA[W * c + i], f.cmpB[W * c + i]);
                ok = d != Long.MIN_VALUE;
                st[i] = d;
            }
            if (!ok || range(e, st, 0) == null) continue;
            System.arraycopy(st, 0, f.cmpDiff, W * c, W);
            f.cmpOk[c] = true;
        }
        return f;
    }

    /**
     * Whether every address {@code form + offset} of the grid is aligned to {@code size} and inside one live
     * allocation (the whole range: a superset of the addresses the threads use).
     */
    private static boolean inside(Exec e, long[] form, int off, long offset, long size, int site) {
        long[] st = new long[W];
        System.arraycopy(form, off, st, 0, W);
        st[0] = add(st[0], offset);
        if (st[0] == Long.MIN_VALUE || (st[0] & (size - 1)) != 0) return false;
        for (int i = 1; i < W; i++) if (extent(e, i) > 1 && (st[i] & (size - 1)) != 0) return false;
        long[] r = range(e, st, 0);
        if (r == null || r[0] < 0 || r[1] > Long.MAX_VALUE - size) return false;
        DeviceMemory.Snapshot table = e.memory();
        int i = table.find(r[0]);
        if (i < 0) return false;
        long base = table.bases[i];
        boolean in = r[1] - base <= table.sizes[i] - size && ((r[0] - base) & (size - 1)) == 0;
        if (in && e.launch.defer != null) AddDefer.seen(e, site, base);
        return in;
    }

    /** The block's {@code u, ax, ay, az} of form {@code off} of {@code form} into {@code out[0..3]}. */
    static void block(Exec e, long[] form, int off, long[] out) {
        out[0] = form[off] + form[off + 4] * e.cx + form[off + 5] * e.cy + form[off + 6] * e.cz;
        out[1] = form[off + 1];
        out[2] = form[off + 2];
        out[3] = form[off + 3];
    }

    /** Extent (number of values) of each variable of a form over the launch's grid. */
    private static long extent(Exec e, int i) {
        return switch (i) {
            case 1 -> e.ntx;
            case 2 -> e.nty;
            case 3 -> e.ntz;
            case 4 -> e.ncx;
            case 5 -> e.ncy;
            default -> e.ncz;
        };
    }

    /** The range {lo, hi} over the whole grid of the form at {@code st[a..a+W)}; null on overflow. */
    private static long[] range(Exec e, long[] st, int a) {
        long lo = st[a], hi = st[a];
        for (int i = 1; i < W; i++) {
            long d = mul(st[a + i], extent(e, i) - 1);
            if (d == Long.MIN_VALUE) return null;
            lo = add(lo, Math.min(0, d));
            hi = add(hi, Math.max(0, d));
        }
        if (lo == Long.MIN_VALUE || hi == Long.MIN_VALUE) return null;
        return new long[] {lo, hi};
    }

    /** Evaluates one program symbolically; the form in {@code st[0..W)}; false when it has none. */
    private static boolean eval(Exec e, int[] ops, long[] args, long[] st) {
        int sp = 0;
        for (int i = 0; i < ops.length; i++) {
            long arg = args[i];
            switch (ops[i]) {
                case AffineSites.CONST, AffineSites.PARAM32, AffineSites.PARAM64, AffineSites.SPECIAL -> {
                    java.util.Arrays.fill(st, sp, sp + W, 0);
                    switch (ops[i]) {
                        case AffineSites.CONST -> st[sp] = arg;
                        case AffineSites.PARAM32 -> st[sp] = Mem.get32(e.params, arg);
                        case AffineSites.PARAM64 -> st[sp] = Mem.get64(e.params, arg);
                        default -> {
                            switch ((int) arg) {
                                case AffineSites.TX -> st[sp + 1] = 1;
                                case AffineSites.TY -> st[sp + 2] = 1;
                                case AffineSites.TZ -> st[sp + 3] = 1;
                                case AffineSites.NTX -> st[sp] = e.ntx;
                                case AffineSites.NTY -> st[sp] = e.nty;
                                case AffineSites.NTZ -> st[sp] = e.ntz;
                                case AffineSites.CX -> st[sp + 4] = 1;
                                case AffineSites.CY -> st[sp + 5] = 1;
                                case AffineSites.CZ -> st[sp + 6] = 1;
                                case AffineSites.NCX -> st[sp] = e.ncx;
                                case AffineSites.NCY -> st[sp] = e.ncy;
                                default -> st[sp] = e.ncz;
                            }
                        }
                    }
                    sp += W;
                }
                case AffineSites.ADD, AffineSites.SUB -> {
                    sp -= W;
                    int a = sp - W;
                    for (int c = 0; c < W; c++) {
                        long r = ops[i] == AffineSites.SUB ? sub(st[a + c], st[sp + c]) : add(st[a + c], st[sp + c]);
                        if (r == Long.MIN_VALUE) return false;
                        st[a + c] = r;
                    }
                }
                case AffineSites.MUL -> {
                    sp -= W;
                    int a = sp - W;
                    long f;
                    int v;
                    if (constant(st, sp)) {
                        f = st[sp];
                        v = a;
                    } else if (constant(st, a)) {
                        f = st[a];
                        v = sp;
                    } else {
                        return false;
                    }
                    for (int c = 0; c < W; c++) {
                        long r = mul(st[v + c], f);
                        if (r == Long.MIN_VALUE) return false;
                        st[a + c] = r;
                    }
                }
                case AffineSites.SHL -> {
                    int a = sp - W;
                    for (int c = 0; c < W; c++) {
                        long r = mul(st[a + c], 1L << arg);
                        if (r == Long.MIN_VALUE) return false;
                        st[a + c] = r;
                    }
                }
                default -> {
                    // NORM_S32 / NORM_U32 over the whole grid
                    int a = sp - W;
                    long[] r = range(e, st, a);
                    if (r == null || r[0] > Long.MAX_VALUE - (1L << 32)) return false;
                    long bias = ops[i] == AffineSites.NORM_S32 ? 1L << 31 : 0;
                    long shift = Math.floorDiv(r[0] + bias, 1L << 32) << 32;
                    if (r[1] - shift + bias >= 1L << 32) return false;
                    st[a] -= shift;
                }
            }
        }
        System.arraycopy(st, sp - W, st, 0, W);
        return true;
    }

    private static boolean constant(long[] st, int a) {
        for (int c = 1; c < W; c++) if (st[a + c] != 0) return false;
        return true;
    }
}
