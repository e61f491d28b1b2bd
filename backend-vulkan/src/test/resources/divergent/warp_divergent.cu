// Warp collectives in divergent control flow, for WarpDivergenceTest (Vulkan's 32-lane emulation).
// Regenerate: nvcc -arch=sm_80 -O3 -ptx warp_divergent.cu -o warp_divergent.ptx
// Expected results are computed by the test's Java model with maximal convergence: the lanes that execute a
// collective together are all the lanes of the warp that reach it in the same iteration.

// A warp-uniform but block-divergent branch (odd warps only) around a shuffle-down tree, as in a block reduction.
extern "C" __global__ void wc_warp_if_shfl(const int *in, int *out)
{
    int t = threadIdx.x;
    int g = blockIdx.x * blockDim.x + t;
    int v = in[g];
    int r = -1;
    if ((t / 32) % 2 == 1) {
        for (int o = 16; o > 0; o /= 2) v += __shfl_down_sync(0xffffffffu, v, o);
        r = v;
    }
    out[g] = r;
}

// An early return, then lane-divergent activemask/ballot/any/all/redux/match.
extern "C" __global__ void wc_lane_votes(const int *in, unsigned *out, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    int x = in[i];
    unsigned act = 0, bal = 0, any = 0, all = 0, red = 0, mt = 0;
    if (x % 3 != 0) {
        act = __activemask();
        bal = __ballot_sync(act, x > 50);
        any = __any_sync(act, x > 90);
        all = __all_sync(act, x > 10);
        red = __reduce_add_sync(act, (unsigned)x);
        mt = __match_any_sync(act, x % 4);
    }
    out[6 * i + 0] = act;
    out[6 * i + 1] = bal;
    out[6 * i + 2] = any;
    out[6 * i + 3] = all;
    out[6 * i + 4] = red;
    out[6 * i + 5] = mt;
}

// A loop with a per-thread trip count around activemask and ballot.
extern "C" __global__ void wc_div_loop(const int *in, unsigned *out, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    int x = in[i];
    int k = x % 5;
    unsigned acc = 0;
    for (int j = 0; j < k; j++) {
        unsigned m = __activemask();
        acc = acc * 31u + (unsigned)__popc(m) * (unsigned)(j + 1);
        acc ^= __ballot_sync(m, (x >> j) & 1);
    }
    out[i] = acc;
}

// An early return before __syncthreads: the exited threads no longer take part in the barrier.
extern "C" __global__ void wc_exit_sync(const int *in, int *out, int n)
{
    __shared__ int s[1024];
    int t = threadIdx.x;
    int i = blockIdx.x * blockDim.x + t;
    if (i >= n) return;
    s[t] = in[i] * 3;
    __syncthreads();
    int p = t ^ 1;
    out[i] = (blockIdx.x * blockDim.x + p < n) ? s[p] : -7;
}

// Nested if/else, then (even values) a loop left by a divergent break, around ballot, redux.max and activemask.
extern "C" __global__ void wc_nested_break(const int *in, unsigned *out, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    int x = in[i];
    unsigned r = 0;
    if (x & 1) {
        if (x & 2) r = __ballot_sync(__activemask(), x > 40);
        else r = __reduce_max_sync(__activemask(), (unsigned)x);
    } else {
#pragma unroll 1
        for (int j = 0; j < 4; j++) {
            if (x < j * 16) break;
            r += (unsigned)__popc(__activemask()) << (8 * j);
        }
    }
    out[i] = r;
}

// A device function (not inlined) with a ballot under a branch on its argument, called by every thread.
__device__ __noinline__ unsigned oddValuesBallot(int x)
{
    unsigned r = 0;
    if (x & 1) r = __ballot_sync(__activemask(), x > 30);
    return r;
}

extern "C" __global__ void wc_device_fn(const int *in, unsigned *out)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    out[i] = oddValuesBallot(in[i]);
}
