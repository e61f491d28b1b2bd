// Transcuda kernel corpus: bit manipulation.
// and/or/xor/not, shifts (logical, arithmetic, 64-bit), rotates and funnel
// shifts (shf), bit-field extract/insert (bfe/bfi), byte permute (prmt),
// population count, leading zeros, bit reverse, find-first-set/bfind, lop3.
// One thread per element i in [0, n); outputs are out[k * n + i].

__device__ __forceinline__ int gid() { return blockIdx.x * blockDim.x + threadIdx.x; }

// out: [0] a&b, [1] a|b, [2] a^b, [3] ~a, [4] a << (b&31), [5] a >> (b&31) logical,
// [6] (int)a >> (b&31) arithmetic, [7] (a & ~b) | (c & b) (bit select),
// [8] a ^ (b | ~c) (three-input logic).
extern "C" __global__ void bits_logic_shift(const unsigned *a, const unsigned *b, const unsigned *c,
                                            unsigned *out, int n)
{
    int i = gid();
    if (i >= n) return;
    unsigned x = a[i], y = b[i], z = c[i];
    unsigned s = y & 31;
    out[i] = x & y;
    out[n + i] = x | y;
    out[2 * n + i] = x ^ y;
    out[3 * n + i] = ~x;
    out[4 * n + i] = x << s;
    out[5 * n + i] = x >> s;
    out[6 * n + i] = (unsigned)((int)x >> s);
    out[7 * n + i] = (x & ~y) | (z & y);
    out[8 * n + i] = x ^ (y | ~z);
}

// 64-bit: out: [0] a&b, [1] a|b, [2] a^b, [3] a << (s&63), [4] a >> (s&63) logical,
// [5] (int64)a >> (s&63) arithmetic, [6] popcount(a), [7] clz(a), [8] bit-reverse(a),
// [9] ffs(a) (1-based index of lowest set bit, 0 if none).
extern "C" __global__ void bits_64(const unsigned long long *a, const unsigned long long *b, const unsigned *s,
                                   unsigned long long *out, int n)
{
    int i = gid();
    if (i >= n) return;
    unsigned long long x = a[i], y = b[i];
    unsigned k = s[i] & 63;
    out[i] = x & y;
    out[n + i] = x | y;
    out[2 * n + i] = x ^ y;
    out[3 * n + i] = x << k;
    out[4 * n + i] = x >> k;
    out[5 * n + i] = (unsigned long long)((long long)x >> k);
    out[6 * n + i] = (unsigned long long)__popcll(x);
    out[7 * n + i] = (unsigned long long)__clzll((long long)x);
    out[8 * n + i] = __brevll(x);
    out[9 * n + i] = (unsigned long long)__ffsll((long long)x);
}

// Funnel shifts of the 64-bit value hi:lo = b:a by c. out: [0] __funnelshift_l (shift & 31),
// [1] __funnelshift_lc (shift clamped to 32), [2] __funnelshift_r, [3] __funnelshift_rc,
// [4] rotate-left a by (c&31), [5] rotate-right a by (c&31).
extern "C" __global__ void bits_funnel_rotate(const unsigned *a, const unsigned *b, const unsigned *c,
                                              unsigned *out, int n)
{
    int i = gid();
    if (i >= n) return;
    unsigned lo = a[i], hi = b[i], s = c[i];
    out[i] = __funnelshift_l(lo, hi, s);
    out[n + i] = __funnelshift_lc(lo, hi, s);
    out[2 * n + i] = __funnelshift_r(lo, hi, s);
    out[3 * n + i] = __funnelshift_rc(lo, hi, s);
    unsigned r = s & 31;
    out[4 * n + i] = (lo << r) | (lo >> ((32 - r) & 31));
    out[5 * n + i] = (lo >> r) | (lo << ((32 - r) & 31));
}

// Bit fields with pos = p[i] & 0xff and len = l[i] & 0xff (PTX bfe/bfi semantics, pos/len
// clamped to 32). out: [0] bfe.u32 a (zero-extended field), [1] bfe.s32 a (sign-extended),
// [2] bfi.b32 inserting the low len bits of b into a at pos, [3] bfe.u64 of (b:a) as u64 (low 32 bits),
// [4] constant-position field (a >> 7) & 0x3ff.
extern "C" __global__ void bits_field(const unsigned *a, const unsigned *b, const unsigned *p, const unsigned *l,
                                      unsigned *out, int n)
{
    int i = gid();
    if (i >= n) return;
    unsigned x = a[i], y = b[i], pos = p[i] & 0xff, len = l[i] & 0xff, r0, r2;
    int r1;
    asm("bfe.u32 %0, %1, %2, %3;" : "=r"(r0) : "r"(x), "r"(pos), "r"(len));
    asm("bfe.s32 %0, %1, %2, %3;" : "=r"(r1) : "r"(x), "r"(pos), "r"(len));
    asm("bfi.b32 %0, %1, %2, %3, %4;" : "=r"(r2) : "r"(y), "r"(x), "r"(pos), "r"(len));
    unsigned long long w = ((unsigned long long)y << 32) | x, r3;
    asm("bfe.u64 %0, %1, %2, %3;" : "=l"(r3) : "l"(w), "r"(pos), "r"(len));
    out[i] = r0;
    out[n + i] = (unsigned)r1;
    out[2 * n + i] = r2;
    out[3 * n + i] = (unsigned)r3;
    out[4 * n + i] = (x >> 7) & 0x3ff;
}

// Byte permutes (prmt.b32). out: [0] __byte_perm(a, b, s) with selector s[i],
// [1] byte swap of a (selector 0x0123), [2] prmt.b32.f4e (funnel-4 mode) of a,b by s,
// [3] prmt.b32.ecr (edge clamp right), [4] prmt.b32.rc16 (replicate 16-bit).
extern "C" __global__ void bits_permute(const unsigned *a, const unsigned *b, const unsigned *s,
                                        unsigned *out, int n)
{
    int i = gid();
    if (i >= n) return;
    unsigned x = a[i], y = b[i], sel = s[i], r2, r3, r4;
    out[i] = __byte_perm(x, y, sel);
    out[n + i] = __byte_perm(x, 0, 0x0123);
    asm("prmt.b32.f4e %0, %1, %2, %3;" : "=r"(r2) : "r"(x), "r"(y), "r"(sel));
    asm("prmt.b32.ecr %0, %1, %2, %3;" : "=r"(r3) : "r"(x), "r"(y), "r"(sel));
    asm("prmt.b32.rc16 %0, %1, %2, %3;" : "=r"(r4) : "r"(x), "r"(y), "r"(sel));
    out[2 * n + i] = r2;
    out[3 * n + i] = r3;
    out[4 * n + i] = r4;
}

// Bit counting on 32-bit values. out: [0] popcount(a), [1] clz(a), [2] bit-reverse(a),
// [3] ffs(a) (1-based, 0 if a==0), [4] bfind.u32 a (index of most significant 1, 0xffffffff if none),
// [5] bfind.s32 a (most significant bit differing from the sign bit, 0xffffffff if none),
// [6] bfind.shiftamt.u32 a (31 - index, 0xffffffff if none), [7] 31 - clz(a|1) (floor log2).
extern "C" __global__ void bits_count(const unsigned *a, unsigned *out, int n)
{
    int i = gid();
    if (i >= n) return;
    unsigned x = a[i], r4, r5, r6;
    out[i] = __popc(x);
    out[n + i] = __clz((int)x);
    out[2 * n + i] = __brev(x);
    out[3 * n + i] = __ffs((int)x);
    asm("bfind.u32 %0, %1;" : "=r"(r4) : "r"(x));
    asm("bfind.s32 %0, %1;" : "=r"(r5) : "r"((int)x));
    asm("bfind.shiftamt.u32 %0, %1;" : "=r"(r6) : "r"(x));
    out[4 * n + i] = r4;
    out[5 * n + i] = r5;
    out[6 * n + i] = r6;
    out[7 * n + i] = 31 - __clz((int)(x | 1));
}

// Explicit three-input logic: out[i] = lop3.b32(a, b, c, imm) for imm = 0x96 (a^b^c),
// out[n+i] for imm = 0xe8 (majority), out[2n+i] for imm = 0xca (a ? b : c bitwise).
extern "C" __global__ void bits_lop3(const unsigned *a, const unsigned *b, const unsigned *c, unsigned *out, int n)
{
    int i = gid();
    if (i >= n) return;
    unsigned x = a[i], y = b[i], z = c[i], r0, r1, r2;
    asm("lop3.b32 %0, %1, %2, %3, 0x96;" : "=r"(r0) : "r"(x), "r"(y), "r"(z));
    asm("lop3.b32 %0, %1, %2, %3, 0xe8;" : "=r"(r1) : "r"(x), "r"(y), "r"(z));
    asm("lop3.b32 %0, %1, %2, %3, 0xca;" : "=r"(r2) : "r"(x), "r"(y), "r"(z));
    out[i] = r0;
    out[n + i] = r1;
    out[2 * n + i] = r2;
}
