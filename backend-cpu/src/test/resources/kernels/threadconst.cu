// Kernels of ThreadConstTest (backend-cpu): registers that are a function of the thread index alone (ThreadConst).
// nvcc -ptx -arch=sm_80 -O3 threadconst.cu -o threadconst.ptx

// Thread-constant registers mixed with per-block ones in the same runs: a = t * c + (t >> 3) (c a parameter),
// b = (lane ^ 5) + blockDim.x, the shared index (t + 1) % blockDim.x; d = t + blockIdx.x and the loaded v are not.
extern "C" __global__ void tc_mix(int n, int c, const int* __restrict__ in, int* __restrict__ out) {
    __shared__ int s[1024];
    int t = threadIdx.x;
    int i = blockIdx.x * blockDim.x + t;
    int lane = t & 31;
    int a = t * c + (t >> 3);
    int b = (lane ^ 5) + blockDim.x;
    int d = t + blockIdx.x;
    int v = i < n ? in[i] : 0;
    s[t] = v + a;
    __syncthreads();
    int r = s[(t + 1) % blockDim.x] + b + d;
    if (i < n) out[i] = r;
}

// Block 0's threads from k exit first: the thread-constant w after the barrier runs there with not every thread
// active, and must not count as computed for every thread.
extern "C" __global__ void tc_exit(int k, int* __restrict__ out) {
    int t = threadIdx.x;
    if (blockIdx.x == 0 && t >= k) return;
    __syncthreads();
    int w = (t * 13) ^ (t >> 2);
    out[blockIdx.x * blockDim.x + t] = w + 1;
}

// Block 0's threads from k exit after the barrier; warp != 0 then adds the previous warp's value (ArmShared's arm).
// threadconst_hand.ptx is this kernel with warp == 0 computed before the barrier (see there).
extern "C" __global__ void tc_prev(int k, const int* __restrict__ in, int* __restrict__ out) {
    __shared__ int s[8];
    int t = threadIdx.x;
    int i = blockIdx.x * blockDim.x + t;
    int warp = t >> 5;
    bool later = warp != 0;
    int v = in[i];
    if ((t & 31) == 0 && warp < 8) s[warp] = v * 3 + warp;
    out[i] = later;
    __syncthreads();
    if (blockIdx.x == 0 && t >= k) return;
    if (later) v += s[warp - 1];
    out[i] = v;
}
