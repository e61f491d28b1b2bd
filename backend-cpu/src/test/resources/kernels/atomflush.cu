// Kernels of AtomFlushTest: a block's shared words added to global words with atomics in a block-stride loop
// (histogram's last loop), which AtomFlush runs as one pass, with the bound and the global base as parameters.
// All have barriers, so they run on the lockstep engine.
// PTX: nvcc -ptx -arch=sm_80 -O3 atomflush.cu

// Each block fills its shared words from vals (words blk*nb .. blk*nb + nb - 1) and adds them to bins[0 .. nb - 1];
// every block adds to the same words, so blocks on both workers add to them concurrently.
extern "C" __global__ void flush(int nb, const unsigned* vals, unsigned* bins) {
    __shared__ unsigned h[1024];
    for (int b = threadIdx.x; b < nb; b += blockDim.x) h[b] = vals[blockIdx.x * nb + b];
    __syncthreads();
    for (int b = threadIdx.x; b < nb; b += blockDim.x) atomicAdd(&bins[b], h[b]);
}

// The same with the result of each atomic written out: the old value is read after the loop (not the shape).
extern "C" __global__ void flush_old(int nb, const unsigned* vals, unsigned* bins, unsigned* olds) {
    __shared__ unsigned h[1024];
    for (int b = threadIdx.x; b < nb; b += blockDim.x) h[b] = vals[blockIdx.x * nb + b];
    __syncthreads();
    unsigned o = 0;
    for (int b = threadIdx.x; b < nb; b += blockDim.x) o = atomicAdd(&bins[b], h[b]);
    olds[blockIdx.x * blockDim.x + threadIdx.x] = o;
}
