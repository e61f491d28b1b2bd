// Streams, events and pinned memory: work split over several streams with cudaMemcpyAsync from and to pinned
// buffers, a cross-stream dependency with cudaStreamWaitEvent, event queries and timing, checked on the CPU.
#include <cuda_runtime.h>
#include <vector>
#include "check.h"

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

    for (int s = 0; s < streamsCount; s++) OK(cudaStreamDestroy(streams[s]));
    OK(cudaEventDestroy(start));
    OK(cudaEventDestroy(stop));
    OK(cudaEventDestroy(ready));
    OK(cudaFreeHost(host));
    OK(cudaFreeHost(result));
    OK(cudaFree(dev));
    return finish();
}
