import java.lang.foreign.*;
import java.util.*;

/**
 * histogram's count loop shapes in plain Java, one thread (issue 4, HistLoop): 16 MiB of random bytes off-heap counted
 * in the kernel's order (256 blocks, each reading 256 bytes per iteration at a 64 KiB stride into a fresh int[256]),
 * addresses absolute in a segment of Long.MAX_VALUE bytes as {@code Mem.ALL}; c0 HistConst's 64-bit reads, c1 byte
 * loads from a 256-byte slice with an int index, c2 64-bit reads from the slice, c3 absolute byte loads 4 per trip,
 * c4 64-bit reads into 4 interleaved banks (int[1024]), c5 64-bit reads split into 32-bit halves, c6 slice byte loads
 * 4 per trip. Each cN is called from its own rN, which allocates the count array, so C2 inlines it there as
 * StrideHist.run has HistConst's count. Counts checked. Prints min, p10 and median ms of the second half of the reps.
 * For C2's code: -XX:CompileCommand=print,HistLoopShapes::r1 (hex; objdump -D -b binary -m i386:x86-64).
 * Results: docs/benchmarks.md (HistLoop's subsection).
 * Run: java --enable-native-access=ALL-UNNAMED bench/micro/HistLoopShapes.java 200 0,1,3
 */
public class HistLoopShapes {
    static final int N = 16 << 20, BLOCKS = 256, T = 256, STRIDE = BLOCKS * T;
    static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG_UNALIGNED;
    static final ValueLayout.OfByte B = ValueLayout.JAVA_BYTE;

    static void c0(long a, int[] h) {
        for (int t = 0; t < 256; t += 8) {
            long x = ALL.get(L, a + t);
            h[(int) x & 0xff]++; h[(int) (x >>> 8) & 0xff]++; h[(int) (x >>> 16) & 0xff]++; h[(int) (x >>> 24) & 0xff]++;
            h[(int) (x >>> 32) & 0xff]++; h[(int) (x >>> 40) & 0xff]++; h[(int) (x >>> 48) & 0xff]++; h[(int) (x >>> 56) & 0xff]++;
        }
    }
    static void c1(long a, int[] h) { // slice, byte loads
        MemorySegment s = ALL.asSlice(a, 256);
        for (int j = 0; j < 256; j++) h[s.get(B, j) & 0xff]++;
    }
    static void c2(long a, int[] h) { // slice, long loads
        MemorySegment s = ALL.asSlice(a, 256);
        for (int t = 0; t < 256; t += 8) {
            long x = s.get(L, t);
            h[(int) x & 0xff]++; h[(int) (x >>> 8) & 0xff]++; h[(int) (x >>> 16) & 0xff]++; h[(int) (x >>> 24) & 0xff]++;
            h[(int) (x >>> 32) & 0xff]++; h[(int) (x >>> 40) & 0xff]++; h[(int) (x >>> 48) & 0xff]++; h[(int) (x >>> 56) & 0xff]++;
        }
    }
    static void c3(long a, int[] h) { // byte loads absolute, 4-way by hand
        for (int j = 0; j < 256; j += 4) {
            long p = a + j;
            h[ALL.get(B, p) & 0xff]++; h[ALL.get(B, p + 1) & 0xff]++; h[ALL.get(B, p + 2) & 0xff]++; h[ALL.get(B, p + 3) & 0xff]++;
        }
    }
    static void c4(long a, int[] h) { // 4 banks int[1024]
        for (int t = 0; t < 256; t += 8) {
            long x = ALL.get(L, a + t);
            h[((int) x & 0xff) << 2]++; h[(((int) (x >>> 8) & 0xff) << 2) | 1]++; h[(((int) (x >>> 16) & 0xff) << 2) | 2]++; h[(((int) (x >>> 24) & 0xff) << 2) | 3]++;
            h[((int) (x >>> 32) & 0xff) << 2]++; h[(((int) (x >>> 40) & 0xff) << 2) | 1]++; h[(((int) (x >>> 48) & 0xff) << 2) | 2]++; h[(((int) (x >>> 56) & 0xff) << 2) | 3]++;
        }
    }
    static void c5(long a, int[] h) { // two 32-bit halves with int shifts
        for (int t = 0; t < 256; t += 8) {
            long x = ALL.get(L, a + t);
            int lo = (int) x, hi = (int) (x >>> 32);
            h[lo & 0xff]++; h[(lo >>> 8) & 0xff]++; h[(lo >>> 16) & 0xff]++; h[lo >>> 24]++;
            h[hi & 0xff]++; h[(hi >>> 8) & 0xff]++; h[(hi >>> 16) & 0xff]++; h[hi >>> 24]++;
        }
    }
    static void c6(long a, int[] h) { // slice bytes, 4-way by hand
        MemorySegment s = ALL.asSlice(a, 256);
        for (int j = 0; j < 256; j += 4) {
            h[s.get(B, j) & 0xff]++; h[s.get(B, j + 1) & 0xff]++; h[s.get(B, j + 2) & 0xff]++; h[s.get(B, j + 3) & 0xff]++;
        }
    }

    static int[] r0(long base) {
        int[] out = new int[256];
        for (int b = 0; b < BLOCKS; b++) {
            int[] h = new int[256];
            for (long a = base + (long) b * T; a < base + N; a += STRIDE) c0(a, h);
            for (int k = 0; k < 256; k++) out[k] += h[k];
        }
        return out;
    }
    static int[] r1(long base) {
        int[] out = new int[256];
        for (int b = 0; b < BLOCKS; b++) {
            int[] h = new int[256];
            for (long a = base + (long) b * T; a < base + N; a += STRIDE) c1(a, h);
            for (int k = 0; k < 256; k++) out[k] += h[k];
        }
        return out;
    }
    static int[] r2(long base) {
        int[] out = new int[256];
        for (int b = 0; b < BLOCKS; b++) {
            int[] h = new int[256];
            for (long a = base + (long) b * T; a < base + N; a += STRIDE) c2(a, h);
            for (int k = 0; k < 256; k++) out[k] += h[k];
        }
        return out;
    }
    static int[] r3(long base) {
        int[] out = new int[256];
        for (int b = 0; b < BLOCKS; b++) {
            int[] h = new int[256];
            for (long a = base + (long) b * T; a < base + N; a += STRIDE) c3(a, h);
            for (int k = 0; k < 256; k++) out[k] += h[k];
        }
        return out;
    }
    static int[] r4(long base) {
        int[] out = new int[256];
        for (int b = 0; b < BLOCKS; b++) {
            int[] h = new int[1024];
            for (long a = base + (long) b * T; a < base + N; a += STRIDE) c4(a, h);
            for (int k = 0; k < 256; k++) out[k] += h[4*k] + h[4*k+1] + h[4*k+2] + h[4*k+3];
        }
        return out;
    }
    static int[] r5(long base) {
        int[] out = new int[256];
        for (int b = 0; b < BLOCKS; b++) {
            int[] h = new int[256];
            for (long a = base + (long) b * T; a < base + N; a += STRIDE) c5(a, h);
            for (int k = 0; k < 256; k++) out[k] += h[k];
        }
        return out;
    }
    static int[] r6(long base) {
        int[] out = new int[256];
        for (int b = 0; b < BLOCKS; b++) {
            int[] h = new int[256];
            for (long a = base + (long) b * T; a < base + N; a += STRIDE) c6(a, h);
            for (int k = 0; k < 256; k++) out[k] += h[k];
        }
        return out;
    }
    static int[] run(int v, long base) {
        return switch (v) { case 0 -> r0(base); case 1 -> r1(base); case 2 -> r2(base); case 3 -> r3(base); case 4 -> r4(base); case 5 -> r5(base); default -> r6(base); };
    }
    public static void main(String[] args) {
        int reps = Integer.parseInt(args[0]);
        String[] vs = args[1].split(",");
        MemorySegment m = Arena.global().allocate(N, 4096);
        Random r = new Random(1);
        for (long i = 0; i < N; i++) m.set(B, i, (byte) r.nextInt());
        int[] ref = new int[256];
        for (long i = 0; i < N; i++) ref[m.get(B, i) & 0xff]++;
        long base = m.address();
        double[][] ms = new double[vs.length][reps];
        for (int rep = 0; rep < reps; rep++) for (int i = 0; i < vs.length; i++) {
            int v = Integer.parseInt(vs[i]);
            long t0 = System.nanoTime();
            int[] h = run(v, base);
            ms[i][rep] = (System.nanoTime() - t0) / 1e6;
            if (!Arrays.equals(h, ref)) throw new AssertionError("v" + v);
        }
        for (int i = 0; i < vs.length; i++) {
            double[] s = Arrays.copyOfRange(ms[i], reps / 2, reps); Arrays.sort(s);
            System.out.printf("c%s min %.2f p10 %.2f med %.2f%n", vs[i], s[0], s[s.length / 10], s[s.length / 2]);
        }
    }
}
