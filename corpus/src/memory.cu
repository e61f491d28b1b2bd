// Transcuda kernel corpus: loads and stores.
// Vector accesses (v2/v4), read-only non-coherent loads (ld.global.nc), volatile,
// relaxed/acquire/release and their scopes, cache-operator hints, generic
// (flat) addressing and cvta, static shared memory, narrow types.
// One thread per element i in [0, n) unless stated otherwise.
#include <cuda/atomic>

__device__ __forceinline__ int gid() { return blockIdx.x * blockDim.x + threadIdx.x; }

// float4 / int4 vectors: out4[i] = a4[i] * 2 + b4[i] lane-wise (float),
// oi4[i] = ai4[i] ^ (lane index + 1) lane-wise (int) -> ld/st.global.v4.
extern "C" __global__ void mem_vec4(const float4 *a4, const float4 *b4, const int4 *ai4, float4 *out4,
                                    int4 *oi4, int n)
{
    int i = gid();
    if (i >= n) return;
    float4 a = a4[i], b = b4[i];
    out4[i] = make_float4(a.x * 2.0f + b.x, a.y * 2.0f + b.y, a.z * 2.0f + b.z, a.w * 2.0f + b.w);
    int4 c = ai4[i];
    oi4[i] = make_int4(c.x ^ 1, c.y ^ 2, c.z ^ 3, c.w ^ 4);
}

// v2 vectors: od2[i] = (d2[i].y, d2[i].x) (swap, double2), ol2[i] = (l2.x + l2.y, l2.x - l2.y)
// (longlong2 mod 2^64), of2[i] = (f2.x * f2.y, f2.x + f2.y) (float2).
extern "C" __global__ void mem_vec2(const double2 *d2, const longlong2 *l2, const float2 *f2, double2 *od2,
                                    longlong2 *ol2, float2 *of2, int n)
{
    int i = gid();
    if (i >= n) return;
    double2 d = d2[i];
    od2[i] = make_double2(d.y, d.x);
    longlong2 l = l2[i];
    unsigned long long x = (unsigned long long)l.x, y = (unsigned long long)l.y;
    ol2[i] = make_longlong2((long long)(x + y), (long long)(x - y));
    float2 f = f2[i];
    of2[i] = make_float2(f.x * f.y, f.x + f.y);
}

// Read-only path: out[i] = __ldg(&a[i]) + __ldg(&a[idx[i] & (n-1)]) (in bounds for every n > 0);
// out4[i] = __ldg(&a4[i]) lane-wise plus 1; di[i] = __ldg(&d[i]) * 0.5.
extern "C" __global__ void mem_ldg(const float *__restrict__ a, const int *__restrict__ idx,
                                   const float4 *__restrict__ a4, const double *__restrict__ d, float *out,
                                   float4 *out4, double *di, int n)
{
    int i = gid();
    if (i >= n) return;
    out[i] = __ldg(&a[i]) + __ldg(&a[__ldg(&idx[i]) & (n - 1)]);
    float4 v = __ldg(&a4[i]);
    out4[i] = make_float4(v.x + 1.0f, v.y + 1.0f, v.z + 1.0f, v.w + 1.0f);
    di[i] = __ldg(&d[i]) * 0.5;
}

// Volatile accesses: buf[i] is written with a[i] + 1 through a volatile pointer and read back
// twice; out[i] = first read + second read (= 2*(a[i]+1) mod 2^32).
extern "C" __global__ void mem_volatile(const unsigned *a, unsigned *buf, unsigned *out, int n)
{
    int i = gid();
    if (i >= n) return;
    volatile unsigned *v = buf;
    v[i] = a[i] + 1u;
    unsigned r1 = v[i];
    unsigned r2 = v[i];
    out[i] = r1 + r2;
}

// Memory-model ordered accesses on each thread's own slot (no inter-thread communication):
// slot[i] <- a[i] (release store, gpu scope); out[0n+i] = acquire load (gpu) = a[i];
// slot[i] <- a[i]*2 (relaxed store); out[1n+i] = relaxed load = 2a[i]; out[2n+i] = acquire load
// (sys scope, inline PTX) = 2a[i]; out[3n+i] = ld.relaxed.cta after st.release.sys of a[i]+3
// (arithmetic mod 2^32).
extern "C" __global__ void mem_acquire_release(const int *a, int *slot, int *out, int n)
{
    int i = gid();
    if (i >= n) return;
    cuda::atomic_ref<int, cuda::thread_scope_device> r(slot[i]);
    int x = a[i];
    r.store(x, cuda::memory_order_release);
    out[i] = r.load(cuda::memory_order_acquire);
    r.store((int)((unsigned)x * 2u), cuda::memory_order_relaxed);
    out[n + i] = r.load(cuda::memory_order_relaxed);
    int v;
    asm volatile("ld.acquire.sys.global.b32 %0, [%1];" : "=r"(v) : "l"(&slot[i]) : "memory");
    out[2 * n + i] = v;
    asm volatile("st.release.sys.global.b32 [%0], %1;" :: "l"(&slot[i]), "r"((unsigned)x + 3u) : "memory");
    asm volatile("ld.relaxed.cta.global.b32 %0, [%1];" : "=r"(v) : "l"(&slot[i]) : "memory");
    out[3 * n + i] = v;
}

// Cache operators: out[i] = __ldcg(a+i) + __ldca(a+i) + __ldcs(a+i) + __ldlu(a+i) + __ldcv(a+i)
// (= 5*a[i] mod 2^32); then o1[i] = a[i] via __stwb, o2 via __stcg, o3 via __stcs, o4 via __stwt.
extern "C" __global__ void mem_cache_hints(const int *a, int *out, int *o1, int *o2, int *o3, int *o4, int n)
{
    int i = gid();
    if (i >= n) return;
    unsigned s = (unsigned)__ldcg(a + i) + (unsigned)__ldca(a + i) + (unsigned)__ldcs(a + i) +
                 (unsigned)__ldlu(a + i) + (unsigned)__ldcv(a + i);
    out[i] = (int)s;
    int x = a[i];
    __stwb(o1 + i, x);
    __stcg(o2 + i, x);
    __stcs(o3 + i, x);
    __stwt(o4 + i, x);
}

// Generic addressing: a __noinline__ helper dereferences a generic pointer that points to
// global memory for even i and to shared memory for odd i. out[i] = a[i] * 3 + 1 (mod 2^32).
// Requires blockDim.x <= 256.
__device__ __noinline__ unsigned load_generic_times3(const int *p) { return (unsigned)*p * 3u; }

extern "C" __global__ void mem_generic(const int *a, int *out, int n)
{
    __shared__ int s[256];
    int i = gid();
    int t = threadIdx.x;
    s[t] = i < n ? a[i] : 0;
    __syncthreads();
    if (i >= n) return;
    const int *p = (i & 1) ? &s[t] : &a[i];
    out[i] = (int)(load_generic_times3(p) + 1u);
}

// Address-space predicates (isspacep) and conversions (cvta) on generic pointers inside
// __noinline__ helpers. space_bits(p) = isGlobal | isShared << 1 | isLocal << 2 | isConstant << 3.
// flags[i] = space_bits(&a[i]) | space_bits(shared) << 4 | space_bits(local) << 8 = 0x421;
// sh[i] = shared-window offset of &s[t] minus that of &s[0] = 4 * (threadIdx.x & 255).
__device__ __noinline__ unsigned space_bits(const void *p)
{
    return (unsigned)__isGlobal(p) | (unsigned)__isShared(p) << 1 | (unsigned)__isLocal(p) << 2 |
           (unsigned)__isConstant(p) << 3;
}

__device__ __noinline__ unsigned shared_offset(const void *p)
{
    return (unsigned)__cvta_generic_to_shared(p);
}

extern "C" __global__ void mem_address_spaces(const int *a, unsigned *flags, unsigned *sh, int n)
{
    __shared__ int s[256];
    int loc[2];
    int t = threadIdx.x & 255;
    int i = gid();
    s[t] = i;
    loc[t & 1] = i;
    if (i >= n) return;
    flags[i] = space_bits(&a[i]) | space_bits(&s[t]) << 4 | space_bits(&loc[t & 1]) << 8;
    sh[i] = shared_offset(&s[t]) - shared_offset(&s[0]);
}

// Static shared memory, block-local rotate (blockDim.x <= 256). With b = blockIdx.x*blockDim.x,
// j = (threadIdx.x + 1) % blockDim.x and x = (b + j < n) ? a[b + j] : 0:
// out[i] = x and wide[i] = 3x + (x & 0xff) + (x & 0xffff) + x, the terms having been
// stored in shared memory as s64, u8, u16 and f64 respectively.
extern "C" __global__ void mem_shared_static(const int *a, int *out, long long *wide, int n)
{
    __shared__ int s32[256];
    __shared__ unsigned char s8[256];
    __shared__ unsigned short s16[256];
    __shared__ long long s64[256];
    __shared__ double sd[256];
    int i = gid();
    int t = threadIdx.x;
    int x = i < n ? a[i] : 0;
    s32[t] = x;
    s8[t] = (unsigned char)x;
    s16[t] = (unsigned short)x;
    s64[t] = (long long)x * 3;
    sd[t] = (double)x;
    __syncthreads();
    int j = (t + 1) % blockDim.x;
    if (i >= n) return;
    out[i] = s32[j];
    wide[i] = s64[j] + (long long)s8[j] + (long long)s16[j] + (long long)sd[j];
}
