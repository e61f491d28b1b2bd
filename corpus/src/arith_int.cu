// Transcuda kernel corpus: integer arithmetic.
// 32/64-bit add/sub/mul/mad, division and remainder, min/max/abs/neg,
// wide and high multiplies, 24-bit multiplies, SAD and carry chains.
// Every kernel: one thread per element i in [0, n); outputs with several
// results per element are laid out as out[k * n + i].
#include <climits>

__device__ __forceinline__ int gid() { return blockIdx.x * blockDim.x + threadIdx.x; }

// out[0n+i] = a+b, out[1n+i] = a-b, out[2n+i] = a*b, out[3n+i] = a*b+c (all mod 2^32).
extern "C" __global__ void int_arith_u32(const unsigned *a, const unsigned *b, const unsigned *c,
                                         unsigned *out, int n)
{
    int i = gid();
    if (i >= n) return;
    unsigned x = a[i], y = b[i], z = c[i];
    out[i] = x + y;
    out[n + i] = x - y;
    out[2 * n + i] = x * y;
    out[3 * n + i] = x * y + z;
}

// q[i] = a/b (C truncating division), r[i] = a%c; both 0 when the divisor is 0
// or the division is INT_MIN / -1.
extern "C" __global__ void int_divrem_s32(const int *a, const int *b, const int *c, int *q, int *r, int n)
{
    int i = gid();
    if (i >= n) return;
    int x = a[i], y = b[i], z = c[i];
    q[i] = (y == 0 || (x == INT_MIN && y == -1)) ? 0 : x / y;
    r[i] = (z == 0 || (x == INT_MIN && z == -1)) ? 0 : x % z;
}

// q[i] = a/b, r[i] = a%c (unsigned); divisor 0 gives 0.
extern "C" __global__ void int_divrem_u32(const unsigned *a, const unsigned *b, const unsigned *c,
                                          unsigned *q, unsigned *r, int n)
{
    int i = gid();
    if (i >= n) return;
    unsigned x = a[i], y = b[i], z = c[i];
    q[i] = y == 0 ? 0u : x / y;
    r[i] = z == 0 ? 0u : x % z;
}

// out[0n+i] = min(a,b) signed, [1n] max signed, [2n] min unsigned, [3n] max unsigned,
// [4n] |a| (abs.s32: |INT_MIN| = INT_MIN), [5n] -a (mod 2^32).
extern "C" __global__ void int_minmax_abs_neg(const int *a, const int *b, int *out, int n)
{
    int i = gid();
    if (i >= n) return;
    int x = a[i], y = b[i];
    out[i] = min(x, y);
    out[n + i] = max(x, y);
    out[2 * n + i] = (int)min((unsigned)x, (unsigned)y);
    out[3 * n + i] = (int)max((unsigned)x, (unsigned)y);
    int ax;
    asm("abs.s32 %0, %1;" : "=r"(ax) : "r"(x));
    out[4 * n + i] = ax;
    int nx;
    asm("neg.s32 %0, %1;" : "=r"(nx) : "r"(x));
    out[5 * n + i] = nx;
}

// ws[i] = (int64)a*b, wu[i] = (uint64)(unsigned)a*(unsigned)b,
// hi[0n+i] = high 32 bits of signed a*b, hi[1n+i] = high 32 bits of unsigned a*b,
// hi[2n+i] = __mul24(a,b), hi[3n+i] = __umul24(a,b), hi[4n+i] = __sad(a,b,c),
// hi[5n+i] = __usad(a,b,c).
extern "C" __global__ void int_mul_wide_hi(const int *a, const int *b, const unsigned *c,
                                           long long *ws, unsigned long long *wu, int *hi, int n)
{
    int i = gid();
    if (i >= n) return;
    int x = a[i], y = b[i];
    unsigned z = c[i];
    ws[i] = (long long)x * (long long)y;
    wu[i] = (unsigned long long)(unsigned)x * (unsigned long long)(unsigned)y;
    hi[i] = __mulhi(x, y);
    hi[n + i] = (int)__umulhi((unsigned)x, (unsigned)y);
    hi[2 * n + i] = __mul24(x, y);
    hi[3 * n + i] = (int)__umul24((unsigned)x, (unsigned)y);
    hi[4 * n + i] = (int)__sad(x, y, z);
    hi[5 * n + i] = (int)__usad((unsigned)x, (unsigned)y, z);
}

// 64-bit: out[0n+i] = a+b, [1n] a-b, [2n] a*b (mod 2^64), [3n] a*b+c,
// [4n] a/b signed (0 if b==0 or INT64_MIN/-1), [5n] a%c signed (0 if c==0 or INT64_MIN/-1),
// [6n] a/b unsigned (0 if b==0), [7n] a%c unsigned (0 if c==0), [8n] min signed, [9n] max signed,
// [10n] high 64 bits of signed a*b, [11n] high 64 bits of unsigned a*b.
extern "C" __global__ void int_arith_64(const long long *a, const long long *b, const long long *c,
                                        long long *out, int n)
{
    int i = gid();
    if (i >= n) return;
    long long x = a[i], y = b[i], z = c[i];
    unsigned long long ux = (unsigned long long)x, uy = (unsigned long long)y;
    out[i] = (long long)(ux + uy);
    out[n + i] = (long long)(ux - uy);
    out[2 * n + i] = (long long)(ux * uy);
    out[3 * n + i] = (long long)(ux * uy + (unsigned long long)z);
    unsigned long long uz = (unsigned long long)z;
    out[4 * n + i] = (y == 0 || (x == LLONG_MIN && y == -1)) ? 0 : x / y;
    out[5 * n + i] = (z == 0 || (x == LLONG_MIN && z == -1)) ? 0 : x % z;
    out[6 * n + i] = uy == 0 ? 0 : (long long)(ux / uy);
    out[7 * n + i] = uz == 0 ? 0 : (long long)(ux % uz);
    out[8 * n + i] = min(x, y);
    out[9 * n + i] = max(x, y);
    out[10 * n + i] = __mul64hi(x, y);
    out[11 * n + i] = (long long)__umul64hi(ux, uy);
}

// 128-bit add and subtract through explicit carry chains (4 x 32-bit limbs,
// little-endian): s = a + b, d = a - b (mod 2^128), limbs at [4i .. 4i+3].
extern "C" __global__ void int_carry_chain_128(const unsigned *a, const unsigned *b,
                                               unsigned *s, unsigned *d, int n)
{
    int i = gid();
    if (i >= n) return;
    const unsigned *x = a + 4 * i, *y = b + 4 * i;
    unsigned s0, s1, s2, s3, d0, d1, d2, d3;
    asm("add.cc.u32 %0, %4, %8;\n\t"
        "addc.cc.u32 %1, %5, %9;\n\t"
        "addc.cc.u32 %2, %6, %10;\n\t"
        "addc.u32 %3, %7, %11;"
        : "=r"(s0), "=r"(s1), "=r"(s2), "=r"(s3)
        : "r"(x[0]), "r"(x[1]), "r"(x[2]), "r"(x[3]), "r"(y[0]), "r"(y[1]), "r"(y[2]), "r"(y[3]));
    asm("sub.cc.u32 %0, %4, %8;\n\t"
        "subc.cc.u32 %1, %5, %9;\n\t"
        "subc.cc.u32 %2, %6, %10;\n\t"
        "subc.u32 %3, %7, %11;"
        : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
        : "r"(x[0]), "r"(x[1]), "r"(x[2]), "r"(x[3]), "r"(y[0]), "r"(y[1]), "r"(y[2]), "r"(y[3]));
    s[4 * i] = s0; s[4 * i + 1] = s1; s[4 * i + 2] = s2; s[4 * i + 3] = s3;
    d[4 * i] = d0; d[4 * i + 1] = d1; d[4 * i + 2] = d2; d[4 * i + 3] = d3;
}

// Full 64x64 -> 128-bit unsigned product built from 32-bit mad.lo.cc/madc.hi chains.
// p[4i .. 4i+3] = little-endian 32-bit limbs of a[i] * b[i].
extern "C" __global__ void int_mul_64x64_128(const unsigned long long *a, const unsigned long long *b,
                                             unsigned *p, int n)
{
    int i = gid();
    if (i >= n) return;
    unsigned a0 = (unsigned)a[i], a1 = (unsigned)(a[i] >> 32);
    unsigned b0 = (unsigned)b[i], b1 = (unsigned)(b[i] >> 32);
    unsigned r0, r1, r2, r3;
    asm("{\n\t"
        ".reg .u32 t1, t2;\n\t"
        "mul.lo.u32 %0, %4, %6;\n\t"
        "mul.hi.u32 %1, %4, %6;\n\t"
        "mul.lo.u32 %2, %5, %7;\n\t"
        "mul.hi.u32 %3, %5, %7;\n\t"
        "mad.lo.cc.u32 %1, %4, %7, %1;\n\t"
        "madc.hi.cc.u32 %2, %4, %7, %2;\n\t"
        "addc.u32 %3, %3, 0;\n\t"
        "mad.lo.cc.u32 %1, %5, %6, %1;\n\t"
        "madc.hi.cc.u32 %2, %5, %6, %2;\n\t"
        "addc.u32 %3, %3, 0;\n\t"
        "}"
        : "=&r"(r0), "=&r"(r1), "=&r"(r2), "=&r"(r3)
        : "r"(a0), "r"(a1), "r"(b0), "r"(b1));
    p[4 * i] = r0; p[4 * i + 1] = r1; p[4 * i + 2] = r2; p[4 * i + 3] = r3;
}

// Native unsigned __int128: s = a + b, m = a * b (mod 2^128); each value is two
// little-endian 64-bit halves at [2i], [2i+1].
extern "C" __global__ void int_u128_native(const unsigned long long *a, const unsigned long long *b,
                                           unsigned long long *s, unsigned long long *m, int n)
{
    int i = gid();
    if (i >= n) return;
    unsigned __int128 x = ((unsigned __int128)a[2 * i + 1] << 64) | a[2 * i];
    unsigned __int128 y = ((unsigned __int128)b[2 * i + 1] << 64) | b[2 * i];
    unsigned __int128 sum = x + y, prod = x * y;
    s[2 * i] = (unsigned long long)sum;
    s[2 * i + 1] = (unsigned long long)(sum >> 64);
    m[2 * i] = (unsigned long long)prod;
    m[2 * i + 1] = (unsigned long long)(prod >> 64);
}
