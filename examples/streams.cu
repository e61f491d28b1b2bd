// Streams, events and pinned memory: work split over several streams with cudaMemcpyAsync from and to pinned
// buffers, a cross-stream dependency with cudaStreamWaitEvent, event queries and timing, host functions and stream
// callbacks, and several host threads launching at once; checked on the CPU.
#include <cuda_runtime.h>
#include <atomic>
#include <thread>
#include <vector>
#include "check.h"

static std::atomic<int> hostCalls{0};
static int callbackOrder[2];

static void CUDART_CB hostFunction(void *userData) {
    callbackOrder[0] = hostCalls.fetch_add(1) + *(int *)userData;
}

static void CUDART_CB streamCallback(cudaStream_t, cudaError_t status, void *userData) {
    callbackOrder[1] = hostCalls.fetch_add(1) + *(int *)userData + (status == cudaSuccess ? 0 : 1000);
}

__global__ void scaleAdd(float *x, float factor, float add, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) x[i] = x[i] * factor + add;
}

int main() {
    const int streamsCount = 4, chunk = 10000, n = streamsCount * chunk;
    float *host = nullptr, *result = nullptr, *dev = nullptr;
    OK(cudaMallocHost(&host, n * sizeof(float)));
    OK(cudaHostAlloc(&result, n * sizeof(float), cudaHostAllocDefault));
    OK(cudaMalloc(&dev, n * sizeof(float)));
    for (int i = 0; i < n; i++) host[i] = (float)(i % 100);

    cudaStream_t streams[streamsCount];
    for (int s = 0; s < streamsCount; s++) OK(cudaStreamCreateWithFlags(&streams[s], cudaStreamNonBlocking));
    cudaEvent_t start, stop, ready;
    OK(cudaEventCreate(&start));
    OK(cudaEventCreate(&stop));
    OK(cudaEventCreateWithFlags(&ready, cudaEventDisableTiming));

    OK(cudaEventRecord(start, streams[0]));
    for (int s = 0; s < streamsCount; s++) {
        float *d = dev + s * chunk;
        OK(cudaMemcpyAsync(d, host + s * chunk, chunk * sizeof(float), cudaMemcpyHostToDevice, streams[s]));
        scaleAdd<<<(chunk + 255) / 256, 256, 0, streams[s]>>>(d, 2.0f, (float)s, chunk);
        OK(cudaGetLastError());
    }
    // Stream 1 adds 1 to stream 0's chunk, after stream 0 has finished with it.
    OK(cudaEventRecord(ready, streams[0]));
    OK(cudaStreamWaitEvent(streams[1], ready, 0));
    scaleAdd<<<(chunk + 255) / 256, 256, 0, streams[1]>>>(dev, 1.0f, 1.0f, chunk);
    for (int s = 0; s < streamsCount; s++) {
        OK(cudaMemcpyAsync(result + s * chunk, dev + s * chunk, chunk * sizeof(float), cudaMemcpyDeviceToHost,
                streams[s == 0 ? 1 : s]));
    }
    for (int s = 0; s < streamsCount; s++) OK(cudaStreamSynchronize(streams[s]));
    OK(cudaEventRecord(stop, streams[0]));
    OK(cudaEventSynchronize(stop));
    OK(cudaEventQuery(stop));
    OK(cudaStreamQuery(streams[2]));
    float ms = -1.0f;
    OK(cudaEventElapsedTime(&ms, start, stop));
    CHECK(ms >= 0.0f);
    float ignored;
    EXPECT_RT(cudaErrorInvalidResourceHandle, cudaEventElapsedTime(&ignored, start, ready));
    std::printf("4 streams, elapsed time measured: %s\n", ms >= 0.0f ? "yes" : "no");

    int wrong = 0;
    for (int i = 0; i < n; i++) {
        int s = i / chunk;
        float e = host[i] * 2.0f + (float)s + (s == 0 ? 1.0f : 0.0f);
        if (result[i] != e && wrong++ < 3) std::printf("result[%d] = %f, expected %f\n", i, result[i], e);
    }
    CHECK(wrong == 0);

    // Asynchronous copies from pageable memory: the source may be reused as soon as the call returns.
    std::vector<float> pageable(chunk, 5.0f), back(chunk, 0.0f);
    OK(cudaMemcpyAsync(dev, pageable.data(), chunk * sizeof(float), cudaMemcpyHostToDevice, streams[3]));
    pageable.assign(chunk, -1.0f);
    OK(cudaMemsetAsync(dev + 1, 0, sizeof(float), streams[3]));
    OK(cudaMemcpyAsync(back.data(), dev, chunk * sizeof(float), cudaMemcpyDefault, streams[3]));
    OK(cudaStreamSynchronize(streams[3]));
    CHECK(back[0] == 5.0f && back[1] == 0.0f && back[chunk - 1] == 5.0f);

    // Host functions run in stream order, after the work queued before them.
    int hundred = 100, twoHundred = 200;
    OK(cudaLaunchHostFunc(streams[2], hostFunction, &hundred));
    OK(cudaStreamAddCallback(streams[2], streamCallback, &twoHundred, 0));
    OK(cudaStreamSynchronize(streams[2]));
    std::printf("host functions: %d %d\n", callbackOrder[0], callbackOrder[1]);
    CHECK(hostCalls.load() == 2 && callbackOrder[0] == 100 && callbackOrder[1] == 201);

    // Several host threads launching on their own streams at once.
    std::vector<std::thread> threads;
    std::atomic<int> threadFailures{0};
    for (int t = 0; t < 4; t++) {
        threads.emplace_back([t, &threadFailures] {
            const int m = 5000;
            cudaStream_t s;
            float *d, *h;
            if (cudaStreamCreate(&s) != cudaSuccess || cudaMalloc(&d, m * sizeof(float)) != cudaSuccess
                    || cudaMallocHost(&h, m * sizeof(float)) != cudaSuccess) {
                threadFailures++;
                return;
            }
            for (int i = 0; i < m; i++) h[i] = (float)(i + t);
            for (int round = 0; round < 10; round++) {
                cudaMemcpyAsync(d, h, m * sizeof(float), cudaMemcpyHostToDevice, s);
                scaleAdd<<<(m + 127) / 128, 128, 0, s>>>(d, 1.0f, 1.0f, m);
                cudaMemcpyAsync(h, d, m * sizeof(float), cudaMemcpyDeviceToHost, s);
            }
            if (cudaStreamSynchronize(s) != cudaSuccess) threadFailures++;
            for (int i = 0; i < m; i++) {
                if (h[i] != (float)(i + t + 10)) {
                    threadFailures++;
                    break;
                }
            }
            cudaFreeHost(h);
            cudaFree(d);
            cudaStreamDestroy(s);
        });
    }
    for (auto &th : threads) th.join();
    std::printf("4 host threads: %d failures\n", threadFailures.load());
    CHECK(threadFailures.load() == 0);

    for (int s = 0; s < streamsCount; s++) OK(cudaStreamDestroy(streams[s]));
    OK(cudaEventDestroy(start));
    OK(cudaEventDestroy(stop));
    OK(cudaEventDestroy(ready));
    OK(cudaFreeHost(host));
    OK(cudaFreeHost(result));
    OK(cudaFree(dev));
    return finish();
}
