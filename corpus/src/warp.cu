// Transcuda kernel corpus: warp-level primitives.
// shfl.sync (idx/up/down/bfly, 32- and 64-bit, sub-warp widths), vote.sync
// (any/all/ballot/uni), match.sync (any/all, 32/64-bit), activemask, redux.sync
// (sm_80), lane special registers (%laneid, %lanemask_*).
// All kernels require blockDim.x to be a multiple of 32; every lane of a warp runs the
// primitive with a full mask; lanes with i >= n use the input value 0 and store nothing.
// lane = threadIdx.x % 32, warp base w = i - lane.

__device__ __forceinline__ int gid() { return blockIdx.x * blockDim.x + threadIdx.x; }

// With x(j) = a[w + j] (0 beyond n): out[0n+i] = x(src[i] & 31) (__shfl_sync idx),
// [1n] = x(lane - 3) if lane >= 3 else x(lane) (__shfl_up_sync 3), [2n] = x(lane + 5) if
// lane + 5 < 32 else x(lane) (__shfl_down_sync 5), [3n] = x(lane ^ 6) (__shfl_xor_sync 6),
// [4n] = x((lane & ~7) + (src & 7)) (idx within width 8), [5n] = x(lane - 1) if lane % 16 >= 1
// else x(lane) (up, width 16).
extern "C" __global__ void warp_shfl_int(const int *a, const int *src, int *out, int n)
{
    int i = gid();
    int x = i < n ? a[i] : 0;
    int s = i < n ? src[i] : 0;
    int r0 = __shfl_sync(0xffffffffu, x, s & 31);
    int r1 = __shfl_up_sync(0xffffffffu, x, 3);
    int r2 = __shfl_down_sync(0xffffffffu, x, 5);
    int r3 = __shfl_xor_sync(0xffffffffu, x, 6);
    int r4 = __shfl_sync(0xffffffffu, x, s & 7, 8);
    int r5 = __shfl_up_sync(0xffffffffu, x, 1, 16);
    if (i >= n) return;
    out[i] = r0;
    out[n + i] = r1;
    out[2 * n + i] = r2;
    out[3 * n + i] = r3;
    out[4 * n + i] = r4;
    out[5 * n + i] = r5;
}

// 64-bit and floating-point shuffles: od[i] = d(lane ^ 1) (double, butterfly),
// ol[i] = l((lane + 1) % 32) (long long, rotate by idx), of[i] = f(31 - lane) (float, reverse).
extern "C" __global__ void warp_shfl_wide(const double *d, const long long *l, const float *f, double *od,
                                          long long *ol, float *of, int n)
{
    int i = gid();
    int lane = threadIdx.x & 31;
    double x = i < n ? d[i] : 0.0;
    long long y = i < n ? l[i] : 0;
    float z = i < n ? f[i] : 0.0f;
    double rx = __shfl_xor_sync(0xffffffffu, x, 1);
    long long ry = __shfl_sync(0xffffffffu, y, (lane + 1) & 31);
    float rz = __shfl_sync(0xffffffffu, z, 31 - lane);
    if (i >= n) return;
    od[i] = rx;
    ol[i] = ry;
    of[i] = rz;
}

// Warp sum with a shfl.down tree: sums[i / 32] = sum (mod 2^32) of a over the
// warp (written by lane 0 when i < n, so sums has ceil(n / 32) entries);
// pre[i] = inclusive prefix sum within the warp (shfl.up scan).
extern "C" __global__ void warp_reduce_scan(const int *a, int *sums, int *pre, int n)
{
    int i = gid();
    int lane = threadIdx.x & 31;
    unsigned x = i < n ? (unsigned)a[i] : 0u;
    unsigned s = x;
#pragma unroll
    for (int off = 16; off > 0; off >>= 1) s += __shfl_down_sync(0xffffffffu, s, off);
    unsigned p = x;
#pragma unroll
    for (int off = 1; off < 32; off <<= 1) {
        unsigned y = __shfl_up_sync(0xffffffffu, p, off);
        if (lane >= off) p += y;
    }
    if (lane == 0 && i < n) sums[i >> 5] = (int)s;
    if (i < n) pre[i] = (int)p;
}

// Votes on p = (a[i] > 0) (false beyond n): out[0n+i] = __any_sync, [1n] = __all_sync,
// [2n] = __ballot_sync mask (bit j = p of lane j), [3n] = __uni_sync (all lanes agree on p),
// [4n] = popcount(ballot & lanemask_lt) (rank of this lane among set lanes).
extern "C" __global__ void warp_vote(const int *a, unsigned *out, int n)
{
    int i = gid();
    int lane = threadIdx.x & 31;
    int p = i < n && a[i] > 0;
    unsigned any = __any_sync(0xffffffffu, p);
    unsigned all = __all_sync(0xffffffffu, p);
    unsigned bal = __ballot_sync(0xffffffffu, p);
    unsigned uni = __uni_sync(0xffffffffu, p);
    if (i >= n) return;
    out[i] = any;
    out[n + i] = all;
    out[2 * n + i] = bal;
    out[3 * n + i] = uni;
    out[4 * n + i] = __popc(bal & ((1u << lane) - 1u));
}

// Match: with x = a[i] (0 beyond n), y = l[i] (0 beyond n): out[0n+i] = mask of lanes whose x
// equals this lane's x (__match_any_sync), [1n] = full mask 0xffffffff if all lanes have the same
// x else 0 (__match_all_sync), [2n] = 1 if all equal else 0 (its predicate),
// [3n] = match-any mask on 64-bit y, [4n] = match-all mask on 64-bit y.
extern "C" __global__ void warp_match(const int *a, const long long *l, unsigned *out, int n)
{
    int i = gid();
    int x = i < n ? a[i] : 0;
    long long y = i < n ? l[i] : 0;
    int pred;
    unsigned m0 = __match_any_sync(0xffffffffu, x);
    unsigned m1 = __match_all_sync(0xffffffffu, x, &pred);
    unsigned m3 = __match_any_sync(0xffffffffu, y);
    int pred2;
    unsigned m4 = __match_all_sync(0xffffffffu, y, &pred2);
    if (i >= n) return;
    out[i] = m0;
    out[n + i] = m1;
    out[2 * n + i] = (unsigned)pred;
    out[3 * n + i] = m3;
    out[4 * n + i] = m4;
}

// Warp reductions with redux.sync (sm_80): with x = a[i] (0 beyond n), per warp:
// out[0n+i] = sum (mod 2^32), [1n] = min signed, [2n] = max signed, [3n] = min unsigned,
// [4n] = max unsigned, [5n] = and, [6n] = or, [7n] = xor over the 32 lanes.
extern "C" __global__ void warp_redux(const int *a, unsigned *out, int n)
{
    int i = gid();
    int x = i < n ? a[i] : 0;
    unsigned u = (unsigned)x;
    unsigned r0 = __reduce_add_sync(0xffffffffu, u);
    int r1 = __reduce_min_sync(0xffffffffu, x);
    int r2 = __reduce_max_sync(0xffffffffu, x);
    unsigned r3 = __reduce_min_sync(0xffffffffu, u);
    unsigned r4 = __reduce_max_sync(0xffffffffu, u);
    unsigned r5 = __reduce_and_sync(0xffffffffu, u);
    unsigned r6 = __reduce_or_sync(0xffffffffu, u);
    unsigned r7 = __reduce_xor_sync(0xffffffffu, u);
    if (i >= n) return;
    out[i] = r0;
    out[n + i] = (unsigned)r1;
    out[2 * n + i] = (unsigned)r2;
    out[3 * n + i] = r3;
    out[4 * n + i] = r4;
    out[5 * n + i] = r5;
    out[6 * n + i] = r6;
    out[7 * n + i] = r7;
}

// Active mask and lane registers: out[0n+i] = (__activemask() >> lane) & 1 (always 1: the calling
// lane is active), [1n] = %laneid, [2n] = %lanemask_eq, [3n] = %lanemask_lt, [4n] = %lanemask_le,
// [5n] = %lanemask_gt, [6n] = %lanemask_ge, [7n] = 1 if lanes in the branch a[i] > 0 see
// their own bit in __activemask() inside that branch (always 1), else 0 for a[i] <= 0.
extern "C" __global__ void warp_activemask_lanes(const int *a, unsigned *out, int n)
{
    int i = gid();
    if (i >= n) return;
    unsigned lane, eq, lt, le, gt, ge;
    asm("mov.u32 %0, %%laneid;" : "=r"(lane));
    asm("mov.u32 %0, %%lanemask_eq;" : "=r"(eq));
    asm("mov.u32 %0, %%lanemask_lt;" : "=r"(lt));
    asm("mov.u32 %0, %%lanemask_le;" : "=r"(le));
    asm("mov.u32 %0, %%lanemask_gt;" : "=r"(gt));
    asm("mov.u32 %0, %%lanemask_ge;" : "=r"(ge));
    out[i] = (__activemask() >> lane) & 1u;
    out[n + i] = lane;
    out[2 * n + i] = eq;
    out[3 * n + i] = lt;
    out[4 * n + i] = le;
    out[5 * n + i] = gt;
    out[6 * n + i] = ge;
    unsigned inner = 0;
    if (a[i] > 0) inner = (__activemask() & eq) != 0;
    out[7 * n + i] = inner;
}
