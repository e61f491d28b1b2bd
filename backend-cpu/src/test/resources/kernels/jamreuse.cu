// Kernels of LaneJamReuseTest (backend-cpu's lockstep engine, LaneJam's reused JVM locals: LaneJam.reuse).
// PTX: nvcc -ptx -arch=sm_80 -O3 jamreuse.cu -o jamreuse.ptx

// The segment between the barriers is one interleaved run with many run-local registers whose live ranges overlap
// (eight Bs loads read at different points, some to the end) and others that are disjoint (short products and sums,
// ints, f64 values), of three JVM kinds (float, int, double). Explicit _rn intrinsics: no contraction into fma.
// Threads t >= live exit at once. Per tile pair, iters tile pairs per block, each from the next 256 floats of A, B.
extern "C" __global__ void jam_reuse(int iters, const float* __restrict__ A, const float* __restrict__ B,
                                     const float* __restrict__ init, float* __restrict__ out, int live) {
    __shared__ float As[16 * 16];
    __shared__ float Bs[16 * 16];
    int tx = threadIdx.x, ty = threadIdx.y;
    int n = blockDim.x * blockDim.y * blockDim.z;
    int t = (threadIdx.z * blockDim.y + ty) * blockDim.x + tx;
    if (t >= live) return;
    int blk = blockIdx.x;
    float acc = init[blk * n + t];
    for (int it = 0; it < iters; it++) {
        const float* a = A + (blk * iters + it) * 256;
        const float* b = B + (blk * iters + it) * 256;
        for (int i = t; i < 256; i += live) {
            As[i] = a[i];
            Bs[i] = b[i];
        }
        __syncthreads();
        float b0 = Bs[0 * 16 + tx], b1 = Bs[1 * 16 + tx], b2 = Bs[2 * 16 + tx], b3 = Bs[3 * 16 + tx];
        float b4 = Bs[4 * 16 + tx], b5 = Bs[5 * 16 + tx], b6 = Bs[6 * 16 + tx], b7 = Bs[7 * 16 + tx];
        float a0 = As[ty * 16 + 0], a1 = As[ty * 16 + 1], a2 = As[ty * 16 + 2], a3 = As[ty * 16 + 3];
        float u = __fmul_rn(b0, b7);
        float v = fmaf(a1, b1, u);
        float w = __fadd_rn(b2, b3);
        float x = fmaf(v, w, acc);
        int m = (__float2int_rz(b3) + it) & 15;
        float fm = __fmul_rn((float)m, 0.25f);
        double d = __dmul_rn((double)b4, (double)b5);
        double e = __dadd_rn(d, (double)x);
        float y = (float)e;
        float z = fmaf(b6, a2, fm);
        float s = __fsub_rn(b7, b1);
        float r = fmaf(y, a3, z);
        float q = __fmul_rn(a0, b0);
        acc = __fadd_rn(__fadd_rn(r, s), q);
        __syncthreads();
    }
    out[blk * n + t] = acc;
}
