package org.transcuda.backend.cpu;

/**
 * Lockstep engine: warp 0's load–scan–store region run as one call from the segment of its split
 * ({@code -Dtranscuda.cpu.warp0Chain=false} turns it off). scan's
 * {@code if (warp == 0) { w = lane < K ? s[lane] : fill; for (d = 1; d < K; d <<= 1) { o = __shfl_up_sync(~0u, w, d);
 * if (lane >= d) w += o; } if (lane < K) s[lane] = w; }} otherwise costs a split ({@link RangeSplit}: the
 * {@link Exec#lnb} fills), a segment for the guarded load and one for the shuffle chain and the guarded store (each a
 * 32-lane loop, lanes K..31 carrying only the fill), each with its method prologue, and a rejoin that rewrites the
 * whole active list; for K useful words (8 in scan).
 *
 * <p>Applies (decided when the kernel is compiled, {@code KernelCompiler.warp0Region}) to a segment that is exactly one
 * unguarded integer {@code setp} whose predicate is read only by the segment's branch and selects by
 * {@link RangeSplit#of} the threads {@code tid.x < 32} (nvcc's {@code setp.ne (tid.x >> 5), 0}) for one target, the
 * region R1, and {@code tid.x >= 32} for the other, the join J; R1 holds only register arithmetic (mov, compare,
 * non-faulting integer/float compute), among it {@code q = lane op c}, meaning {@code lane < K} (1 <= K <= 32) on one
 * side, a {@code mov w, ...} (the fill) and {@code A = S + (lane << 2)} or {@code S + lane·4} ({@code S} a constant:
 * a shared symbol plus a constant); R1 branches on {@code q} to R2, exactly {@code ld.shared.32 w, [A + off]} (weak),
 * for the lanes below K, which goes on to R3, and to R3 for the others; R3 holds only register arithmetic and one
 * {@link WarpScan} shuffle-scan chain (its own matcher, {@link WarpScan#find}) of {@code w} with result {@code v}
 * ({@code s} steps, window {@code 2^s}), and branches on the same {@code q} to R4, exactly
 * {@code st.shared.32 [A + off], v} (weak), for the lanes below K and to J for the others; R4 goes on to J. No other
 * branch enters R1–R4, and every register defined in the segment or R1–R4 is mentioned only there, each read after a
 * definition on the way (so nothing the general path would leave in a register is read after the region, and no
 * later run of the region reads what an earlier one left); {@code w, q, A} and the lane are not redefined in R3.
 * The lane register ({@code %tid.x & 31} or {@code %laneid}, {@link WarpScan}'s) is defined in the entry block, and
 * {@link WarpScan} is on (then the general path's chain is {@link WarpScan#scan}'s windowed sum, which reads neither
 * the select predicates nor the lane register). The segment method calls {@link #run} (with the region's index in
 * the kernel's own table, {@link CompiledKernel#warp0Regions}) before anything else and returns J's segment when it
 * ran.
 *
 * <p>At run time {@link #run} applies while every thread is active ({@link Exec#lfull}), the block is one-dimensional
 * with at least 32 threads (so the region's threads are exactly warp 0, lanes 0..31 = threads 0..31), and the words
 * {@code zext(S + 4·l) + off} for {@code l < K} do not wrap in 32 bits, are aligned and inside the shared window (one
 * check). Nothing has run when it declines: the general path then runs from the split as before (faults keep their
 * thread and instruction).
 *
 * <p>Why the result is the same bits: the general path loads word {@code l} for each lane {@code l < K}, then the
 * chain gives each lane the 32-bit wrapping sum of {@code w} over lanes {@code (l - 2^s, l]} ({@link WarpScan}; a
 * {@code shfl.up} reads lane {@code l - d < l}), so a lane below K sums loaded words only and the fill never reaches
 * a stored value; the lanes below K store their sums to the words they loaded, after all loads. Here: a running sum
 * over the K words in thread order (window {@code >= K}), or the windowed sum from a copy of the loaded words; the
 * same stores; every register of the region is dead afterwards; the state after the general path's rejoin (every
 * thread active, the identity list) is the state here, so J runs next with every thread active as after the rejoin.
 * Counted in {@link Exec#warp0Chains}.
 */
final class Warp0Chain {
    /** On unless {@code -Dtranscuda.cpu.warp0Chain=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.warp0Chain"));

    /** Tests: kernels compiled from now on without it. */
    static volatile boolean offForTests;

    /**
     * One region: the shared address {@code base + 4·lane} (32 bits, {@code base} a constant) plus {@code off}, the
     * {@code k} lanes that load and store, the chain's {@code steps}, and the join segment to return.
     */
    record Region(int base, long off, int k, int steps, int join) {
    }

    private Warp0Chain() {
    }

    /** Runs region {@code id} for the current block: the segment to continue with, or -1 (nothing done). */
    static int run(Exec e, int id) {
        if (e.lfull == 0 || e.nty != 1 || e.ntz != 1 || e.ntx < 32) return -1;
        Region g = e.warp0Table[id];
        int k = g.k;
        int w = word(e, g.base, g.off, k);
        if (w < 0) return -1;
        int[] sh = e.shared;
        int window = 1 << g.steps;
        if (window >= k) {
            int sum = 0;
            for (int l = 0; l < k; l++) {
                sum += sh[w + l];
                sh[w + l] = sum;
            }
        } else {
            int[] in = java.util.Arrays.copyOfRange(sh, w, w + k);
            int sum = 0;
            for (int l = 0; l < k; l++) {
                sum += in[l];
                if (l >= window) sum -= in[l - window];
                sh[w + l] = sum;
            }
        }
        e.warp0Chains++;
        return g.join;
    }

    /**
     * The word index of lane 0's access, or -1 when some lane {@code l < k}'s address {@code zext(base + 4·l) + off}
     * wraps in 32 bits, is not 4-aligned or is not inside the shared window.
     */
    static int word(Exec e, int base, long off, int k) {
        long b = Integer.toUnsignedLong(base);
        if (b + 4L * (k - 1) > 0xffff_ffffL) return -1;
        long a0 = b + off;
        if ((a0 & 3) != 0 || a0 < 0 || a0 + 4L * (k - 1) > e.sharedSize - 4) return -1;
        return (int) (a0 >> 2);
    }
}
