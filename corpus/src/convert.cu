// Transcuda kernel corpus: conversions (cvt) between all scalar types with every
// rounding mode: rn/rz/rm/rp for float results, rni/rzi/rmi/rpi for integer
// results and round-to-integral, .sat, sign/zero extension and truncation,
// float <-> double, and bit casts (mov.b32/mov.b64).
// Float -> integer conversions use the PTX rules: out-of-range values saturate to
// the destination range and NaN converts to 0.
// One thread per element i in [0, n); outputs are out[k * n + i].

__device__ __forceinline__ int gid() { return blockIdx.x * blockDim.x + threadIdx.x; }

// float -> integer. s32: [0..3] __float2int_rn/rz/rd/ru, u32: [0..3] __float2uint_*,
// s64: [0..3] __float2ll_*, u64: [0..3] __float2ull_* (mode order rn, rz, rd, ru).
extern "C" __global__ void cvt_f32_to_int(const float *a, int *s32, unsigned *u32, long long *s64,
                                          unsigned long long *u64, int n)
{
    int i = gid();
    if (i >= n) return;
    float x = a[i];
    s32[i] = __float2int_rn(x);
    s32[n + i] = __float2int_rz(x);
    s32[2 * n + i] = __float2int_rd(x);
    s32[3 * n + i] = __float2int_ru(x);
    u32[i] = __float2uint_rn(x);
    u32[n + i] = __float2uint_rz(x);
    u32[2 * n + i] = __float2uint_rd(x);
    u32[3 * n + i] = __float2uint_ru(x);
    s64[i] = __float2ll_rn(x);
    s64[n + i] = __float2ll_rz(x);
    s64[2 * n + i] = __float2ll_rd(x);
    s64[3 * n + i] = __float2ll_ru(x);
    u64[i] = __float2ull_rn(x);
    u64[n + i] = __float2ull_rz(x);
    u64[2 * n + i] = __float2ull_rd(x);
    u64[3 * n + i] = __float2ull_ru(x);
}

// double -> integer, same layout as cvt_f32_to_int (__double2int_*, __double2uint_*,
// __double2ll_*, __double2ull_*).
extern "C" __global__ void cvt_f64_to_int(const double *a, int *s32, unsigned *u32, long long *s64,
                                          unsigned long long *u64, int n)
{
    int i = gid();
    if (i >= n) return;
    double x = a[i];
    s32[i] = __double2int_rn(x);
    s32[n + i] = __double2int_rz(x);
    s32[2 * n + i] = __double2int_rd(x);
    s32[3 * n + i] = __double2int_ru(x);
    u32[i] = __double2uint_rn(x);
    u32[n + i] = __double2uint_rz(x);
    u32[2 * n + i] = __double2uint_rd(x);
    u32[3 * n + i] = __double2uint_ru(x);
    s64[i] = __double2ll_rn(x);
    s64[n + i] = __double2ll_rz(x);
    s64[2 * n + i] = __double2ll_rd(x);
    s64[3 * n + i] = __double2ll_ru(x);
    u64[i] = __double2ull_rn(x);
    u64[n + i] = __double2ull_rz(x);
    u64[2 * n + i] = __double2ull_rd(x);
    u64[3 * n + i] = __double2ull_ru(x);
}

// integer -> float with rounding; out[k*n+i], k = 4*src + mode, src: 0 s32 (si), 1 u32 (ui),
// 2 s64 (sl), 3 u64 (ul); mode 0 rn, 1 rz, 2 rd, 3 ru.
extern "C" __global__ void cvt_int_to_f32(const int *si, const unsigned *ui, const long long *sl,
                                          const unsigned long long *ul, float *out, int n)
{
    int i = gid();
    if (i >= n) return;
    int a = si[i];
    unsigned b = ui[i];
    long long c = sl[i];
    unsigned long long d = ul[i];
    out[0 * n + i] = __int2float_rn(a);
    out[1 * n + i] = __int2float_rz(a);
    out[2 * n + i] = __int2float_rd(a);
    out[3 * n + i] = __int2float_ru(a);
    out[4 * n + i] = __uint2float_rn(b);
    out[5 * n + i] = __uint2float_rz(b);
    out[6 * n + i] = __uint2float_rd(b);
    out[7 * n + i] = __uint2float_ru(b);
    out[8 * n + i] = __ll2float_rn(c);
    out[9 * n + i] = __ll2float_rz(c);
    out[10 * n + i] = __ll2float_rd(c);
    out[11 * n + i] = __ll2float_ru(c);
    out[12 * n + i] = __ull2float_rn(d);
    out[13 * n + i] = __ull2float_rz(d);
    out[14 * n + i] = __ull2float_rd(d);
    out[15 * n + i] = __ull2float_ru(d);
}

// integer -> double. out: [0] (double)s32 (exact), [1] (double)u32 (exact),
// [2..5] s64 with rn, rz, rd, ru, [6..9] u64 with rn, rz, rd, ru.
extern "C" __global__ void cvt_int_to_f64(const int *si, const unsigned *ui, const long long *sl,
                                          const unsigned long long *ul, double *out, int n)
{
    int i = gid();
    if (i >= n) return;
    long long c = sl[i];
    unsigned long long d = ul[i];
    out[i] = __int2double_rn(si[i]);
    out[n + i] = __uint2double_rn(ui[i]);
    out[2 * n + i] = __ll2double_rn(c);
    out[3 * n + i] = __ll2double_rz(c);
    out[4 * n + i] = __ll2double_rd(c);
    out[5 * n + i] = __ll2double_ru(c);
    out[6 * n + i] = __ull2double_rn(d);
    out[7 * n + i] = __ull2double_rz(d);
    out[8 * n + i] = __ull2double_rd(d);
    out[9 * n + i] = __ull2double_ru(d);
}

// float <-> double. f[k*n+i] = (float)d[i] with k: 0 rn, 1 rz, 2 rd, 3 ru;
// dd[i] = (double)fa[i] (exact).
extern "C" __global__ void cvt_f32_f64(const double *d, const float *fa, float *f, double *dd, int n)
{
    int i = gid();
    if (i >= n) return;
    double x = d[i];
    f[i] = __double2float_rn(x);
    f[n + i] = __double2float_rz(x);
    f[2 * n + i] = __double2float_rd(x);
    f[3 * n + i] = __double2float_ru(x);
    dd[i] = (double)fa[i];
}

// Round to integral value in floating point. f: [0] rintf (nearest even), [1] truncf,
// [2] floorf, [3] ceilf, [4] __saturatef (clamp to [0,1], NaN -> 0), [5] roundf (half away from 0);
// d: same for double (saturate via cvt.sat.f64.f64).
extern "C" __global__ void cvt_round_integral(const float *a, const double *b, float *f, double *d, int n)
{
    int i = gid();
    if (i >= n) return;
    float x = a[i];
    f[i] = rintf(x);
    f[n + i] = truncf(x);
    f[2 * n + i] = floorf(x);
    f[3 * n + i] = ceilf(x);
    f[4 * n + i] = __saturatef(x);
    f[5 * n + i] = roundf(x);
    double y = b[i], ys;
    d[i] = rint(y);
    d[n + i] = trunc(y);
    d[2 * n + i] = floor(y);
    d[3 * n + i] = ceil(y);
    asm("cvt.sat.f64.f64 %0, %1;" : "=d"(ys) : "d"(y));
    d[4 * n + i] = ys;
    d[5 * n + i] = round(y);
}

// Integer widths from 32-bit input a: out: [0] sign-extend low 8 bits, [1] zero-extend low 8,
// [2] sign-extend low 16, [3] zero-extend low 16; saturating narrowing: [4] cvt.sat.s8.s32,
// [5] cvt.sat.u8.s32, [6] cvt.sat.s16.s32, [7] cvt.sat.u16.s32, [8] cvt.sat.u32.s32 (negative -> 0).
// wide[i] = (int64)a (sign-extend), wide[n+i] = (uint64)(uint32)a (zero-extend),
// wide[2n+i] = (int64)(int32)l[i] (truncate then sign-extend).
extern "C" __global__ void cvt_int_widths(const int *a, const long long *l, int *out, long long *wide, int n)
{
    int i = gid();
    if (i >= n) return;
    int x = a[i];
    out[i] = (int)(signed char)x;
    out[n + i] = (int)(unsigned char)x;
    out[2 * n + i] = (int)(short)x;
    out[3 * n + i] = (int)(unsigned short)x;
    int r4, r5, r6, r7, r8;
    asm("cvt.sat.s8.s32 %0, %1;" : "=r"(r4) : "r"(x));
    asm("cvt.sat.u8.s32 %0, %1;" : "=r"(r5) : "r"(x));
    asm("cvt.sat.s16.s32 %0, %1;" : "=r"(r6) : "r"(x));
    asm("cvt.sat.u16.s32 %0, %1;" : "=r"(r7) : "r"(x));
    asm("cvt.sat.u32.s32 %0, %1;" : "=r"(r8) : "r"(x));
    out[4 * n + i] = r4;
    out[5 * n + i] = r5;
    out[6 * n + i] = r6;
    out[7 * n + i] = r7;
    out[8 * n + i] = r8;
    wide[i] = (long long)x;
    wide[n + i] = (long long)(unsigned long long)(unsigned)x;
    wide[2 * n + i] = (long long)(int)l[i];
}

// Narrow integer memory types: b8/u8/s16/u16 loads are widened, results stored narrow.
// o8[i] = (int8)(c8[i] + 1), ou8[i] = (uint8)(u8[i] * 3), o16[i] = (int16)(s16[i] - 2),
// ou16[i] = (uint16)(u16[i] ^ 0x8001), sum[i] = c8 + u8 + s16 + u16 (as int, sign/zero-extended).
extern "C" __global__ void cvt_narrow_memory(const signed char *c8, const unsigned char *u8, const short *s16,
                                             const unsigned short *u16, signed char *o8, unsigned char *ou8,
                                             short *o16, unsigned short *ou16, int *sum, int n)
{
    int i = gid();
    if (i >= n) return;
    signed char a = c8[i];
    unsigned char b = u8[i];
    short c = s16[i];
    unsigned short d = u16[i];
    o8[i] = (signed char)(a + 1);
    ou8[i] = (unsigned char)(b * 3);
    o16[i] = (short)(c - 2);
    ou16[i] = (unsigned short)(d ^ 0x8001);
    sum[i] = (int)a + (int)b + (int)c + (int)d;
}

// Bit casts. u[i] = bits of f[i]; g[i] = float with bits v[i]; l[i] = bits of d[i];
// e[i] = double with bits hi:lo = (v[i] ^ 1):(v[i]) built by __hiloint2double;
// h[i] = __double2hiint(d[i]), h[n+i] = __double2loint(d[i]).
extern "C" __global__ void cvt_bitcast(const float *f, const unsigned *v, const double *d,
                                       unsigned *u, float *g, long long *l, double *e, int *h, int n)
{
    int i = gid();
    if (i >= n) return;
    u[i] = __float_as_uint(f[i]);
    g[i] = __uint_as_float(v[i]);
    double x = d[i];
    l[i] = __double_as_longlong(x);
    e[i] = __hiloint2double((int)(v[i] ^ 1u), (int)v[i]);
    h[i] = __double2hiint(x);
    h[n + i] = __double2loint(x);
}

// tf32 rounding (cvt.rna.tf32.f32, sm_80): out[i] = bits of a[i] rounded to 10 mantissa
// bits, nearest with ties away from zero, low 13 bits zero.
extern "C" __global__ void cvt_tf32(const float *a, unsigned *out, int n)
{
    int i = gid();
    if (i >= n) return;
    unsigned r;
    asm("cvt.rna.tf32.f32 %0, %1;" : "=r"(r) : "f"(a[i]));
    out[i] = r;
}
