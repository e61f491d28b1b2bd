// Kernels of PartialConstTest (backend-cpu): thread-constant loops and arm prescans in a region that runs with not
// every thread of the block active (PartialConst).
// nvcc -ptx -arch=sm_80 -O3 partialconst.cu, edited by hand into partialconst_hand.ptx (see there)

// Threads below k + blockIdx.x * step run the region; there a thread-constant shared index j = (t & 7) * 8 + (t >> 3)
// and predicate (t & 3) != 0 select a load of s[j] (ArmShared's arm). For threads below 64 j lies in s; from thread 71
// on some j (t & 7 == 7) lie past it: a prescan over every thread of a block of more than 64 threads fails.
extern "C" __global__ void pc_region(int k, int step, const int* __restrict__ in, int* __restrict__ out) {
    __shared__ int s[64];
    int t = threadIdx.x;
    int i = blockIdx.x * blockDim.x + t;
    if (t < 64) s[t] = in[i] * 2;
    __syncthreads();
    int v = 0;
    if (t < k + blockIdx.x * step) {
        int j = (t & 7) * 8 + (t >> 3);
        v = (t & 3) != 0 ? s[j] : -1;
    }
    out[i] = v;
}
