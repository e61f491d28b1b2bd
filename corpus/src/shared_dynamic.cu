// Transcuda kernel corpus: dynamic shared memory (extern __shared__).
// The host passes the dynamic shared size at launch; each kernel states it.

__device__ __forceinline__ int gid() { return blockIdx.x * blockDim.x + threadIdx.x; }

// Block reverse. Dynamic shared: blockDim.x * 4 bytes. With m = blockDim.x, b = blockIdx.x*m,
// t = threadIdx.x: out[b + t] = x(m - 1 - t), where x(j) = a[b + j] if b + j < n else 0
// (only b + t < n is written).
extern "C" __global__ void dyn_shared_reverse(const float *a, float *out, int n)
{
    extern __shared__ float sbuf[];
    int t = threadIdx.x, i = gid();
    sbuf[t] = i < n ? a[i] : 0.0f;
    __syncthreads();
    if (i < n) out[i] = sbuf[blockDim.x - 1 - t];
}

// Inclusive prefix sum per block (Hillis-Steele, double-buffered, a barrier per step).
// Dynamic shared: 2 * blockDim.x * 4 bytes. out[i] = sum (mod 2^32) of a[b .. i], b the block base.
extern "C" __global__ void dyn_shared_scan(const int *a, int *out, int n)
{
    extern __shared__ unsigned sscan[];
    int t = threadIdx.x, i = gid();
    unsigned m = blockDim.x;
    unsigned *src = sscan, *dst = sscan + m;
    src[t] = i < n ? (unsigned)a[i] : 0u;
    __syncthreads();
    for (unsigned off = 1; off < m; off <<= 1) {
        dst[t] = t >= (int)off ? src[t] + src[t - off] : src[t];
        __syncthreads();
        unsigned *tmp = src;
        src = dst;
        dst = tmp;
    }
    if (i < n) out[i] = (int)src[t];
}

// Several typed arrays carved out of one dynamic buffer. Dynamic shared: blockDim.x * 16 bytes
// (doubles first, then ints, then shorts, then chars). Per block-local t with
// neighbour u = (t + 1) % blockDim.x and x(j) = a[b + j] (0 beyond n):
// out[i] = (double)x(u) * 0.5 + (double)(x(u) & 0x7fff) + (double)(signed char)x(u) + (double)x(t).
extern "C" __global__ void dyn_shared_typed(const int *a, double *out, int n)
{
    extern __shared__ __align__(16) unsigned char raw[];
    unsigned m = blockDim.x;
    double *sd = (double *)raw;
    int *si = (int *)(raw + 8 * m);
    short *ss = (short *)(raw + 12 * m);
    signed char *sc = (signed char *)(raw + 14 * m);
    int t = threadIdx.x, i = gid();
    int x = i < n ? a[i] : 0;
    sd[t] = (double)x * 0.5;
    si[t] = x;
    ss[t] = (short)(x & 0x7fff);
    sc[t] = (signed char)x;
    __syncthreads();
    int u = (t + 1) % m;
    if (i < n) out[i] = sd[u] + (double)ss[u] + (double)sc[u] + (double)si[t];
}

// Matrix transpose through a padded dynamic tile. Launch with blockDim = (16, 16), grid covering
// the rows x cols input; dynamic shared: 16 * 17 * 4 bytes. out[c * rows + r] = in[r * cols + c].
extern "C" __global__ void dyn_shared_transpose(const float *in, float *out, int rows, int cols)
{
    extern __shared__ float tile[];
    int c = blockIdx.x * 16 + threadIdx.x;
    int r = blockIdx.y * 16 + threadIdx.y;
    if (r < rows && c < cols) tile[threadIdx.y * 17 + threadIdx.x] = in[r * cols + c];
    __syncthreads();
    int oc = blockIdx.y * 16 + threadIdx.x;
    int orow = blockIdx.x * 16 + threadIdx.y;
    if (orow < cols && oc < rows) out[orow * rows + oc] = tile[threadIdx.x * 17 + threadIdx.y];
}
