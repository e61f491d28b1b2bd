// Memory round trips: cudaMalloc/cudaMemcpy (every direction, cudaMemcpyDefault included)/cudaMemset/cudaFree,
// page-locked host memory (cudaMallocHost, cudaHostAlloc), cudaMemGetInfo, from several threads at once.
#include <cuda_runtime.h>
#include <cstdint>
#include <thread>
#include <vector>
#include "check.h"

static void roundTrip(size_t n, unsigned seed) {
    std::vector<uint32_t> host(n), back(n, 0);
    for (size_t i = 0; i < n; i++) host[i] = (uint32_t)(i * 2654435761u + seed);
    uint32_t *a = nullptr, *b = nullptr;
    OK(cudaMalloc(&a, n * sizeof(uint32_t)));
    OK(cudaMalloc(&b, n * sizeof(uint32_t)));
    CHECK(a != nullptr && b != nullptr && a != b);
    if (a == nullptr || b == nullptr) return;
    OK(cudaMemcpy(a, host.data(), n * sizeof(uint32_t), cudaMemcpyHostToDevice));
    OK(cudaMemcpy(b, a, n * sizeof(uint32_t), cudaMemcpyDeviceToDevice));
    OK(cudaMemcpy(back.data(), b, n * sizeof(uint32_t), cudaMemcpyDeviceToHost));
    CHECK(back == host);
    // cudaMemset writes bytes; then a partial copy into the middle of the allocation.
    OK(cudaMemset(b, 0xab, n * sizeof(uint32_t)));
    if (n >= 4) {
        OK(cudaMemcpy(b + 1, host.data(), 2 * sizeof(uint32_t), cudaMemcpyHostToDevice));
        OK(cudaMemcpy(back.data(), b, n * sizeof(uint32_t), cudaMemcpyDeviceToHost));
        CHECK(back[0] == 0xabababab && back[1] == host[0] && back[2] == host[1]);
    } else {
        OK(cudaMemcpy(back.data(), b, n * sizeof(uint32_t), cudaMemcpyDeviceToHost));
    }
    CHECK(back[n - 1] == 0xabababab);
    OK(cudaFree(a));
    OK(cudaFree(b));
}

int main() {
    OK(cudaFree(nullptr)); // initializes the context, as in CUDA
    size_t freeBefore = 0, total = 0;
    OK(cudaMemGetInfo(&freeBefore, &total));
    CHECK(total > 0 && freeBefore <= total);
    std::printf("memory: %zu free of %zu\n", freeBefore, total);

    roundTrip(1, 1);
    roundTrip(1000, 2);
    roundTrip(1 << 20, 3);

    // Page-locked memory, and cudaMemcpyDefault working out every direction from the pointers.
    const size_t n = 4096;
    uint8_t *pinned = nullptr, *mapped = nullptr, *dev = nullptr;
    OK(cudaMallocHost(&pinned, n));
    OK(cudaHostAlloc(&mapped, n, cudaHostAllocDefault));
    OK(cudaMalloc(&dev, n));
    if (pinned == nullptr || mapped == nullptr || dev == nullptr) return finish();
    for (size_t i = 0; i < n; i++) pinned[i] = (uint8_t)(i * 7);
    OK(cudaMemcpy(dev, pinned, n, cudaMemcpyDefault));
    OK(cudaMemcpy(mapped, dev, n, cudaMemcpyDefault));
    CHECK(std::memcmp(pinned, mapped, n) == 0);
    OK(cudaMemset(dev, 0, n));
    OK(cudaMemcpy(dev + 100, pinned, 10, cudaMemcpyDefault));
    OK(cudaMemcpy(mapped, dev, n, cudaMemcpyDeviceToHost));
    CHECK(mapped[0] == 0 && mapped[100] == pinned[0] && mapped[109] == pinned[9] && mapped[110] == 0);
    std::vector<uint8_t> pageable(n, 1);
    OK(cudaMemcpy(pageable.data(), pinned, n, cudaMemcpyDefault)); // host to host
    CHECK(std::memcmp(pageable.data(), pinned, n) == 0);
    OK(cudaMemcpy(pageable.data(), mapped, 16, cudaMemcpyHostToHost));
    CHECK(pageable[0] == 0);
    OK(cudaFreeHost(pinned));
    OK(cudaFreeHost(mapped));
    OK(cudaFree(dev));

    // Several host threads, each attached to the JVM on its first call.
    std::vector<std::thread> threads;
    for (unsigned t = 0; t < 4; t++) {
        threads.emplace_back([t] {
            for (int round = 0; round < 5; round++) roundTrip(10000 + t * 1000, t * 100 + round);
        });
    }
    for (auto &t : threads) t.join();

    OK(cudaDeviceSynchronize());
    size_t freeAfter = 0;
    OK(cudaMemGetInfo(&freeAfter, &total));
    CHECK(freeAfter == freeBefore); // everything was freed
    std::printf("memory: %zu free after\n", freeAfter);
    OK(cudaGetLastError());
    return finish();
}
