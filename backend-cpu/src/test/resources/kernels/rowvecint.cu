// Kernels of RowVecIntTest: grid-row loops of 32-bit integer paths and block-uniform loads as vectors on device
// memory (RowVecInt). PTX: nvcc -ptx -arch=sm_80 -O3 rowvecint.cu

// Integer operations that wrap: mul.lo, shl, xor, shr.s32, or, and, shr.u32, sub, add.
extern "C" __global__ void intOps(int n, int k, const int* __restrict__ a, const int* __restrict__ b,
                                  int* __restrict__ out) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        int x = a[i], y = b[i];
        int p = x * k;
        int q = p ^ (y << 3);
        int r = (q >> 2) & (y | 0x0f0f);
        unsigned u = ((unsigned) x >> 7) - (unsigned) r;
        out[i] = (int) u + y;
    }
}

// scan_add's shape with a float: a block-uniform f32 load, an f32 multiply.
extern "C" __global__ void blockScale(int n, const float* __restrict__ s, float* __restrict__ out) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) out[i] = out[i] * s[blockIdx.x];
}

// scan_add's shape without __restrict__ (the test passes the same array as both).
extern "C" __global__ void blockOffsetAliased(int n, const int* off, int* out) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) out[i] += off[blockIdx.x];
}
