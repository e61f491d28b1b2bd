// Transcuda kernel corpus: cooperative groups (thread-block tiles; no grid-wide sync,
// so ordinary launches suffice). <cooperative_groups/reduce.h> is deliberately not
// used: it pulls in libcu++ objects with internal linkage whose PTX names embed a
// hash of the source file's absolute path, which would make the PTX checkout-dependent.
// Kernels require blockDim.x to be a multiple of 32; lanes with i >= n use the input 0
// and store nothing.
#include <cooperative_groups.h>

namespace cg = cooperative_groups;

__device__ __forceinline__ int gid() { return blockIdx.x * blockDim.x + threadIdx.x; }

// Tile-of-16 sum with tile.shfl_down: sums[i / 16] = sum (mod 2^32) of a over the 16 consecutive
// threads of the tile (written by the tile's rank-0 thread if its i < n: ceil(n / 16) sums);
// rank[i] = tile.thread_rank() = i % 16, written after tile.sync().
extern "C" __global__ void cg_tile16_sum(const int *a, int *sums, int *rank, int n)
{
    cg::thread_block block = cg::this_thread_block();
    cg::thread_block_tile<16> tile = cg::tiled_partition<16>(block);
    int i = gid();
    unsigned x = i < n ? (unsigned)a[i] : 0u;
    for (int off = tile.size() / 2; off > 0; off /= 2) x += tile.shfl_down(x, off);
    tile.sync();
    if (tile.thread_rank() == 0 && i < n) sums[i / 16] = (int)x;
    if (i < n) rank[i] = (int)tile.thread_rank();
}

// Tile votes and shuffles on tiles of 8: with p = (a[i] > 0) (false beyond n): out[0n+i] = tile.any(p),
// [1n] = tile.all(p), [2n] = tile.ballot(p) (bit r = p of tile rank r, 8 bits),
// [3n] = value of a at tile rank (rank + 1) % 8 (tile.shfl), [4n] = a at rank ^ 4 (tile.shfl_xor),
// [5n] = tile.meta_group_rank() (index of this tile in the block).
extern "C" __global__ void cg_tile8_vote_shfl(const int *a, unsigned *out, int n)
{
    cg::thread_block block = cg::this_thread_block();
    cg::thread_block_tile<8> tile = cg::tiled_partition<8>(block);
    int i = gid();
    int x = i < n ? a[i] : 0;
    int p = x > 0;
    unsigned any = tile.any(p);
    unsigned all = tile.all(p);
    unsigned bal = tile.ballot(p);
    int r1 = tile.shfl(x, (tile.thread_rank() + 1) % 8);
    int r2 = tile.shfl_xor(x, 4);
    if (i >= n) return;
    out[i] = any;
    out[n + i] = all;
    out[2 * n + i] = bal;
    out[3 * n + i] = (unsigned)r1;
    out[4 * n + i] = (unsigned)r2;
    out[5 * n + i] = tile.meta_group_rank();
}

// Warp tiles and the block group: butterfly reductions with warp.shfl_xor give
// wsum[i / 32] = sum (mod 2^32) and wmax[i / 32] = signed max of x over the 32-thread tile
// (x = a[i], 0 beyond n; written by rank 0 if its i < n: ceil(n / 32) entries);
// match[i] = warp.match_any(x) (mask of tile ranks with the same x);
// out[i] = x at block-local index blockDim.x - 1 - t read after block.sync(). blockDim.x <= 256.
extern "C" __global__ void cg_warp_block(const int *a, int *wsum, int *wmax, unsigned *match, int *out, int n)
{
    __shared__ int s[256];
    cg::thread_block block = cg::this_thread_block();
    cg::thread_block_tile<32> warp = cg::tiled_partition<32>(block);
    int i = gid();
    int x = i < n ? a[i] : 0;
    unsigned sum = (unsigned)x;
    int mx = x;
    for (int off = 16; off > 0; off >>= 1) {
        sum += warp.shfl_xor(sum, off);
        mx = max(mx, warp.shfl_xor(mx, off));
    }
    unsigned m = warp.match_any(x);
    if (warp.thread_rank() == 0 && i < n) {
        wsum[i / 32] = (int)sum;
        wmax[i / 32] = mx;
    }
    s[block.thread_rank()] = x;
    block.sync();
    if (i < n) {
        match[i] = m;
        out[i] = s[block.size() - 1 - block.thread_rank()];
    }
}
