// OpenCL C versions of bench/kernels/suite.cu (same algorithms, same work-group shapes), run on PoCL.
// OpenCL C 1.2 has no warp shuffles: scan_block scans in local memory (Hillis-Steele within each 32-item group,
// then the group totals), which is the shuffle algorithm with local memory as the exchange.
#define BLOCK 256
#define TILE 16
#define BINS 256

__kernel void saxpy(int n, float a, __global const float* restrict x, __global float* restrict y) {
    int i = get_global_id(0);
    if (i < n) y[i] = a * x[i] + y[i];
}

__kernel void reduce(int n, __global const float* restrict in, __global float* restrict partial) {
    __local float s[BLOCK];
    uint t = get_local_id(0);
    uint i = get_group_id(0) * (2 * BLOCK) + t;
    float v = 0.0f;
    if (i < n) v = in[i];
    if (i + BLOCK < n) v += in[i + BLOCK];
    s[t] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (uint stride = BLOCK / 2; stride > 0; stride >>= 1) {
        if (t < stride) s[t] += s[t + stride];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (t == 0) partial[get_group_id(0)] = s[0];
}

__kernel void matmul(int n, __global const float* restrict A, __global const float* restrict B, __global float* restrict C) {
    __local float As[TILE][TILE];
    __local float Bs[TILE][TILE];
    int tx = get_local_id(0), ty = get_local_id(1);
    int row = get_group_id(1) * TILE + ty, col = get_group_id(0) * TILE + tx;
    float acc = 0.0f;
    for (int k0 = 0; k0 < n; k0 += TILE) {
        As[ty][tx] = A[row * n + k0 + tx];
        Bs[ty][tx] = B[(k0 + ty) * n + col];
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int k = 0; k < TILE; k++) acc += As[ty][k] * Bs[k][tx];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    C[row * n + col] = acc;
}

__kernel void histogram(int n, __global const uchar* restrict data, __global uint* restrict bins) {
    __local uint h[BINS];
    for (int b = get_local_id(0); b < BINS; b += get_local_size(0)) h[b] = 0;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int i = get_global_id(0); i < n; i += get_global_size(0)) atomic_inc(&h[data[i]]);
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int b = get_local_id(0); b < BINS; b += get_local_size(0)) atomic_add(&bins[b], h[b]);
}

__kernel void stencil(int nx, int ny, __global const float* restrict in, __global float* restrict out) {
    int x = get_global_id(0), y = get_global_id(1);
    if (x >= nx || y >= ny) return;
    int i = y * nx + x;
    if (x == 0 || y == 0 || x == nx - 1 || y == ny - 1) {
        out[i] = in[i];
    } else {
        out[i] = 0.25f * (in[i - 1] + in[i + 1] + in[i - nx] + in[i + nx]);
    }
}

__kernel void scan_block(int n, __global const int* restrict in, __global int* restrict out, __global int* restrict sums) {
    __local int s[BLOCK];
    __local int warpSums[BLOCK / 32];
    int t = get_local_id(0);
    int i = get_group_id(0) * BLOCK + t;
    int lane = t & 31, warp = t >> 5;
    int v = i < n ? in[i] : 0;
    s[t] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int d = 1; d < 32; d <<= 1) {
        int o = lane >= d ? s[t - d] : 0;
        barrier(CLK_LOCAL_MEM_FENCE);
        v += o;
        s[t] = v;
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lane == 31) warpSums[warp] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    if (t == 0) {
        for (int w = 1; w < BLOCK / 32; w++) warpSums[w] += warpSums[w - 1];
    }
    barrier(CLK_LOCAL_MEM_FENCE);
    if (warp > 0) v += warpSums[warp - 1];
    if (i < n) out[i] = v;
    if (t == BLOCK - 1) sums[get_group_id(0)] = v;
}

__kernel void scan_add(int n, __global int* restrict out, __global const int* restrict offsets) {
    int i = get_global_id(0);
    if (i < n) out[i] += offsets[get_group_id(0)];
}
