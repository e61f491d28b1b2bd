package org.transcuda.backend.cpu;

import org.transcuda.cuda.CUresult;

/**
 * The device runtime functions compiled kernels call: {@code vprintf}, {@code __assertfail}, {@code malloc},
 * {@code free}, and address-space tests. printf output is buffered per worker with its block number and
 * printed after the launch in block order (see {@link Launch}).
 */
final class Builtins {
    private Builtins() {
    }

    /**
     * CUDA's {@code int vprintf(const char *format, void *args)}: returns the number of arguments parsed (as
     * CUDA's printf does), -1 for a null format.
     */
    static int vprintf(Exec e, long format, long args) {
        if (format == 0) return -1;
        String fmt = Mem.cString(e, format);
        SiteCache c4 = new SiteCache(e, 2, true, -1);
        SiteCache c8 = new SiteCache(e, 3, true, -1);
        org.transcuda.spi.host.DevicePrintf.Strings reader = new org.transcuda.spi.host.DevicePrintf.Strings() {
            @Override
            public long read(long offset, int size) {
                long a = args + offset;
                return size == 4 ? Mem.ld32(c4, a) : Mem.ld64(c8, a);
            }

            @Override
            public String string(long address) {
                return Mem.cString(e, address);
            }
        };
        int[] count = new int[1];
        String text = org.transcuda.spi.host.DevicePrintf.format(fmt, reader, count);
        e.out.add(text);
        e.outBlock.add(e.blockLinear);
        return count[0];
    }

    /** {@code __assertfail(message, file, line, function, charSize)}: the launch fails with CUDA_ERROR_ASSERT. */
    static KernelFault assertfail(Exec e, long message, long file, int line, long function, long charSize) {
        String msg = Mem.cString(e, message);
        String f = Mem.cString(e, file);
        String fn = Mem.cString(e, function);
        String cuda = f + ":" + line + ": " + fn + ": block: [" + e.cx + "," + e.cy + "," + e.cz + "], thread: ["
                + e.tx + "," + e.ty + "," + e.tz + "] Assertion `" + msg + "` failed.";
        e.out.add(cuda + "\n");
        e.outBlock.add(Long.MIN_VALUE);
        return new KernelFault(CUresult.CUDA_ERROR_ASSERT, f + ":" + line + ": " + fn + ": Assertion `" + msg
                + "` failed.");
    }

    static long malloc(Exec e, long size) {
        if (size <= 0) return 0;
        try {
            return e.launch.memory.allocate(size);
        } catch (org.transcuda.spi.BackendException x) {
            return 0;
        }
    }

    /** Device-side free: checked now, applied when the launch ends (other threads may still read it). */
    static void free(Exec e, long address) {
        if (address == 0) return;
        synchronized (e.launch.deferredFrees) {
            if (!e.launch.memory.isAllocation(address) || e.launch.deferredFrees.contains(address)) {
                throw KernelFault.illegalAddress("free of 0x" + Long.toHexString(address)
                        + ", which is not the start of a live allocation");
            }
            e.launch.deferredFrees.add(address);
        }
    }

    static int isConst(Exec e, long a) {
        long[] r = e.launch.kernel.constRanges;
        for (int i = 0; i < r.length; i += 2) {
            if (a >= r[i] && a < r[i + 1]) return 1;
        }
        return 0;
    }

    static int isGlobal(long a) {
        return Windows.tag(a) == 0 ? 1 : 0;
    }

    static int isWindow(long a, long window) {
        return Windows.tag(a) == window ? 1 : 0;
    }
}
