// RangeSplitBarrierTest: a thread-range branch whose compare nvcc places before the barrier, with a parameter as the
// bound (the branch after the barrier is split by RangeSplit in a later segment of the same block).
// PTX: nvcc -ptx -arch=sm_80 -O3 rangesplit_barrier.cu
extern "C" __global__ void split_after_barrier(int nb, const int* __restrict__ vals, int* __restrict__ out) {
    __shared__ int h[1024];
    for (int b = threadIdx.x; b < nb; b += blockDim.x) h[b] = vals[blockIdx.x * nb + b];
    __syncthreads();
    int o = -1;
    for (int b = threadIdx.x; b < nb; b += blockDim.x) o = h[b] * 3 + b;
    out[blockIdx.x * blockDim.x + threadIdx.x] = o;
}
