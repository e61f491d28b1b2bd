// Kernels of AddDeferTest: unread 32-bit global atomic adds that AddDefer sums per worker, and kernels that also
// read the words they add to (the sums must be in memory before any such read). Their only global accesses are
// loads and unread atomic adds, so every one of them passes AddDefer's compile-time rule.
// PTX: nvcc -ptx -arch=sm_80 -O3 adddefer.cu

// Every thread adds 1 to bins[i & 255], then (after the block's barrier) adds what that bin holds to out[i].
extern "C" __global__ void add_then_read(int n, unsigned* bins, unsigned* out) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) atomicAdd(&bins[i & 255], 1u);
    __syncthreads();
    if (i < n) atomicAdd(&out[i], bins[i & 255]);
}

// Every thread adds 1 to bins[(7 * i) & 255], then (after the block's barrier) adds bins[threadIdx.x] to out[i]: the
// read's address is affine in the thread index, so its range over the whole grid is checked once per launch
// (LaunchForms), not per access.
extern "C" __global__ void add_then_read_affine(int n, unsigned* bins, unsigned* out) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) atomicAdd(&bins[(7 * i) & 255], 1u);
    __syncthreads();
    if (i < n) atomicAdd(&out[i], bins[threadIdx.x]);
}

// Every thread reads bins[i & 255] first, then (after the block's barrier) adds it plus 1 to bins[(i + 1) & 255].
extern "C" __global__ void read_then_add(int n, unsigned* bins) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    unsigned v = i < n ? bins[i & 255] : 0u;
    __syncthreads();
    if (i < n) atomicAdd(&bins[(i + 1) & 255], v + 1u);
}

// Adds v[i] to bins[k[i]] (signed ints, wrapping); no barrier.
extern "C" __global__ void add_indexed(int n, const int* k, const int* v, int* bins) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) atomicAdd(&bins[k[i]], v[i]);
}

// The old value of the add is read (added to out[i]): not deferrable, so the kernel keeps every atomic.
extern "C" __global__ void add_old(int n, unsigned* bins, unsigned* out) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) atomicAdd(&out[i], atomicAdd(&bins[i & 255], 1u));
}
