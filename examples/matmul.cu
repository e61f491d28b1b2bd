// Tiled matrix multiplication with shared memory (16x16 tiles, sizes not multiples of the tile), checked
// against the CPU product. Small integer-valued inputs keep every float sum exact.
#include <cuda_runtime.h>
#include <vector>
#include "check.h"

#define TILE 16

__global__ void matmul(const float *a, const float *b, float *c, int m, int k, int n) {
    __shared__ float ta[TILE][TILE];
    __shared__ float tb[TILE][TILE];
    int row = blockIdx.y * TILE + threadIdx.y, col = blockIdx.x * TILE + threadIdx.x;
    float sum = 0.0f;
    for (int t = 0; t < (k + TILE - 1) / TILE; t++) {
        int ak = t * TILE + threadIdx.x, bk = t * TILE + threadIdx.y;
        ta[threadIdx.y][threadIdx.x] = row < m && ak < k ? a[row * k + ak] : 0.0f;
        tb[threadIdx.y][threadIdx.x] = bk < k && col < n ? b[bk * n + col] : 0.0f;
        __syncthreads();
        for (int i = 0; i < TILE; i++) sum += ta[threadIdx.y][i] * tb[i][threadIdx.x];
        __syncthreads();
    }
    if (row < m && col < n) c[row * n + col] = sum;
}

int main() {
    const int m = 70, k = 45, n = 53;
    std::vector<float> a(m * k), b(k * n), c(m * n, -1.0f);
    for (int i = 0; i < m * k; i++) a[i] = (float)(i % 7 - 3);
    for (int i = 0; i < k * n; i++) b[i] = (float)(i % 5 - 2);
    float *da, *db, *dc;
    OK(cudaMalloc(&da, a.size() * sizeof(float)));
    OK(cudaMalloc(&db, b.size() * sizeof(float)));
    OK(cudaMalloc(&dc, c.size() * sizeof(float)));
    OK(cudaMemcpy(da, a.data(), a.size() * sizeof(float), cudaMemcpyHostToDevice));
    OK(cudaMemcpy(db, b.data(), b.size() * sizeof(float), cudaMemcpyHostToDevice));
    dim3 block(TILE, TILE), grid((n + TILE - 1) / TILE, (m + TILE - 1) / TILE);
    matmul<<<grid, block>>>(da, db, dc, m, k, n);
    OK(cudaGetLastError());
    OK(cudaDeviceSynchronize());
    OK(cudaMemcpy(c.data(), dc, c.size() * sizeof(float), cudaMemcpyDeviceToHost));
    int wrong = 0;
    for (int r = 0; r < m; r++) {
        for (int col = 0; col < n; col++) {
            float e = 0.0f;
            for (int i = 0; i < k; i++) e += a[r * k + i] * b[i * n + col];
            if (c[r * n + col] != e && wrong++ < 3) std::printf("c[%d][%d] = %f, expected %f\n", r, col, c[r * n + col], e);
        }
    }
    std::printf("%dx%d times %dx%d: %d wrong elements\n", m, k, k, n, wrong);
    CHECK(wrong == 0);
    OK(cudaFree(da));
    OK(cudaFree(db));
    OK(cudaFree(dc));
    return finish();
}
