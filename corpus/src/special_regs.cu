// Transcuda kernel corpus: special registers and multi-dimensional launches
// (%tid/%ntid/%ctaid/%nctaid in x/y/z, %laneid, %warpid/%nwarpid, %smid/%nsmid,
// %clock/%clock64, %globaltimer, %dynamic_smem_size). Hardware-dependent registers are
// only used through invariants that hold on every device, so results stay deterministic.

// 3D grid of 3D blocks: with linear block b = (ctaid.z * nctaid.y + ctaid.y) * nctaid.x + ctaid.x,
// linear thread t = (tid.z * ntid.y + tid.y) * ntid.x + tid.x and threads per block T =
// ntid.x*ntid.y*ntid.z, g = b * T + t; for g < n: out[g*4 + 0] = b, [1] = t,
// [2] = tid.x + 10*tid.y + 100*tid.z, [3] = ctaid.x + 10*ctaid.y + 100*ctaid.z.
extern "C" __global__ void sreg_3d_index(unsigned *out, int n)
{
    unsigned b = (blockIdx.z * gridDim.y + blockIdx.y) * gridDim.x + blockIdx.x;
    unsigned t = (threadIdx.z * blockDim.y + threadIdx.y) * blockDim.x + threadIdx.x;
    unsigned T = blockDim.x * blockDim.y * blockDim.z;
    unsigned g = b * T + t;
    if (g >= (unsigned)n) return;
    out[g * 4] = b;
    out[g * 4 + 1] = t;
    out[g * 4 + 2] = threadIdx.x + 10 * threadIdx.y + 100 * threadIdx.z;
    out[g * 4 + 3] = blockIdx.x + 10 * blockIdx.y + 100 * blockIdx.z;
}

// Invariants of hardware registers, 1 when they hold (always), for a 1D launch: out[k*n+i]:
// [0] %laneid == tid.x % 32, [1] %warpid < %nwarpid, [2] %smid < %nsmid,
// [3] clock64 after >= clock64 before, [4] globaltimer after >= before,
// [5] %dynamic_smem_size == dyn (the dynamic shared size the host launched with, passed in dyn),
// [6] %clock difference (u32, wrapping) < 2^31.
extern "C" __global__ void sreg_invariants(unsigned *out, unsigned dyn, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    unsigned lane, warp, nwarp, sm, nsm, dsm, c0, c1;
    unsigned long long t0, t1, g0, g1;
    asm volatile("mov.u64 %0, %%clock64;" : "=l"(t0));
    asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(g0));
    asm volatile("mov.u32 %0, %%clock;" : "=r"(c0));
    asm("mov.u32 %0, %%laneid;" : "=r"(lane));
    asm volatile("mov.u32 %0, %%warpid;" : "=r"(warp));
    asm("mov.u32 %0, %%nwarpid;" : "=r"(nwarp));
    asm volatile("mov.u32 %0, %%smid;" : "=r"(sm));
    asm("mov.u32 %0, %%nsmid;" : "=r"(nsm));
    asm("mov.u32 %0, %%dynamic_smem_size;" : "=r"(dsm));
    asm volatile("mov.u32 %0, %%clock;" : "=r"(c1));
    asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(g1));
    asm volatile("mov.u64 %0, %%clock64;" : "=l"(t1));
    out[i] = lane == (threadIdx.x & 31);
    out[n + i] = warp < nwarp;
    out[2 * n + i] = sm < nsm;
    out[3 * n + i] = t1 >= t0;
    out[4 * n + i] = g1 >= g0;
    out[5 * n + i] = dsm == dyn;
    out[6 * n + i] = (c1 - c0) < 0x80000000u;
}
