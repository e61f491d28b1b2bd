// Transcuda kernel corpus: local memory.
// Per-thread arrays indexed with run-time values (ld.local/st.local), local
// structs whose address escapes into a __noinline__ function, and a local
// insertion sort. One thread per element i in [0, n).

__device__ __forceinline__ int gid() { return blockIdx.x * blockDim.x + threadIdx.x; }

// Table lookup through a local array: t[k] = a[i] * k + k*k (k = 0..31, mod 2^32);
// out[i] = t[idx[i] & 31] + t[(idx[i] >> 5) & 31].
extern "C" __global__ void local_dynamic_index(const int *a, const int *idx, int *out, int n)
{
    int i = gid();
    if (i >= n) return;
    unsigned t[32];
    unsigned x = (unsigned)a[i];
#pragma unroll 1
    for (int k = 0; k < 32; ++k) t[k] = x * (unsigned)k + (unsigned)(k * k);
    int j = idx[i];
    out[i] = (int)(t[j & 31] + t[(j >> 5) & 31]);
}

// Per-thread sort: the 8 values a[8i .. 8i+7] are copied to a local array, sorted ascending
// (signed) by insertion sort, and written to out[8i .. 8i+7].
extern "C" __global__ void local_sort8(const int *a, int *out, int n)
{
    int i = gid();
    if (i >= n) return;
    int v[8];
#pragma unroll 1
    for (int k = 0; k < 8; ++k) v[k] = a[8 * i + k];
#pragma unroll 1
    for (int k = 1; k < 8; ++k) {
        int x = v[k];
        int j = k - 1;
        while (j >= 0 && v[j] > x) {
            v[j + 1] = v[j];
            --j;
        }
        v[j + 1] = x;
    }
#pragma unroll 1
    for (int k = 0; k < 8; ++k) out[8 * i + k] = v[k];
}

struct Acc {
    long long sum;
    int count;
    float mean;
};

__device__ __noinline__ void acc_add(Acc *acc, int v)
{
    acc->sum += v;
    acc->count += 1;
    acc->mean = (float)acc->sum / (float)acc->count;
}

// Local struct passed by address: for the m = len values a[i*len .. i*len+len-1] (len >= 1):
// sum[i] = their sum (64-bit), cnt[i] = len, mean[i] = (float)sum / (float)len (IEEE division of
// the float-rounded sum by the float-rounded count).
extern "C" __global__ void local_struct_escape(const int *a, long long *sum, int *cnt, float *mean, int len, int n)
{
    int i = gid();
    if (i >= n) return;
    Acc acc = {0, 0, 0.0f};
    for (int k = 0; k < len; ++k) acc_add(&acc, a[(long long)i * len + k]);
    sum[i] = acc.sum;
    cnt[i] = acc.count;
    mean[i] = acc.mean;
}

// Local array of doubles with a run-time stride walk: h[k] = d[i] + k (k = 0..15);
// out[i] = sum over k of h[(k * s) & 15] where s = st[i] (a permutation if s is odd), in order k = 0..15.
extern "C" __global__ void local_double_walk(const double *d, const int *st, double *out, int n)
{
    int i = gid();
    if (i >= n) return;
    double h[16];
    double x = d[i];
#pragma unroll 1
    for (int k = 0; k < 16; ++k) h[k] = x + (double)k;
    int s = st[i];
    double acc = 0.0;
#pragma unroll 1
    for (int k = 0; k < 16; ++k) acc += h[((unsigned)k * (unsigned)s) & 15u];
    out[i] = acc;
}
