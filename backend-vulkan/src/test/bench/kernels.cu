// Kernels of the Vulkan-vs-GLSL benchmark (bench/vulkan-vs-glsl.sh) that are not in bench/kernels/suite.cu (whose
// six classic kernels the benchmark also runs); the same algorithms, written by hand in GLSL, are in *.comp.

#define TDIM 32
#define TROWS 8

// Matrix transpose through a padded shared-memory tile: w x h floats (row-major) to h x w; TDIM x TROWS blocks,
// each moves a TDIM x TDIM tile (coalesced reads and writes, no bank conflicts on a GPU).
extern "C" __global__ void transpose(int w, int h, const float* __restrict__ in, float* __restrict__ out)
{
    __shared__ float tile[TDIM][TDIM + 1];
    int x = blockIdx.x * TDIM + threadIdx.x;
    int y = blockIdx.y * TDIM + threadIdx.y;
    for (int j = 0; j < TDIM; j += TROWS)
        if (x < w && y + j < h) tile[threadIdx.y + j][threadIdx.x] = in[(y + j) * w + x];
    __syncthreads();
    x = blockIdx.y * TDIM + threadIdx.x;
    y = blockIdx.x * TDIM + threadIdx.y;
    for (int j = 0; j < TDIM; j += TROWS)
        if (x < h && y + j < w) out[(y + j) * h + x] = tile[threadIdx.x][threadIdx.y + j];
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
