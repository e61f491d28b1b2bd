// Transcuda kernel corpus: double-precision arithmetic.
// add/sub/mul/div/fma, min/max/abs/neg, every rounding mode of
// add/sub/mul/fma/div/sqrt/rcp, and fmod/remainder.
// One thread per element i in [0, n); multi-result outputs are out[k * n + i].

__device__ __forceinline__ int gid() { return blockIdx.x * blockDim.x + threadIdx.x; }

// out: [0] a+b, [1] a-b, [2] a*b, [3] a/b (IEEE, nearest), [4] fma(a,b,c),
// [5] a*b+c (contracted to fma), [6] sqrt(a) (IEEE, nearest).
extern "C" __global__ void f64_arith(const double *a, const double *b, const double *c, double *out, int n)
{
    int i = gid();
    if (i >= n) return;
    double x = a[i], y = b[i], z = c[i];
    out[i] = x + y;
    out[n + i] = x - y;
    out[2 * n + i] = x * y;
    out[3 * n + i] = x / y;
    out[4 * n + i] = fma(x, y, z);
    out[5 * n + i] = x * y + z;
    out[6 * n + i] = sqrt(x);
}

// out: [0] fmin(a,b), [1] fmax(a,b) (NaN-ignoring), [2] fabs(a), [3] -a, [4] copysign(a,b).
extern "C" __global__ void f64_minmax_abs_neg(const double *a, const double *b, double *out, int n)
{
    int i = gid();
    if (i >= n) return;
    double x = a[i], y = b[i];
    out[i] = fmin(x, y);
    out[n + i] = fmax(x, y);
    out[2 * n + i] = fabs(x);
    out[3 * n + i] = -x;
    out[4 * n + i] = copysign(x, y);
}

// add/sub/mul in every rounding mode; k = 4*op + mode, op: 0 add, 1 sub, 2 mul;
// mode: 0 rn, 1 rz, 2 rd, 3 ru.
extern "C" __global__ void f64_add_mul_rounding(const double *a, const double *b, double *out, int n)
{
    int i = gid();
    if (i >= n) return;
    double x = a[i], y = b[i];
    out[0 * n + i] = __dadd_rn(x, y);
    out[1 * n + i] = __dadd_rz(x, y);
    out[2 * n + i] = __dadd_rd(x, y);
    out[3 * n + i] = __dadd_ru(x, y);
    out[4 * n + i] = __dsub_rn(x, y);
    out[5 * n + i] = __dsub_rz(x, y);
    out[6 * n + i] = __dsub_rd(x, y);
    out[7 * n + i] = __dsub_ru(x, y);
    out[8 * n + i] = __dmul_rn(x, y);
    out[9 * n + i] = __dmul_rz(x, y);
    out[10 * n + i] = __dmul_rd(x, y);
    out[11 * n + i] = __dmul_ru(x, y);
}

// fma, div, sqrt and rcp in every rounding mode; k = 4*op + mode,
// op: 0 fma(a,b,c), 1 a/b, 2 sqrt(a), 3 1/a; mode: 0 rn, 1 rz, 2 rd, 3 ru.
extern "C" __global__ void f64_fma_div_sqrt_rounding(const double *a, const double *b, const double *c,
                                                     double *out, int n)
{
    int i = gid();
    if (i >= n) return;
    double x = a[i], y = b[i], z = c[i];
    out[0 * n + i] = __fma_rn(x, y, z);
    out[1 * n + i] = __fma_rz(x, y, z);
    out[2 * n + i] = __fma_rd(x, y, z);
    out[3 * n + i] = __fma_ru(x, y, z);
    out[4 * n + i] = __ddiv_rn(x, y);
    out[5 * n + i] = __ddiv_rz(x, y);
    out[6 * n + i] = __ddiv_rd(x, y);
    out[7 * n + i] = __ddiv_ru(x, y);
    out[8 * n + i] = __dsqrt_rn(x);
    out[9 * n + i] = __dsqrt_rz(x);
    out[10 * n + i] = __dsqrt_rd(x);
    out[11 * n + i] = __dsqrt_ru(x);
    out[12 * n + i] = __drcp_rn(x);
    out[13 * n + i] = __drcp_rz(x);
    out[14 * n + i] = __drcp_rd(x);
    out[15 * n + i] = __drcp_ru(x);
}

// out: [0] fmod(a,b), [1] remainder(a,b) (both exact).
extern "C" __global__ void f64_rem(const double *a, const double *b, double *out, int n)
{
    int i = gid();
    if (i >= n) return;
    double x = a[i], y = b[i];
    out[i] = fmod(x, y);
    out[n + i] = remainder(x, y);
}
