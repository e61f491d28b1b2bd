package org.transcuda.backend.cpu;

/**
 * The per-worker cache of one global or generic memory instruction ("site") of a compiled kernel: the
 * allocation the site touched last, as its base address and the number of aligned slots for the site's access
 * size ({@link Mem#slots}). The compiled code's fast path is {@code off = a - base;
 * if (compareUnsigned(rotateRight(off, k), slots) >= 0) slow path else access Mem.ALL at a}; the empty cache has
 * {@code slots = 0}, which rejects every address.
 *
 * <p>The slow paths resolve the address through the allocation table (refilling the cache) or, for generic
 * addresses, in the shared/local/param windows, which they access directly ({@link #load}, {@link #store});
 * misaligned and unmapped addresses raise the kernel fault.
 */
final class SiteCache {
    long base;
    long slots;

    private final Exec exec;
    private final int k;
    private final boolean generic;
    private final int site;

    SiteCache(Exec exec, int log2Size, boolean generic, int site) {
        this.exec = exec;
        this.k = log2Size;
        this.generic = generic;
        this.site = site;
    }

    /**
     * Whether every access of {@code 1 << k} bytes at an address from {@code lo} to {@code hi} (both accessed,
     * {@code lo} aligned, the addresses in between on the same alignment) lies inside one live allocation of
     * {@code e}'s memory; on success the cache holds that allocation. Callers have checked that {@code lo >= 0} and
     * that {@code hi + (1 << k)} does not overflow. Used by the once-per-block and once-per-loop range checks
     * ({@link AffineSites}, {@link LoopChecks}, {@link GridRows}).
     */
    boolean covers(Exec e, long lo, long hi, int k) {
        long size = 1L << k;
        long last = (slots - 1) << k;
        if (slots > 0 && lo - base >= 0 && hi - base <= last && ((lo - base) & (size - 1)) == 0) return true;
        DeviceMemory.Snapshot table = e.memory();
        int i = table.find(lo);
        if (i < 0) return false;
        long b = table.bases[i];
        if (hi - b > table.sizes[i] - size || ((lo - b) & (size - 1)) != 0) return false;
        base = b;
        slots = Mem.slots(table.sizes[i], k);
        if (e.launch.defer != null) AddDefer.seen(e, site, b);
        return true;
    }

    /** Resolves global address {@code a} (refilling the cache); returns it, or throws the fault. */
    long miss(long a) {
        int size = 1 << k;
        if ((a & (size - 1)) != 0) throw exec.fault(KernelFault.misaligned(a, size), site);
        if (Windows.tag(a) != 0) {
            throw exec.fault(KernelFault.illegalAddress("address 0x" + Long.toHexString(a)
                    + (generic ? " is in a memory window, where this access cannot go" : " is not a global address")),
                    site);
        }
        DeviceMemory.Snapshot table = exec.memory();
        int i = table.find(a);
        if (i < 0 || a - table.bases[i] > table.sizes[i] - size) {
            throw exec.fault(KernelFault.illegalAddress("address 0x" + Long.toHexString(a) + " (" + size
                    + " bytes) is not inside a live device allocation"), site);
        }
        base = table.bases[i];
        slots = Mem.slots(table.sizes[i], k);
        if (exec.launch.defer != null) AddDefer.seen(exec, site, base);
        return a;
    }

    /** The window array and byte offset of generic window address {@code a}, or null when it is global. */
    private int[] window(long a, long[] offset) {
        int size = 1 << k;
        long tag = Windows.tag(a);
        if (tag == 0) return null;
        if (!generic) {
            throw exec.fault(KernelFault.illegalAddress("address 0x" + Long.toHexString(a) + " is not a global address"),
                    site);
        }
        long o = a - tag;
        if ((o & (size - 1)) != 0) throw exec.fault(KernelFault.misaligned(a, size), site);
        if (tag == Windows.SHARED) {
            if (o > exec.sharedSize - size) throw exec.fault(exec.outside("shared", o, size, exec.sharedSize), site);
            offset[0] = o;
            return exec.shared;
        } else if (tag == Windows.LOCAL) {
            if (o > exec.localSize - size) throw exec.fault(exec.outside("local", o, size, exec.localSize), site);
            offset[0] = exec.lbase + o;
            return exec.local;
        } else if (tag == Windows.PARAM) {
            if (o > exec.paramSize - size) throw exec.fault(exec.outside("param", o, size, exec.paramSize), site);
            offset[0] = o;
            return exec.params;
        }
        throw exec.fault(KernelFault.illegalAddress("address 0x" + Long.toHexString(a) + " is in no memory window"),
                site);
    }

    /** Slow-path load: raw bits (8/16/32-bit values sign-extended). */
    long load(long a) {
        long[] off = new long[1];
        int[] w = window(a, off);
        if (w != null) return Mem.get(w, off[0], k);
        return Mem.getAbs(miss(a), k);
    }

    /** Slow-path store of the low {@code 2^k} bytes of {@code bits}. */
    void store(long a, long bits) {
        long[] off = new long[1];
        int[] w = window(a, off);
        if (w != null) {
            if (w == exec.params) {
                throw exec.fault(KernelFault.illegalAddress("store to kernel parameter memory at 0x"
                        + Long.toHexString(a)), site);
            }
            Mem.set(w, off[0], k, bits);
            return;
        }
        Mem.setAbs(miss(a), k, bits);
    }

    /** For atomics at a generic address: the window array (and offset) or null for global memory. */
    int[] atomicWindow(long a, long[] offset) {
        int[] w = window(a, offset);
        if (w == exec.params && w != null) {
            throw exec.fault(KernelFault.illegalAddress("atomic on kernel parameter memory at 0x" + Long.toHexString(a)),
                    site);
        }
        return w;
    }
}
