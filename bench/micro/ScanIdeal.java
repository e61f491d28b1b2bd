import java.lang.foreign.*;
import java.nio.ByteOrder;
import java.util.*;
import java.util.concurrent.*;
import jdk.incubator.vector.*;

/**
 * scan_block's floor in plain Java (issue 4, ScanIdeal): the suite's scan_block (blocks of 256 ints: each warp's
 * inclusive scan, the 8 warp totals scanned and added, {@code out} and {@code sums[block]} written) over the same
 * 64 MiB off-heap input (16 Mi ints, 65536 blocks), addresses absolute in a segment of Long.MAX_VALUE bytes as
 * {@code Mem.ALL}. Variants, each per block:
 * <ul>
 * <li>s0: scalar running sum, device to device (serial Java's loop per block);
 * <li>w1: the engine's structure without its overhead: the 1 KiB copied into an int[256] (LaneBulk's copy), each
 *     warp scanned in place by WarpScanVec's form (two-table selectFrom shifts, the warp's two vectors), the 8 warp
 *     totals into int[8], scanned, added to warps 1..7 in the array, the array copied to {@code out} (StoreBulk);
 * <li>b2: the block as 16 vectors read from and written to device memory, each scanned with WarpScanVec's shifts and
 *     the running carry (the previous vector's last lane broadcast by selectFrom) added — no arrays;
 * <li>b3: b2 with {@code unslice(d)} as the shift; b4: b2 with a one-table rearrange plus a zeroing mask;
 * <li>b5: b2 with the 256-bit species (8 lanes, 32 vectors, 3 shifts each);
 * <li>b6: b2 from an int[256] copy of the input (the copy kept, no out array);
 * <li>7, 9, 10, 12: w1, w1 with {@code rearrange(shuffle, mask)}, s0 and the copies alone on 4 cache-resident
 *     blocks; 8: w1 with {@code rearrange(shuffle, mask)}; 11: the copies alone; 20–22: the warp-scan forms alone
 *     (two-table {@code selectFrom}, Sklansky with a 64-bit shift, one-table {@code selectFrom} + {@code and});
 * <li>13: w1 after reading the length and one word of 32 other 1 KiB arrays per block (a segment entry's array
 *     touches; the word moves with the block, so the lines change); 14: w1 after 8 such reads and 4 whole arrays
 *     written (register arrays written per block); 15: 13 with word 0 (the arrays' first lines only).
 * </ul>
 * Every variant's out and sums are checked against s0's. Prints, for 1 and 2 threads (blocks split in claims of 64),
 * min / median wall ms per whole scan_block grid over the second half of the reps and CPU ns per block (wall ·
 * threads / 65536). For C2's code: -XX:CompileCommand=print,ScanIdeal::b2 (hex; objdump -D -b binary -m i386:x86-64).
 * Results: docs/benchmarks.md (ScanIdeal's subsection).
 * Run: java --enable-native-access=ALL-UNNAMED --add-modules=jdk.incubator.vector bench/micro/ScanIdeal.java [reps] [variants]
 */
public class ScanIdeal {
    static final int N = 16 << 20, T = 256, BLOCKS = N / T;
    static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    static final ValueLayout.OfInt IL = ValueLayout.JAVA_INT_UNALIGNED;
    static final ByteOrder NO = ByteOrder.nativeOrder();
    static final VectorSpecies<Integer> I = IntVector.SPECIES_512, H = IntVector.SPECIES_256;
    static final IntVector ZERO = IntVector.zero(I), ZH = IntVector.zero(H);
    static final IntVector S1 = shift(I, 1), S2 = shift(I, 2), S4 = shift(I, 4), S8 = shift(I, 8);
    static final IntVector H1 = shift(H, 1), H2 = shift(H, 2), H4 = shift(H, 4);
    static final IntVector LAST = IntVector.broadcast(I, 15), HLAST = IntVector.broadcast(H, 7);
    static final VectorShuffle<Integer> R1 = rs(1), R2 = rs(2), R4 = rs(4), R8 = rs(8);
    static final VectorMask<Integer> M1 = ge(1), M2 = ge(2), M4 = ge(4), M8 = ge(8);

    static IntVector shift(VectorSpecies<Integer> s, int d) {
        int vl = s.length();
        int[] idx = new int[vl];
        for (int l = 0; l < vl; l++) idx[l] = l >= d ? vl + l - d : 0;
        return IntVector.fromArray(s, idx, 0);
    }
    static VectorShuffle<Integer> rs(int d) {
        int[] idx = new int[16];
        for (int l = 0; l < 16; l++) idx[l] = l >= d ? l - d : 0;
        return VectorShuffle.fromArray(I, idx, 0);
    }
    static VectorMask<Integer> ge(int d) {
        boolean[] m = new boolean[16];
        for (int l = 0; l < 16; l++) m[l] = l >= d;
        return VectorMask.fromArray(I, m, 0);
    }

    // ---- s0
    static void s0(long in, long out, long sums, int b) {
        long a = in + (long) b * T * 4, o = out + (long) b * T * 4;
        int acc = 0;
        for (int t = 0; t < T; t++) {
            acc += ALL.get(IL, a + 4L * t);
            ALL.set(IL, o + 4L * t, acc);
        }
        ALL.set(IL, sums + 4L * b, acc);
    }

    static void s0h(long a, long o, long s) {
        int acc = 0;
        for (int t = 0; t < T; t++) {
            acc += ALL.get(IL, a + 4L * t);
            ALL.set(IL, o + 4L * t, acc);
        }
        ALL.set(IL, s, acc);
    }
    static void copyOnly(long a, long o, long s, int[] r) {
        MemorySegment.copy(ALL, ValueLayout.JAVA_INT, a, r, 0, T);
        MemorySegment.copy(r, 0, ALL, ValueLayout.JAVA_INT, o, T);
        ALL.set(IL, s, r[T - 1]);
    }

    // ---- warp-scan forms, compute only (hot): 20 = sel (WarpScanVec's), 21 = Sklansky with the pair step as a 64-bit
    // shift and three one-table rearranges + and, 22 = Kogge-Stone with one-table rearranges + and
    static final IntVector Q2 = idx(l -> (l & ~3) + 1), Q4 = idx(l -> (l & ~7) + 3), Q8 = idx(l -> 7);
    static final IntVector K2 = idx(l -> (l & 3) >= 2 ? -1 : 0), K4 = idx(l -> (l & 7) >= 4 ? -1 : 0), K8 = idx(l -> l >= 8 ? -1 : 0);
    static final IntVector P1 = idx(l -> Math.max(l - 1, 0)), P2 = idx(l -> Math.max(l - 2, 0)), P4 = idx(l -> Math.max(l - 4, 0)), P8 = idx(l -> Math.max(l - 8, 0));
    static final IntVector G1 = idx(l -> l >= 1 ? -1 : 0), G2 = idx(l -> l >= 2 ? -1 : 0), G4 = idx(l -> l >= 4 ? -1 : 0), G8 = K8;
    static IntVector idx(java.util.function.IntUnaryOperator f) {
        int[] a = new int[16];
        for (int l = 0; l < 16; l++) a[l] = f.applyAsInt(l);
        return IntVector.fromArray(I, a, 0);
    }
    static IntVector skl(IntVector x) {
        x = x.add(x.reinterpretAsLongs().lanewise(VectorOperators.LSHL, 32).reinterpretAsInts());
        x = x.add(Q2.selectFrom(x).and(K2));
        x = x.add(Q4.selectFrom(x).and(K4));
        return x.add(Q8.selectFrom(x).and(K8));
    }
    static IntVector ks1(IntVector x) {
        x = x.add(P1.selectFrom(x).and(G1));
        x = x.add(P2.selectFrom(x).and(G2));
        x = x.add(P4.selectFrom(x).and(G4));
        return x.add(P8.selectFrom(x).and(G8));
    }
    static void form(int f, int[] r, int[] ws) {
        for (int w = 0; w < T; w += 32) {
            IntVector x = IntVector.fromArray(I, r, w), y = IntVector.fromArray(I, r, w + 16);
            if (f == 0) { x = sel(x); y = sel(y); } else if (f == 1) { x = skl(x); y = skl(y); } else { x = ks1(x); y = ks1(y); }
            y = y.add(LAST.selectFrom(x));
            x.intoArray(r, w);
            y.intoArray(r, w + 16);
        }
        for (int w = 0; w < 8; w++) ws[w] = r[w * 32 + 31];
        for (int w = 1; w < 8; w++) ws[w] += ws[w - 1];
        for (int w = 1; w < 8; w++) {
            IntVector c = IntVector.broadcast(I, ws[w - 1]);
            c.add(IntVector.fromArray(I, r, w * 32)).intoArray(r, w * 32);
            c.add(IntVector.fromArray(I, r, w * 32 + 16)).intoArray(r, w * 32 + 16);
        }
    }
    static void checkForms() {
        Random rnd = new Random(3);
        int[] src = new int[T], r = new int[T], ws = new int[8], want = new int[T];
        for (int k = 0; k < 200; k++) {
            for (int t = 0; t < T; t++) src[t] = rnd.nextInt();
            int acc = 0;
            for (int t = 0; t < T; t++) want[t] = acc += src[t];
            for (int f = 0; f < 3; f++) {
                System.arraycopy(src, 0, r, 0, T);
                form(f, r, ws);
                if (!Arrays.equals(r, want)) throw new AssertionError("form " + f);
            }
        }
    }

    /** Per-thread register arrays of 256 ints, as the engine's Exec holds them (variants 13, 14). */
    static final int[][] REGS = new int[48][];
    static {
        for (int k = 0; k < REGS.length; k++) REGS[k] = new int[T];
    }

    // ---- w1
    static IntVector sel(IntVector x) {
        x = x.add(S1.selectFrom(ZERO, x));
        x = x.add(S2.selectFrom(ZERO, x));
        x = x.add(S4.selectFrom(ZERO, x));
        return x.add(S8.selectFrom(ZERO, x));
    }
    static void w1(long in, long out, long sums, int b, int[] r, int[] ws) {
        w1(in + (long) b * T * 4, out + (long) b * T * 4, sums + 4L * b, r, ws, false);
    }
    static void w1(long a, long o, long s, int[] r, int[] ws, boolean rea) {
        MemorySegment.copy(ALL, ValueLayout.JAVA_INT, a, r, 0, T);
        for (int w = 0; w < T; w += 32) {
            IntVector x = IntVector.fromArray(I, r, w), y = IntVector.fromArray(I, r, w + 16);
            if (rea) { x = rea(x); y = rea(y); } else { x = sel(x); y = sel(y); }
            y = y.add(LAST.selectFrom(x));
            x.intoArray(r, w);
            y.intoArray(r, w + 16);
        }
        for (int w = 0; w < 8; w++) ws[w] = r[w * 32 + 31];
        for (int w = 1; w < 8; w++) ws[w] += ws[w - 1];
        for (int w = 1; w < 8; w++) {
            IntVector c = IntVector.broadcast(I, ws[w - 1]);
            c.add(IntVector.fromArray(I, r, w * 32)).intoArray(r, w * 32);
            c.add(IntVector.fromArray(I, r, w * 32 + 16)).intoArray(r, w * 32 + 16);
        }
        MemorySegment.copy(r, 0, ALL, ValueLayout.JAVA_INT, o, T);
        ALL.set(IL, s, r[T - 1]);
    }

    // ---- b2 (selectFrom), b3 (unslice), b4 (rearrange + mask)
    static void b2(long in, long out, long sums, int b) {
        long a = in + (long) b * T * 4, o = out + (long) b * T * 4;
        IntVector c = ZERO;
        for (int v = 0; v < T; v += 16) {
            IntVector x = sel(IntVector.fromMemorySegment(I, ALL, a + 4L * v, NO)).add(c);
            x.intoMemorySegment(ALL, o + 4L * v, NO);
            c = LAST.selectFrom(x);
        }
        ALL.set(IL, sums + 4L * b, c.lane(0));
    }
    static IntVector uns(IntVector x) {
        x = x.add(x.unslice(1));
        x = x.add(x.unslice(2));
        x = x.add(x.unslice(4));
        return x.add(x.unslice(8));
    }
    static void b3(long in, long out, long sums, int b) {
        long a = in + (long) b * T * 4, o = out + (long) b * T * 4;
        IntVector c = ZERO;
        for (int v = 0; v < T; v += 16) {
            IntVector x = uns(IntVector.fromMemorySegment(I, ALL, a + 4L * v, NO)).add(c);
            x.intoMemorySegment(ALL, o + 4L * v, NO);
            c = LAST.selectFrom(x);
        }
        ALL.set(IL, sums + 4L * b, c.lane(0));
    }
    static IntVector rea(IntVector x) {
        x = x.add(x.rearrange(R1, M1));
        x = x.add(x.rearrange(R2, M2));
        x = x.add(x.rearrange(R4, M4));
        return x.add(x.rearrange(R8, M8));
    }
    static void b4(long in, long out, long sums, int b) {
        long a = in + (long) b * T * 4, o = out + (long) b * T * 4;
        IntVector c = ZERO;
        for (int v = 0; v < T; v += 16) {
            IntVector x = rea(IntVector.fromMemorySegment(I, ALL, a + 4L * v, NO)).add(c);
            x.intoMemorySegment(ALL, o + 4L * v, NO);
            c = LAST.selectFrom(x);
        }
        ALL.set(IL, sums + 4L * b, c.lane(0));
    }

    // ---- b5: 256-bit
    static IntVector selH(IntVector x) {
        x = x.add(H1.selectFrom(ZH, x));
        x = x.add(H2.selectFrom(ZH, x));
        return x.add(H4.selectFrom(ZH, x));
    }
    static void b5(long in, long out, long sums, int b) {
        long a = in + (long) b * T * 4, o = out + (long) b * T * 4;
        IntVector c = ZH;
        for (int v = 0; v < T; v += 8) {
            IntVector x = selH(IntVector.fromMemorySegment(H, ALL, a + 4L * v, NO)).add(c);
            x.intoMemorySegment(ALL, o + 4L * v, NO);
            c = HLAST.selectFrom(x);
        }
        ALL.set(IL, sums + 4L * b, c.lane(0));
    }

    // ---- b6: from an int[256] copy
    static void b6(long in, long out, long sums, int b, int[] r) {
        long a = in + (long) b * T * 4, o = out + (long) b * T * 4;
        MemorySegment.copy(ALL, ValueLayout.JAVA_INT, a, r, 0, T);
        IntVector c = ZERO;
        for (int v = 0; v < T; v += 16) {
            IntVector x = sel(IntVector.fromArray(I, r, v)).add(c);
            x.intoMemorySegment(ALL, o + 4L * v, NO);
            c = LAST.selectFrom(x);
        }
        ALL.set(IL, sums + 4L * b, c.lane(0));
    }

    static void range(int variant, long in, long out, long sums, int b0, int b1, int[] r, int[] ws) {
        switch (variant) {
            case 0 -> { for (int b = b0; b < b1; b++) s0(in, out, sums, b); }
            case 1 -> { for (int b = b0; b < b1; b++) w1(in, out, sums, b, r, ws); }
            case 2 -> { for (int b = b0; b < b1; b++) b2(in, out, sums, b); }
            case 3 -> { for (int b = b0; b < b1; b++) b3(in, out, sums, b); }
            case 4 -> { for (int b = b0; b < b1; b++) b4(in, out, sums, b); }
            case 5 -> { for (int b = b0; b < b1; b++) b5(in, out, sums, b); }
            case 6 -> { for (int b = b0; b < b1; b++) b6(in, out, sums, b, r); }
            case 7 -> { for (int b = b0; b < b1; b++) w1(in + (b & 3) * 1024L, out + (b & 3) * 1024L, sums + 4L * b, r, ws, false); }
            case 8 -> { for (int b = b0; b < b1; b++) w1(in + (long) b * T * 4, out + (long) b * T * 4, sums + 4L * b, r, ws, true); }
            case 9 -> { for (int b = b0; b < b1; b++) w1(in + (b & 3) * 1024L, out + (b & 3) * 1024L, sums + 4L * b, r, ws, true); }
            case 10 -> { for (int b = b0; b < b1; b++) s0h(in + (b & 3) * 1024L, out + (b & 3) * 1024L, sums + 4L * b); }
            case 11 -> { for (int b = b0; b < b1; b++) copyOnly(in + (long) b * T * 4, out + (long) b * T * 4, sums + 4L * b, r); }
            case 12 -> { for (int b = b0; b < b1; b++) copyOnly(in + (b & 3) * 1024L, out + (b & 3) * 1024L, sums + 4L * b, r); }
            case 20, 21, 22 -> { for (int b = b0; b < b1; b++) { System.arraycopy(r, T, r, 0, T); form(variant - 20, r, ws); } }
            case 13, 14, 15 -> {
                for (int b = b0; b < b1; b++) {
                    int acc = 0;
                    int e = variant == 15 ? 0 : b & 255;
                    for (int k = 0; k < (variant == 14 ? 8 : 32); k++) acc += REGS[k].length + REGS[k][e];
                    if (variant == 14) for (int k = 8; k < 12; k++) java.util.Arrays.fill(REGS[k], b);
                    ws[0] = acc;
                    w1(in, out, sums, b, r, ws);
                }
            }
            default -> throw new IllegalArgumentException();
        }
    }

    public static void main(String[] args) throws Exception {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        String[] vs = (args.length > 1 ? args[1] : "0,1,2,3,4,5,6").split(",");
        Arena arena = Arena.ofShared();
        long in = arena.allocate(4L * N, 64).address(), out = arena.allocate(4L * N, 64).address();
        long sums = arena.allocate(4L * BLOCKS, 64).address();
        Random rnd = new Random(6);
        for (int i = 0; i < N; i++) ALL.set(IL, in + 4L * i, rnd.nextInt(1024) - 512 + (rnd.nextInt(64) == 0 ? Integer.MIN_VALUE : 0));
        int[] wantOut = new int[N], wantSums = new int[BLOCKS];
        range(0, in, out, sums, 0, BLOCKS, null, null);
        MemorySegment.copy(ALL, ValueLayout.JAVA_INT, out, wantOut, 0, N);
        MemorySegment.copy(ALL, ValueLayout.JAVA_INT, sums, wantSums, 0, BLOCKS);
        checkForms();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        for (String v : vs) {
            int variant = Integer.parseInt(v.trim());
            for (int threads = 1; threads <= 2; threads++) {
                ALL.asSlice(out, 4L * N).fill((byte) 0);
                double[] ms = new double[reps];
                for (int rep = 0; rep < reps; rep++) {
                    long t0 = System.nanoTime();
                    if (threads == 1) range(variant, in, out, sums, 0, BLOCKS, new int[2 * T], new int[8]);
                    else {
                        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
                        Callable<Void> task = () -> {
                            int[] r = new int[2 * T], ws = new int[8];
                            for (int c; (c = next.getAndAdd(64)) < BLOCKS; )
                                range(variant, in, out, sums, c, Math.min(BLOCKS, c + 64), r, ws);
                            return null;
                        };
                        for (Future<Void> f : pool.invokeAll(List.of(task, task))) f.get();
                    }
                    ms[rep] = (System.nanoTime() - t0) / 1e6;
                }
                int[] got = new int[N], gs = new int[BLOCKS];
                MemorySegment.copy(ALL, ValueLayout.JAVA_INT, out, got, 0, N);
                MemorySegment.copy(ALL, ValueLayout.JAVA_INT, sums, gs, 0, BLOCKS);
                boolean hot = variant == 7 || variant == 9 || variant == 10 || variant == 11 || variant == 12 || variant >= 20;
                if (!hot && (!Arrays.equals(got, wantOut) || !Arrays.equals(gs, wantSums)))
                    throw new AssertionError("variant " + variant + " threads " + threads + " wrong");
                double[] h = Arrays.copyOfRange(ms, reps / 2, reps);
                Arrays.sort(h);
                double med = h[h.length / 2];
                System.out.printf("variant %d threads %d: min %.3f ms, median %.3f ms, CPU ns/block %.1f (median)%n",
                        variant, threads, h[0], med, med * 1e6 * threads / BLOCKS);
            }
        }
        pool.shutdown();
    }
}
