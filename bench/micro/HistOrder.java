import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Random;

/**
 * histogram's memory order, in plain Java, one thread (issue 4, HistWeave): 16 MiB of bytes off-heap counted with
 * StrideHist's counting code (8 bytes per unaligned 64-bit load) in (a) address order, (b) the kernel's order (256
 * blocks, each reading 256 bytes per iteration at a 64 KiB stride, one count array per block, flushed at the block's
 * end), (c) woven: k consecutive blocks' iteration j read as k·256 contiguous bytes into k count arrays (k = 8, 32,
 * 128); and count-loop shapes: (d) the serial Java loop on a heap byte[], (e) byte loads (one long loop / kernel
 * order), (f) kernel order with two count arrays, (g) address order in 256-byte calls (and (i) 1, 4, 64 KiB calls),
 * (h) byte loads 8 per step, (j) kernel order with the byte count not a JIT constant and a tail loop, as
 * StrideHist.run has it (HistConst's reason). Prints min, p10 and median ms per whole histogram over the second half
 * of the reps; every variant's counts are checked. Results: docs/benchmarks.md (HistConst's subsection).
 * Run: java --enable-native-access=ALL-UNNAMED bench/micro/HistOrder.java [reps]
 */
public class HistOrder {
    static final int N = 16 << 20, BLOCKS = 256, T = 256, STRIDE = BLOCKS * T;
    static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG_UNALIGNED;

    static void count(MemorySegment m, long a, int n, int[] h) {
        for (int t = 0; t < n; t += 8) {
            long x = m.get(L, a + t);
            h[(int) x & 0xff]++;
            h[(int) (x >>> 8) & 0xff]++;
            h[(int) (x >>> 16) & 0xff]++;
            h[(int) (x >>> 24) & 0xff]++;
            h[(int) (x >>> 32) & 0xff]++;
            h[(int) (x >>> 40) & 0xff]++;
            h[(int) (x >>> 48) & 0xff]++;
            h[(int) (x >>> 56) & 0xff]++;
        }
    }

    static void countBytes(MemorySegment m, long a, int n, int[] h) {
        for (int t = 0; t < n; t++) h[m.get(ValueLayout.JAVA_BYTE, a + t) & 0xff]++;
    }

    static int[] linearBytes(MemorySegment m) {
        int[] h = new int[256];
        countBytes(m, 0, N, h);
        return h;
    }

    static int[] kernelBytes(MemorySegment m) {
        int[] out = new int[256];
        for (int b = 0; b < BLOCKS; b++) {
            int[] h = new int[256];
            for (long a = (long) b * T; a < N; a += STRIDE) countBytes(m, a, T, h);
            for (int k = 0; k < 256; k++) out[k] += h[k];
        }
        return out;
    }

    static int[] chunkBytes(MemorySegment m) {
        int[] h = new int[256];
        for (long a = 0; a < N; a += T) countBytes(m, a, T, h);
        return h;
    }

    static int[] chunk64(MemorySegment m) {
        int[] h = new int[256];
        for (long a = 0; a < N; a += T) count(m, a, T, h);
        return h;
    }

    /** address order in chunks of {@code c} bytes: 64-bit code, byte code */
    static int[] chunk64(MemorySegment m, int c) {
        int[] h = new int[256];
        for (long a = 0; a < N; a += c) count(m, a, c, h);
        return h;
    }

    static int[] chunkBytes(MemorySegment m, int c) {
        int[] h = new int[256];
        for (long a = 0; a < N; a += c) countBytes(m, a, c, h);
        return h;
    }

    /** byte loads, 8 per step of a counted loop over 256 bytes */
    static void countBytes8(MemorySegment m, long a, int n, int[] h) {
        for (int t = 0; t + 8 <= n; t += 8) {
            h[m.get(ValueLayout.JAVA_BYTE, a + t) & 0xff]++;
            h[m.get(ValueLayout.JAVA_BYTE, a + t + 1) & 0xff]++;
            h[m.get(ValueLayout.JAVA_BYTE, a + t + 2) & 0xff]++;
            h[m.get(ValueLayout.JAVA_BYTE, a + t + 3) & 0xff]++;
            h[m.get(ValueLayout.JAVA_BYTE, a + t + 4) & 0xff]++;
            h[m.get(ValueLayout.JAVA_BYTE, a + t + 5) & 0xff]++;
            h[m.get(ValueLayout.JAVA_BYTE, a + t + 6) & 0xff]++;
            h[m.get(ValueLayout.JAVA_BYTE, a + t + 7) & 0xff]++;
        }
    }

    static int[] kernelBytes8(MemorySegment m) {
        int[] out = new int[256];
        for (int b = 0; b < BLOCKS; b++) {
            int[] h = new int[256];
            for (long a = (long) b * T; a < N; a += STRIDE) countBytes8(m, a, T, h);
            for (int k = 0; k < 256; k++) out[k] += h[k];
        }
        return out;
    }

    /** the thread count not a compile-time constant (as in StrideHist.run: the block's size), with its tail loop */
    static int nt = T;

    static void countN(MemorySegment m, long a, int n, int[] h) {
        int t = 0;
        for (; t + 8 <= n; t += 8) {
            long x = m.get(L, a + t);
            h[(int) x & 0xff]++;
            h[(int) (x >>> 8) & 0xff]++;
            h[(int) (x >>> 16) & 0xff]++;
            h[(int) (x >>> 24) & 0xff]++;
            h[(int) (x >>> 32) & 0xff]++;
            h[(int) (x >>> 40) & 0xff]++;
            h[(int) (x >>> 48) & 0xff]++;
            h[(int) (x >>> 56) & 0xff]++;
        }
        for (; t < n; t++) h[m.get(ValueLayout.JAVA_BYTE, a + t) & 0xff]++;
    }

    static int[] kernelN(MemorySegment m) {
        int n = nt;
        int[] out = new int[256];
        for (int b = 0; b < BLOCKS; b++) {
            int[] h = new int[256];
            for (long a = (long) b * n; a < N; a += STRIDE) countN(m, a, n, h);
            for (int k = 0; k < 256; k++) out[k] += h[k];
        }
        return out;
    }

    static int[] heapBytes(byte[] d) {
        int[] h = new int[256];
        for (int i = 0; i < d.length; i++) h[d[i] & 0xff]++;
        return h;
    }

    /** 64-bit loads, two count arrays (even/odd bytes): halves the store-to-load chains on repeated values. */
    static void count2(MemorySegment m, long a, int n, int[] h, int[] g) {
        for (int t = 0; t < n; t += 8) {
            long x = m.get(L, a + t);
            h[(int) x & 0xff]++;
            g[(int) (x >>> 8) & 0xff]++;
            h[(int) (x >>> 16) & 0xff]++;
            g[(int) (x >>> 24) & 0xff]++;
            h[(int) (x >>> 32) & 0xff]++;
            g[(int) (x >>> 40) & 0xff]++;
            h[(int) (x >>> 48) & 0xff]++;
            g[(int) (x >>> 56) & 0xff]++;
        }
    }

    static int[] kernel2(MemorySegment m) {
        int[] out = new int[256];
        for (int b = 0; b < BLOCKS; b++) {
            int[] h = new int[256], g = new int[256];
            for (long a = (long) b * T; a < N; a += STRIDE) count2(m, a, T, h, g);
            for (int k = 0; k < 256; k++) out[k] += h[k] + g[k];
        }
        return out;
    }

    static int[] linear(MemorySegment m) {
        int[] h = new int[256];
        count(m, 0, N, h);
        return h;
    }

    static int[] kernelOrder(MemorySegment m) {
        int[] out = new int[256];
        for (int b = 0; b < BLOCKS; b++) {
            int[] h = new int[256];
            for (long a = (long) b * T; a < N; a += STRIDE) count(m, a, T, h);
            for (int k = 0; k < 256; k++) out[k] += h[k];
        }
        return out;
    }

    static int[] woven(MemorySegment m, int k) {
        int[] out = new int[256];
        for (int b = 0; b < BLOCKS; b += k) {
            int[][] hs = new int[k][256];
            for (long a = (long) b * T; a < N; a += STRIDE) {
                for (int i = 0; i < k; i++) count(m, a + (long) i * T, T, hs[i]);
            }
            for (int i = 0; i < k; i++) for (int v = 0; v < 256; v++) out[v] += hs[i][v];
        }
        return out;
    }

    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        MemorySegment m = Arena.global().allocate(N, 4096);
        Random r = new Random(1);
        for (long i = 0; i < N; i++) m.set(ValueLayout.JAVA_BYTE, i, (byte) r.nextInt());
        int[] ref = linear(m);
        byte[] heap = m.toArray(ValueLayout.JAVA_BYTE);
        String[] names = {"a linear", "b kernel", "c woven8", "c woven32", "c woven128", "d heapBytes", "e linBytes",
                "e kernBytes", "f kernel2", "g chunkBytes", "g chunk64", "h kernBytes8", "i chunk64 1K", "i chunk64 4K", "i chunk64 64K", "i chunkB 1K",
                "i chunkB 4K", "i chunkB 64K", "j kernelN"};
        if (System.getProperty("only") != null) names = java.util.Arrays.copyOf(names, Integer.getInteger("only"));
        double[][] ms = new double[names.length][reps];
        for (int rep = 0; rep < reps; rep++) {
            for (int v = 0; v < names.length; v++) {
                long t0 = System.nanoTime();
                int[] h = switch (v) {
                    case 0 -> linear(m);
                    case 1 -> kernelOrder(m);
                    case 2 -> woven(m, 8);
                    case 3 -> woven(m, 32);
                    case 4 -> woven(m, 128);
                    case 5 -> heapBytes(heap);
                    case 6 -> linearBytes(m);
                    case 7 -> kernelBytes(m);
                    case 8 -> kernel2(m);
                    case 9 -> chunkBytes(m);
                    case 10 -> chunk64(m);
                    case 11 -> kernelBytes8(m);
                    case 12 -> chunk64(m, 1024);
                    case 13 -> chunk64(m, 4096);
                    case 14 -> chunk64(m, 65536);
                    case 15 -> chunkBytes(m, 1024);
                    case 16 -> chunkBytes(m, 4096);
                    case 17 -> chunkBytes(m, 65536);
                    default -> kernelN(m);
                };
                ms[v][rep] = (System.nanoTime() - t0) / 1e6;
                if (!Arrays.equals(h, ref)) throw new AssertionError(names[v]);
            }
        }
        for (int v = 0; v < names.length; v++) {
            double[] s = Arrays.copyOfRange(ms[v], reps / 2, reps);
            Arrays.sort(s);
            System.out.printf("%-12s min %.2f ms  p10 %.2f  median %.2f (second half of %d reps)%n", names[v], s[0],
                    s[s.length / 10], s[s.length / 2], reps);
        }
    }
}
