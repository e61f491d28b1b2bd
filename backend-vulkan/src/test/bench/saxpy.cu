// Kernels of the Vulkan-vs-GLSL benchmark (bench/vulkan-vs-glsl.sh); the same algorithms are in *.comp.
extern "C" __global__ void saxpy(const float *x, float *y, float a, unsigned n)
{
    unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) y[i] = a * x[i] + y[i];
}

// A compute-bound kernel: 64 steps of an integer hash per element (no floating point, so the comparison
// measures the code generator and not the fma emulation).
extern "C" __global__ void ihash(unsigned *v, unsigned n)
{
    unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    unsigned h = v[i];
    for (int k = 0; k < 64; ++k) h = (h ^ (h >> 15)) * 0x2c1b3c6du + (unsigned)k;
    v[i] = h;
}
