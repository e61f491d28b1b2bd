// Dynamic shared memory: extern __shared__ array sized at launch.
extern __shared__ float smem[];

__global__ void reverseBlock(float* data, int n)
{
    int t = threadIdx.x;
    smem[t] = data[blockIdx.x * n + t];
    __syncthreads();
    data[blockIdx.x * n + t] = smem[n - t - 1];
}
