// The kernels of driver_launch.cu (whose PTX text it embeds), built by build.sh into fat binaries
// (driver_kernels.fatbin, nvcc's default compression; driver_kernels-nocompress.fatbin) that driver_launch loads
// with cuModuleLoadData when given their path.
struct Pair {
    int a;
    double b;
};
extern "C" __device__ int launches;
__device__ int launches;

extern "C" __global__ void axpy(float a, const float *x, float *y, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) y[i] = a * x[i] + y[i];
    if (i == 0) atomicAdd(&launches, 1);
}

extern "C" __global__ void pairSum(Pair p, char c, double *out) {
    *out = p.a + p.b + c;
}
