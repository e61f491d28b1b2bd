// Kernels of WarpScanTest (backend-cpu): Hillis-Steele warp scans as nvcc unrolls them.
// nvcc -ptx -arch=sm_80 -O3 warpscan.cu -o warpscan.ptx

// Five steps (d = 1..16): the inclusive prefix sum of each warp.
extern "C" __global__ void scan5(int n, const int* __restrict__ in, int* __restrict__ out) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    int lane = threadIdx.x & 31;
    int v = i < n ? in[i] : 0;
    for (int d = 1; d < 32; d <<= 1) {
        int o = __shfl_up_sync(0xffffffffu, v, d);
        if (lane >= d) v += o;
    }
    if (i < n) out[i] = v;
}

// Three steps (d = 1, 2, 4): the sum over the last 8 lanes ending at each lane.
extern "C" __global__ void scan3(int n, const int* __restrict__ in, int* __restrict__ out) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    int lane = threadIdx.x & 31;
    int v = i < n ? in[i] : 0;
    for (int d = 1; d < 8; d <<= 1) {
        int o = __shfl_up_sync(0xffffffffu, v, d);
        if (lane >= d) v += o;
    }
    if (i < n) out[i] = v;
}

// Five steps where the value after the first step is also stored: not a chain.
extern "C" __global__ void scan_stored(int n, const int* __restrict__ in, int* __restrict__ out,
                                       int* __restrict__ mid) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    int lane = threadIdx.x & 31;
    int v = i < n ? in[i] : 0;
    int o = __shfl_up_sync(0xffffffffu, v, 1);
    if (lane >= 1) v += o;
    if (i < n) mid[i] = v;
    for (int d = 2; d < 32; d <<= 1) {
        o = __shfl_up_sync(0xffffffffu, v, d);
        if (lane >= d) v += o;
    }
    if (i < n) out[i] = v;
}

// Five steps in a divergent region: only the threads below `limit` scan (whole warps when limit % 32 == 0).
extern "C" __global__ void scan_some(int n, int limit, const int* __restrict__ in, int* __restrict__ out) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    int lane = threadIdx.x & 31;
    int v = i < n ? in[i] : 0;
    if ((int) threadIdx.x < limit) {
        for (int d = 1; d < 32; d <<= 1) {
            int o = __shfl_up_sync(0xffffffffu, v, d);
            if (lane >= d) v += o;
        }
        v += 1;
    }
    if (i < n) out[i] = v;
}

// Five steps in a two-dimensional block, lane = threadIdx.x & 31 (the hardware lane only when blockDim.x is a
// multiple of 32 or blockDim.y == 1); one element per thread.
extern "C" __global__ void scan5_2d(int n, const int* __restrict__ in, int* __restrict__ out) {
    int i = (blockIdx.x * blockDim.y + threadIdx.y) * blockDim.x + threadIdx.x;
    int lane = threadIdx.x & 31;
    int v = i < n ? in[i] : 0;
    for (int d = 1; d < 32; d <<= 1) {
        int o = __shfl_up_sync(0xffffffffu, v, d);
        if (lane >= d) v += o;
    }
    if (i < n) out[i] = v;
}

// Two chains, the second (three steps) after a barrier over a value of the first: nvcc computes the lane
// comparisons lane == 0, lane < 2, lane < 4 once, for both chains (as in the suite's scan_block), and nothing else
// reads them (ScanPreds leaves them out) but lane == 0: nvcc reuses it for `extra != 0 && lane == 0` (7 added
// on lane 0), so that comparison has another reader and is kept. Two-dimensional as scan5_2d.
extern "C" __global__ void scan_twice(int n, int extra, const int* __restrict__ in, int* __restrict__ out) {
    int i = (blockIdx.x * blockDim.y + threadIdx.y) * blockDim.x + threadIdx.x;
    int lane = threadIdx.x & 31;
    int v = i < n ? in[i] : 0;
    for (int d = 1; d < 32; d <<= 1) {
        int o = __shfl_up_sync(0xffffffffu, v, d);
        if (lane >= d) v += o;
    }
    __syncthreads();
    int w = v * 3 + 1;
    for (int d = 1; d < 8; d <<= 1) {
        int o = __shfl_up_sync(0xffffffffu, w, d);
        if (lane >= d) w += o;
    }
    int r = v ^ w;
    if (extra != 0 && lane == 0) r += 7;
    if (i < n) out[i] = r;
}
