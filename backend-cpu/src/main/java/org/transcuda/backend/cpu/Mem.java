package org.transcuda.backend.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Memory access helpers called by compiled kernels (small static methods the JIT inlines).
 *
 * <p>Global/generic accesses go through the instruction's {@link SiteCache}: one sign test covers "inside the
 * cached allocation" and "aligned"; anything else takes {@link SiteCache#miss}. Shared, local and param
 * accesses check the offset against the window size and the alignment, then read the worker's buffer. Loads
 * of 8/16-bit values return them sign-extended; the compiled code zero-extends for unsigned types. Ordered
 * accesses ({@code .volatile/.relaxed/.acquire/.release}) use VarHandle opaque/acquire/release modes so that
 * spin loops on flags written by other blocks terminate.
 */
final class Mem {
    static final ValueLayout.OfByte I8 = ValueLayout.JAVA_BYTE;
    static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED;
    static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED;
    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED;

    private static final VarHandle VH8 = ValueLayout.JAVA_BYTE.varHandle();
    private static final VarHandle VH16 = ValueLayout.JAVA_SHORT.varHandle();
    private static final VarHandle VH32 = ValueLayout.JAVA_INT.varHandle();
    private static final VarHandle VH64 = ValueLayout.JAVA_LONG.varHandle();

    private Mem() {
    }

    // ---- global / generic through a site cache -------------------------------------------------------

    /** The offset of {@code a} in {@code c.seg} after the checks (refilling the cache on a miss). */
    static long at(SiteCache c, long a, int mask) {
        long off = a - c.base;
        if ((off | (c.lim - off) | -(a & mask)) < 0) off = c.miss(a);
        return off;
    }

    static int ld8(SiteCache c, long a) {
        long off = a - c.base;
        if ((off | (c.lim - off)) < 0) off = c.miss(a);
        return c.seg.get(I8, off);
    }

    static int ld16(SiteCache c, long a) {
        long off = a - c.base;
        if ((off | (c.lim - off) | -(a & 1)) < 0) off = c.miss(a);
        return c.seg.get(I16, off);
    }

    static int ld32(SiteCache c, long a) {
        long off = a - c.base;
        if ((off | (c.lim - off) | -(a & 3)) < 0) off = c.miss(a);
        return c.seg.get(I32, off);
    }

    static long ld64(SiteCache c, long a) {
        long off = a - c.base;
        if ((off | (c.lim - off) | -(a & 7)) < 0) off = c.miss(a);
        return c.seg.get(I64, off);
    }

    static float ldf32(SiteCache c, long a) {
        long off = a - c.base;
        if ((off | (c.lim - off) | -(a & 3)) < 0) off = c.miss(a);
        return c.seg.get(F32, off);
    }

    static double ldf64(SiteCache c, long a) {
        long off = a - c.base;
        if ((off | (c.lim - off) | -(a & 7)) < 0) off = c.miss(a);
        return c.seg.get(F64, off);
    }

    static void st8(SiteCache c, long a, int v) {
        long off = a - c.base;
        if ((off | (c.lim - off)) < 0) off = c.miss(a);
        c.seg.set(I8, off, (byte) v);
    }

    static void st16(SiteCache c, long a, int v) {
        long off = a - c.base;
        if ((off | (c.lim - off) | -(a & 1)) < 0) off = c.miss(a);
        c.seg.set(I16, off, (short) v);
    }

    static void st32(SiteCache c, long a, int v) {
        long off = a - c.base;
        if ((off | (c.lim - off) | -(a & 3)) < 0) off = c.miss(a);
        c.seg.set(I32, off, v);
    }

    static void st64(SiteCache c, long a, long v) {
        long off = a - c.base;
        if ((off | (c.lim - off) | -(a & 7)) < 0) off = c.miss(a);
        c.seg.set(I64, off, v);
    }

    static void stf32(SiteCache c, long a, float v) {
        long off = a - c.base;
        if ((off | (c.lim - off) | -(a & 3)) < 0) off = c.miss(a);
        c.seg.set(F32, off, v);
    }

    static void stf64(SiteCache c, long a, double v) {
        long off = a - c.base;
        if ((off | (c.lim - off) | -(a & 7)) < 0) off = c.miss(a);
        c.seg.set(F64, off, v);
    }

    // ---- shared (offset in the block's shared window) -----------------------------------------------

    static long sh(Exec e, long o, int size, int site) {
        if ((o | (e.sharedSize - size - o) | -(o & (size - 1))) < 0) throw window(e, "shared", o, size, e.sharedSize, site);
        return o;
    }

    static int lds8(Exec e, long o, int site) {
        return e.shared.get(I8, sh(e, o, 1, site));
    }

    static int lds16(Exec e, long o, int site) {
        return e.shared.get(I16, sh(e, o, 2, site));
    }

    static int lds32(Exec e, long o, int site) {
        return e.shared.get(I32, sh(e, o, 4, site));
    }

    static long lds64(Exec e, long o, int site) {
        return e.shared.get(I64, sh(e, o, 8, site));
    }

    static float ldsf32(Exec e, long o, int site) {
        return e.shared.get(F32, sh(e, o, 4, site));
    }

    static double ldsf64(Exec e, long o, int site) {
        return e.shared.get(F64, sh(e, o, 8, site));
    }

    static void sts8(Exec e, long o, int v, int site) {
        e.shared.set(I8, sh(e, o, 1, site), (byte) v);
    }

    static void sts16(Exec e, long o, int v, int site) {
        e.shared.set(I16, sh(e, o, 2, site), (short) v);
    }

    static void sts32(Exec e, long o, int v, int site) {
        e.shared.set(I32, sh(e, o, 4, site), v);
    }

    static void sts64(Exec e, long o, long v, int site) {
        e.shared.set(I64, sh(e, o, 8, site), v);
    }

    static void stsf32(Exec e, long o, float v, int site) {
        e.shared.set(F32, sh(e, o, 4, site), v);
    }

    static void stsf64(Exec e, long o, double v, int site) {
        e.shared.set(F64, sh(e, o, 8, site), v);
    }

    // ---- local (offset in the thread's local window) ------------------------------------------------

    static long lo(Exec e, long o, int size, int site) {
        if ((o | (e.localSize - size - o) | -(o & (size - 1))) < 0) throw window(e, "local", o, size, e.localSize, site);
        return e.lbase + o;
    }

    static int ldl8(Exec e, long o, int site) {
        return e.local.get(I8, lo(e, o, 1, site));
    }

    static int ldl16(Exec e, long o, int site) {
        return e.local.get(I16, lo(e, o, 2, site));
    }

    static int ldl32(Exec e, long o, int site) {
        return e.local.get(I32, lo(e, o, 4, site));
    }

    static long ldl64(Exec e, long o, int site) {
        return e.local.get(I64, lo(e, o, 8, site));
    }

    static float ldlf32(Exec e, long o, int site) {
        return e.local.get(F32, lo(e, o, 4, site));
    }

    static double ldlf64(Exec e, long o, int site) {
        return e.local.get(F64, lo(e, o, 8, site));
    }

    static void stl8(Exec e, long o, int v, int site) {
        e.local.set(I8, lo(e, o, 1, site), (byte) v);
    }

    static void stl16(Exec e, long o, int v, int site) {
        e.local.set(I16, lo(e, o, 2, site), (short) v);
    }

    static void stl32(Exec e, long o, int v, int site) {
        e.local.set(I32, lo(e, o, 4, site), v);
    }

    static void stl64(Exec e, long o, long v, int site) {
        e.local.set(I64, lo(e, o, 8, site), v);
    }

    static void stlf32(Exec e, long o, float v, int site) {
        e.local.set(F32, lo(e, o, 4, site), v);
    }

    static void stlf64(Exec e, long o, double v, int site) {
        e.local.set(F64, lo(e, o, 8, site), v);
    }

    // ---- param (offset in the launch's argument buffer; read-only) ----------------------------------

    static long pa(Exec e, long o, int size, int site) {
        if ((o | (e.paramSize - size - o) | -(o & (size - 1))) < 0) throw window(e, "param", o, size, e.paramSize, site);
        return o;
    }

    static int ldp8(Exec e, long o, int site) {
        return e.params.get(I8, pa(e, o, 1, site));
    }

    static int ldp16(Exec e, long o, int site) {
        return e.params.get(I16, pa(e, o, 2, site));
    }

    static int ldp32(Exec e, long o, int site) {
        return e.params.get(I32, pa(e, o, 4, site));
    }

    static long ldp64(Exec e, long o, int site) {
        return e.params.get(I64, pa(e, o, 8, site));
    }

    static float ldpf32(Exec e, long o, int site) {
        return e.params.get(F32, pa(e, o, 4, site));
    }

    static double ldpf64(Exec e, long o, int site) {
        return e.params.get(F64, pa(e, o, 8, site));
    }

    private static KernelFault window(Exec e, String space, long o, int size, long limit, int site) {
        if ((o & (size - 1)) != 0) return e.fault(KernelFault.misaligned(o, size), site);
        return e.fault(e.outside(space, o, size, limit), site);
    }

    // ---- ordered accesses and raw bits (any space, after resolution) ---------------------------------

    /** Order codes of the compiled code: 0 relaxed/volatile (opaque), 1 acquire, 2 release, 3 sequential. */
    static long ldOrdered(MemorySegment s, long off, int size, int order) {
        return switch (size) {
            case 1 -> switch (order) {
                case 1 -> (byte) VH8.getAcquire(s, off);
                case 3 -> (byte) VH8.getVolatile(s, off);
                default -> (byte) VH8.getOpaque(s, off);
            };
            case 2 -> switch (order) {
                case 1 -> (short) VH16.getAcquire(s, off);
                case 3 -> (short) VH16.getVolatile(s, off);
                default -> (short) VH16.getOpaque(s, off);
            };
            case 4 -> switch (order) {
                case 1 -> (int) VH32.getAcquire(s, off);
                case 3 -> (int) VH32.getVolatile(s, off);
                default -> (int) VH32.getOpaque(s, off);
            };
            default -> switch (order) {
                case 1 -> (long) VH64.getAcquire(s, off);
                case 3 -> (long) VH64.getVolatile(s, off);
                default -> (long) VH64.getOpaque(s, off);
            };
        };
    }

    static void stOrdered(MemorySegment s, long off, int size, long v, int order) {
        switch (size) {
            case 1 -> {
                switch (order) {
                    case 2 -> VH8.setRelease(s, off, (byte) v);
                    case 3 -> VH8.setVolatile(s, off, (byte) v);
                    default -> VH8.setOpaque(s, off, (byte) v);
                }
            }
            case 2 -> {
                switch (order) {
                    case 2 -> VH16.setRelease(s, off, (short) v);
                    case 3 -> VH16.setVolatile(s, off, (short) v);
                    default -> VH16.setOpaque(s, off, (short) v);
                }
            }
            case 4 -> {
                switch (order) {
                    case 2 -> VH32.setRelease(s, off, (int) v);
                    case 3 -> VH32.setVolatile(s, off, (int) v);
                    default -> VH32.setOpaque(s, off, (int) v);
                }
            }
            default -> {
                switch (order) {
                    case 2 -> VH64.setRelease(s, off, v);
                    case 3 -> VH64.setVolatile(s, off, v);
                    default -> VH64.setOpaque(s, off, v);
                }
            }
        }
    }

    /** Reads a NUL-terminated string at a generic address (printf formats, assertion messages). */
    static String cString(Exec e, long a) {
        if (a == 0) return "(null)";
        StringBuilder sb = new StringBuilder();
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        SiteCache c = new SiteCache(e, 1, true, -1);
        for (int i = 0; i < 1 << 20; i++) {
            int b = ld8(c, a + i);
            if (b == 0) break;
            bytes.write(b);
        }
        sb.append(bytes.toString(java.nio.charset.StandardCharsets.UTF_8));
        return sb.toString();
    }
}
