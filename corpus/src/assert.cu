// Transcuda kernel corpus: device-side assertions and traps.
// assert() lowers to a call of __assertfail (message, file, line, function, char
// size); a failed assertion aborts the launch (the host sees
// cudaErrorAssert). The kernels below succeed on inputs that satisfy the stated
// preconditions and fail deterministically otherwise.
#include <cassert>

__device__ __forceinline__ int gid() { return blockIdx.x * blockDim.x + threadIdx.x; }

// Precondition a[i] >= 0 for all i < n (asserted); out[i] = a[i] * 2 (mod 2^32).
extern "C" __global__ void assert_nonneg(const int *a, int *out, int n)
{
    int i = gid();
    if (i >= n) return;
    int x = a[i];
    assert(x >= 0);
    out[i] = (int)((unsigned)x * 2u);
}

// Precondition b[i] != 0 (asserted) and a[i] % b[i] == 0 (asserted); out[i] = a[i] / b[i]
// (also requires a[i] != INT_MIN or b[i] != -1, asserted).
extern "C" __global__ void assert_exact_div(const int *a, const int *b, int *out, int n)
{
    int i = gid();
    if (i >= n) return;
    int x = a[i], y = b[i];
    assert(y != 0);
    assert(!(x == (-2147483647 - 1) && y == -1));
    assert(x % y == 0);
    out[i] = x / y;
}

// Trap: if a[i] is negative the thread executes trap (aborting the launch with an illegal
// instruction error); otherwise out[i] = a[i] + 1 (mod 2^32).
extern "C" __global__ void assert_trap(const int *a, int *out, int n)
{
    int i = gid();
    if (i >= n) return;
    int x = a[i];
    if (x < 0) __trap();
    out[i] = (int)((unsigned)x + 1u);
}
