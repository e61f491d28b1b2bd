// Transcuda kernel corpus: comparisons and selects.
// setp with every integer comparison (signed, unsigned, 64-bit) and every float
// comparison incl. the unordered ones (equ neu ltu leu gtu geu num nan), the
// value-producing set instruction, and selp.
// One thread per element i in [0, n). Comparison results are bit masks: bit k
// is set when comparison k holds.

__device__ __forceinline__ int gid() { return blockIdx.x * blockDim.x + threadIdx.x; }

// Signed/unsigned 32-bit: bit 0 a==b, 1 a!=b, 2 a<b, 3 a<=b, 4 a>b, 5 a>=b (signed),
// 6 a<b, 7 a<=b, 8 a>b, 9 a>=b (unsigned, i.e. lo ls hi hs).
extern "C" __global__ void cmp_int32(const int *a, const int *b, unsigned *out, int n)
{
    int i = gid();
    if (i >= n) return;
    int x = a[i], y = b[i];
    unsigned ux = (unsigned)x, uy = (unsigned)y;
    unsigned m = 0;
    m |= (unsigned)(x == y) << 0;
    m |= (unsigned)(x != y) << 1;
    m |= (unsigned)(x < y) << 2;
    m |= (unsigned)(x <= y) << 3;
    m |= (unsigned)(x > y) << 4;
    m |= (unsigned)(x >= y) << 5;
    m |= (unsigned)(ux < uy) << 6;
    m |= (unsigned)(ux <= uy) << 7;
    m |= (unsigned)(ux > uy) << 8;
    m |= (unsigned)(ux >= uy) << 9;
    out[i] = m;
}

// Same bit layout as cmp_int32 for 64-bit operands.
extern "C" __global__ void cmp_int64(const long long *a, const long long *b, unsigned *out, int n)
{
    int i = gid();
    if (i >= n) return;
    long long x = a[i], y = b[i];
    unsigned long long ux = (unsigned long long)x, uy = (unsigned long long)y;
    unsigned m = 0;
    m |= (unsigned)(x == y) << 0;
    m |= (unsigned)(x != y) << 1;
    m |= (unsigned)(x < y) << 2;
    m |= (unsigned)(x <= y) << 3;
    m |= (unsigned)(x > y) << 4;
    m |= (unsigned)(x >= y) << 5;
    m |= (unsigned)(ux < uy) << 6;
    m |= (unsigned)(ux <= uy) << 7;
    m |= (unsigned)(ux > uy) << 8;
    m |= (unsigned)(ux >= uy) << 9;
    out[i] = m;
}

// Float comparisons written as C++: bit 0 a==b, 1 a!=b (true for NaN), 2 a<b, 3 a<=b,
// 4 a>b, 5 a>=b, 6 !(a>=b) (ltu), 7 !(a>b) (leu), 8 !(a<=b) (gtu), 9 !(a<b) (geu),
// 10 a<b||a>b (ordered ne), 11 a!=a||b!=b (either NaN), 12 a==a&&b==b (neither NaN),
// 13 a==b||a!=a||b!=b (equal or unordered).
extern "C" __global__ void cmp_f32(const float *a, const float *b, unsigned *out, int n)
{
    int i = gid();
    if (i >= n) return;
    float x = a[i], y = b[i];
    unsigned m = 0;
    m |= (unsigned)(x == y) << 0;
    m |= (unsigned)(x != y) << 1;
    m |= (unsigned)(x < y) << 2;
    m |= (unsigned)(x <= y) << 3;
    m |= (unsigned)(x > y) << 4;
    m |= (unsigned)(x >= y) << 5;
    m |= (unsigned)!(x >= y) << 6;
    m |= (unsigned)!(x > y) << 7;
    m |= (unsigned)!(x <= y) << 8;
    m |= (unsigned)!(x < y) << 9;
    m |= (unsigned)(x < y || x > y) << 10;
    m |= (unsigned)(x != x || y != y) << 11;
    m |= (unsigned)(x == x && y == y) << 12;
    m |= (unsigned)(x == y || x != x || y != y) << 13;
    out[i] = m;
}

// Same bit layout as cmp_f32 for doubles.
extern "C" __global__ void cmp_f64(const double *a, const double *b, unsigned *out, int n)
{
    int i = gid();
    if (i >= n) return;
    double x = a[i], y = b[i];
    unsigned m = 0;
    m |= (unsigned)(x == y) << 0;
    m |= (unsigned)(x != y) << 1;
    m |= (unsigned)(x < y) << 2;
    m |= (unsigned)(x <= y) << 3;
    m |= (unsigned)(x > y) << 4;
    m |= (unsigned)(x >= y) << 5;
    m |= (unsigned)!(x >= y) << 6;
    m |= (unsigned)!(x > y) << 7;
    m |= (unsigned)!(x <= y) << 8;
    m |= (unsigned)!(x < y) << 9;
    m |= (unsigned)(x < y || x > y) << 10;
    m |= (unsigned)(x != x || y != y) << 11;
    m |= (unsigned)(x == x && y == y) << 12;
    m |= (unsigned)(x == y || x != x || y != y) << 13;
    out[i] = m;
}

#define SETP_BIT(cmp, ty, cons, k)                                                   \
    do {                                                                             \
        unsigned r_;                                                                 \
        asm("{ .reg .pred p; setp." #cmp "." #ty " p, %1, %2; selp.u32 %0, 1, 0, p; }" \
            : "=r"(r_) : cons(x), cons(y));                                          \
        m |= r_ << (k);                                                              \
    } while (0)

// Every PTX float comparison via setp.<cmp>.f32: bit 0 eq, 1 ne, 2 lt, 3 le, 4 gt, 5 ge,
// 6 equ, 7 neu, 8 ltu, 9 leu, 10 gtu, 11 geu, 12 num (neither NaN), 13 nan (either NaN).
// Ordered comparisons are false when either operand is NaN, unordered ones true.
extern "C" __global__ void cmp_setp_all_f32(const float *a, const float *b, unsigned *out, int n)
{
    int i = gid();
    if (i >= n) return;
    float x = a[i], y = b[i];
    unsigned m = 0;
    SETP_BIT(eq, f32, "f", 0);
    SETP_BIT(ne, f32, "f", 1);
    SETP_BIT(lt, f32, "f", 2);
    SETP_BIT(le, f32, "f", 3);
    SETP_BIT(gt, f32, "f", 4);
    SETP_BIT(ge, f32, "f", 5);
    SETP_BIT(equ, f32, "f", 6);
    SETP_BIT(neu, f32, "f", 7);
    SETP_BIT(ltu, f32, "f", 8);
    SETP_BIT(leu, f32, "f", 9);
    SETP_BIT(gtu, f32, "f", 10);
    SETP_BIT(geu, f32, "f", 11);
    SETP_BIT(num, f32, "f", 12);
    SETP_BIT(nan, f32, "f", 13);
    out[i] = m;
}

// Same bit layout as cmp_setp_all_f32 with setp.<cmp>.f64.
extern "C" __global__ void cmp_setp_all_f64(const double *a, const double *b, unsigned *out, int n)
{
    int i = gid();
    if (i >= n) return;
    double x = a[i], y = b[i];
    unsigned m = 0;
    SETP_BIT(eq, f64, "d", 0);
    SETP_BIT(ne, f64, "d", 1);
    SETP_BIT(lt, f64, "d", 2);
    SETP_BIT(le, f64, "d", 3);
    SETP_BIT(gt, f64, "d", 4);
    SETP_BIT(ge, f64, "d", 5);
    SETP_BIT(equ, f64, "d", 6);
    SETP_BIT(neu, f64, "d", 7);
    SETP_BIT(ltu, f64, "d", 8);
    SETP_BIT(leu, f64, "d", 9);
    SETP_BIT(gtu, f64, "d", 10);
    SETP_BIT(geu, f64, "d", 11);
    SETP_BIT(num, f64, "d", 12);
    SETP_BIT(nan, f64, "d", 13);
    out[i] = m;
}

// Every integer setp through inline PTX on the same bit layout as cmp_int32 but with the
// unsigned comparisons spelled lo/ls/hi/hs: bit 0 eq, 1 ne, 2 lt, 3 le, 4 gt, 5 ge (s32),
// 6 lo, 7 ls, 8 hi, 9 hs (u32).
extern "C" __global__ void cmp_setp_all_int(const int *a, const int *b, unsigned *out, int n)
{
    int i = gid();
    if (i >= n) return;
    int x = a[i], y = b[i];
    unsigned m = 0;
    SETP_BIT(eq, s32, "r", 0);
    SETP_BIT(ne, s32, "r", 1);
    SETP_BIT(lt, s32, "r", 2);
    SETP_BIT(le, s32, "r", 3);
    SETP_BIT(gt, s32, "r", 4);
    SETP_BIT(ge, s32, "r", 5);
    SETP_BIT(lo, u32, "r", 6);
    SETP_BIT(ls, u32, "r", 7);
    SETP_BIT(hi, u32, "r", 8);
    SETP_BIT(hs, u32, "r", 9);
    out[i] = m;
}

// The set instruction (writes a value, not a predicate). out[k*n+i] for k = comparison index
// 0 eq .. 13 nan as in cmp_setp_all_f32; set.<cmp>.u32.f32 yields 0xffffffff / 0.
// f[i] = set.lt.f32.f32 (1.0f / 0.0f) and f[n+i] = set.gtu.f32.f32.
extern "C" __global__ void cmp_set_f32(const float *a, const float *b, unsigned *out, float *f, int n)
{
    int i = gid();
    if (i >= n) return;
    float x = a[i], y = b[i];
    unsigned r[14];
    asm("set.eq.u32.f32 %0, %1, %2;" : "=r"(r[0]) : "f"(x), "f"(y));
    asm("set.ne.u32.f32 %0, %1, %2;" : "=r"(r[1]) : "f"(x), "f"(y));
    asm("set.lt.u32.f32 %0, %1, %2;" : "=r"(r[2]) : "f"(x), "f"(y));
    asm("set.le.u32.f32 %0, %1, %2;" : "=r"(r[3]) : "f"(x), "f"(y));
    asm("set.gt.u32.f32 %0, %1, %2;" : "=r"(r[4]) : "f"(x), "f"(y));
    asm("set.ge.u32.f32 %0, %1, %2;" : "=r"(r[5]) : "f"(x), "f"(y));
    asm("set.equ.u32.f32 %0, %1, %2;" : "=r"(r[6]) : "f"(x), "f"(y));
    asm("set.neu.u32.f32 %0, %1, %2;" : "=r"(r[7]) : "f"(x), "f"(y));
    asm("set.ltu.u32.f32 %0, %1, %2;" : "=r"(r[8]) : "f"(x), "f"(y));
    asm("set.leu.u32.f32 %0, %1, %2;" : "=r"(r[9]) : "f"(x), "f"(y));
    asm("set.gtu.u32.f32 %0, %1, %2;" : "=r"(r[10]) : "f"(x), "f"(y));
    asm("set.geu.u32.f32 %0, %1, %2;" : "=r"(r[11]) : "f"(x), "f"(y));
    asm("set.num.u32.f32 %0, %1, %2;" : "=r"(r[12]) : "f"(x), "f"(y));
    asm("set.nan.u32.f32 %0, %1, %2;" : "=r"(r[13]) : "f"(x), "f"(y));
#pragma unroll
    for (int k = 0; k < 14; ++k) out[k * n + i] = r[k];
    float f0, f1;
    asm("set.lt.f32.f32 %0, %1, %2;" : "=f"(f0) : "f"(x), "f"(y));
    asm("set.gtu.f32.f32 %0, %1, %2;" : "=f"(f1) : "f"(x), "f"(y));
    f[i] = f0;
    f[n + i] = f1;
}

// Selects. si[i] = a<b ? c : d (int), sf[i] = fa<fb ? fa : fb (float),
// sd[i] = da>=db ? da-db : db-da (double), sl[i] = (c&1) ? (int64)a : (int64)b.
extern "C" __global__ void cmp_select(const int *a, const int *b, const int *c, const int *d,
                                      const float *fa, const float *fb, const double *da, const double *db,
                                      int *si, float *sf, double *sd, long long *sl, int n)
{
    int i = gid();
    if (i >= n) return;
    int x = a[i], y = b[i], z = c[i];
    si[i] = x < y ? z : d[i];
    float p = fa[i], q = fb[i];
    sf[i] = p < q ? p : q;
    double u = da[i], v = db[i];
    sd[i] = u >= v ? u - v : v - u;
    sl[i] = (z & 1) ? (long long)x : (long long)y;
}
