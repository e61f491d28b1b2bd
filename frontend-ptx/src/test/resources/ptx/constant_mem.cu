// Constant memory with initialisers, device globals and an address-of initialiser.
__constant__ float coeffs[4] = {1.0f, 0.5f, 0.25f, 0.125f};
__constant__ double scale = 2.0;
__device__ int counter = 42;
__device__ int table[2][3] = {{1, 2, 3}, {4, 5, 6}};
__device__ int* counterPtr = &counter;
__device__ int* tailPtr = &table[1][1];

__global__ void applyCoeffs(const float* in, float* out)
{
    int i = threadIdx.x;
    float acc = 0.0f;
    for (int k = 0; k < 4; ++k) {
        acc += coeffs[k] * in[i + k];
    }
    out[i] = acc * (float)scale + (float)*counterPtr + (float)*tailPtr;
}
