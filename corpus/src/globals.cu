// Transcuda kernel corpus: global variables (__device__), initialised and
// uninitialised, scalar and array, read and written by kernels.

__device__ __forceinline__ int gid() { return blockIdx.x * blockDim.x + threadIdx.x; }

// g_weights[k] = k + 0.5 for k in 0..15
__device__ float g_weights[16] = {0.5f, 1.5f, 2.5f, 3.5f, 4.5f, 5.5f, 6.5f, 7.5f,
                                  8.5f, 9.5f, 10.5f, 11.5f, 12.5f, 13.5f, 14.5f, 15.5f};
__device__ int g_offset = 42;
__device__ unsigned long long g_scratch[1024];
__device__ unsigned g_counter;

// Initialised global arrays/scalars: out[i] = a[i] * g_weights[i & 15] + (float)g_offset
// (fma, g_offset = 42).
extern "C" __global__ void globals_read(const float *a, float *out, int n)
{
    int i = gid();
    if (i >= n) return;
    out[i] = fmaf(a[i], g_weights[i & 15], (float)g_offset);
}

// Uninitialised global scratch array: for i < min(n, 1024): g_scratch[i] = (uint64)a[i] * 3 (write),
// then out[i] = g_scratch[i] + 1 read back through a volatile pointer.
extern "C" __global__ void globals_scratch(const unsigned *a, unsigned long long *out, int n)
{
    int i = gid();
    if (i >= n || i >= 1024) return;
    g_scratch[i] = (unsigned long long)a[i] * 3ull;
    out[i] = ((volatile unsigned long long *)g_scratch)[i] + 1ull;
}

// Global counter: g_counter is reset by thread 0 of block 0 in globals_counter_reset (launch it
// first, one thread); globals_counter_add adds 1 per element with atomicAdd; globals_counter_read
// copies it to out[0] (launch with one thread). After reset, add(n), read: out[0] = n.
extern "C" __global__ void globals_counter_reset() { g_counter = 0; }

extern "C" __global__ void globals_counter_add(int n)
{
    if (gid() < n) atomicAdd(&g_counter, 1u);
}

extern "C" __global__ void globals_counter_read(unsigned *out) { out[0] = g_counter; }
