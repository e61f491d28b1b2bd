package org.transcuda.backend.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Memory access helpers called by compiled kernels (small static methods the JIT inlines).
 *
 * <p>Global memory: every access is checked by this backend and then performed through {@link #ALL}, one segment
 * spanning the address space, at the native address. Windows (shared, local, param) are {@code int[]} arrays
 * owned by the worker or the launch and only ever touched by one Java thread at a time (a block runs on one
 * worker), so their accesses are plain array accesses (cheap for the JIT, and bounds-checked twice). The check is one rotate and one unsigned comparison:
 * {@code Long.compareUnsigned(Long.rotateRight(off, k), slots) < 0} holds exactly when {@code off} is a multiple
 * of the access size {@code 2^k} and {@code off + 2^k <= length}, where {@code slots} is the number of aligned
 * positions in the region (0 for none: an empty region rejects every offset). That one test covers "inside" and
 * "aligned" together; only a failure takes the slow path, which tells the two apart.
 *
 * <p>Why raw addresses are safe: a global access hits only when it lies inside an allocation of the current
 * allocation table, and what the table lists stays allocated while a launch runs: host-side frees wait for
 * running launches ({@link DeviceMemory#free}) and device-side {@code free} is deferred to the end of the launch.
 * {@link #ALL} rejects negative addresses by itself. The JVM therefore never touches memory that is not
 * allocated.
 *
 * <p>Global/generic accesses go through the instruction's {@link SiteCache} (the allocation last hit); generic
 * addresses in a window always take its slow path, which performs the window access itself.
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

    // ---- int[] windows: little-endian bytes in ints; the caller checked bounds and alignment -----------

    static int get8(int[] w, long off) {
        return (byte) (w[(int) (off >>> 2)] >>> ((off & 3) << 3));
    }

    static int get16(int[] w, long off) {
        return (short) (w[(int) (off >>> 2)] >>> ((off & 2) << 3));
    }

    static int get32(int[] w, long off) {
        return w[(int) (off >>> 2)];
    }

    static long get64(int[] w, long off) {
        int i = (int) (off >>> 2);
        return (w[i] & 0xffff_ffffL) | ((long) w[i + 1] << 32);
    }

    static void set8(int[] w, long off, int v) {
        int i = (int) (off >>> 2);
        int sh = (int) (off & 3) << 3;
        w[i] = (w[i] & ~(0xff << sh)) | ((v & 0xff) << sh);
    }

    static void set16(int[] w, long off, int v) {
        int i = (int) (off >>> 2);
        int sh = (int) (off & 2) << 3;
        w[i] = (w[i] & ~(0xffff << sh)) | ((v & 0xffff) << sh);
    }

    static void set32(int[] w, long off, int v) {
        w[(int) (off >>> 2)] = v;
    }

    static void set64(int[] w, long off, long v) {
        int i = (int) (off >>> 2);
        w[i] = (int) v;
        w[i + 1] = (int) (v >>> 32);
    }

    /** Raw bits of a {@code 2^k}-byte window access (8/16/32-bit values sign-extended). */
    static long get(int[] w, long off, int k) {
        return switch (k) {
            case 0 -> get8(w, off);
            case 1 -> get16(w, off);
            case 2 -> get32(w, off);
            default -> get64(w, off);
        };
    }

    static void set(int[] w, long off, int k, long v) {
        switch (k) {
            case 0 -> set8(w, off, (int) v);
            case 1 -> set16(w, off, (int) v);
            case 2 -> set32(w, off, (int) v);
            default -> set64(w, off, v);
        }
    }

    /** Raw bits at a checked native address. */
    static long getAbs(long p, int k) {
        return switch (k) {
            case 0 -> ALL.get(I8, p);
            case 1 -> ALL.get(I16, p);
            case 2 -> ALL.get(I32, p);
            default -> ALL.get(I64, p);
        };
    }

    static void setAbs(long p, int k, long v) {
        switch (k) {
            case 0 -> ALL.set(I8, p, (byte) v);
            case 1 -> ALL.set(I16, p, (short) v);
            case 2 -> ALL.set(I32, p, (int) v);
            default -> ALL.set(I64, p, v);
        }
    }

    // ---- global / generic through a site cache ------------------------------------------------------

    /** The checked native address of a global/const access (not generic: generic may be a window). */
    static long at(SiteCache c, long a, int k) {
        long off = a - c.base;
        if (Long.compareUnsigned(Long.rotateRight(off, k), c.slots) >= 0) return c.miss(a);
        return a;
    }

    // global/const sites: the slow path only refills the cache (or faults) and returns the address

    static int gld8(SiteCache c, long a) {
        return ALL.get(I8, at(c, a, 0));
    }

    static int gld16(SiteCache c, long a) {
        return ALL.get(I16, at(c, a, 1));
    }

    static int gld32(SiteCache c, long a) {
        return ALL.get(I32, at(c, a, 2));
    }

    static long gld64(SiteCache c, long a) {
        return ALL.get(I64, at(c, a, 3));
    }

    static float gldf32(SiteCache c, long a) {
        return ALL.get(F32, at(c, a, 2));
    }

    static double gldf64(SiteCache c, long a) {
        return ALL.get(F64, at(c, a, 3));
    }

    static void gst8(SiteCache c, long a, int v) {
        ALL.set(I8, at(c, a, 0), (byte) v);
    }

    static void gst16(SiteCache c, long a, int v) {
        ALL.set(I16, at(c, a, 1), (short) v);
    }

    static void gst32(SiteCache c, long a, int v) {
        ALL.set(I32, at(c, a, 2), v);
    }

    static void gst64(SiteCache c, long a, long v) {
        ALL.set(I64, at(c, a, 3), v);
    }

    static void gstf32(SiteCache c, long a, float v) {
        ALL.set(F32, at(c, a, 2), v);
    }

    static void gstf64(SiteCache c, long a, double v) {
        ALL.set(F64, at(c, a, 3), v);
    }

    // global/const sites whose block was checked by AffineSites: ok != 0 skips the per-access check

    static int hgld8(SiteCache c, long a, int ok) {
        return ALL.get(I8, ok != 0 ? a : at(c, a, 0));
    }

    static int hgld16(SiteCache c, long a, int ok) {
        return ALL.get(I16, ok != 0 ? a : at(c, a, 1));
    }

    static int hgld32(SiteCache c, long a, int ok) {
        return ALL.get(I32, ok != 0 ? a : at(c, a, 2));
    }

    static long hgld64(SiteCache c, long a, int ok) {
        return ALL.get(I64, ok != 0 ? a : at(c, a, 3));
    }

    static float hgldf32(SiteCache c, long a, int ok) {
        return ALL.get(F32, ok != 0 ? a : at(c, a, 2));
    }

    static double hgldf64(SiteCache c, long a, int ok) {
        return ALL.get(F64, ok != 0 ? a : at(c, a, 3));
    }

    static void hgst8(SiteCache c, long a, int v, int ok) {
        ALL.set(I8, ok != 0 ? a : at(c, a, 0), (byte) v);
    }

    static void hgst16(SiteCache c, long a, int v, int ok) {
        ALL.set(I16, ok != 0 ? a : at(c, a, 1), (short) v);
    }

    static void hgst32(SiteCache c, long a, int v, int ok) {
        ALL.set(I32, ok != 0 ? a : at(c, a, 2), v);
    }

    static void hgst64(SiteCache c, long a, long v, int ok) {
        ALL.set(I64, ok != 0 ? a : at(c, a, 3), v);
    }

    static void hgstf32(SiteCache c, long a, float v, int ok) {
        ALL.set(F32, ok != 0 ? a : at(c, a, 2), v);
    }

    static void hgstf64(SiteCache c, long a, double v, int ok) {
        ALL.set(F64, ok != 0 ? a : at(c, a, 3), v);
    }

    // generic sites: a window address (top bits set) takes the slow path, which performs the access

    static int ld8(SiteCache c, long a) {
        if (Windows.tag(a) != 0) return (int) c.load(a);
        return ALL.get(I8, at(c, a, 0));
    }

    static int ld16(SiteCache c, long a) {
        if (Windows.tag(a) != 0) return (int) c.load(a);
        return ALL.get(I16, at(c, a, 1));
    }

    static int ld32(SiteCache c, long a) {
        if (Windows.tag(a) != 0) return (int) c.load(a);
        return ALL.get(I32, at(c, a, 2));
    }

    static long ld64(SiteCache c, long a) {
        if (Windows.tag(a) != 0) return c.load(a);
        return ALL.get(I64, at(c, a, 3));
    }

    static float ldf32(SiteCache c, long a) {
        if (Windows.tag(a) != 0) return Float.intBitsToFloat((int) c.load(a));
        return ALL.get(F32, at(c, a, 2));
    }

    static double ldf64(SiteCache c, long a) {
        if (Windows.tag(a) != 0) return Double.longBitsToDouble(c.load(a));
        return ALL.get(F64, at(c, a, 3));
    }

    static void st8(SiteCache c, long a, int v) {
        if (Windows.tag(a) != 0) c.store(a, v);
        else ALL.set(I8, at(c, a, 0), (byte) v);
    }

    static void st16(SiteCache c, long a, int v) {
        if (Windows.tag(a) != 0) c.store(a, v);
        else ALL.set(I16, at(c, a, 1), (short) v);
    }

    static void st32(SiteCache c, long a, int v) {
        if (Windows.tag(a) != 0) c.store(a, v);
        else ALL.set(I32, at(c, a, 2), v);
    }

    static void st64(SiteCache c, long a, long v) {
        if (Windows.tag(a) != 0) c.store(a, v);
        else ALL.set(I64, at(c, a, 3), v);
    }

    static void stf32(SiteCache c, long a, float v) {
        if (Windows.tag(a) != 0) c.store(a, Float.floatToRawIntBits(v));
        else ALL.set(F32, at(c, a, 2), v);
    }

    static void stf64(SiteCache c, long a, double v) {
        if (Windows.tag(a) != 0) c.store(a, Double.doubleToRawLongBits(v));
        else ALL.set(F64, at(c, a, 3), v);
    }

    // ---- windows: shared (block), local (thread), param (launch); offsets in the window -------------

    /** Checked byte offset in the shared window array. */
    static long sh(Exec e, long o, int k, int site) {
        long slots = k == 2 ? e.sharedSlots2 : k == 3 ? e.sharedSlots3 : k == 0 ? e.sharedSlots0 : e.sharedSlots1;
        if (Long.compareUnsigned(Long.rotateRight(o, k), slots) >= 0) {
            throw window(e, "shared", o, 1 << k, e.sharedSize, site);
        }
        return o;
    }

    /** Checked byte offset of the current thread's local address {@code o} in the local array. */
    static long lo(Exec e, long o, int k, int site) {
        long slots = k == 2 ? e.localSlots2 : k == 3 ? e.localSlots3 : k == 0 ? e.localSlots0 : e.localSlots1;
        if (Long.compareUnsigned(Long.rotateRight(o, k), slots) >= 0) {
            throw window(e, "local", o, 1 << k, e.localSize, site);
        }
        return e.lbase + o;
    }

    /** Checked byte offset in the parameter array. */
    static long pa(Exec e, long o, int k, int site) {
        long slots = k == 2 ? e.paramSlots2 : k == 3 ? e.paramSlots3 : k == 0 ? e.paramSlots0 : e.paramSlots1;
        if (Long.compareUnsigned(Long.rotateRight(o, k), slots) >= 0) {
            throw window(e, "param", o, 1 << k, e.paramSize, site);
        }
        return o;
    }

    static int lds8(Exec e, long o, int site) {
        return get8(e.shared, sh(e, o, 0, site));
    }

    static int lds16(Exec e, long o, int site) {
        return get16(e.shared, sh(e, o, 1, site));
    }

    static int lds32(Exec e, long o, int site) {
        return e.shared[(int) (sh(e, o, 2, site) >>> 2)];
    }

    static long lds64(Exec e, long o, int site) {
        return get64(e.shared, sh(e, o, 3, site));
    }

    static float ldsf32(Exec e, long o, int site) {
        return Float.intBitsToFloat(e.shared[(int) (sh(e, o, 2, site) >>> 2)]);
    }

    static double ldsf64(Exec e, long o, int site) {
        return Double.longBitsToDouble(get64(e.shared, sh(e, o, 3, site)));
    }

    static void sts8(Exec e, long o, int v, int site) {
        set8(e.shared, sh(e, o, 0, site), v);
    }

    static void sts16(Exec e, long o, int v, int site) {
        set16(e.shared, sh(e, o, 1, site), v);
    }

    static void sts32(Exec e, long o, int v, int site) {
        e.shared[(int) (sh(e, o, 2, site) >>> 2)] = v;
    }

    static void sts64(Exec e, long o, long v, int site) {
        set64(e.shared, sh(e, o, 3, site), v);
    }

    static void stsf32(Exec e, long o, float v, int site) {
        e.shared[(int) (sh(e, o, 2, site) >>> 2)] = Float.floatToRawIntBits(v);
    }

    static void stsf64(Exec e, long o, double v, int site) {
        set64(e.shared, sh(e, o, 3, site), Double.doubleToRawLongBits(v));
    }

    static int ldl8(Exec e, long o, int site) {
        return get8(e.local, lo(e, o, 0, site));
    }

    static int ldl16(Exec e, long o, int site) {
        return get16(e.local, lo(e, o, 1, site));
    }

    static int ldl32(Exec e, long o, int site) {
        return e.local[(int) (lo(e, o, 2, site) >>> 2)];
    }

    static long ldl64(Exec e, long o, int site) {
        return get64(e.local, lo(e, o, 3, site));
    }

    static float ldlf32(Exec e, long o, int site) {
        return Float.intBitsToFloat(e.local[(int) (lo(e, o, 2, site) >>> 2)]);
    }

    static double ldlf64(Exec e, long o, int site) {
        return Double.longBitsToDouble(get64(e.local, lo(e, o, 3, site)));
    }

    static void stl8(Exec e, long o, int v, int site) {
        set8(e.local, lo(e, o, 0, site), v);
    }

    static void stl16(Exec e, long o, int v, int site) {
        set16(e.local, lo(e, o, 1, site), v);
    }

    static void stl32(Exec e, long o, int v, int site) {
        e.local[(int) (lo(e, o, 2, site) >>> 2)] = v;
    }

    static void stl64(Exec e, long o, long v, int site) {
        set64(e.local, lo(e, o, 3, site), v);
    }

    static void stlf32(Exec e, long o, float v, int site) {
        e.local[(int) (lo(e, o, 2, site) >>> 2)] = Float.floatToRawIntBits(v);
    }

    static void stlf64(Exec e, long o, double v, int site) {
        set64(e.local, lo(e, o, 3, site), Double.doubleToRawLongBits(v));
    }

    static int ldp8(Exec e, long o, int site) {
        return get8(e.params, pa(e, o, 0, site));
    }

    static int ldp16(Exec e, long o, int site) {
        return get16(e.params, pa(e, o, 1, site));
    }

    static int ldp32(Exec e, long o, int site) {
        return get32(e.params, pa(e, o, 2, site));
    }

    static long ldp64(Exec e, long o, int site) {
        return get64(e.params, pa(e, o, 3, site));
    }

    static float ldpf32(Exec e, long o, int site) {
        return Float.intBitsToFloat(get32(e.params, pa(e, o, 2, site)));
    }

    static double ldpf64(Exec e, long o, int site) {
        return Double.longBitsToDouble(get64(e.params, pa(e, o, 3, site)));
    }

    static KernelFault window(Exec e, String space, long o, int size, long limit, int site) {
        if ((o & (size - 1)) != 0) return e.fault(KernelFault.misaligned(o, size), site);
        return e.fault(e.outside(space, o, size, limit), site);
    }

    // ---- ordered accesses --------------------------------------------------------------------------
    // Windows belong to one Java thread at a time, so their ordered accesses are plain accesses.

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

    static void stOrdered(long p, long v, int size, int order) {
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

    /** Ordered load at a generic address: windows plainly, global memory with the order. */
    static long ldOrderedGeneric(SiteCache c, long a, int size, int order) {
        int k = Integer.numberOfTrailingZeros(size);
        if (Windows.tag(a) != 0) return c.load(a);
        return ldOrdered(at(c, a, k), size, order);
    }

    static void stOrderedGeneric(SiteCache c, long a, long v, int size, int order) {
        int k = Integer.numberOfTrailingZeros(size);
        if (Windows.tag(a) != 0) {
            c.store(a, v);
            return;
        }
        stOrdered(at(c, a, k), v, size, order);
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
