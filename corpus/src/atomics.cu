// Transcuda kernel corpus: atomics (atom) and reductions (red).
// Every operation (add/sub/min/max/inc/dec/and/or/xor/exch/cas), 32 and 64 bit,
// float and double add, in global and shared memory, with and without use of
// the fetched value, and scopes (cta/gpu/sys) and orderings. nvcc 13 emits
// atom.* even when the fetched value is unused (ptxas makes it a RED), so the
// red.* forms come from inline PTX in red_inline_ptx. All results are deterministic: contended
// operations are commutative (their final value does not depend on order) and
// fetching operations act on a slot owned by a single thread.
// One thread per element i in [0, n). "slots" arrays are initialised by the host.
#include <cuda/atomic>

__device__ __forceinline__ int gid() { return blockIdx.x * blockDim.x + threadIdx.x; }

// Contended 32-bit atomics with unused results: for every i:
// c[0] += v, c[1] -= v, c[2] = min(c[2], v), c[3] = max(c[3], v) (signed), c[4] &= v,
// c[5] |= v, c[6] ^= v, c[7] = atomicInc(c[7], 100) (c = c >= 100 ? 0 : c + 1),
// c[8] = atomicDec(c[8], 100) (c = (c == 0 || c > 100) ? 100 : c - 1),
// c[9] = min(c[9], v), c[10] = max(c[10], v) (unsigned).
extern "C" __global__ void atom_global_contended_32(const int *v, int *c, int n)
{
    int i = gid();
    if (i >= n) return;
    int x = v[i];
    atomicAdd(&c[0], x);
    atomicSub(&c[1], x);
    atomicMin(&c[2], x);
    atomicMax(&c[3], x);
    atomicAnd(&c[4], x);
    atomicOr(&c[5], x);
    atomicXor(&c[6], x);
    atomicInc((unsigned *)&c[7], 100u);
    atomicDec((unsigned *)&c[8], 100u);
    atomicMin((unsigned *)&c[9], (unsigned)x);
    atomicMax((unsigned *)&c[10], (unsigned)x);
}

// Fetching 32-bit atomics on thread-owned slots: for k in 0..11, old[k*n+i] = previous
// value of slots[k*n+i], which becomes: k=0 s+v, 1 s-v, 2 min(s,v), 3 max(s,v) (signed),
// 4 s&v, 5 s|v, 6 s^v, 7 inc(s, 100), 8 dec(s, 100) (as atom_global_contended_32),
// 9 v (exchange), 10 (s == cmp ? v : s) (compare-and-swap), 11 min(s,v) unsigned.
extern "C" __global__ void atom_global_fetch_32(const int *v, const int *cmp, int *slots, int *old, int n)
{
    int i = gid();
    if (i >= n) return;
    int x = v[i];
    old[0 * n + i] = atomicAdd(&slots[0 * n + i], x);
    old[1 * n + i] = atomicSub(&slots[1 * n + i], x);
    old[2 * n + i] = atomicMin(&slots[2 * n + i], x);
    old[3 * n + i] = atomicMax(&slots[3 * n + i], x);
    old[4 * n + i] = atomicAnd(&slots[4 * n + i], x);
    old[5 * n + i] = atomicOr(&slots[5 * n + i], x);
    old[6 * n + i] = atomicXor(&slots[6 * n + i], x);
    old[7 * n + i] = (int)atomicInc((unsigned *)&slots[7 * n + i], 100u);
    old[8 * n + i] = (int)atomicDec((unsigned *)&slots[8 * n + i], 100u);
    old[9 * n + i] = atomicExch(&slots[9 * n + i], x);
    old[10 * n + i] = atomicCAS(&slots[10 * n + i], cmp[i], x);
    old[11 * n + i] = (int)atomicMin((unsigned *)&slots[11 * n + i], (unsigned)x);
}

// 64-bit. Contended (results unused): c[0] += v, c[1] = min signed, c[2] = max signed, c[3] = min unsigned,
// c[4] = max unsigned, c[5] &= v, c[6] |= v, c[7] ^= v. Fetching on thread-owned slots:
// old[k*n+i] = previous slots[k*n+i]; k=0 add, 1 exchange with v, 2 CAS(cmp, v), 3 max unsigned.
extern "C" __global__ void atom_global_64(const unsigned long long *v, const unsigned long long *cmp,
                                          unsigned long long *c, unsigned long long *slots,
                                          unsigned long long *old, int n)
{
    int i = gid();
    if (i >= n) return;
    unsigned long long x = v[i];
    atomicAdd(&c[0], x);
    atomicMin((long long *)&c[1], (long long)x);
    atomicMax((long long *)&c[2], (long long)x);
    atomicMin(&c[3], x);
    atomicMax(&c[4], x);
    atomicAnd(&c[5], x);
    atomicOr(&c[6], x);
    atomicXor(&c[7], x);
    old[i] = atomicAdd(&slots[i], x);
    old[n + i] = atomicExch(&slots[n + i], x);
    old[2 * n + i] = atomicCAS(&slots[2 * n + i], cmp[i], x);
    old[3 * n + i] = atomicMax(&slots[3 * n + i], x);
}

// Floating-point atomics. Contended: cf[0] += f[i], cd[0] += d[i] (results unused; the sum is
// order-independent only when every partial sum is exact, e.g. small integers or dyadic values).
// Fetching on thread-owned slots: of[i] = previous sf[i] (sf[i] += f[i]), of[n+i] = previous
// sf[n+i] (exchanged with f[i]); od[i] = previous sd[i] (sd[i] += d[i]).
extern "C" __global__ void atom_float(const float *f, const double *d, float *cf, double *cd, float *sf,
                                      double *sd, float *of, double *od, int n)
{
    int i = gid();
    if (i >= n) return;
    atomicAdd(&cf[0], f[i]);
    atomicAdd(&cd[0], d[i]);
    of[i] = atomicAdd(&sf[i], f[i]);
    of[n + i] = atomicExch(&sf[n + i], f[i]);
    od[i] = atomicAdd(&sd[i], d[i]);
}

// Total-order key of a float (signed-int ordering with -0 < +0; NaNs order by bits).
__device__ __forceinline__ int float_key(float f)
{
    int b = __float_as_int(f);
    return b < 0 ? b ^ 0x7fffffff : b;
}

// Lock-free maximum through a compare-and-swap loop: after the kernel *m holds the element with
// the largest float_key among the initial *m and all a[i] (for non-NaN values: the largest,
// with +0 > -0).
extern "C" __global__ void atom_cas_float_max(const float *a, float *m, int n)
{
    int i = gid();
    if (i >= n) return;
    float x = a[i];
    int *p = (int *)m;
    int cur = *(volatile int *)p;
    while (float_key(x) > float_key(__int_as_float(cur))) {
        int prev = atomicCAS(p, cur, __float_as_int(x));
        if (prev == cur) break;
        cur = prev;
    }
}

// Shared-memory atomics (blockDim.x <= 256). Per block, a 16-bin histogram of v[i] & 15 is
// accumulated in shared memory and added to hist[0..15] (global, contended red.add).
// Fetching on thread-owned shared slots initialised to s0 = 1000 + threadIdx.x:
// old[k*n+i] = s0 for each k, fin[k*n+i] = the slot's final value after: k=0 add v, 1 sub v,
// 2 min v, 3 max v (signed), 4 and v, 5 or v, 6 xor v, 7 inc(.,1100), 8 dec(.,1100), 9 exch v,
// 10 CAS(s0 -> v) (always succeeds), 11 min v unsigned.
extern "C" __global__ void atom_shared_32(const int *v, unsigned *hist, int *old, int *fin, int n)
{
    __shared__ unsigned bins[16];
    __shared__ int s[12][256];
    int t = threadIdx.x;
    int i = gid();
    if (t < 16) bins[t] = 0;
    int s0 = 1000 + t;
#pragma unroll
    for (int k = 0; k < 12; ++k) s[k][t] = s0;
    __syncthreads();
    if (i < n) {
        int x = v[i];
        atomicAdd(&bins[x & 15], 1u);
        int o[12];
        o[0] = atomicAdd(&s[0][t], x);
        o[1] = atomicSub(&s[1][t], x);
        o[2] = atomicMin(&s[2][t], x);
        o[3] = atomicMax(&s[3][t], x);
        o[4] = atomicAnd(&s[4][t], x);
        o[5] = atomicOr(&s[5][t], x);
        o[6] = atomicXor(&s[6][t], x);
        o[7] = (int)atomicInc((unsigned *)&s[7][t], 1100u);
        o[8] = (int)atomicDec((unsigned *)&s[8][t], 1100u);
        o[9] = atomicExch(&s[9][t], x);
        o[10] = atomicCAS(&s[10][t], s0, x);
        o[11] = (int)atomicMin((unsigned *)&s[11][t], (unsigned)x);
#pragma unroll
        for (int k = 0; k < 12; ++k) {
            old[k * n + i] = o[k];
            fin[k * n + i] = s[k][t];
        }
    }
    __syncthreads();
    if (t < 16 && bins[t] != 0) atomicAdd(&hist[t], bins[t]);
}

// Shared-memory 64-bit and floating-point atomics on thread-owned slots (blockDim.x <= 256).
// Slots start at l0 = 1 << 40 | threadIdx.x, f0 = 0.5f, d0 = 0.25. out64: [0] old of add v,
// [1] old of CAS(l0 -> v), [2] final of the CAS slot, [3] old of exch v, [4] final of add slot;
// outf[i] = old of f0 += f (= f0), outf[n+i] = final (f0 + f); outd likewise with d0 + d.
extern "C" __global__ void atom_shared_64_float(const unsigned long long *v, const float *f, const double *d,
                                                unsigned long long *out64, float *outf, double *outd, int n)
{
    __shared__ unsigned long long s64[3][256];
    __shared__ float sf[256];
    __shared__ double sd[256];
    int t = threadIdx.x;
    int i = gid();
    unsigned long long l0 = (1ull << 40) | (unsigned long long)t;
    s64[0][t] = l0;
    s64[1][t] = l0;
    s64[2][t] = l0;
    sf[t] = 0.5f;
    sd[t] = 0.25;
    __syncwarp();
    if (i >= n) return;
    unsigned long long x = v[i];
    out64[i] = atomicAdd(&s64[0][t], x);
    out64[n + i] = atomicCAS(&s64[1][t], l0, x);
    out64[2 * n + i] = s64[1][t];
    out64[3 * n + i] = atomicExch(&s64[2][t], x);
    out64[4 * n + i] = s64[0][t];
    outf[i] = atomicAdd(&sf[t], f[i]);
    outf[n + i] = sf[t];
    outd[i] = atomicAdd(&sd[t], d[i]);
    outd[n + i] = sd[t];
}

// Scoped and ordered atomics. Contended sums (c[0] is not used): c[1] += v via atomicAdd_system,
// c[2] += v via cuda::atomic_ref<int, device>.fetch_add(acq_rel), c[3] += v via
// fetch_add(seq_cst). Block counters: c[4 + blockIdx.x] += v via atomicAdd_block.
// Fetching on thread-owned slots: old[i] = atomicExch_system(&slots[i], v) (previous value),
// old[n+i] = atomicCAS_block(&slots[n+i], cmp, v), old[2n+i] = fetch_or(relaxed) with v.
extern "C" __global__ void atom_scoped(const int *v, const int *cmp, int *c, int *slots, int *old, int n)
{
    int i = gid();
    if (i >= n) return;
    int x = v[i];
    atomicAdd_block(&c[4 + blockIdx.x], x);
    atomicAdd_system(&c[1], x);
    cuda::atomic_ref<int, cuda::thread_scope_device> r2(c[2]);
    r2.fetch_add(x, cuda::memory_order_acq_rel);
    cuda::atomic_ref<int, cuda::thread_scope_device> r3(c[3]);
    r3.fetch_add(x, cuda::memory_order_seq_cst);
    old[i] = atomicExch_system(&slots[i], x);
    old[n + i] = atomicCAS_block(&slots[n + i], cmp[i], x);
    cuda::atomic_ref<int, cuda::thread_scope_device> r4(slots[2 * n + i]);
    old[2 * n + i] = r4.fetch_or(x, cuda::memory_order_relaxed);
}

// Reductions (red: no fetched value) through inline PTX. Contended, for every i with x = v[i]:
// g[0] += x, g[1] = min(g[1], x) signed, g[2] = max(g[2], x) unsigned, g[3] &= x, g[4] |= x,
// g[5] ^= x, g[6] = inc(g[6], 100), g[7] = dec(g[7], 100) (see atom_global_contended_32),
// g[8] += x with release/gpu semantics; g64[0] += (uint64)x, g64[1] = max(g64[1], (int64)x) signed;
// gf[0] += f[i] (f32), gd[0] += (double)f[i] (f64) (exact only with exact partial sums).
// Shared (blockDim.x <= 256): per block s = sum of x over the block's valid threads via
// red.shared.add.u32, then red.global.add.u32 of s into g[9].
extern "C" __global__ void red_inline_ptx(const int *v, const float *f, unsigned *g, unsigned long long *g64,
                                          float *gf, double *gd, int n)
{
    __shared__ unsigned s;
    int i = gid();
    if (threadIdx.x == 0) s = 0;
    __syncthreads();
    if (i < n) {
        unsigned x = (unsigned)v[i];
        asm volatile("red.global.add.u32 [%0], %1;" :: "l"(&g[0]), "r"(x) : "memory");
        asm volatile("red.global.min.s32 [%0], %1;" :: "l"(&g[1]), "r"(x) : "memory");
        asm volatile("red.global.max.u32 [%0], %1;" :: "l"(&g[2]), "r"(x) : "memory");
        asm volatile("red.global.and.b32 [%0], %1;" :: "l"(&g[3]), "r"(x) : "memory");
        asm volatile("red.global.or.b32 [%0], %1;" :: "l"(&g[4]), "r"(x) : "memory");
        asm volatile("red.global.xor.b32 [%0], %1;" :: "l"(&g[5]), "r"(x) : "memory");
        asm volatile("red.global.inc.u32 [%0], %1;" :: "l"(&g[6]), "r"(100u) : "memory");
        asm volatile("red.global.dec.u32 [%0], %1;" :: "l"(&g[7]), "r"(100u) : "memory");
        asm volatile("red.release.gpu.global.add.u32 [%0], %1;" :: "l"(&g[8]), "r"(x) : "memory");
        unsigned long long w = (unsigned long long)x;
        long long sw = (long long)(int)x;
        asm volatile("red.global.add.u64 [%0], %1;" :: "l"(&g64[0]), "l"(w) : "memory");
        asm volatile("red.global.max.s64 [%0], %1;" :: "l"(&g64[1]), "l"(sw) : "memory");
        float y = f[i];
        double yd = (double)y;
        asm volatile("red.global.add.f32 [%0], %1;" :: "l"(gf), "f"(y) : "memory");
        asm volatile("red.global.add.f64 [%0], %1;" :: "l"(gd), "d"(yd) : "memory");
        unsigned sa = (unsigned)__cvta_generic_to_shared(&s);
        asm volatile("red.shared.add.u32 [%0], %1;" :: "r"(sa), "r"(x) : "memory");
    }
    __syncthreads();
    if (threadIdx.x == 0) asm volatile("red.global.add.u32 [%0], %1;" :: "l"(&g[9]), "r"(s) : "memory");
}
