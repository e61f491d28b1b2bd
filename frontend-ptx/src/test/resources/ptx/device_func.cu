// Non-inlined device functions with parameters and return values, including a struct by value.
struct Pair { float x; float y; };

__device__ __noinline__ float scaleAdd(float a, float b, int k)
{
    return a * (float)k + b;
}

__device__ __noinline__ Pair swapPair(Pair p)
{
    Pair r; r.x = p.y; r.y = p.x;
    return r;
}

__global__ void useFuncs(float* out, const float* in, Pair p)
{
    int i = threadIdx.x;
    Pair q = swapPair(p);
    out[i] = scaleAdd(in[i], q.x, i) + q.y;
}
