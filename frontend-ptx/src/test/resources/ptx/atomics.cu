// Global and shared atomics.
__global__ void histogram(const unsigned char* data, unsigned int* bins, int n, int* maxSeen, unsigned long long* total)
{
    __shared__ unsigned int local[256];
    local[threadIdx.x] = 0;
    __syncthreads();
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        atomicAdd(&local[data[i]], 1u);
        atomicMax(maxSeen, (int)data[i]);
        atomicAdd(total, (unsigned long long)data[i]);
    }
    __syncthreads();
    atomicAdd(&bins[threadIdx.x], local[threadIdx.x]);
    if (threadIdx.x == 0) {
        int old = atomicCAS(maxSeen, 0, -1);
        (void)old;
        atomicExch(bins, 7u);
    }
}
