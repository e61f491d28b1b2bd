package org.transcuda.backend.cpu;

import java.lang.foreign.MemorySegment;

/**
 * The per-worker cache of one global or generic memory instruction ("site") of a compiled kernel: the
 * allocation (or window) the site touched last, as {@code [base, base + lim + size]} and the segment that
 * covers it. The compiled code's fast path is one subtraction and one sign test:
 * {@code off = a - base; if ((off | (lim - off) | -(a & (size - 1))) < 0) off = miss(a);} followed by a read of
 * {@code seg} at {@code off}. {@link #miss} resolves the address (allocation table or generic window), checks
 * bounds and alignment, refills the cache and returns the offset, or throws the kernel fault.
 *
 * <p>Invariants that make the single test sound: {@code base} is below 2^63 and {@code lim} below 2^60 for a
 * filled cache; the empty cache has {@code base = Long.MIN_VALUE, lim = -1}, which fails the test for every
 * address.
 */
final class SiteCache {
    long base = Long.MIN_VALUE;
    long lim = -1;
    MemorySegment seg = MemorySegment.NULL;

    private final Exec exec;
    private final int size;
    private final boolean generic;
    private final int site;

    SiteCache(Exec exec, int size, boolean generic, int site) {
        this.exec = exec;
        this.size = size;
        this.generic = generic;
        this.site = site;
    }

    /** Resolves {@code a} for this site's access size; refills the cache; returns the offset in {@link #seg}. */
    long miss(long a) {
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
                base = Windows.SHARED;
                lim = exec.sharedSize - size;
                seg = exec.shared;
                return o;
            } else if (tag == Windows.LOCAL) {
                if (o > exec.localSize - size) throw exec.fault(exec.outside("local", o, size, exec.localSize), site);
                seg = exec.local;
                if (exec.localSlots == 1) {
                    base = Windows.LOCAL;
                    lim = exec.localSize - size;
                    return o;
                }
                // Each thread has its own local window: do not cache it across threads.
                base = Long.MIN_VALUE;
                lim = -1;
                return exec.lbase + o;
            } else if (tag == Windows.PARAM) {
                if (o > exec.paramSize - size) throw exec.fault(exec.outside("param", o, size, exec.paramSize), site);
                base = Windows.PARAM;
                lim = exec.paramSize - size;
                seg = exec.params;
                return o;
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
        base = table.bases[i];
        lim = table.sizes[i] - size;
        seg = table.segs[i];
        return a - base;
    }
}
