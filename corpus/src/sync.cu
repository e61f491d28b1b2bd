// Transcuda kernel corpus: barriers and fences.
// bar.sync (__syncthreads), bar.red (__syncthreads_count/_and/_or), bar.warp.sync
// (__syncwarp), named barriers, membar/fence (__threadfence*), loops with barriers.
// Kernels that use shared memory require blockDim.x <= 256 unless stated.

__device__ __forceinline__ int gid() { return blockIdx.x * blockDim.x + threadIdx.x; }

// Block-wide barrier reductions of the predicate p = (i < n && a[i] > 0):
// cnt[b] = number of threads with p, all[b] = 1 if p for every thread of the block, any[b] = 1
// if p for some thread, where b = blockIdx.x. Threads with i >= n count as false.
extern "C" __global__ void sync_count_and_or(const int *a, int *cnt, int *all, int *any, int n)
{
    int i = gid();
    int p = i < n && a[i] > 0;
    int c = __syncthreads_count(p);
    int x = __syncthreads_and(p);
    int o = __syncthreads_or(p);
    if (threadIdx.x == 0) {
        cnt[blockIdx.x] = c;
        all[blockIdx.x] = x;
        any[blockIdx.x] = o;
    }
}

// Tree reduction with a barrier inside the loop: sums[b] = sum (mod 2^32) of a[i] over block b
// (blockDim.x must be a power of two <= 256; i >= n contributes 0).
extern "C" __global__ void sync_block_sum(const int *a, int *sums, int n)
{
    __shared__ int s[256];
    int t = threadIdx.x, i = gid();
    s[t] = i < n ? a[i] : 0;
    __syncthreads();
    for (unsigned stride = blockDim.x / 2; stride > 0; stride >>= 1) {
        if (t < stride) s[t] = (int)((unsigned)s[t] + (unsigned)s[t + stride]);
        __syncthreads();
    }
    if (t == 0) sums[blockIdx.x] = s[0];
}

// Iterated stencil with two barriers per iteration: block-local 1D array x (initially a[i],
// 0 for i >= n) is updated `steps` times as x[t] = x[t-1] + x[t] + x[t+1] (mod 2^32, neighbours
// outside the block are 0); out[i] = final x[t].
extern "C" __global__ void sync_stencil_loop(const int *a, int *out, int steps, int n)
{
    __shared__ unsigned s[256];
    int t = threadIdx.x, i = gid();
    s[t] = i < n ? (unsigned)a[i] : 0u;
    __syncthreads();
    for (int k = 0; k < steps; ++k) {
        unsigned l = t > 0 ? s[t - 1] : 0u;
        unsigned r = t + 1 < (int)blockDim.x ? s[t + 1] : 0u;
        unsigned v = l + s[t] + r;
        __syncthreads();
        s[t] = v;
        __syncthreads();
    }
    if (i < n) out[i] = (int)s[t];
}

// Fences: each thread writes data[i] = a[i] + 1, then __threadfence_block, __threadfence,
// __threadfence_system, and writes flag[i] = 1; out[i] = data[i] read back after the fences.
extern "C" __global__ void sync_fences(const int *a, int *data, int *flag, int *out, int n)
{
    int i = gid();
    if (i >= n) return;
    data[i] = (int)((unsigned)a[i] + 1u);
    __threadfence_block();
    flag[i] = 1;
    __threadfence();
    out[i] = ((volatile int *)data)[i];
    __threadfence_system();
    flag[i] = 2;
}

// Explicit membar/fence forms via inline PTX (same observable effect as sync_fences):
// data[i] = a[i] * 2; membar.cta; membar.gl; membar.sys; fence.acq_rel.cta;
// fence.sc.sys; out[i] = data[i].
extern "C" __global__ void sync_membar_ptx(const int *a, int *data, int *out, int n)
{
    int i = gid();
    if (i >= n) return;
    data[i] = (int)((unsigned)a[i] * 2u);
    asm volatile("membar.cta;" ::: "memory");
    asm volatile("membar.gl;" ::: "memory");
    asm volatile("membar.sys;" ::: "memory");
    asm volatile("fence.acq_rel.cta;" ::: "memory");
    asm volatile("fence.sc.sys;" ::: "memory");
    out[i] = ((volatile int *)data)[i];
}

// Warp-level barrier: each lane stores a[i] into shared memory, __syncwarp(), then reads the
// value of lane (lane ^ 1) in the same warp: out[i] = (i ^ 1) < n ? a[i ^ 1] : 0. Requires
// blockDim.x a multiple of 32 (<= 256).
extern "C" __global__ void sync_warp_exchange(const int *a, int *out, int n)
{
    __shared__ int s[256];
    int t = threadIdx.x, i = gid();
    s[t] = i < n ? a[i] : 0;
    __syncwarp();
    int v = s[t ^ 1];
    if (i < n) out[i] = v;
}

// Named barriers: barrier 1 (bar.sync 1, blockDim.x) and barrier 2 (barrier.sync 2, blockDim.x).
// With S(j) = a[blockIdx.x*blockDim.x + j] (0 beyond n), t = threadIdx.x, m = blockDim.x:
// out[i] = S((t + 1) % m) + S(m - 1 - (t + 2) % m) (mod 2^32). blockDim.x must be a multiple
// of 32 and <= 256.
extern "C" __global__ void sync_named_barrier(const int *a, int *out, int n)
{
    __shared__ int s[256];
    __shared__ int r[256];
    int t = threadIdx.x, i = gid();
    unsigned nt = blockDim.x;
    s[t] = i < n ? a[i] : 0;
    asm volatile("bar.sync 1, %0;" :: "r"(nt) : "memory");
    int x = s[(t + 1) % nt];
    r[t] = s[nt - 1 - t];
    asm volatile("barrier.sync 2, %0;" :: "r"(nt) : "memory");
    if (i < n) out[i] = (int)((unsigned)x + (unsigned)r[(t + 2) % nt]);
}
