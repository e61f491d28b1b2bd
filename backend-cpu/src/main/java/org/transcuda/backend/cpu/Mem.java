package org.transcuda.backend.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Memory access helpers called by compiled kernels (small static methods the JIT inlines).
 *
 * <p>Every access is checked by this backend and then performed through {@link #ALL}, one segment spanning the
 * address space, at the native address. The check is one rotate and one unsigned comparison:
 * {@code Long.compareUnsigned(Long.rotateRight(off, k), slots) < 0} holds exactly when {@code off} is a multiple
 * of the access size {@code 2^k} and {@code off + 2^k <= length}, where {@code slots} is the number of aligned
 * positions in the region (0 for none: an empty region rejects every offset). That one test covers "inside" and
 * "aligned" together; only a failure takes the slow path, which tells the two apart.
 *
 * <p>Why raw addresses are safe: a global access hits only when it lies inside an allocation of the current
 * allocation table (or a window buffer), and what the table lists stays allocated while a launch runs:
 * host-side frees wait for running launches ({@link DeviceMemory#free}), device-side {@code free} is deferred
 * to the end of the launch, and window buffers (shared, local, param) belong to the launch. {@link #ALL} rejects
 * negative addresses by itself. The JVM therefore never touches memory that is not allocated.
 *
 * <p>Global/generic accesses go through the instruction's {@link SiteCache} (allocation or window last hit).
 * Loads of 8/16-bit values return them sign-extended; the compiled code zero-extends for unsigned types.
 * Ordered accesses ({@code .volatile/.relaxed/.acquire/.release}) use VarHandle opaque/acquire/release modes so
 * that spin loops on flags written by other blocks terminate.
 */
final class Mem {
    /** The whole address space (this backend checks every access before using it). */
    static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

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

    /** Number of aligned positions for accesses of {@code 2^k} bytes in a region of {@code length} bytes. */
    static long slots(long length, int k) {
        long size = 1L << k;
        return length < size ? 0 : ((length - size) >>> k) + 1;
    }

    // ---- global / generic through a site cache: the absolute address to access ----------------------

    static long at(SiteCache c, long a, int k) {
        long off = a - c.base;
        if (Long.compareUnsigned(Long.rotateRight(off, k), c.slots) >= 0) return c.miss(a);
        return a + c.delta;
    }

    static int ld8(SiteCache c, long a) {
        long off = a - c.base;
        if (Long.compareUnsigned(off, c.slots) >= 0) return ALL.get(I8, c.miss(a));
        return ALL.get(I8, a + c.delta);
    }

    static int ld16(SiteCache c, long a) {
        long off = a - c.base;
        if (Long.compareUnsigned(Long.rotateRight(off, 1), c.slots) >= 0) return ALL.get(I16, c.miss(a));
        return ALL.get(I16, a + c.delta);
    }

    static int ld32(SiteCache c, long a) {
        long off = a - c.base;
        if (Long.compareUnsigned(Long.rotateRight(off, 2), c.slots) >= 0) return ALL.get(I32, c.miss(a));
        return ALL.get(I32, a + c.delta);
    }

    static long ld64(SiteCache c, long a) {
        long off = a - c.base;
        if (Long.compareUnsigned(Long.rotateRight(off, 3), c.slots) >= 0) return ALL.get(I64, c.miss(a));
        return ALL.get(I64, a + c.delta);
    }

    static float ldf32(SiteCache c, long a) {
        long off = a - c.base;
        if (Long.compareUnsigned(Long.rotateRight(off, 2), c.slots) >= 0) return ALL.get(F32, c.miss(a));
        return ALL.get(F32, a + c.delta);
    }

    static double ldf64(SiteCache c, long a) {
        long off = a - c.base;
        if (Long.compareUnsigned(Long.rotateRight(off, 3), c.slots) >= 0) return ALL.get(F64, c.miss(a));
        return ALL.get(F64, a + c.delta);
    }

    static void st8(SiteCache c, long a, int v) {
        long off = a - c.base;
        ALL.set(I8, Long.compareUnsigned(off, c.slots) >= 0 ? c.miss(a) : a + c.delta, (byte) v);
    }

    static void st16(SiteCache c, long a, int v) {
        long off = a - c.base;
        ALL.set(I16, Long.compareUnsigned(Long.rotateRight(off, 1), c.slots) >= 0 ? c.miss(a) : a + c.delta, (short) v);
    }

    static void st32(SiteCache c, long a, int v) {
        long off = a - c.base;
        ALL.set(I32, Long.compareUnsigned(Long.rotateRight(off, 2), c.slots) >= 0 ? c.miss(a) : a + c.delta, v);
    }

    static void st64(SiteCache c, long a, long v) {
        long off = a - c.base;
        ALL.set(I64, Long.compareUnsigned(Long.rotateRight(off, 3), c.slots) >= 0 ? c.miss(a) : a + c.delta, v);
    }

    static void stf32(SiteCache c, long a, float v) {
        long off = a - c.base;
        ALL.set(F32, Long.compareUnsigned(Long.rotateRight(off, 2), c.slots) >= 0 ? c.miss(a) : a + c.delta, v);
    }

    static void stf64(SiteCache c, long a, double v) {
        long off = a - c.base;
        ALL.set(F64, Long.compareUnsigned(Long.rotateRight(off, 3), c.slots) >= 0 ? c.miss(a) : a + c.delta, v);
    }

    // ---- windows: shared (block), local (thread), param (launch); offsets in the window -------------

    static long sh(Exec e, long o, int k, int site) {
        if (Long.compareUnsigned(Long.rotateRight(o, k), e.sharedSlots[k]) >= 0) {
            throw window(e, "shared", o, 1 << k, e.sharedSize, site);
        }
        return e.sharedBase + o;
    }

    static long lo(Exec e, long o, int k, int site) {
        if (Long.compareUnsigned(Long.rotateRight(o, k), e.localSlots[k]) >= 0) {
            throw window(e, "local", o, 1 << k, e.localSize, site);
        }
        return e.lbase + o;
    }

    static long pa(Exec e, long o, int k, int site) {
        if (Long.compareUnsigned(Long.rotateRight(o, k), e.paramSlots[k]) >= 0) {
            throw window(e, "param", o, 1 << k, e.paramSize, site);
        }
        return e.paramBase + o;
    }

    static int lds8(Exec e, long o, int site) {
        return ALL.get(I8, sh(e, o, 0, site));
    }

    static int lds16(Exec e, long o, int site) {
        return ALL.get(I16, sh(e, o, 1, site));
    }

    static int lds32(Exec e, long o, int site) {
        return ALL.get(I32, sh(e, o, 2, site));
    }

    static long lds64(Exec e, long o, int site) {
        return ALL.get(I64, sh(e, o, 3, site));
    }

    static float ldsf32(Exec e, long o, int site) {
        return ALL.get(F32, sh(e, o, 2, site));
    }

    static double ldsf64(Exec e, long o, int site) {
        return ALL.get(F64, sh(e, o, 3, site));
    }

    static void sts8(Exec e, long o, int v, int site) {
        ALL.set(I8, sh(e, o, 0, site), (byte) v);
    }

    static void sts16(Exec e, long o, int v, int site) {
        ALL.set(I16, sh(e, o, 1, site), (short) v);
    }

    static void sts32(Exec e, long o, int v, int site) {
        ALL.set(I32, sh(e, o, 2, site), v);
    }

    static void sts64(Exec e, long o, long v, int site) {
        ALL.set(I64, sh(e, o, 3, site), v);
    }

    static void stsf32(Exec e, long o, float v, int site) {
        ALL.set(F32, sh(e, o, 2, site), v);
    }

    static void stsf64(Exec e, long o, double v, int site) {
        ALL.set(F64, sh(e, o, 3, site), v);
    }

    static int ldl8(Exec e, long o, int site) {
        return ALL.get(I8, lo(e, o, 0, site));
    }

    static int ldl16(Exec e, long o, int site) {
        return ALL.get(I16, lo(e, o, 1, site));
    }

    static int ldl32(Exec e, long o, int site) {
        return ALL.get(I32, lo(e, o, 2, site));
    }

    static long ldl64(Exec e, long o, int site) {
        return ALL.get(I64, lo(e, o, 3, site));
    }

    static float ldlf32(Exec e, long o, int site) {
        return ALL.get(F32, lo(e, o, 2, site));
    }

    static double ldlf64(Exec e, long o, int site) {
        return ALL.get(F64, lo(e, o, 3, site));
    }

    static void stl8(Exec e, long o, int v, int site) {
        ALL.set(I8, lo(e, o, 0, site), (byte) v);
    }

    static void stl16(Exec e, long o, int v, int site) {
        ALL.set(I16, lo(e, o, 1, site), (short) v);
    }

    static void stl32(Exec e, long o, int v, int site) {
        ALL.set(I32, lo(e, o, 2, site), v);
    }

    static void stl64(Exec e, long o, long v, int site) {
        ALL.set(I64, lo(e, o, 3, site), v);
    }

    static void stlf32(Exec e, long o, float v, int site) {
        ALL.set(F32, lo(e, o, 2, site), v);
    }

    static void stlf64(Exec e, long o, double v, int site) {
        ALL.set(F64, lo(e, o, 3, site), v);
    }

    static int ldp8(Exec e, long o, int site) {
        return ALL.get(I8, pa(e, o, 0, site));
    }

    static int ldp16(Exec e, long o, int site) {
        return ALL.get(I16, pa(e, o, 1, site));
    }

    static int ldp32(Exec e, long o, int site) {
        return ALL.get(I32, pa(e, o, 2, site));
    }

    static long ldp64(Exec e, long o, int site) {
        return ALL.get(I64, pa(e, o, 3, site));
    }

    static float ldpf32(Exec e, long o, int site) {
        return ALL.get(F32, pa(e, o, 2, site));
    }

    static double ldpf64(Exec e, long o, int site) {
        return ALL.get(F64, pa(e, o, 3, site));
    }

    static KernelFault window(Exec e, String space, long o, int size, long limit, int site) {
        if ((o & (size - 1)) != 0) return e.fault(KernelFault.misaligned(o, size), site);
        return e.fault(e.outside(space, o, size, limit), site);
    }

    // ---- ordered accesses (absolute address, already checked) -------------------------------------

    /** Order codes of the compiled code: 0 relaxed/volatile (opaque), 1 acquire, 2 release, 3 sequential. */
    static long ldOrdered(long p, int size, int order) {
        return switch (size) {
            case 1 -> switch (order) {
                case 1 -> (byte) VH8.getAcquire(ALL, p);
                case 3 -> (byte) VH8.getVolatile(ALL, p);
                default -> (byte) VH8.getOpaque(ALL, p);
            };
            case 2 -> switch (order) {
                case 1 -> (short) VH16.getAcquire(ALL, p);
                case 3 -> (short) VH16.getVolatile(ALL, p);
                default -> (short) VH16.getOpaque(ALL, p);
            };
            case 4 -> switch (order) {
                case 1 -> (int) VH32.getAcquire(ALL, p);
                case 3 -> (int) VH32.getVolatile(ALL, p);
                default -> (int) VH32.getOpaque(ALL, p);
            };
            default -> switch (order) {
                case 1 -> (long) VH64.getAcquire(ALL, p);
                case 3 -> (long) VH64.getVolatile(ALL, p);
                default -> (long) VH64.getOpaque(ALL, p);
            };
        };
    }

    static void stOrdered(long p, int size, long v, int order) {
        switch (size) {
            case 1 -> {
                switch (order) {
                    case 2 -> VH8.setRelease(ALL, p, (byte) v);
                    case 3 -> VH8.setVolatile(ALL, p, (byte) v);
                    default -> VH8.setOpaque(ALL, p, (byte) v);
                }
            }
            case 2 -> {
                switch (order) {
                    case 2 -> VH16.setRelease(ALL, p, (short) v);
                    case 3 -> VH16.setVolatile(ALL, p, (short) v);
                    default -> VH16.setOpaque(ALL, p, (short) v);
                }
            }
            case 4 -> {
                switch (order) {
                    case 2 -> VH32.setRelease(ALL, p, (int) v);
                    case 3 -> VH32.setVolatile(ALL, p, (int) v);
                    default -> VH32.setOpaque(ALL, p, (int) v);
                }
            }
            default -> {
                switch (order) {
                    case 2 -> VH64.setRelease(ALL, p, v);
                    case 3 -> VH64.setVolatile(ALL, p, v);
                    default -> VH64.setOpaque(ALL, p, v);
                }
            }
        }
    }

    /** Reads a NUL-terminated string at a generic address (printf formats, assertion messages). */
    static String cString(Exec e, long a) {
        if (a == 0) return "(null)";
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        SiteCache c = new SiteCache(e, 0, true, -1);
        for (int i = 0; i < 1 << 20; i++) {
            int b = ld8(c, a + i);
            if (b == 0) break;
            bytes.write(b);
        }
        return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
}
