// Stream priorities and flags, and the legacy default stream's implicit synchronization (results, not timing):
// cudaDeviceGetStreamPriorityRange, cudaStreamCreateWithPriority (clamped to the range), cudaStreamGetPriority,
// cudaStreamGetFlags; work on a blocking stream waits for the legacy stream's earlier work and the legacy
// stream waits for blocking streams; a non-blocking stream does not wait for the legacy stream; the per-thread
// default stream (cudaStreamPerThread) is a blocking stream.
#include <cuda_runtime.h>
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>
#include "check.h"

// Many dependent steps per element: long enough that a missing implicit synchronization shows in the results.
__global__ void slowFill(int *data, int n, int value) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    int v = 0;
    for (int k = 0; k < 2000; k++) v = (v * 7 + k) % 1009;
    data[i] = value + (v < 0 ? 1 : 0); // v is never negative: the value is exact
}

__global__ void plusOne(const int *in, int *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) out[i] = in[i] + 1;
}

static std::atomic<int> release{0};
static void CUDART_CB waitForRelease(void *) {
    while (release.load() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

static int countNot(const std::vector<int> &v, int value) {
    int wrong = 0;
    for (int x : v) wrong += x != value;
    return wrong;
}

// Polls a stream until it completes; gives up (the check fails) after a generous bound.
static bool completes(cudaStream_t s) {
    for (int i = 0; i < 60000; i++) {
        cudaError_t e = cudaStreamQuery(s);
        if (e == cudaSuccess) return true;
        if (e != cudaErrorNotReady) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return false;
}

int main() {
    int least = 99, greatest = 99;
    OK(cudaDeviceGetStreamPriorityRange(&least, &greatest));
    std::printf("stream priorities: least %d, greatest %d\n", least, greatest);
    CHECK(greatest <= least);
    OK(cudaDeviceGetStreamPriorityRange(nullptr, &greatest)); // either pointer may be NULL

    cudaStream_t low, high, clamped, plain;
    OK(cudaStreamCreateWithPriority(&low, cudaStreamDefault, least));
    OK(cudaStreamCreateWithPriority(&high, cudaStreamNonBlocking, greatest));
    OK(cudaStreamCreateWithPriority(&clamped, cudaStreamDefault, greatest - 10));
    OK(cudaStreamCreate(&plain));
    int priority = 12345;
    OK(cudaStreamGetPriority(low, &priority));
    CHECK(priority == least);
    OK(cudaStreamGetPriority(high, &priority));
    CHECK(priority == greatest);
    OK(cudaStreamGetPriority(clamped, &priority));
    CHECK(priority == greatest);
    unsigned flags = 77;
    OK(cudaStreamGetFlags(high, &flags));
    CHECK(flags == cudaStreamNonBlocking);
    OK(cudaStreamGetFlags(low, &flags));
    CHECK(flags == cudaStreamDefault);
    OK(cudaStreamGetFlags(plain, &flags));
    CHECK(flags == cudaStreamDefault);
    EXPECT_RT(cudaErrorInvalidValue, cudaStreamCreateWithFlags(&plain, 0x40));
    (void)cudaGetLastError();

    const int n = 1 << 14;
    int *a = nullptr, *b = nullptr, *c = nullptr;
    OK(cudaMalloc(&a, n * sizeof(int)));
    OK(cudaMalloc(&b, n * sizeof(int)));
    OK(cudaMalloc(&c, n * sizeof(int)));
    std::vector<int> host(n);
    dim3 grid((n + 255) / 256), block(256);

    // Legacy stream, then a blocking stream, with no explicit synchronization: the second kernel sees the first.
    OK(cudaMemset(a, 0, n * sizeof(int)));
    for (int round = 1; round <= 3; round++) {
        slowFill<<<grid, block>>>(a, n, 10 * round);
        plusOne<<<grid, block, 0, low>>>(a, b, n);
        OK(cudaStreamSynchronize(low));
        OK(cudaMemcpy(host.data(), b, n * sizeof(int), cudaMemcpyDeviceToHost));
        CHECK(countNot(host, 10 * round + 1) == 0);
    }
    // A blocking stream, then the legacy stream: the legacy stream waits.
    for (int round = 1; round <= 3; round++) {
        slowFill<<<grid, block, 0, plain>>>(a, n, 100 * round);
        plusOne<<<grid, block>>>(a, c, n);
        OK(cudaMemcpy(host.data(), c, n * sizeof(int), cudaMemcpyDeviceToHost));
        CHECK(countNot(host, 100 * round + 1) == 0);
    }

    // The legacy stream held by a host function: blocking streams (created or per-thread) cannot proceed,
    // a non-blocking stream can.
    OK(cudaDeviceSynchronize());
    release = 0;
    OK(cudaLaunchHostFunc(0, waitForRelease, nullptr));
    plusOne<<<grid, block, 0, high>>>(a, b, n);
    OK(cudaGetLastError());
    CHECK(completes(high));
    slowFill<<<grid, block, 0, low>>>(c, n, 5);
    CHECK(cudaStreamQuery(low) == cudaErrorNotReady);
    slowFill<<<grid, block, 0, cudaStreamPerThread>>>(b, n, 6);
    CHECK(cudaStreamQuery(cudaStreamPerThread) == cudaErrorNotReady);
    CHECK(cudaGetLastError() == cudaSuccess); // "not ready" is never an error
    release = 1;
    OK(cudaStreamSynchronize(low));
    OK(cudaStreamSynchronize(cudaStreamPerThread));
    OK(cudaMemcpy(host.data(), c, n * sizeof(int), cudaMemcpyDeviceToHost));
    CHECK(countNot(host, 5) == 0);
    OK(cudaMemcpy(host.data(), b, n * sizeof(int), cudaMemcpyDeviceToHost));
    CHECK(countNot(host, 6) == 0);

    // Work on the per-thread default stream in order with itself.
    plusOne<<<grid, block, 0, cudaStreamPerThread>>>(b, c, n);
    OK(cudaStreamSynchronize(cudaStreamPerThread));
    OK(cudaMemcpy(host.data(), c, n * sizeof(int), cudaMemcpyDeviceToHost));
    CHECK(countNot(host, 7) == 0);

    OK(cudaFree(a));
    OK(cudaFree(b));
    OK(cudaFree(c));
    for (cudaStream_t s : {low, high, clamped, plain}) OK(cudaStreamDestroy(s));
    return finish();
}
