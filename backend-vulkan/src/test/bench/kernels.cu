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

#define BLOCK 256

// suite.cu's scan_block with its second level in uniform control flow: every warp scans the 8 warp totals (the
// same values) and takes its offset with a shuffle, instead of warp 0 alone writing them back. The same shuffles
// on the same data, but no warp operation under a divergent branch, so the Vulkan backend's 32-lane emulation
// accepts it: this measures that emulation.
extern "C" __global__ void scan_block_uniform(int n, const int* __restrict__ in, int* __restrict__ out, int* __restrict__ sums)
{
    __shared__ int warpSums[BLOCK / 32];
    int i = blockIdx.x * BLOCK + threadIdx.x;
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    int v = i < n ? in[i] : 0;
    for (int d = 1; d < 32; d <<= 1) {
        int o = __shfl_up_sync(0xffffffffu, v, d);
        if (lane >= d) v += o;
    }
    if (lane == 31) warpSums[warp] = v;
    __syncthreads();
    int w = lane < BLOCK / 32 ? warpSums[lane] : 0;
    for (int d = 1; d < BLOCK / 32; d <<= 1) {
        int o = __shfl_up_sync(0xffffffffu, w, d);
        if (lane >= d) w += o;
    }
    int offset = __shfl_sync(0xffffffffu, w, (warp + 31) & 31);
    if (warp > 0) v += offset;
    if (i < n) out[i] = v;
    if (threadIdx.x == BLOCK - 1) sums[blockIdx.x] = v;
}
