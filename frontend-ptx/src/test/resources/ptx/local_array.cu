// A dynamically indexed per-thread array lives in local memory.
__global__ void localArray(const int* idx, int* out)
{
    int buf[32];
    for (int k = 0; k < 32; ++k) {
        buf[k] = k * threadIdx.x;
    }
    out[threadIdx.x] = buf[idx[threadIdx.x] & 31];
}
