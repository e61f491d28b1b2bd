// __constant__ and __device__ variables reached through their symbols: cudaMemcpyToSymbol/FromSymbol (sync and
// async, with offsets), cudaGetSymbolAddress/Size, a __device__ initializer, and kernels that read and write them;
// after cudaDeviceReset the module is loaded afresh.
#include <cuda_runtime.h>
#include <vector>
#include "check.h"

__constant__ float coefficients[4];
__constant__ int offsetValue;
__device__ int counter;
__device__ float table[8] = {1, 2, 3, 4, 5, 6, 7, 8};

__global__ void polynomial(const float *x, float *y, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        float v = x[i];
        y[i] = ((coefficients[3] * v + coefficients[2]) * v + coefficients[1]) * v + coefficients[0] + offsetValue;
        atomicAdd(&counter, 1);
    }
}

__global__ void doubleTable() {
    if (threadIdx.x < 8) table[threadIdx.x] *= 2.0f;
}

int main() {
    const int n = 1000;
    const float c[4] = {1.0f, -2.0f, 0.5f, 0.25f};
    OK(cudaMemcpyToSymbol(coefficients, c, 2 * sizeof(float)));
    OK(cudaMemcpyToSymbol(coefficients, c + 2, 2 * sizeof(float), 2 * sizeof(float), cudaMemcpyHostToDevice));
    const int off = 3;
    OK(cudaMemcpyToSymbolAsync(offsetValue, &off, sizeof off, 0, cudaMemcpyHostToDevice, 0));
    const int zero = 0;
    OK(cudaMemcpyToSymbol(counter, &zero, sizeof zero));

    size_t size = 0;
    OK(cudaGetSymbolSize(&size, coefficients));
    CHECK(size == 4 * sizeof(float));
    OK(cudaGetSymbolSize(&size, table));
    CHECK(size == 8 * sizeof(float));
    EXPECT_RT(cudaErrorInvalidValue, cudaMemcpyToSymbol(coefficients, c, 4 * sizeof(float), 4));
    EXPECT_RT(cudaErrorInvalidSymbol, cudaMemcpyToSymbol((const void *)&n, c, 4));
    CHECK(cudaGetLastError() == cudaErrorInvalidSymbol);

    std::vector<float> x(n), y(n);
    for (int i = 0; i < n; i++) x[i] = (float)(i % 10) - 5.0f;
    float *dx, *dy;
    OK(cudaMalloc(&dx, n * sizeof(float)));
    OK(cudaMalloc(&dy, n * sizeof(float)));
    OK(cudaMemcpy(dx, x.data(), n * sizeof(float), cudaMemcpyHostToDevice));
    polynomial<<<(n + 127) / 128, 128>>>(dx, dy, n);
    OK(cudaGetLastError());
    OK(cudaMemcpy(y.data(), dy, n * sizeof(float), cudaMemcpyDeviceToHost));
    int wrong = 0;
    for (int i = 0; i < n; i++) {
        float v = x[i];
        float e = ((c[3] * v + c[2]) * v + c[1]) * v + c[0] + off;
        if (y[i] != e && wrong++ < 3) std::printf("y[%d] = %f, expected %f\n", i, y[i], e);
    }
    CHECK(wrong == 0);
    int count = -1;
    OK(cudaMemcpyFromSymbol(&count, counter, sizeof count));
    std::printf("counter: %d (expected %d)\n", count, n);
    CHECK(count == n);

    // The __device__ initializer, a kernel that changes it, and the address seen from the host.
    doubleTable<<<1, 32>>>();
    float t[8];
    OK(cudaMemcpyFromSymbolAsync(t, table, sizeof t, 0, cudaMemcpyDeviceToHost, 0));
    OK(cudaDeviceSynchronize());
    for (int i = 0; i < 8; i++) CHECK(t[i] == 2.0f * (i + 1));
    float *tableAddress = nullptr;
    OK(cudaGetSymbolAddress((void **)&tableAddress, table));
    CHECK(tableAddress != nullptr);
    float last = 0;
    OK(cudaMemcpy(&last, tableAddress + 7, sizeof last, cudaMemcpyDeviceToHost));
    CHECK(last == 16.0f);
    float part[2];
    OK(cudaMemcpyFromSymbol(part, table, sizeof part, 3 * sizeof(float)));
    CHECK(part[0] == 8.0f && part[1] == 10.0f);
    // Device to device through a symbol.
    OK(cudaMemcpyToSymbol(coefficients, tableAddress, sizeof(float), 0, cudaMemcpyDeviceToDevice));
    float c0 = 0;
    OK(cudaMemcpyFromSymbol(&c0, coefficients, sizeof c0));
    CHECK(c0 == 2.0f);
    OK(cudaFree(dx));
    OK(cudaFree(dy));

    // cudaDeviceReset destroys the context and its modules: the next use loads the module afresh, with the
    // initializer's values, and kernels run in the new context.
    OK(cudaDeviceReset());
    OK(cudaMemcpyFromSymbol(t, table, sizeof t));
    for (int i = 0; i < 8; i++) CHECK(t[i] == (float)(i + 1));
    doubleTable<<<1, 32>>>();
    OK(cudaGetLastError());
    OK(cudaMemcpyFromSymbol(t, table, sizeof t));
    for (int i = 0; i < 8; i++) CHECK(t[i] == 2.0f * (i + 1));
    std::printf("after cudaDeviceReset: table[7] = %g\n", t[7]);
    return finish();
}
