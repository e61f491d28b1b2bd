// Kernels of AffineSitesTest: global accesses whose address is affine in the thread index, which the CPU
// backend's thread engine checks once per block (AffineSites). PTX: nvcc -ptx -arch=sm_80 -O3 affine.cu
extern "C" __global__ void saxpy(int n, float a, const float* __restrict__ x, float* __restrict__ y) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) y[i] = a * x[i] + y[i];
}

// 5-point stencil on an nx x ny grid, border cells copied (2D blocks, neighbour loads)
extern "C" __global__ void stencil(int nx, int ny, const float* __restrict__ in, float* __restrict__ out) {
    int x = blockIdx.x * blockDim.x + threadIdx.x;
    int y = blockIdx.y * blockDim.y + threadIdx.y;
    if (x >= nx || y >= ny) return;
    int i = y * nx + x;
    if (x == 0 || y == 0 || x == nx - 1 || y == ny - 1) {
        out[i] = in[i];
    } else {
        out[i] = 0.25f * (in[i - 1] + in[i + 1] + in[i - nx] + in[i + nx]);
    }
}

// Every thread copies one element: no bounds test, so threads past the end of an allocation fault.
extern "C" __global__ void copy(const int* __restrict__ in, int* __restrict__ out) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    out[i] = in[i] * 2 + 1;
}

// Unsigned 32-bit index that wraps: out[(unsigned)(i + off)] (zero-extended), 3D blocks.
extern "C" __global__ void wrap(unsigned off, int* out) {
    unsigned i = ((blockIdx.x * blockDim.z + threadIdx.z) * blockDim.y + threadIdx.y) * blockDim.x + threadIdx.x;
    out[i + off] = (int) i;
}

// 64-bit values (8-byte accesses) with a per-row stride parameter: out[y * pitch + x] = in[y * pitch + x] + y
extern "C" __global__ void pitched(long long pitch, const long long* in, long long* out) {
    long long x = blockIdx.x * blockDim.x + threadIdx.x;
    long long y = blockIdx.y * blockDim.y + threadIdx.y;
    out[y * pitch + x] = in[y * pitch + x] + y;
}

// A guard that is not affine in the thread index (i % 64): the path is decided thread by thread.
extern "C" __global__ void modguard(int n, const int* __restrict__ in, int* __restrict__ out) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i % 64 < n) out[i] = in[i] + 1;
}
