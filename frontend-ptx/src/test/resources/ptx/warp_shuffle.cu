// Warp-level primitives: shuffles and votes.
__global__ void warpSum(const int* in, int* out, unsigned int* ballots)
{
    int v = in[blockIdx.x * blockDim.x + threadIdx.x];
    for (int offset = 16; offset > 0; offset /= 2) {
        v += __shfl_down_sync(0xffffffffu, v, offset);
    }
    int lane0 = __shfl_sync(0xffffffffu, v, 0);
    int x = __shfl_xor_sync(0xffffffffu, v, 1);
    unsigned int b = __ballot_sync(0xffffffffu, v > 0);
    if (__any_sync(0xffffffffu, x < 0) && (threadIdx.x & 31) == 0) {
        out[blockIdx.x] = lane0;
        ballots[blockIdx.x] = b;
    }
}
