// Host side of the executable fixture: the fat binary wrappers nvcc emits for kernels.cu end up in its
// .nvFatBinSegment section (see generate.sh).
#include <cstdio>
__global__ void saxpy(int n, float a, const float *x, float *y);

int main()
{
    float *x, *y;
    cudaMalloc(&x, 256 * sizeof(float));
    cudaMalloc(&y, 256 * sizeof(float));
    saxpy<<<1, 256>>>(256, 2.0f, x, y);
    printf("%s\n", cudaGetErrorString(cudaDeviceSynchronize()));
    return 0;
}
