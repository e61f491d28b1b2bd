// Transcuda kernel corpus: device printf (lowered to a call of vprintf with a
// local argument buffer). Each thread prints one line; the order of lines between
// threads is unspecified, the set of lines is deterministic.
#include <cstdio>

__device__ __forceinline__ int gid() { return blockIdx.x * blockDim.x + threadIdx.x; }

// For i < n prints "i=<i> a=<a[i]>\n" (%d) and writes out[i] = a[i] + 1.
extern "C" __global__ void printf_int(const int *a, int *out, int n)
{
    int i = gid();
    if (i >= n) return;
    printf("i=%d a=%d\n", i, a[i]);
    out[i] = (int)((unsigned)a[i] + 1u);
}

// Mixed argument types for i < n: prints
// "[<blockIdx.x>,<threadIdx.x>] f=<f %.3f> d=<d %e> l=<l %lld> u=<u %u> x=<u %08x> c=<c %c> s=<%s>\n"
// where f = fa[i] promoted to double, d = da[i], l = la[i], u = ua[i], c = 'A' + (i % 26) and s is
// "even" or "odd" by i. Nothing else is written.
extern "C" __global__ void printf_mixed(const float *fa, const double *da, const long long *la,
                                        const unsigned *ua, int n)
{
    int i = gid();
    if (i >= n) return;
    const char *s = (i & 1) ? "odd" : "even";
    printf("[%d,%d] f=%.3f d=%e l=%lld u=%u x=%08x c=%c s=%s\n", (int)blockIdx.x, (int)threadIdx.x,
           (double)fa[i], da[i], la[i], ua[i], ua[i], 'A' + (i % 26), s);
}

// Uniform printf without arguments from thread 0 of each block: "block <blockIdx.x> of <gridDim.x>\n",
// plus a constant line "hello from the corpus\n" from global thread 0 only.
extern "C" __global__ void printf_block(int n)
{
    if (gid() == 0) printf("hello from the corpus\n");
    if (threadIdx.x == 0 && gid() < n) printf("block %u of %u\n", blockIdx.x, gridDim.x);
}
