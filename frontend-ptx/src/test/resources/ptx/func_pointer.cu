// Indirect calls through a device function pointer table: call with a .callprototype.
typedef float (*op_t)(float, float);

__device__ float opAdd(float a, float b) { return a + b; }
__device__ float opMul(float a, float b) { return a * b; }
__device__ op_t ops[2] = {opAdd, opMul};

__global__ void applyOp(const float* a, const float* b, float* c, int which)
{
    int i = threadIdx.x;
    op_t f = ops[which & 1];
    c[i] = f(a[i], b[i]);
}
