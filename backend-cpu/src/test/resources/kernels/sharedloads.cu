// Kernels of SharedLoadsTest: straight-line kernels whose loads share an address program up to whole elements and
// rows (stencil neighbours), taken from one another's arrays in the CPU backend's vector form (VecMem.share).
// PTX: nvcc -ptx -arch=sm_80 -O3 sharedloads.cu

// Neighbour values copied out raw (NaN payloads must survive), interior cells only; other[i] is another allocation
// (its addresses do not relate to in's: a load of its own).
extern "C" __global__ void neighbours(int nx, int ny, const float* __restrict__ in, const float* __restrict__ other,
                                      float* __restrict__ r, float* __restrict__ l, float* __restrict__ u,
                                      float* __restrict__ dl, float* __restrict__ o) {
    int x = blockIdx.x * blockDim.x + threadIdx.x;
    int y = blockIdx.y * blockDim.y + threadIdx.y;
    if (x < 1 || y < 1 || x >= nx - 1 || y >= ny - 1) return;
    int i = y * nx + x;
    float vr = in[i + 1], vl = in[i - 1], vu = in[i - nx], vdl = in[i + nx - 1], vo = other[i];
    r[i] = vr;
    l[i] = vl;
    u[i] = vu;
    dl[i] = vdl;
    o[i] = vo;
}

// The same with doubles, and the 5-point sum (f64 arithmetic on shared loads).
extern "C" __global__ void neighbours64(int nx, int ny, const double* __restrict__ in, double* __restrict__ u,
                                        double* __restrict__ d, double* __restrict__ s) {
    int x = blockIdx.x * blockDim.x + threadIdx.x;
    int y = blockIdx.y * blockDim.y + threadIdx.y;
    if (x < 1 || y < 1 || x >= nx - 1 || y >= ny - 1) return;
    int i = y * nx + x;
    double c = in[i], vu = in[i - nx], vd = in[i + nx];
    u[i] = vu;
    d[i] = vd;
    s[i] = c * 0.5 + (in[i - 1] + in[i + 1] + vu + vd);
}

// 1D: out[i] = in[i - 1] + 2 * in[i + 1], every thread (no guard): the first and the last thread read outside in.
extern "C" __global__ void blur1d(const int* __restrict__ in, int* __restrict__ out) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    out[i] = in[i - 1] + 2 * in[i + 1];
}

// A store between two loads of the same rows (p and q alias): the second load must see the thread's own store.
extern "C" __global__ void storeBetween(int nx, float* p, const float* q, float* out) {
    int x = blockIdx.x * blockDim.x + threadIdx.x;
    int y = blockIdx.y * blockDim.y + threadIdx.y;
    int i = y * nx + x;
    float a = q[i + nx];
    p[i] = a + 1.0f;
    out[i] = q[i];
}
