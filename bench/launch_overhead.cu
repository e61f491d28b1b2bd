// Launch overhead through the drop-in libcudart (bench/launch-overhead.sh runs it with `transcuda exec`): µs per
// call of an empty-kernel launch loop and of a 4-byte cudaMemcpy loop, against baselines measured in the same
// process: an empty C function call through a pointer, and cudaGetDevice (one round trip C -> JNI -> Java
// dispatcher -> C with no CUDA work: the bridge's floor).
#include <cuda_runtime.h>
#include <chrono>
#include <cstdio>
#include <cstdlib>

__global__ void empty() {
}

__attribute__((noinline)) static int nothing(int x) {
    asm volatile("" ::: "memory");
    return x + 1;
}
static int (*volatile call)(int) = nothing;

static double now() {
    return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

#define OK(x)                                                                                      \
    do {                                                                                           \
        cudaError_t e_ = (x);                                                                      \
        if (e_ != cudaSuccess) {                                                                   \
            std::printf("%s: %s\n", #x, cudaGetErrorName(e_));                                   \
            std::exit(1);                                                                          \
        }                                                                                          \
    } while (0)

int main(int argc, char **argv) {
    int n = argc > 1 ? std::atoi(argv[1]) : 100000;
    int *d, h = 0, device;
    OK(cudaMalloc(&d, sizeof(int)));
    // Warm-up: the JIT compiles the paths before they are timed.
    for (int i = 0; i < n; i++) {
        empty<<<1, 1>>>();
        OK(cudaMemcpy(d, &h, sizeof h, cudaMemcpyHostToDevice));
        OK(cudaMemcpy(&h, d, sizeof h, cudaMemcpyDeviceToHost));
        OK(cudaGetDevice(&device));
    }
    OK(cudaDeviceSynchronize());

    double t0 = now();
    int acc = 0;
    for (int i = 0; i < n * 100; i++) acc = call(acc);
    double cCall = (now() - t0) / (n * 100.0);

    t0 = now();
    for (int i = 0; i < n; i++) OK(cudaGetDevice(&device));
    double bridge = (now() - t0) / n;

    t0 = now();
    for (int i = 0; i < n; i++) empty<<<1, 1>>>();
    double enqueue = (now() - t0) / n;
    OK(cudaDeviceSynchronize());
    double launch = (now() - t0) / n;
    OK(cudaGetLastError());

    t0 = now();
    for (int i = 0; i < n; i++) OK(cudaMemcpy(d, &h, sizeof h, cudaMemcpyHostToDevice));
    double htod = (now() - t0) / n;
    t0 = now();
    for (int i = 0; i < n; i++) OK(cudaMemcpy(&h, d, sizeof h, cudaMemcpyDeviceToHost));
    double dtoh = (now() - t0) / n;

    std::printf("iterations                          %d (after %d warm-up)\n", n, n);
    std::printf("baseline: empty C call              %.4f us\n", cCall + (acc < 0 ? 1 : 0));
    std::printf("baseline: cudaGetDevice (bridge)    %.3f us\n", bridge);
    std::printf("empty kernel launch (enqueue)       %.3f us\n", enqueue);
    std::printf("empty kernel launch (incl. running) %.3f us\n", launch);
    std::printf("cudaMemcpy 4 bytes host->device     %.3f us\n", htod);
    std::printf("cudaMemcpy 4 bytes device->host     %.3f us\n", dtoh);
    OK(cudaFree(d));
    return 0;
}
