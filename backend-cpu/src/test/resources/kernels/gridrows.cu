// Kernels of GridRowsTest: straight-line kernels that the CPU backend's thread engine runs a grid row at a time
// (GridRows: one lane loop across the blocks of a row). PTX: nvcc -ptx -arch=sm_80 -O3 gridrows.cu

// The suite's 5-point Jacobi sweep (bench/kernels/suite.cu): border cells copied, interior cells averaged.
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

// The suite's saxpy (nvcc contracts a * x + y into fma.rn.f32).
extern "C" __global__ void saxpy(int n, float a, const float* __restrict__ x, float* __restrict__ y) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) y[i] = a * x[i] + y[i];
}

// A 3D grid whose result depends on the thread index in every dimension (tid.x of a row's lane, tid.y/z of the row).
extern "C" __global__ void index3d(int nx, int ny, int nz, const int* __restrict__ in, int* __restrict__ out) {
    int x = blockIdx.x * blockDim.x + threadIdx.x;
    int y = blockIdx.y * blockDim.y + threadIdx.y;
    int z = blockIdx.z * blockDim.z + threadIdx.z;
    if (x >= nx || y >= ny || z >= nz) return;
    int i = (z * ny + y) * nx + x;
    if (x == 2) {
        // a lane of its own in every thread row: the lanes after it start inside a block
        out[i] = -1 - (int) threadIdx.y;
        return;
    }
    out[i] = 3 * in[i] + threadIdx.x + 100 * threadIdx.y + 10000 * threadIdx.z + 1000000 * blockIdx.y;
}

// The block index itself in the result: not uniform over a row's lanes, so no grid rows.
extern "C" __global__ void blockIndex(int n, int* __restrict__ out) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) out[i] = blockIdx.x * 7 + threadIdx.x;
}

// A 2D copy with a factor: a too-short input allocation makes one block of the last row fault.
extern "C" __global__ void scale2d(int nx, int ny, const float* __restrict__ in, float* __restrict__ out) {
    int x = blockIdx.x * blockDim.x + threadIdx.x;
    int y = blockIdx.y * blockDim.y + threadIdx.y;
    if (x >= nx || y >= ny) return;
    int i = y * nx + x;
    out[i] = 2.0f * in[i];
}

// Conditions on the block and thread index apart (not affine in the lane across blocks): lanes split by ranges.
// (The arms load different arrays, so nvcc keeps the loads out of the branching region.)
extern "C" __global__ void blockCond(int n, const int* __restrict__ in, const int* __restrict__ other,
                                     int* __restrict__ out) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    if (blockIdx.x == 3) {
        out[i] = -other[i];
    } else if (threadIdx.x == 5) {
        out[i] = 2 * other[i];
    } else {
        out[i] = in[i] + 1;
    }
}

// A condition on the block index alone: lanes of whole blocks decided together.
extern "C" __global__ void blockOnly(int n, const int* __restrict__ in, const int* __restrict__ other,
                                     int* __restrict__ out) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    if (blockIdx.x == 3) {
        out[i] = -other[i];
    } else {
        out[i] = in[i] + 1;
    }
}

// The suite's scan_add: a block-uniform load (offsets[blockIdx.x], no threadIdx.x term) loaded once per block of a
// row's lanes.
extern "C" __global__ void blockOffset(int n, const int* __restrict__ off, int* __restrict__ out) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) out[i] += off[blockIdx.x];
}

// The block index in the result next to a load: reads %ctaid.x, so no grid rows (block by block).
extern "C" __global__ void blockScaled(int n, int k, const int* __restrict__ in, int* __restrict__ out) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) out[i] = blockIdx.x * k + in[i];
}
