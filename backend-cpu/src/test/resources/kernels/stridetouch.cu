// Kernels of StrideTouchTest: grid-stride loops that StrideLoop runs with the index as one number per block, whose
// index loads' lines StrideTouch touches a few iterations ahead (only inside the allocation the iteration's check
// found). All have barriers, so they run on the lockstep engine.
// PTX: nvcc -ptx -arch=sm_80 -O3 stridetouch.cu

// The suite's histogram.
extern "C" __global__ void hist(int n, const unsigned char* data, unsigned* bins) {
    __shared__ unsigned h[256];
    for (int b = threadIdx.x; b < 256; b += blockDim.x) h[b] = 0;
    __syncthreads();
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) atomicAdd(&h[data[i]], 1u);
    __syncthreads();
    for (int b = threadIdx.x; b < 256; b += blockDim.x) atomicAdd(&bins[b], h[b]);
}

// The same loop with the step a parameter (a block-uniform register), so that the iterations ahead can lie far outside
// the data: 32-bit signed indices, wrapping as the hardware's do.
extern "C" __global__ void hist_step(int n, int step, const unsigned char* data, unsigned* bins) {
    __shared__ unsigned h[256];
    for (int b = threadIdx.x; b < 256; b += blockDim.x) h[b] = 0;
    __syncthreads();
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += step) atomicAdd(&h[data[i]], 1u);
    __syncthreads();
    for (int b = threadIdx.x; b < 256; b += blockDim.x) atomicAdd(&bins[b], h[b]);
}
