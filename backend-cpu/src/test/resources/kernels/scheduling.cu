// Kernels of SchedulingTest (PTX: nvcc -ptx -arch=sm_80 -O3 scheduling.cu -o scheduling.ptx).

// Warp 0 spins on a shuffle until warp 1 sets a shared flag (no barrier between them): the CPU backend's
// in-round completion of warp collectives must still let warp 1 run.
extern "C" __global__ void warp_spin(int* out) {
    __shared__ volatile int flag;
    if (threadIdx.x == 0) flag = 0;
    __syncthreads();
    int warp = threadIdx.x >> 5;
    if (warp == 0) {
        int v, spins = 0;
        do {
            v = __shfl_sync(0xffffffffu, flag, 0);
            spins++;
        } while (v == 0);
        out[threadIdx.x] = v + (spins > 0 ? 0 : 1000);
    } else {
        if (threadIdx.x == 32) flag = 42;
        out[threadIdx.x] = 1;
    }
}

// A shuffle loop followed by a barrier, per warp: the warp prefix sums of tid, then each warp's total through
// shared memory.
extern "C" __global__ void warp_then_barrier(int* out) {
    __shared__ int totals[32];
    int v = threadIdx.x;
    int lane = threadIdx.x & 31;
    for (int d = 1; d < 32; d <<= 1) {
        int o = __shfl_up_sync(0xffffffffu, v, d);
        if (lane >= d) v += o;
    }
    if (lane == 31 || threadIdx.x == blockDim.x - 1) totals[threadIdx.x >> 5] = v;
    __syncthreads();
    unsigned other = (threadIdx.x >> 5) ^ 1u;
    if (other >= (blockDim.x + 31) / 32) other = 0;
    out[blockIdx.x * blockDim.x + threadIdx.x] = v * 1000 + totals[other];
}

// Device functions with barriers and warp collectives (kept as calls by __noinline__): nested calls, two call
// sites, a call under a block-uniform condition, a local array in the callee, a return value.
__device__ __noinline__ int warp_sum(int v) {
    for (int d = 16; d > 0; d >>= 1) v += __shfl_down_sync(0xffffffffu, v, d);
    return v;
}

__device__ __noinline__ int block_sum(int v, int* scratch, int k) {
    int spread[8];
    for (int j = 0; j < 8; j++) spread[j] = v * j;
    v = warp_sum(spread[k & 7]);
    if ((threadIdx.x & 31) == 0) scratch[threadIdx.x >> 5] = v;
    __syncthreads();
    int total = 0;
    for (int w = 0; w < (int)(blockDim.x >> 5); w++) total += scratch[w];
    __syncthreads();
    return total;
}

extern "C" __global__ void call_barrier(const int* in, int* out, int k) {
    __shared__ int scratch[32];
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    int s1 = block_sum(in[i], scratch, k);
    int s2 = 0;
    if (blockIdx.x & 1) s2 = block_sum(in[i] * 2 + 1, scratch, k + 1);
    out[i] = s1 * 3 + s2;
}
