// RangeSplitTest: divergent branches whose predicate selects a range of tid.x (RangeSplit).
// nvcc -ptx -arch=sm_80 -O3 rangesplit.cu -o rangesplit.ptx

// scan's block scan: each warp's value in s[warp], then warp 0 scans them (the warp == 0 region: tid.x >> 5 == 0)
extern "C" __global__ void warp0(const int* in, int* out, int nw) {
    __shared__ int s[32];
    int t = threadIdx.x, lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    int i = blockIdx.x * blockDim.x + t;
    int v = in[i];
    if (lane == 0) s[warp] = v;
    __syncthreads();
    if (warp == 0) {
        int w = lane < nw ? s[lane] : 0;
        for (int d = 1; d < 32; d <<= 1) {
            int o = __shfl_up_sync(0xffffffffu, w, d);
            if (lane >= d) w += o;
        }
        if (lane < nw) s[lane] = w;
    }
    __syncthreads();
    out[i] = v + (warp > 0 ? s[warp - 1] : 0);
}

// the threads below k: a region with shared loads, a nested branch and a shuffle among the active lanes
extern "C" __global__ void below(const int* in, int* out, int k) {
    __shared__ int s[1024];
    int t = threadIdx.x;
    int i = blockIdx.x * blockDim.x + t;
    int v = in[i];
    s[t] = v;
    __syncthreads();
    if (t < k) {
        int w = v * 3 + s[k - 1 - t];
        if ((t & 3) == 0) w += s[t + 1 < blockDim.x ? t + 1 : 0];
        int o = __shfl_up_sync(__activemask(), w, 1);
        if ((t & 31) >= 1) w += o;
        out[i] = w;
    } else {
        out[i] = -v;
    }
}

// the threads from k on: a region that stores through a per-thread index (faults at its thread)
extern "C" __global__ void from(const int* in, const int* idx, int* out, int k) {
    __shared__ int s[1024];
    int t = threadIdx.x;
    int i = blockIdx.x * blockDim.x + t;
    int v = in[i];
    s[t] = v;
    __syncthreads();
    if (t >= k) {
        int j = idx[i];
        __syncwarp(__activemask());  // not an if-converted arm: a region
        out[j] = v + s[t - k];
    }
}

// one thread skips the region: the branch around it is taken by one thread (one range, the rest runs)
extern "C" __global__ void skip(const int* in, int* out, int k) {
    __shared__ int s[1024];
    int t = threadIdx.x;
    int i = blockIdx.x * blockDim.x + t;
    int v = in[i];
    s[t] = v;
    __syncthreads();
    if (t != k) {
        v += s[blockDim.x - 1 - t] * 5;
        __syncwarp(__activemask());
        v ^= t;
    }
    out[i] = v;
}

// one thread runs the region: the branch around it is taken by every other thread, two ranges unless k is the
// first or the last thread (then the loop splits)
extern "C" __global__ void only(const int* in, int* out, int k) {
    __shared__ int s[1024];
    int t = threadIdx.x;
    int i = blockIdx.x * blockDim.x + t;
    int v = in[i];
    s[t] = v;
    __syncthreads();
    if (t == k) {
        v += s[blockDim.x - 1 - t] * 5;
        __syncwarp(__activemask());
        v ^= t;
    }
    out[i] = v;
}

// the threads from k on, as an if/else whose taken side is listed first: the region is the range [k, n)
extern "C" __global__ void above(const int* in, int* out, int k) {
    __shared__ int s[1024];
    int t = threadIdx.x;
    int i = blockIdx.x * blockDim.x + t;
    int v = in[i];
    s[t] = v;
    __syncthreads();
    if (t >= k) {
        int w = v * 3 + s[t - k];
        int o = __shfl_down_sync(__activemask(), w, 1);
        if ((t & 31) != 31 && t + 1 < blockDim.x) w += o;
        out[i] = w;
    } else {
        out[i] = -v;
    }
}
