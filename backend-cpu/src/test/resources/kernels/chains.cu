// Kernels of SegmentChainsTest: straight chains of lockstep segments (barriers, if-converted arms, unconditional
// jumps) that run as one method each (SegmentChains), with block-uniform values defined in one segment and used in
// later ones, a loop whose trip count differs per thread in the middle (the threads split and rejoin), and a shared
// access past the array in a segment late in a chain (the fault names its thread and instruction).
// PTX: nvcc -ptx -arch=sm_80 -O3 chains.cu

// blocks of 128 threads or fewer
extern "C" __global__ void chain_mix(const int* in, int* out, int k, int bad) {
    __shared__ int s[128];
    int n = blockDim.x;
    int t = threadIdx.x, i = blockIdx.x * n + t;
    int u = blockIdx.x * 7 + k;
    s[t] = in[i] + u;
    __syncthreads();
    int v = s[(t + 1) % n];
    __syncthreads();
    if (t < k) s[t] = v * 3;
    __syncthreads();
    int acc = u;
    for (int j = 0; j < (t & 7); j++) acc += s[(t + j) % n] ^ j;
    __syncthreads();
    s[t] = acc - u * 2;
    __syncthreads();
    if (t == 0) s[0] += u;
    __syncthreads();
    out[i] = s[t + (t == bad ? 200 : 0)] + v;
}
