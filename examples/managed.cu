// Managed memory, stream-ordered allocation and 3D copies through the runtime: cudaMallocManaged written by the
// host and by a kernel; cudaMallocAsync/cudaFreeAsync on a stream; cudaMallocPitch + cudaMemcpy3D(Async) of a
// pitched 3D array, with a kernel that works on it by its pitch, against a CPU reference.
#include <cuda_runtime.h>
#include <vector>
#include "check.h"

__global__ void addIndex(int *data, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) data[i] += 3 * i;
}

__global__ void square(float *data, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) data[i] = data[i] * data[i];
}

// One thread per element of a pitched volume (x fastest): v = v * 2 + z.
__global__ void volume(cudaPitchedPtr p, int nx, int ny, int nz) {
    int x = blockIdx.x * blockDim.x + threadIdx.x, y = blockIdx.y, z = blockIdx.z;
    if (x >= nx || y >= ny || z >= nz) return;
    float *row = (float *)((char *)p.ptr + ((size_t)z * ny + y) * p.pitch);
    row[x] = row[x] * 2.0f + z;
}

int main() {
    std::setvbuf(stdout, nullptr, _IONBF, 0); // a crash still shows how far it got
    // Managed memory: the host writes, a kernel adds, the host reads after synchronizing.
    const int n = 1000;
    int *m = nullptr;
    OK(cudaMallocManaged(&m, n * sizeof(int), cudaMemAttachGlobal));
    CHECK(m != nullptr);
    if (m != nullptr) {
        for (int i = 0; i < n; i++) m[i] = 7 - i;
        addIndex<<<(n + 127) / 128, 128>>>(m, n);
        OK(cudaGetLastError());
        OK(cudaDeviceSynchronize());
        int wrong = 0;
        for (int i = 0; i < n; i++) wrong += m[i] != 7 - i + 3 * i;
        CHECK(wrong == 0);
        std::vector<int> copy(n);
        OK(cudaMemcpy(copy.data(), m, n * sizeof(int), cudaMemcpyDefault));
        CHECK(copy[n - 1] == 7 + 2 * (n - 1));
        OK(cudaFree(m));
    }
    EXPECT_RT(cudaErrorInvalidValue, cudaMallocManaged(&m, 16, 0x40));
    (void)cudaGetLastError();

    // Stream-ordered allocation: allocate, fill, compute, copy back and free, all in stream order.
    cudaStream_t s;
    OK(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking));
    std::vector<float> host(n), back(n, -1.0f);
    for (int i = 0; i < n; i++) host[i] = 0.5f * i - 100.0f;
    float *h = nullptr;
    OK(cudaMallocHost(&h, n * sizeof(float)));
    std::memcpy(h, host.data(), n * sizeof(float));
    float *a = nullptr;
    OK(cudaMallocAsync(&a, n * sizeof(float), s));
    CHECK(a != nullptr);
    OK(cudaMemcpyAsync(a, h, n * sizeof(float), cudaMemcpyHostToDevice, s));
    square<<<(n + 255) / 256, 256, 0, s>>>(a, n);
    OK(cudaGetLastError());
    OK(cudaMemcpyAsync(back.data(), a, n * sizeof(float), cudaMemcpyDeviceToHost, s));
    OK(cudaFreeAsync(a, s));
    OK(cudaStreamSynchronize(s));
    int wrong = 0;
    for (int i = 0; i < n; i++) wrong += back[i] != host[i] * host[i];
    CHECK(wrong == 0);
    // And on the legacy default stream.
    OK(cudaMallocAsync(&a, 64, 0));
    OK(cudaMemsetAsync(a, 0, 64, 0));
    OK(cudaFreeAsync(a, 0));
    OK(cudaDeviceSynchronize());
    OK(cudaFreeHost(h));

    // A pitched 3D array: the host volume in, a kernel by pitch, a sub-box out (positions in bytes/rows/slices).
    const int nx = 37, ny = 5, nz = 4;
    std::vector<float> vol(nx * ny * nz);
    for (int i = 0; i < nx * ny * nz; i++) vol[i] = (float)(i % 97) - 40.0f;
    cudaPitchedPtr dev;
    void *base = nullptr;
    size_t pitch = 0;
    OK(cudaMallocPitch(&base, &pitch, nx * sizeof(float), ny * nz));
    CHECK(pitch >= nx * sizeof(float));
    dev = make_cudaPitchedPtr(base, pitch, nx * sizeof(float), ny);

    cudaMemcpy3DParms in = {};
    in.srcPtr = make_cudaPitchedPtr(vol.data(), nx * sizeof(float), nx * sizeof(float), ny);
    in.dstPtr = dev;
    in.extent = make_cudaExtent(nx * sizeof(float), ny, nz);
    in.kind = cudaMemcpyHostToDevice;
    OK(cudaMemcpy3D(&in));
    volume<<<dim3((nx + 31) / 32, ny, nz), 32>>>(dev, nx, ny, nz);
    OK(cudaGetLastError());

    // Out: the box x 3..3+bx, y 1..1+by, z 1..1+bz into a host array of its own pitch (and a guard column).
    const int bx = 20, by = 3, bz = 2, outPitch = bx + 5;
    std::vector<float> box(outPitch * by * bz, -999.0f);
    cudaMemcpy3DParms out = {};
    out.srcPtr = dev;
    out.srcPos = make_cudaPos(3 * sizeof(float), 1, 1);
    out.dstPtr = make_cudaPitchedPtr(box.data(), outPitch * sizeof(float), bx * sizeof(float), by);
    out.extent = make_cudaExtent(bx * sizeof(float), by, bz);
    out.kind = cudaMemcpyDeviceToHost;
    cudaStream_t blocking;
    OK(cudaStreamCreate(&blocking));
#if defined(CUDA_API_PER_THREAD_DEFAULT_STREAM)
    // Built with --default-stream per-thread, the launch above went to the per-thread default stream, which (unlike
    // the legacy one) does not synchronize with other blocking streams: order the copy after it explicitly.
    cudaEvent_t volumeDone;
    OK(cudaEventCreateWithFlags(&volumeDone, cudaEventDisableTiming));
    OK(cudaEventRecord(volumeDone, 0));
    OK(cudaStreamWaitEvent(blocking, volumeDone, 0));
    OK(cudaEventDestroy(volumeDone));
#endif
    OK(cudaMemcpy3DAsync(&out, blocking));
    OK(cudaStreamSynchronize(blocking));
    wrong = 0;
    for (int z = 0; z < bz; z++) {
        for (int y = 0; y < by; y++) {
            for (int x = 0; x < outPitch; x++) {
                float got = box[(z * by + y) * outPitch + x];
                float want = x < bx ? vol[((z + 1) * ny + (y + 1)) * nx + (x + 3)] * 2.0f + (z + 1) : -999.0f;
                wrong += got != want;
            }
        }
    }
    CHECK(wrong == 0);
    // A pitch shorter than the row is an invalid pitch.
    cudaMemcpy3DParms bad = in;
    bad.dstPtr.pitch = 4;
    EXPECT_RT(cudaErrorInvalidPitchValue, cudaMemcpy3D(&bad));
    (void)cudaGetLastError();
    OK(cudaFree(base));
    OK(cudaStreamDestroy(blocking));
    OK(cudaStreamDestroy(s));
    return finish();
}
