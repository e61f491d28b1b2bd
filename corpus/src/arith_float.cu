// Transcuda kernel corpus: single-precision arithmetic.
// add/sub/mul/div/fma, min/max/abs/neg/copysign, every IEEE rounding mode of
// add/sub/mul/fma/div/sqrt/rcp, fmod/remainder, and .ftz/.sat modifiers.
// One thread per element i in [0, n); multi-result outputs are out[k * n + i].

__device__ __forceinline__ int gid() { return blockIdx.x * blockDim.x + threadIdx.x; }

// out: [0] a+b, [1] a-b, [2] a*b, [3] a/b (IEEE, round to nearest), [4] fmaf(a,b,c),
// [5] a*b+c contracted to a single fma (nvcc default -fmad=true).
extern "C" __global__ void f32_arith(const float *a, const float *b, const float *c, float *out, int n)
{
    int i = gid();
    if (i >= n) return;
    float x = a[i], y = b[i], z = c[i];
    out[i] = x + y;
    out[n + i] = x - y;
    out[2 * n + i] = x * y;
    out[3 * n + i] = x / y;
    out[4 * n + i] = fmaf(x, y, z);
    out[5 * n + i] = x * y + z;
}

// out: [0] fminf(a,b), [1] fmaxf(a,b) (NaN-ignoring IEEE minNum/maxNum),
// [2] fabsf(a), [3] -a, [4] copysignf(a,b).
extern "C" __global__ void f32_minmax_abs_neg(const float *a, const float *b, float *out, int n)
{
    int i = gid();
    if (i >= n) return;
    float x = a[i], y = b[i];
    out[i] = fminf(x, y);
    out[n + i] = fmaxf(x, y);
    out[2 * n + i] = fabsf(x);
    out[3 * n + i] = -x;
    out[4 * n + i] = copysignf(x, y);
}

// add/sub/mul in every rounding mode; out index k = 4*op + mode,
// op: 0 add, 1 sub, 2 mul; mode: 0 rn (nearest even), 1 rz, 2 rd (-inf), 3 ru (+inf).
extern "C" __global__ void f32_add_mul_rounding(const float *a, const float *b, float *out, int n)
{
    int i = gid();
    if (i >= n) return;
    float x = a[i], y = b[i];
    out[0 * n + i] = __fadd_rn(x, y);
    out[1 * n + i] = __fadd_rz(x, y);
    out[2 * n + i] = __fadd_rd(x, y);
    out[3 * n + i] = __fadd_ru(x, y);
    out[4 * n + i] = __fsub_rn(x, y);
    out[5 * n + i] = __fsub_rz(x, y);
    out[6 * n + i] = __fsub_rd(x, y);
    out[7 * n + i] = __fsub_ru(x, y);
    out[8 * n + i] = __fmul_rn(x, y);
    out[9 * n + i] = __fmul_rz(x, y);
    out[10 * n + i] = __fmul_rd(x, y);
    out[11 * n + i] = __fmul_ru(x, y);
}

// fma and div in every rounding mode; k = 4*op + mode, op: 0 fma(a,b,c), 1 a/b;
// mode: 0 rn, 1 rz, 2 rd, 3 ru.
extern "C" __global__ void f32_fma_div_rounding(const float *a, const float *b, const float *c,
                                                float *out, int n)
{
    int i = gid();
    if (i >= n) return;
    float x = a[i], y = b[i], z = c[i];
    out[0 * n + i] = __fmaf_rn(x, y, z);
    out[1 * n + i] = __fmaf_rz(x, y, z);
    out[2 * n + i] = __fmaf_rd(x, y, z);
    out[3 * n + i] = __fmaf_ru(x, y, z);
    out[4 * n + i] = __fdiv_rn(x, y);
    out[5 * n + i] = __fdiv_rz(x, y);
    out[6 * n + i] = __fdiv_rd(x, y);
    out[7 * n + i] = __fdiv_ru(x, y);
}

// sqrt and reciprocal in every rounding mode; k = 4*op + mode, op: 0 sqrt(a), 1 1/a;
// mode: 0 rn, 1 rz, 2 rd, 3 ru.
extern "C" __global__ void f32_sqrt_rcp_rounding(const float *a, float *out, int n)
{
    int i = gid();
    if (i >= n) return;
    float x = a[i];
    out[0 * n + i] = __fsqrt_rn(x);
    out[1 * n + i] = __fsqrt_rz(x);
    out[2 * n + i] = __fsqrt_rd(x);
    out[3 * n + i] = __fsqrt_ru(x);
    out[4 * n + i] = __frcp_rn(x);
    out[5 * n + i] = __frcp_rz(x);
    out[6 * n + i] = __frcp_rd(x);
    out[7 * n + i] = __frcp_ru(x);
}

// out: [0] fmodf(a,b) (exact, sign of a), [1] remainderf(a,b) (exact IEEE remainder).
extern "C" __global__ void f32_rem(const float *a, const float *b, float *out, int n)
{
    int i = gid();
    if (i >= n) return;
    float x = a[i], y = b[i];
    out[i] = fmodf(x, y);
    out[n + i] = remainderf(x, y);
}

// Modifiers through inline PTX: [0] add.rn.ftz (subnormal inputs/outputs flushed to
// sign-preserving zero), [1] mul.rn.sat (result clamped to [0,1], NaN -> 0),
// [2] fma.rn.ftz.sat, [3] sub.rz.ftz, [4] min.ftz.NaN (NaN if either input is NaN),
// [5] max.NaN.
extern "C" __global__ void f32_ftz_sat(const float *a, const float *b, const float *c, float *out, int n)
{
    int i = gid();
    if (i >= n) return;
    float x = a[i], y = b[i], z = c[i], r0, r1, r2, r3, r4, r5;
    asm("add.rn.ftz.f32 %0, %1, %2;" : "=f"(r0) : "f"(x), "f"(y));
    asm("mul.rn.sat.f32 %0, %1, %2;" : "=f"(r1) : "f"(x), "f"(y));
    asm("fma.rn.ftz.sat.f32 %0, %1, %2, %3;" : "=f"(r2) : "f"(x), "f"(y), "f"(z));
    asm("sub.rz.ftz.f32 %0, %1, %2;" : "=f"(r3) : "f"(x), "f"(y));
    asm("min.ftz.NaN.f32 %0, %1, %2;" : "=f"(r4) : "f"(x), "f"(y));
    asm("max.NaN.f32 %0, %1, %2;" : "=f"(r5) : "f"(x), "f"(y));
    out[i] = r0;
    out[n + i] = r1;
    out[2 * n + i] = r2;
    out[3 * n + i] = r3;
    out[4 * n + i] = r4;
    out[5 * n + i] = r5;
}
