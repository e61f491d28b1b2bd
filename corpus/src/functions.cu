// Transcuda kernel corpus: device functions.
// __noinline__ functions with scalar, 64-bit, floating-point, pointer and struct
// parameters and return values (.func, .param, call.uni), recursion, indirect calls
// through function pointers (call with a prototype), and nested calls.
// One thread per element i in [0, n).

__device__ __forceinline__ int gid() { return blockIdx.x * blockDim.x + threadIdx.x; }

__device__ __noinline__ int mix3(int a, int b, int c)
{
    return (int)((unsigned)a * 3u + (unsigned)b * 5u - (unsigned)c);
}

__device__ __noinline__ float poly2(float x, float c0, float c1, float c2)
{
    return fmaf(fmaf(c2, x, c1), x, c0);
}

__device__ __noinline__ double dscale(double x, long long k)
{
    return x * (double)k;
}

__device__ __noinline__ void sum_diff(int x, int *sum, int *diff)
{
    *sum = (int)((unsigned)x + 7u);
    *diff = (int)((unsigned)x - 7u);
}

// out[0n+i] = mix3(a, b, c) = 3a + 5b - c (mod 2^32), out[1n+i] = mix3(mix3(a,b,c), a, b),
// out[2n+i] = a + 7, out[3n+i] = a - 7 (via a void function writing through pointers);
// f[i] = poly2(x, 1, -2, 0.5) = fma(fma(0.5, x, -2), x, 1) for x = fa[i];
// d[i] = da[i] * (double)(int64)a[i].
extern "C" __global__ void func_scalar_calls(const int *a, const int *b, const int *c, const float *fa,
                                             const double *da, int *out, float *f, double *d, int n)
{
    int i = gid();
    if (i >= n) return;
    int x = a[i], y = b[i], z = c[i];
    int m = mix3(x, y, z);
    out[i] = m;
    out[n + i] = mix3(m, x, y);
    int s, t;
    sum_diff(x, &s, &t);
    out[2 * n + i] = s;
    out[3 * n + i] = t;
    f[i] = poly2(fa[i], 1.0f, -2.0f, 0.5f);
    d[i] = dscale(da[i], (long long)x);
}

struct Vec3 {
    float x, y, z;
};

struct Pair64 {
    long long lo;
    double hi;
};

__device__ __noinline__ Vec3 cross(Vec3 a, Vec3 b)
{
    Vec3 r;
    r.x = __fsub_rn(__fmul_rn(a.y, b.z), __fmul_rn(a.z, b.y));
    r.y = __fsub_rn(__fmul_rn(a.z, b.x), __fmul_rn(a.x, b.z));
    r.z = __fsub_rn(__fmul_rn(a.x, b.y), __fmul_rn(a.y, b.x));
    return r;
}

__device__ __noinline__ Pair64 make_pair64(Pair64 p, int k)
{
    Pair64 r;
    r.lo = (long long)((unsigned long long)p.lo + (unsigned long long)(long long)k);
    r.hi = p.hi * 2.0;
    return r;
}

// Structs by value: (out[3i], out[3i+1], out[3i+2]) = cross(u_i, v_i) with u_i = (u[3i], u[3i+1],
// u[3i+2]), v_i likewise, each component a*b - c*d with separately rounded float products
// (no fma contraction);
// pl[i] = l[i] + i (mod 2^64), pd[i] = d[i] * 2.
extern "C" __global__ void func_struct_byval(const float *u, const float *v, const long long *l, const double *d,
                                             float *out, long long *pl, double *pd, int n)
{
    int i = gid();
    if (i >= n) return;
    Vec3 a = {u[3 * i], u[3 * i + 1], u[3 * i + 2]};
    Vec3 b = {v[3 * i], v[3 * i + 1], v[3 * i + 2]};
    Vec3 r = cross(a, b);
    out[3 * i] = r.x;
    out[3 * i + 1] = r.y;
    out[3 * i + 2] = r.z;
    Pair64 p = {l[i], d[i]};
    Pair64 q = make_pair64(p, i);
    pl[i] = q.lo;
    pd[i] = q.hi;
}

__device__ __noinline__ unsigned gcd_rec(unsigned a, unsigned b)
{
    return b == 0 ? a : gcd_rec(b, a % b);
}

__device__ __noinline__ unsigned long long fib_rec(unsigned k)
{
    return k < 2 ? k : fib_rec(k - 1) + fib_rec(k - 2);
}

// Recursion: g[i] = gcd(a[i], b[i]) (Euclid, gcd(x, 0) = x), f[i] = Fibonacci(a[i] % 16)
// computed by naive double recursion (F(0)=0, F(1)=1).
extern "C" __global__ void func_recursive(const unsigned *a, const unsigned *b, unsigned *g,
                                          unsigned long long *f, int n)
{
    int i = gid();
    if (i >= n) return;
    g[i] = gcd_rec(a[i], b[i]);
    f[i] = fib_rec(a[i] % 16);
}

typedef int (*binop_t)(int, int);

__device__ __noinline__ int op_add(int a, int b) { return (int)((unsigned)a + (unsigned)b); }
__device__ __noinline__ int op_sub(int a, int b) { return (int)((unsigned)a - (unsigned)b); }
__device__ __noinline__ int op_mul(int a, int b) { return (int)((unsigned)a * (unsigned)b); }
__device__ __noinline__ int op_xor(int a, int b) { return a ^ b; }

__device__ binop_t g_binops[4] = {op_add, op_sub, op_mul, op_xor};

// Indirect calls: out[i] = op(a[i], b[i]) where op = {add, sub, mul, xor}[sel[i] & 3] taken
// from a __device__ table of function pointers (all mod 2^32).
extern "C" __global__ void func_pointer_call(const int *a, const int *b, const int *sel, int *out, int n)
{
    int i = gid();
    if (i >= n) return;
    binop_t f = g_binops[sel[i] & 3];
    out[i] = f(a[i], b[i]);
}

__device__ __noinline__ unsigned sum_array(const int *p, int len)
{
    unsigned s = 0;
    for (int k = 0; k < len; ++k) s += (unsigned)p[k];
    return s;
}

__device__ __noinline__ int weighted(const int *p, int len, int w)
{
    return (int)(sum_array(p, len) * (unsigned)w + (unsigned)len);
}

// Nested calls with pointer arguments: out[i] = (sum of a[i*m .. i*m+m-1]) * w[i] + m (mod 2^32),
// where m = len >= 0.
extern "C" __global__ void func_nested_ptr(const int *a, const int *w, int *out, int len, int n)
{
    int i = gid();
    if (i >= n) return;
    out[i] = weighted(a + (long long)i * len, len, w[i]);
}
