// Kernels of VectorPathsTest: straight-line kernels whose blocks run a path's vector form on the CPU backend's
// thread engine (VectorPaths: one statement at a time over the whole block). PTX: nvcc -ptx -arch=sm_80 -O3 vector.cu

// f32 arithmetic whose NaN results must be NVIDIA's canonical NaN, and fma against a separately rounded mul + add
extern "C" __global__ void f32ops(int n, float a, const float* __restrict__ x, const float* __restrict__ y,
                                  float* __restrict__ out) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        float xv = x[i], yv = y[i];
        float f = fmaf(a, xv, yv);                    // fused
        float m = __fadd_rn(__fmul_rn(a, xv), yv);    // rounded twice
        float d = __fdiv_rn(xv, yv);
        float s = __fsub_rn(f, m);
        out[4 * i] = f;
        out[4 * i + 1] = m;
        out[4 * i + 2] = d;
        out[4 * i + 3] = s;
    }
}

// f64: fma, division, a conversion to f32 and to int
extern "C" __global__ void f64ops(int n, double a, const double* __restrict__ x, double* __restrict__ out,
                                  float* __restrict__ outf, int* __restrict__ outi) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        double xv = x[i];
        double f = fma(a, xv, 1.0 / 3.0);
        out[i] = f / (xv - 2.5);
        outf[i] = (float) f;
        outi[i] = (int) xv;
    }
}

// 32- and 64-bit integer arithmetic with the thread index in the values
extern "C" __global__ void intops(const int* __restrict__ in, int* __restrict__ out, long long* __restrict__ wide) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    int v = in[i];
    out[i] = (v * 3) ^ (v >> 2) ^ (int) ((unsigned) v >> 5) + threadIdx.x - (v / 7) + (v % 5);
    wide[i] = (long long) v * 1000003LL + ((long long) i << 33) - (long long) blockIdx.x;
}

// threads of a block take one of two paths by threadIdx.x < k (different arrays in the arms: real branches)
extern "C" __global__ void twopaths(int k, const int* __restrict__ a, const int* __restrict__ b,
                                    int* __restrict__ lo, int* __restrict__ hi) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (threadIdx.x < k) {
        int v = a[i];
        lo[i] = v * 2;
        lo[i + 1024] = v - 3;
    } else {
        int v = b[i];
        hi[i] = v + 7;
        hi[i + 1024] = v ^ 5;
    }
}

// 3D blocks over a 3D volume: rows of blockDim.x threads that are not contiguous in memory
extern "C" __global__ void volume(int nx, int ny, const float* __restrict__ in, float* __restrict__ out) {
    int x = blockIdx.x * blockDim.x + threadIdx.x;
    int y = blockIdx.y * blockDim.y + threadIdx.y;
    int z = blockIdx.z * blockDim.z + threadIdx.z;
    int i = (z * ny + y) * nx + x;
    out[i] = in[i] * 2.0f + (float) z;
}

// strided gather and scatter (x-stride of two elements)
extern "C" __global__ void strided(const float* __restrict__ in, float* __restrict__ out) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    out[2 * i + 1] = in[2 * i] - in[2 * i + 1];
}

// a thread reads back what it stored: buf and out may alias, so the load of buf[i] follows the store to out[i]
extern "C" __global__ void ownorder(const float* __restrict__ in, float* buf, float* out, float* __restrict__ res) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    buf[i] = in[i] + 1.0f;
    out[i] = in[i] * 4.0f;
    res[i] = buf[i] * 3.0f;
}

// stores a block-uniform value (a fill loop in the vector form)
extern "C" __global__ void fill(float v, float* __restrict__ out) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    out[i] = v;
}

// f32 results read as bits in the same loop: the raw NaN of the add must be canonical before the xor reads it
extern "C" __global__ void nanbits(const float* __restrict__ x, const float* __restrict__ y, int* __restrict__ bits,
                                   float* __restrict__ out) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    float s = __fadd_rn(x[i], y[i]);
    float p = __fmul_rn(s, y[i]);
    bits[i] = __float_as_int(s) ^ 1;
    out[i] = __fsub_rn(p, s);
}

// byte loads: no vector form (only 32/64-bit accesses have one); the path's scalar method runs
extern "C" __global__ void bytes(const unsigned char* __restrict__ in, int* __restrict__ out) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    out[i] = in[i] + 1;
}
