__device__ __noinline__ unsigned long long fib(unsigned k)
{
    return k < 2 ? k : fib(k - 1) + fib(k - 2);
}

// Hofstadter female/male sequences: mutual, nested recursion
__device__ __noinline__ int hm(int n);
__device__ __noinline__ int hf(int n)
{
    return n == 0 ? 1 : n - hm(hf(n - 1));
}
__device__ __noinline__ int hm(int n)
{
    return n == 0 ? 0 : n - hf(hm(n - 1));
}

// a loop around the recursive call
__device__ __noinline__ unsigned tree(unsigned n)
{
    unsigned s = 1;
    for (unsigned i = 0; i < n; i++) {
        if (i & 1) s += tree(i) * 3u;
        s ^= i;
    }
    return s;
}

__device__ __noinline__ void fill(int *a, int n)
{
    for (int i = 0; i < 4; i++) a[i] = n * 10 + i;
}

// per-activation local arrays, a pointer to the caller's array passed down
__device__ __noinline__ int frames(int n, const int *parent)
{
    int a[4];
    fill(a, n);
    int s = parent ? parent[n & 3] : 0;
    if (n > 0) s += frames(n - 1, a);
    return s + a[(n * 7) & 3];
}

__device__ __noinline__ unsigned plain(unsigned x) { return x * 3u + 1u; }

extern "C" __global__ void rec(const unsigned *in, unsigned long long *out, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    unsigned v = in[i];
    out[5 * i] = fib(v % 20);
    out[5 * i + 1] = (unsigned)hf((int)(v % 40));
    out[5 * i + 2] = (unsigned)hm((int)(v % 40));
    out[5 * i + 3] = tree(v % 9);
    out[5 * i + 4] = (unsigned)frames((int)(v % 12), 0) + plain(v);
}

// One recursive function per kernel (backend-vulkan's RecursionTest): lavapipe ends loops after 65535 iterations per invocation and launch, and the
// explicit stack's dispatch loop takes two per call (docs/ARCHITECTURE.md, Vulkan code generation); fib(19) and
// hf(39) together would exceed that.
extern "C" __global__ void k_fib(const unsigned *in, unsigned long long *out, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) out[i] = fib(in[i] % 20);
}

extern "C" __global__ void k_hf(const unsigned *in, unsigned long long *out, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) out[i] = (unsigned)hf((int)(in[i] % 40));
}

extern "C" __global__ void k_hm(const unsigned *in, unsigned long long *out, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) out[i] = (unsigned)hm((int)(in[i] % 40));
}

extern "C" __global__ void k_tree(const unsigned *in, unsigned long long *out, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) out[i] = tree(in[i] % 9);
}

extern "C" __global__ void k_frames(const unsigned *in, unsigned long long *out, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) out[i] = (unsigned)frames((int)(in[i] % 12), 0) + plain(in[i]);
}

// not reducible to a loop by the compiler: the result is hashed on the way back
__device__ __noinline__ unsigned deep(unsigned n)
{
    if (n == 0) return 0;
    unsigned r = deep(n - 1);
    return (r * 2654435761u) ^ n;
}

extern "C" __global__ void overflow(const unsigned *in, unsigned *out, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    out[i] = deep(in[i]);
}
