// A kernel launch: registration of the fat binary and the kernel before main, <<<...>>>, the result checked
// against the CPU.
#include <cuda_runtime.h>
#include <vector>
#include "check.h"

__global__ void vectorAdd(const float *a, const float *b, float *c, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) c[i] = a[i] + b[i];
}

__device__ int deviceCounter;
__constant__ float scale[4];

int main() {
    const int n = 1000;
    std::vector<float> a(n), b(n), c(n, -1.0f);
    for (int i = 0; i < n; i++) {
        a[i] = (float)i;
        b[i] = 0.5f * i;
    }
    float *da, *db, *dc;
    OK(cudaMalloc(&da, n * sizeof(float)));
    OK(cudaMalloc(&db, n * sizeof(float)));
    OK(cudaMalloc(&dc, n * sizeof(float)));
    OK(cudaMemcpy(da, a.data(), n * sizeof(float), cudaMemcpyHostToDevice));
    OK(cudaMemcpy(db, b.data(), n * sizeof(float), cudaMemcpyHostToDevice));
    vectorAdd<<<(n + 255) / 256, 256>>>(da, db, dc, n);
    cudaError_t launch = cudaGetLastError();
    std::printf("launch: %s\n", cudaGetErrorName(launch));
    OK(launch);
    OK(cudaDeviceSynchronize());
    OK(cudaMemcpy(c.data(), dc, n * sizeof(float), cudaMemcpyDeviceToHost));
    for (int i = 0; i < n; i++) {
        if (c[i] != a[i] + b[i]) {
            std::printf("c[%d] = %f, expected %f\n", i, c[i], a[i] + b[i]);
            failures++;
            break;
        }
    }
    OK(cudaFree(da));
    OK(cudaFree(db));
    OK(cudaFree(dc));
    return finish();
}
