// Block-wide sum using a static shared-memory tree reduction.
#define BLOCK 256

__global__ void __launch_bounds__(BLOCK, 2) reduceSum(const float* in, float* out, unsigned int n)
{
    __shared__ float partial[BLOCK];
    unsigned int tid = threadIdx.x;
    unsigned int i = blockIdx.x * blockDim.x + tid;
    partial[tid] = (i < n) ? in[i] : 0.0f;
    __syncthreads();
    for (unsigned int s = blockDim.x / 2; s > 0; s >>= 1) {
        if (tid < s) {
            partial[tid] += partial[tid + s];
        }
        __syncthreads();
    }
    if (tid == 0) {
        out[blockIdx.x] = partial[0];
    }
}
