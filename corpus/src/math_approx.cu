// Transcuda kernel corpus: approximate and full-precision math.
// Hardware approximations (sin/cos/ex2/lg2/rcp/rsqrt/sqrt/tanh .approx, div.full,
// div.approx) next to the IEEE forms (div.rn, sqrt.rn, rcp.rn) and libdevice
// functions. Approximate results must be compared with a tolerance (the PTX ISA
// gives the maximum error of each approximation); IEEE forms are exact.
// One thread per element i in [0, n); outputs are out[k * n + i].

__device__ __forceinline__ int gid() { return blockIdx.x * blockDim.x + threadIdx.x; }

// Fast intrinsics: out: [0] __sinf(a) (sin.approx), [1] __cosf(a) (cos.approx), [2] __expf(a)
// (ex2.approx of a*log2(e)), [3] __exp10f(a), [4] __log2f(a) (lg2.approx), [5] __logf(a),
// [6] __log10f(a), [7] __fdividef(a, b) (div.approx), [8] __powf(a, b) (= 2^(b*log2 a)),
// [9] __tanf(a).
extern "C" __global__ void approx_intrinsics_f32(const float *a, const float *b, float *out, int n)
{
    int i = gid();
    if (i >= n) return;
    float x = a[i], y = b[i];
    out[i] = __sinf(x);
    out[n + i] = __cosf(x);
    out[2 * n + i] = __expf(x);
    out[3 * n + i] = __exp10f(x);
    out[4 * n + i] = __log2f(x);
    out[5 * n + i] = __logf(x);
    out[6 * n + i] = __log10f(x);
    out[7 * n + i] = __fdividef(x, y);
    out[8 * n + i] = __powf(x, y);
    out[9 * n + i] = __tanf(x);
}

// Raw PTX approximations: out: [0] rcp.approx.f32, [1] rcp.approx.ftz.f32, [2] rsqrt.approx.f32,
// [3] sqrt.approx.f32, [4] ex2.approx.ftz.f32, [5] lg2.approx.f32, [6] tanh.approx.f32 (sm_75+),
// [7] div.approx.f32 a/b, [8] sin.approx.ftz.f32, [9] rsqrtf(a) (library, rsqrt.approx),
// [10] ex2.approx.f32 (non-ftz), [11] div.full.f32 a/b (2 ulp).
extern "C" __global__ void approx_ptx_f32(const float *a, const float *b, float *out, int n)
{
    int i = gid();
    if (i >= n) return;
    float x = a[i], y = b[i], r[12];
    asm("rcp.approx.f32 %0, %1;" : "=f"(r[0]) : "f"(x));
    asm("rcp.approx.ftz.f32 %0, %1;" : "=f"(r[1]) : "f"(x));
    asm("rsqrt.approx.f32 %0, %1;" : "=f"(r[2]) : "f"(x));
    asm("sqrt.approx.f32 %0, %1;" : "=f"(r[3]) : "f"(x));
    asm("ex2.approx.ftz.f32 %0, %1;" : "=f"(r[4]) : "f"(x));
    asm("lg2.approx.f32 %0, %1;" : "=f"(r[5]) : "f"(x));
    asm("tanh.approx.f32 %0, %1;" : "=f"(r[6]) : "f"(x));
    asm("div.approx.f32 %0, %1, %2;" : "=f"(r[7]) : "f"(x), "f"(y));
    asm("sin.approx.ftz.f32 %0, %1;" : "=f"(r[8]) : "f"(x));
    r[9] = rsqrtf(x);
    asm("ex2.approx.f32 %0, %1;" : "=f"(r[10]) : "f"(x));
    asm("div.full.f32 %0, %1, %2;" : "=f"(r[11]) : "f"(x), "f"(y));
#pragma unroll
    for (int k = 0; k < 12; ++k) out[k * n + i] = r[k];
}

// Double-precision approximations: out: [0] rcp.approx.ftz.f64 (about 20 correct bits),
// [1] rsqrt.approx.f64, [2] rsqrt(a) (library, refined to double accuracy),
// [3] __drcp_rn(a) (IEEE), [4] sqrt(a) (IEEE).
extern "C" __global__ void approx_f64(const double *a, double *out, int n)
{
    int i = gid();
    if (i >= n) return;
    double x = a[i], r0, r1;
    asm("rcp.approx.ftz.f64 %0, %1;" : "=d"(r0) : "d"(x));
    asm("rsqrt.approx.f64 %0, %1;" : "=d"(r1) : "d"(x));
    out[i] = r0;
    out[n + i] = r1;
    out[2 * n + i] = rsqrt(x);
    out[3 * n + i] = __drcp_rn(x);
    out[4 * n + i] = sqrt(x);
}

// Full-precision forms (exact, IEEE round to nearest): out: [0] a/b (div.rn.f32), [1] sqrtf(a)
// (sqrt.rn.f32), [2] 1.0f/a (rcp.rn.f32), [3] __fdiv_rn(a, b), [4] a/b with b a constant 3.0f,
// [5] hypot-free norm sqrtf(a*a + b*b) with a single fma.
extern "C" __global__ void precise_f32(const float *a, const float *b, float *out, int n)
{
    int i = gid();
    if (i >= n) return;
    float x = a[i], y = b[i];
    out[i] = x / y;
    out[n + i] = sqrtf(x);
    out[2 * n + i] = 1.0f / x;
    out[3 * n + i] = __fdiv_rn(x, y);
    out[4 * n + i] = x / 3.0f;
    out[5 * n + i] = sqrtf(fmaf(x, x, y * y));
}

// libdevice single-precision functions (max error a few ulp, see the CUDA math API):
// out: [0] sinf, [1] cosf, [2] expf, [3] logf, [4] powf(a, b), [5] tanhf, [6] atan2f(a, b),
// [7] erff, [8] cbrtf, [9] exp2f, [10] log1pf.
extern "C" __global__ void libm_f32(const float *a, const float *b, float *out, int n)
{
    int i = gid();
    if (i >= n) return;
    float x = a[i], y = b[i];
    out[i] = sinf(x);
    out[n + i] = cosf(x);
    out[2 * n + i] = expf(x);
    out[3 * n + i] = logf(x);
    out[4 * n + i] = powf(x, y);
    out[5 * n + i] = tanhf(x);
    out[6 * n + i] = atan2f(x, y);
    out[7 * n + i] = erff(x);
    out[8 * n + i] = cbrtf(x);
    out[9 * n + i] = exp2f(x);
    out[10 * n + i] = log1pf(x);
}

// libdevice double-precision functions: out: [0] sin, [1] exp, [2] log, [3] pow(a, b), [4] atan.
extern "C" __global__ void libm_f64(const double *a, const double *b, double *out, int n)
{
    int i = gid();
    if (i >= n) return;
    double x = a[i], y = b[i];
    out[i] = sin(x);
    out[n + i] = exp(x);
    out[2 * n + i] = log(x);
    out[3 * n + i] = pow(x, y);
    out[4 * n + i] = atan(x);
}
