package org.transcuda.backend.cpu;

/**
 * The per-worker cache of one global or generic memory instruction ("site") of a compiled kernel: the region
 * the site touched last, as a base address, a number of aligned slots for the site's access size
 * ({@link Mem#slots}) and a translation {@code delta} from the instruction's address to the native address
 * (0 for global memory; window buffer minus window base for generic shared/param addresses). The compiled
 * code's fast path is {@code off = a - base; if (compareUnsigned(rotateRight(off, k), slots) >= 0) miss else
 * access(a + delta)}; the empty cache has {@code slots = 0}, which rejects every address.
 *
 * <p>{@link #miss} resolves the address (allocation table or generic window), checks bounds and alignment,
 * refills the cache and returns the native address to access, or throws the kernel fault. Per-thread local
 * windows are never cached (threads of a suspending kernel share the worker's caches).
 */
final class SiteCache {
    long base;
    long slots;
    long delta;

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

    private void fill(long base, long length, long delta) {
        this.base = base;
        this.slots = Mem.slots(length, k);
        this.delta = delta;
    }

    /** Resolves {@code a}; refills the cache; returns the native address to access. */
    long miss(long a) {
        int size = 1 << k;
        if ((a & (size - 1)) != 0) throw exec.fault(KernelFault.misaligned(a, size), site);
        long tag = Windows.tag(a);
        if (tag != 0) {
            if (!generic) {
                throw exec.fault(KernelFault.illegalAddress("address 0x" + Long.toHexString(a)
                        + " is not a global address"), site);
            }
            long o = a - tag;
            if (tag == Windows.SHARED) {
                if (o > exec.sharedSize - size) throw exec.fault(exec.outside("shared", o, size, exec.sharedSize), site);
                fill(Windows.SHARED, exec.sharedSize, exec.sharedBase - Windows.SHARED);
                return exec.sharedBase + o;
            } else if (tag == Windows.LOCAL) {
                if (o > exec.localSize - size) throw exec.fault(exec.outside("local", o, size, exec.localSize), site);
                if (exec.localCount == 1) fill(Windows.LOCAL, exec.localSize, exec.lbase - Windows.LOCAL);
                return exec.lbase + o;
            } else if (tag == Windows.PARAM) {
                if (o > exec.paramSize - size) throw exec.fault(exec.outside("param", o, size, exec.paramSize), site);
                fill(Windows.PARAM, exec.paramSize, exec.paramBase - Windows.PARAM);
                return exec.paramBase + o;
            }
            throw exec.fault(KernelFault.illegalAddress("address 0x" + Long.toHexString(a)
                    + " is in no memory window"), site);
        }
        DeviceMemory.Snapshot table = exec.memory();
        int i = table.find(a);
        if (i < 0 || a - table.bases[i] > table.sizes[i] - size) {
            throw exec.fault(KernelFault.illegalAddress("address 0x" + Long.toHexString(a) + " (" + size
                    + " bytes) is not inside a live device allocation"), site);
        }
        fill(table.bases[i], table.sizes[i], 0);
        return a;
    }
}
