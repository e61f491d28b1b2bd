// Transcuda kernel corpus: half precision (IEEE binary16) and bfloat16.
// Arithmetic, paired (half2) arithmetic, comparisons incl. unordered, conversions
// with rounding modes. One thread per element i in [0, n); outputs are out[k * n + i].
#include <cuda_fp16.h>
#include <cuda_bf16.h>

__device__ __forceinline__ int gid() { return blockIdx.x * blockDim.x + threadIdx.x; }

// out: [0] a+b, [1] a-b, [2] a*b, [3] fma(a,b,c), [4] -a, [5] |a|, [6] min(a,b), [7] max(a,b)
// (all single binary16 roundings to nearest even; min/max NaN-ignoring), [8] a/b (correctly rounded).
extern "C" __global__ void f16_arith(const __half *a, const __half *b, const __half *c, __half *out, int n)
{
    int i = gid();
    if (i >= n) return;
    __half x = a[i], y = b[i], z = c[i];
    out[i] = __hadd(x, y);
    out[n + i] = __hsub(x, y);
    out[2 * n + i] = __hmul(x, y);
    out[3 * n + i] = __hfma(x, y, z);
    out[4 * n + i] = __hneg(x);
    out[5 * n + i] = __habs(x);
    out[6 * n + i] = __hmin(x, y);
    out[7 * n + i] = __hmax(x, y);
    out[8 * n + i] = __hdiv(x, y);
}

// Packed pairs: out: [0] a+b, [1] a*b, [2] fma(a,b,c), [3] max(a,b), [4] -a,
// [5] fma(a,b,c) saturated to [0,1], each lane-wise on __half2.
extern "C" __global__ void f16x2_arith(const __half2 *a, const __half2 *b, const __half2 *c, __half2 *out, int n)
{
    int i = gid();
    if (i >= n) return;
    __half2 x = a[i], y = b[i], z = c[i];
    out[i] = __hadd2(x, y);
    out[n + i] = __hmul2(x, y);
    out[2 * n + i] = __hfma2(x, y, z);
    out[3 * n + i] = __hmax2(x, y);
    out[4 * n + i] = __hneg2(x);
    out[5 * n + i] = __hfma2_sat(x, y, z);
}

// out[i] = bit mask of comparisons of a[i] and b[i] (bit k set when comparison k holds):
// 0 eq, 1 ne, 2 lt, 3 le, 4 gt, 5 ge (ordered), 6 equ, 7 neu, 8 ltu, 9 leu, 10 gtu,
// 11 geu (unordered: also true when either is NaN), 12 isnan(a).
extern "C" __global__ void f16_compare(const __half *a, const __half *b, unsigned *out, int n)
{
    int i = gid();
    if (i >= n) return;
    __half x = a[i], y = b[i];
    unsigned m = 0;
    m |= (unsigned)__heq(x, y) << 0;
    m |= (unsigned)__hne(x, y) << 1;
    m |= (unsigned)__hlt(x, y) << 2;
    m |= (unsigned)__hle(x, y) << 3;
    m |= (unsigned)__hgt(x, y) << 4;
    m |= (unsigned)__hge(x, y) << 5;
    m |= (unsigned)__hequ(x, y) << 6;
    m |= (unsigned)__hneu(x, y) << 7;
    m |= (unsigned)__hltu(x, y) << 8;
    m |= (unsigned)__hleu(x, y) << 9;
    m |= (unsigned)__hgtu(x, y) << 10;
    m |= (unsigned)__hgeu(x, y) << 11;
    m |= (unsigned)__hisnan(x) << 12;
    out[i] = m;
}

// Conversions. h: [0..3] float af[i] -> half with rn, rz, rd, ru; [4] double ad[i] -> half (rn);
// [5] int ai[i] -> half (rn). f[i] = (float)ah[i] (exact). s: [0..3] ah[i] -> int32 with rn, rz,
// rd, ru (NaN -> 0).
extern "C" __global__ void f16_convert(const float *af, const double *ad, const __half *ah, const int *ai,
                                       __half *h, float *f, int *s, int n)
{
    int i = gid();
    if (i >= n) return;
    float x = af[i];
    h[i] = __float2half_rn(x);
    h[n + i] = __float2half_rz(x);
    h[2 * n + i] = __float2half_rd(x);
    h[3 * n + i] = __float2half_ru(x);
    h[4 * n + i] = __double2half(ad[i]);
    __half y = ah[i];
    f[i] = __half2float(y);
    s[i] = __half2int_rn(y);
    s[n + i] = __half2int_rz(y);
    s[2 * n + i] = __half2int_rd(y);
    s[3 * n + i] = __half2int_ru(y);
    h[5 * n + i] = __int2half_rn(ai[i]);
}

// bfloat16: out: [0] a+b, [1] a*b, [2] fma(a,b,c), [3] max(a,b) (rounded to nearest even);
// f[i] = (float)a[i]; r[0n+i] = float -> bf16 rn of fa[i], r[1n+i] = rz.
extern "C" __global__ void bf16_arith(const __nv_bfloat16 *a, const __nv_bfloat16 *b, const __nv_bfloat16 *c,
                                      const float *fa, __nv_bfloat16 *out, float *f, __nv_bfloat16 *r, int n)
{
    int i = gid();
    if (i >= n) return;
    __nv_bfloat16 x = a[i], y = b[i], z = c[i];
    out[i] = __hadd(x, y);
    out[n + i] = __hmul(x, y);
    out[2 * n + i] = __hfma(x, y, z);
    out[3 * n + i] = __hmax(x, y);
    f[i] = __bfloat162float(x);
    r[i] = __float2bfloat16_rn(fa[i]);
    r[n + i] = __float2bfloat16_rz(fa[i]);
}
