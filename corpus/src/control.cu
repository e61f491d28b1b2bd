// Transcuda kernel corpus: control flow.
// Dense and sparse switch statements (brx.idx when nvcc emits a jump table),
// data-dependent loops with break/continue, nested divergent branches,
// early exits and goto. One thread per element i in [0, n).

__device__ __forceinline__ int gid() { return blockIdx.x * blockDim.x + threadIdx.x; }

// Dense switch on k = a[i] & 15 with a distinct non-trivial body per case:
// 0: x+1, 1: x*3, 2: x^0x55, 3: x<<2, 4: x>>1 (logical), 5: ~x, 6: x-100, 7: x*x, 8: x|0xf0,
// 9: x&0x0f, 10: popc(x), 11: clz(x), 12: x*7+5, 13: x/3, 14: x%10, 15: 0-x (all on unsigned x =
// b[i], mod 2^32). out[i] = result.
extern "C" __global__ void ctrl_switch_dense(const int *a, const unsigned *b, unsigned *out, int n)
{
    int i = gid();
    if (i >= n) return;
    unsigned x = b[i], r;
    switch (a[i] & 15) {
    case 0: r = x + 1; break;
    case 1: r = x * 3; break;
    case 2: r = x ^ 0x55; break;
    case 3: r = x << 2; break;
    case 4: r = x >> 1; break;
    case 5: r = ~x; break;
    case 6: r = x - 100; break;
    case 7: r = x * x; break;
    case 8: r = x | 0xf0; break;
    case 9: r = x & 0x0f; break;
    case 10: r = __popc(x); break;
    case 11: r = __clz((int)x); break;
    case 12: r = x * 7 + 5; break;
    case 13: r = x / 3; break;
    case 14: r = x % 10; break;
    default: r = 0u - x; break;
    }
    out[i] = r;
}

// Dense switch through an explicit PTX jump table (brx.idx): k = a[i] & 3,
// out[i] = {10, 20, 30, 40}[k] + b[i].
extern "C" __global__ void ctrl_brx_idx(const int *a, const unsigned *b, unsigned *out, int n)
{
    int i = gid();
    if (i >= n) return;
    unsigned k = (unsigned)a[i] & 3u, r;
    asm("{\n\t"
        ".reg .u32 t;\n\t"
        "ts: .branchtargets L0, L1, L2, L3;\n\t"
        "brx.idx %1, ts;\n\t"
        "L0: mov.u32 t, 10; bra.uni Lend;\n\t"
        "L1: mov.u32 t, 20; bra.uni Lend;\n\t"
        "L2: mov.u32 t, 30; bra.uni Lend;\n\t"
        "L3: mov.u32 t, 40;\n\t"
        "Lend: add.u32 %0, t, %2;\n\t"
        "}"
        : "=r"(r) : "r"(k), "r"(b[i]));
    out[i] = r;
}

// Sparse switch: out[i] = 1 for a[i] == 1, 2 for 10, 3 for 100, 4 for 1000, 5 for -7,
// 6 for 65536, else 0.
extern "C" __global__ void ctrl_switch_sparse(const int *a, int *out, int n)
{
    int i = gid();
    if (i >= n) return;
    int r;
    switch (a[i]) {
    case 1: r = 1; break;
    case 10: r = 2; break;
    case 100: r = 3; break;
    case 1000: r = 4; break;
    case -7: r = 5; break;
    case 65536: r = 6; break;
    default: r = 0; break;
    }
    out[i] = r;
}

// Data-dependent loop with break: steps[i] = number of Collatz steps from x = a[i] (unsigned, 64-bit
// arithmetic) to reach 1, capped at 1000 (x == 0 gives 1000); peak[i] = largest value seen.
extern "C" __global__ void ctrl_collatz(const unsigned *a, int *steps, unsigned long long *peak, int n)
{
    int i = gid();
    if (i >= n) return;
    unsigned long long x = a[i], mx = x;
    int s = 0;
    while (x != 1) {
        if (s >= 1000) break;
        x = (x & 1) ? 3 * x + 1 : x >> 1;
        mx = x > mx ? x : mx;
        ++s;
    }
    steps[i] = s;
    peak[i] = mx;
}

// Loop with continue and nested branches: for k in 0..m-1 (m = len) over v = a[i*len + k]:
// skip v == 0 (continue); if v < 0 then (if v is even: neg += v, else: odd_neg += 1) else
// (if v > 100: big += 1, else: pos += v). out[4i..4i+3] = {neg, odd_neg, big, pos} (mod 2^32).
extern "C" __global__ void ctrl_nested_branches(const int *a, int *out, int len, int n)
{
    int i = gid();
    if (i >= n) return;
    unsigned neg = 0, odd_neg = 0, big = 0, pos = 0;
    for (int k = 0; k < len; ++k) {
        int v = a[(long long)i * len + k];
        if (v == 0) continue;
        if (v < 0) {
            if ((v & 1) == 0) neg += (unsigned)v;
            else odd_neg += 1;
        } else {
            if (v > 100) big += 1;
            else pos += (unsigned)v;
        }
    }
    out[4 * i] = (int)neg;
    out[4 * i + 1] = (int)odd_neg;
    out[4 * i + 2] = (int)big;
    out[4 * i + 3] = (int)pos;
}

// do-while and goto: out[i] = number of decimal digits of a[i] (unsigned; 0 has 1 digit) plus
// 100 * (digit sum of a[i]) computed with a goto loop.
extern "C" __global__ void ctrl_do_while_goto(const unsigned *a, unsigned *out, int n)
{
    int i = gid();
    if (i >= n) return;
    unsigned x = a[i], digits = 0, y = x, sum = 0;
    do {
        ++digits;
        x /= 10;
    } while (x != 0);
again:
    sum += y % 10;
    y /= 10;
    if (y != 0) goto again;
    out[i] = digits + 100 * sum;
}

// Early exits and uniform branches on a scalar parameter: mode == 0: out[i] = a[i];
// mode == 1: out[i] = a[i] * 2 and threads with a[i] < 0 exit before writing (out unchanged);
// otherwise out[i] = -1. The second output flag[i] = 1 is written only by threads that reach the end.
extern "C" __global__ void ctrl_early_exit(const int *a, int *out, int *flag, int mode, int n)
{
    int i = gid();
    if (i >= n) return;
    int x = a[i];
    if (mode == 0) {
        out[i] = x;
    } else if (mode == 1) {
        if (x < 0) return;
        out[i] = (int)((unsigned)x * 2u);
    } else {
        out[i] = -1;
    }
    flag[i] = 1;
}

// Predicated min/max clamp chain with a loop whose trip count is a kernel parameter:
// x = a[i]; repeat iters times: x = x > hi ? x - (hi - lo) : (x < lo ? x + (hi - lo) : x)
// (wrap into [lo, hi]; requires lo <= hi, arithmetic in 64 bits); out[i] = (int)x (low 32 bits).
extern "C" __global__ void ctrl_param_loop(const int *a, int *out, int lo, int hi, int iters, int n)
{
    int i = gid();
    if (i >= n) return;
    long long x = a[i];
    long long w = (long long)hi - lo;
    for (int k = 0; k < iters; ++k) x = x > hi ? x - w : (x < lo ? x + w : x);
    out[i] = (int)x;
}
