package org.transcuda.backend.cpu;

import org.transcuda.cuda.CUresult;

/**
 * Integer, bit-manipulation and comparison helpers of compiled kernels, with PTX's exact semantics. Values of
 * 8/16-bit types arrive normalized in an {@code int} (sign-extended for signed types, zero-extended
 * otherwise); the compiled code re-normalizes results.
 *
 * <p>Division by zero follows NVIDIA hardware: unsigned {@code x / 0} is all ones; signed {@code x / 0} is
 * {@code -1} for {@code x >= 0} and {@code 1} for {@code x < 0} (the unsigned quotient of the magnitudes,
 * negated when the signs differ); {@code x % 0} is {@code x}. {@code MIN / -1} wraps to {@code MIN} and
 * {@code MIN % -1} is 0. Shift amounts are unsigned and clamp at the operand width (0, or sign fill for
 * {@code shr.s}).
 */
final class Rt {
    private static final long M32 = 0xffff_ffffL;

    private Rt() {
    }

    // ---- division ----------------------------------------------------------------------------------

    static int divS32(int a, int b) {
        if (b == 0) return a < 0 ? 1 : -1;
        return b == -1 ? -a : a / b;
    }

    static int divU32(int a, int b) {
        return b == 0 ? -1 : Integer.divideUnsigned(a, b);
    }

    static int remS32(int a, int b) {
        if (b == 0) return a;
        return b == -1 ? 0 : a % b;
    }

    static int remU32(int a, int b) {
        return b == 0 ? a : Integer.remainderUnsigned(a, b);
    }

    static long divS64(long a, long b) {
        if (b == 0) return a < 0 ? 1 : -1;
        return b == -1 ? -a : a / b;
    }

    static long divU64(long a, long b) {
        return b == 0 ? -1 : Long.divideUnsigned(a, b);
    }

    static long remS64(long a, long b) {
        if (b == 0) return a;
        return b == -1 ? 0 : a % b;
    }

    static long remU64(long a, long b) {
        return b == 0 ? a : Long.remainderUnsigned(a, b);
    }

    // ---- min / max / saturating ------------------------------------------------------------------------

    static int minU32(int a, int b) {
        return Integer.compareUnsigned(a, b) <= 0 ? a : b;
    }

    static int maxU32(int a, int b) {
        return Integer.compareUnsigned(a, b) >= 0 ? a : b;
    }

    static long minU64(long a, long b) {
        return Long.compareUnsigned(a, b) <= 0 ? a : b;
    }

    static long maxU64(long a, long b) {
        return Long.compareUnsigned(a, b) >= 0 ? a : b;
    }

    static int addSatS32(int a, int b) {
        long r = (long) a + b;
        return r > Integer.MAX_VALUE ? Integer.MAX_VALUE : r < Integer.MIN_VALUE ? Integer.MIN_VALUE : (int) r;
    }

    static int subSatS32(int a, int b) {
        long r = (long) a - b;
        return r > Integer.MAX_VALUE ? Integer.MAX_VALUE : r < Integer.MIN_VALUE ? Integer.MIN_VALUE : (int) r;
    }

    static int satS32(long r) {
        return r > Integer.MAX_VALUE ? Integer.MAX_VALUE : r < Integer.MIN_VALUE ? Integer.MIN_VALUE : (int) r;
    }

    // ---- multiply high ---------------------------------------------------------------------------------

    static int mulHiS32(int a, int b) {
        return (int) (((long) a * b) >> 32);
    }

    static int mulHiU32(int a, int b) {
        return (int) (((a & M32) * (b & M32)) >>> 32);
    }

    static int mulHiS16(int a, int b) {
        return (a * b) >> 16;
    }

    static int mulHiU16(int a, int b) {
        return (a * b) >>> 16;
    }

    // ---- carry chains ----------------------------------------------------------------------------------

    /** 32-bit {@code a + b + cin}: low 32 bits are the sum, bit 32 the carry. */
    static long addc32(int a, int b, int cin) {
        return (a & M32) + (b & M32) + cin;
    }

    /** 32-bit {@code a - b - bin}: low 32 bits are the difference, bit 32 the borrow. */
    static long subc32(int a, int b, int bin) {
        long r = (a & M32) - (b & M32) - bin;
        return (r & M32) | (r < 0 ? 1L << 32 : 0);
    }

    static int carry64(long a, long b, int cin) {
        long s = a + b;
        int c = Long.compareUnsigned(s, a) < 0 ? 1 : 0;
        return c | (cin != 0 && s == -1L ? 1 : 0);
    }

    static int borrow64(long a, long b, int bin) {
        return Long.compareUnsigned(a, b) < 0 || (bin != 0 && a == b) ? 1 : 0;
    }

    // ---- shifts ----------------------------------------------------------------------------------------

    static int shl(int a, long n, int width) {
        return n < 0 || n >= width ? 0 : a << n;
    }

    static long shl64(long a, long n) {
        return n < 0 || n >= 64 ? 0 : a << n;
    }

    static int shrU(int a, long n, int width) {
        return n < 0 || n >= width ? 0 : a >>> n;
    }

    static int shrS(int a, long n, int width) {
        return n < 0 || n >= width ? a >> 31 : a >> n;
    }

    static long shrU64(long a, long n) {
        return n < 0 || n >= 64 ? 0 : a >>> n;
    }

    static long shrS64(long a, long n) {
        return n < 0 || n >= 64 ? a >> 63 : a >> n;
    }

    /** Funnel shift of {@code (b:a)}; {@code left} keeps the high word, right the low word. */
    static int shf(int a, int b, int c, boolean left, boolean clamp) {
        int n = clamp ? (Integer.compareUnsigned(c, 32) > 0 ? 32 : c) : c & 31;
        long v = ((long) b << 32) | (a & M32);
        return left ? (int) ((v << n) >>> 32) : (int) (v >>> n);
    }

    // ---- bit fields ------------------------------------------------------------------------------------

    static int bfind32(int a, boolean signed, boolean shiftAmount) {
        int x = signed && a < 0 ? ~a : a;
        if (x == 0) return -1;
        int pos = 31 - Integer.numberOfLeadingZeros(x);
        return shiftAmount ? 31 - pos : pos;
    }

    static int bfind64(long a, boolean signed, boolean shiftAmount) {
        long x = signed && a < 0 ? ~a : a;
        if (x == 0) return -1;
        int pos = 63 - Long.numberOfLeadingZeros(x);
        return shiftAmount ? 63 - pos : pos;
    }

    static long bfe(long a, int pos, int len, int width, boolean signed) {
        pos &= 0xff;
        len &= 0xff;
        int msb = width - 1;
        long sbit = 0;
        if (signed && len != 0) sbit = (a >>> Math.min(pos + len - 1, msb)) & 1;
        long d = 0;
        for (int i = 0; i <= msb; i++) {
            long bit = (i < len && pos + i <= msb) ? (a >>> (pos + i)) & 1 : sbit;
            d |= bit << i;
        }
        return width == 32 ? (int) d : d;
    }

    static long bfi(long a, long b, int pos, int len, int width) {
        pos &= 0xff;
        len &= 0xff;
        int msb = width - 1;
        long f = b;
        for (int i = 0; i < len && pos + i <= msb; i++) {
            long bit = 1L << (pos + i);
            f = ((a >>> i) & 1) != 0 ? f | bit : f & ~bit;
        }
        return width == 32 ? (int) f : f;
    }

    /** Byte permute; {@code mode} 0 default, 1 f4e, 2 b4e, 3 rc8, 4 ecl, 5 ecr, 6 rc16. */
    static int prmt(int a, int b, int c, int mode) {
        long tmp = ((long) b << 32) | (a & M32);
        int[] sel = new int[4];
        if (mode == 0) {
            int d = 0;
            for (int i = 0; i < 4; i++) {
                int s = (c >>> (4 * i)) & 0xf;
                int byteVal = (int) (tmp >>> (8 * (s & 7))) & 0xff;
                if ((s & 8) != 0) byteVal = (byteVal & 0x80) != 0 ? 0xff : 0;
                d |= byteVal << (8 * i);
            }
            return d;
        }
        int s = c & 3;
        switch (mode) {
            case 1 -> { // forward 4 extract
                for (int i = 0; i < 4; i++) sel[i] = (s + i) & 7;
            }
            case 2 -> { // backward 4 extract
                for (int i = 0; i < 4; i++) sel[i] = (s - i) & 7;
            }
            case 3 -> { // replicate 8
                for (int i = 0; i < 4; i++) sel[i] = s;
            }
            case 4 -> { // edge clamp left
                for (int i = 0; i < 4; i++) sel[i] = Math.max(i, s);
            }
            case 5 -> { // edge clamp right
                for (int i = 0; i < 4; i++) sel[i] = Math.min(i, s);
            }
            default -> { // replicate 16
                int lo = (s & 1) * 2;
                sel[0] = lo;
                sel[1] = lo + 1;
                sel[2] = lo;
                sel[3] = lo + 1;
            }
        }
        int d = 0;
        for (int i = 0; i < 4; i++) d |= ((int) (tmp >>> (8 * sel[i])) & 0xff) << (8 * i);
        return d;
    }

    static int dp4a(int a, int b, int c, boolean aSigned, boolean bSigned) {
        int sum = c;
        for (int i = 0; i < 4; i++) {
            int x = aSigned ? (byte) (a >>> (8 * i)) : (a >>> (8 * i)) & 0xff;
            int y = bSigned ? (byte) (b >>> (8 * i)) : (b >>> (8 * i)) & 0xff;
            sum += x * y;
        }
        return sum;
    }

    static int sad(int a, int b, int c, boolean signed) {
        boolean less = signed ? a < b : Integer.compareUnsigned(a, b) < 0;
        int d = less ? b - a : a - b;
        return c + d;
    }

    static long sad64(long a, long b, long c, boolean signed) {
        boolean less = signed ? a < b : Long.compareUnsigned(a, b) < 0;
        long d = less ? b - a : a - b;
        return c + d;
    }

    // ---- comparisons (op = Inst.CmpOp ordinal) ---------------------------------------------------------

    static int icmp(int op, int a, int b, boolean unsigned) {
        int c;
        boolean u = unsigned || (op >= 6 && op <= 9);
        c = u ? Integer.compareUnsigned(a, b) : Integer.compare(a, b);
        return cmpResult(op, c) ? 1 : 0;
    }

    static int lcmp(int op, long a, long b, boolean unsigned) {
        boolean u = unsigned || (op >= 6 && op <= 9);
        int c = u ? Long.compareUnsigned(a, b) : Long.compare(a, b);
        return cmpResult(op, c) ? 1 : 0;
    }

    private static boolean cmpResult(int op, int c) {
        return switch (op) {
            case 0 -> c == 0; // eq
            case 1 -> c != 0; // ne
            case 2, 6 -> c < 0; // lt, lo
            case 3, 7 -> c <= 0; // le, ls
            case 4, 8 -> c > 0; // gt, hi
            case 5, 9 -> c >= 0; // ge, hs
            default -> throw new IllegalArgumentException("integer comparison " + op);
        };
    }

    static int dcmp(int op, double a, double b) {
        boolean unordered = a != a || b != b;
        boolean r = switch (op) {
            case 0 -> a == b;
            case 1 -> !unordered && a != b;
            case 2 -> a < b;
            case 3 -> a <= b;
            case 4 -> a > b;
            case 5 -> a >= b;
            case 10 -> unordered || a == b;
            case 11 -> a != b;
            case 12 -> unordered || a < b;
            case 13 -> unordered || a <= b;
            case 14 -> unordered || a > b;
            case 15 -> unordered || a >= b;
            case 16 -> !unordered;
            case 17 -> unordered;
            default -> throw new IllegalArgumentException("float comparison " + op);
        };
        return r ? 1 : 0;
    }

    static int fcmp(int op, float a, float b, boolean ftz) {
        if (ftz) {
            a = Fp.ftz(a);
            b = Fp.ftz(b);
        }
        return dcmp(op, a, b);
    }

    // ---- special registers ------------------------------------------------------------------------------

    private static final long START = System.nanoTime();
    private static final long EPOCH_NANOS = System.currentTimeMillis() * 1_000_000L;

    /** {@code %clock64}: nanoseconds since class initialization (monotonic). */
    static long clock64() {
        return System.nanoTime() - START;
    }

    /** {@code %globaltimer}: nanoseconds since the Unix epoch, monotonic (wall clock at start + elapsed). */
    static long globalTimer() {
        return EPOCH_NANOS + (System.nanoTime() - START);
    }

    // ---- faults -------------------------------------------------------------------------------------------

    static KernelFault trap(Exec e) {
        return e.fault(new KernelFault(CUresult.CUDA_ERROR_ILLEGAL_INSTRUCTION, "trap instruction executed"), -1);
    }

    static KernelFault unreachable(Exec e, String where) {
        return e.fault(new KernelFault(CUresult.CUDA_ERROR_ILLEGAL_INSTRUCTION, "reached code marked unreachable"
                + (where == null ? "" : " (" + where + ")")), -1);
    }

    static KernelFault badSwitch(Exec e, long index) {
        return e.fault(new KernelFault(CUresult.CUDA_ERROR_ILLEGAL_INSTRUCTION, "brx.idx index " + index
                + " is out of range"), -1);
    }

    static KernelFault stackOverflow(Exec e) {
        return e.fault(new KernelFault(CUresult.CUDA_ERROR_LAUNCH_FAILED, "call stack overflow: local memory of "
                + e.localSize + " bytes per thread exhausted"), -1);
    }

    static KernelFault badCall(Exec e, long target) {
        return e.fault(KernelFault.illegalAddress("indirect call of 0x" + Long.toHexString(target)
                + ", which is no function of a matching prototype"), -1);
    }
}
