// Kernels of LockstepResetTest: blocks that end with only some threads active (the lockstep engine's active list
// then holds those threads), followed on the same worker by blocks that need the whole identity list.
// PTX: nvcc -ptx -arch=sm_80 -O3 lockreset.cu

// Threads t < keep leave early; the others meet at a barrier and write out[i] = 2 (the others keep 1). The
// block trapBlock traps before anything else, with every thread active: the fault names its first thread.
extern "C" __global__ void stale(int* out, int keep, int trapBlock) {
    int t = threadIdx.x, i = blockIdx.x * blockDim.x + t;
    if (blockIdx.x == trapBlock) asm volatile("trap;");
    out[i] = 1;
    if (t < keep) return;
    __syncthreads();
    out[i] = 2;
}
