#include <cstdio>
// Device-side printf: produces a vprintf call with a local argument buffer.
__global__ void hello(int n, float f)
{
    printf("thread %d of %d: n=%d f=%f\n", threadIdx.x, blockDim.x, n, f);
}
