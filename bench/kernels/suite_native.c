// Native baselines of the CPU-backend benchmark suite: the six algorithms of suite.cu as C with OpenMP
// (gcc -O3 -fopenmp) and as OpenCL C on PoCL (suite.cl). Inputs come from the same generator as
// CpuBenchmark.java; every result is checked against a serial C reference before its times count.
// Usage: suite_native omp|ocl WARMUP RUNS [CLFILE]; prints "RESULT impl kernel median_wall_ms median_cpu_ms".
#define CL_TARGET_OPENCL_VERSION 120
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <dirent.h>
#include <sys/types.h>
#include <omp.h>
#ifdef WITH_OPENCL
#include <CL/cl.h>
#endif

#define N_SAXPY (1 << 24)
#define N_REDUCE (1 << 24)
#define N_MATMUL 512
#define N_HIST (1 << 24)
#define NX_STENCIL 4096
#define NY_STENCIL 4096
#define N_SCAN (1 << 24)
#define BLOCK 256
#define TILE 16
#define BINS 256
#define HIST_BLOCKS 256

static uint64_t state;
static void seed(uint64_t s) { state = s; }
static uint64_t next64(void) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state;
}
/* [0,1) with 24 bits */
static float nextFloat(void) { return (float)(next64() >> 40) * (1.0f / 16777216.0f); }

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* CPU time of the whole process (all threads: OpenMP's and PoCL's workers included), as the sum of every live
 * thread's own CPU clock. CLOCK_PROCESS_CPUTIME_ID is not used for this: Linux brings only the calling thread's
 * time up to date when it is read; another thread that is running is counted only up to its last tick or
 * context switch (4 ms ticks on the benchmark VM), so an OpenMP worker's part of a 1-3 ms kernel came out as 0
 * or as +4 ms. A thread's own clock (read here through the clock id Linux derives from the thread id, as
 * pthread_getcpuclockid does) includes the time since then. CpuBenchmark.cpuNanos counts the JVM's threads the
 * same way (ThreadMXBean.getThreadCpuTime of every live thread). */
static double threads_cpu_ms(void) {
    DIR* d = opendir("/proc/self/task");
    if (!d) { perror("/proc/self/task"); exit(2); }
    double sum = 0;
    struct dirent* e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
        pid_t tid = (pid_t)atoi(e->d_name);
        clockid_t id = (clockid_t)(((unsigned)~tid) << 3) | 6; /* CPUCLOCK_PERTHREAD | CPUCLOCK_SCHED */
        struct timespec ts;
        if (clock_gettime(id, &ts) == 0) sum += ts.tv_sec * 1e3 + ts.tv_nsec / 1e6; /* a thread that just exited */
    }
    closedir(d);
    return sum;
}
static double cpu_ms(void) { return threads_cpu_ms(); }

/* The process clock as the suite read it until 2026-11-27 (see threads_cpu_ms), printed as PROCCLOCK lines. */
static double process_clock_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void* a, const void* b) {
    double x = *(const double*)a, y = *(const double*)b;
    return x < y ? -1 : x > y;
}
static double median(double* t, int n) {
    qsort(t, n, sizeof(double), cmp_double);
    return n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

static int close_f(float got, double want, double rel) {
    return fabs(got - want) <= rel * fmax(1.0, fabs(want));
}
static int check_f(const char* what, const float* got, const double* want, long n, double rel) {
    for (long i = 0; i < n; i++) {
        if (!close_f(got[i], want[i], rel)) {
            fprintf(stderr, "%s: element %ld is %.9g, expected %.9g\n", what, i, got[i], want[i]);
            return 0;
        }
    }
    return 1;
}
static int check_i(const char* what, const int* got, const int* want, long n) {
    for (long i = 0; i < n; i++) {
        if (got[i] != want[i]) {
            fprintf(stderr, "%s: element %ld is %d, expected %d\n", what, i, got[i], want[i]);
            return 0;
        }
    }
    return 1;
}

/* ---- inputs and serial references ---- */
static float *sx, *sy0, *ra, *ma, *mb, *st;
static unsigned char* hd;
static int* sc;
static double *ref_saxpy, *ref_reduce, *ref_matmul, *ref_stencil;
static int *ref_hist, *ref_scan;
static const float A_SAXPY = 2.5f;

static void make_inputs(void) {
    sx = malloc(sizeof(float) * N_SAXPY); sy0 = malloc(sizeof(float) * N_SAXPY);
    seed(1); for (long i = 0; i < N_SAXPY; i++) { sx[i] = nextFloat(); sy0[i] = nextFloat(); }
    ra = malloc(sizeof(float) * N_REDUCE);
    seed(2); for (long i = 0; i < N_REDUCE; i++) ra[i] = nextFloat();
    ma = malloc(sizeof(float) * N_MATMUL * N_MATMUL); mb = malloc(sizeof(float) * N_MATMUL * N_MATMUL);
    seed(3); for (long i = 0; i < N_MATMUL * N_MATMUL; i++) { ma[i] = nextFloat(); mb[i] = nextFloat(); }
    hd = malloc(N_HIST);
    seed(4); for (long i = 0; i < N_HIST; i++) hd[i] = (unsigned char)(next64() >> 56);
    st = malloc(sizeof(float) * NX_STENCIL * NY_STENCIL);
    seed(5); for (long i = 0; i < (long)NX_STENCIL * NY_STENCIL; i++) st[i] = nextFloat();
    sc = malloc(sizeof(int) * N_SCAN);
    seed(6); for (long i = 0; i < N_SCAN; i++) sc[i] = (int)(next64() >> 54) - 512;

    ref_saxpy = malloc(sizeof(double) * N_SAXPY);
    for (long i = 0; i < N_SAXPY; i++) ref_saxpy[i] = (double)A_SAXPY * sx[i] + sy0[i];
    long nb = (N_REDUCE + 2 * BLOCK - 1) / (2 * BLOCK);
    ref_reduce = calloc(nb, sizeof(double));
    for (long i = 0; i < N_REDUCE; i++) ref_reduce[i / (2 * BLOCK)] += ra[i];
    ref_matmul = calloc((long)N_MATMUL * N_MATMUL, sizeof(double));
    for (int i = 0; i < N_MATMUL; i++)
        for (int k = 0; k < N_MATMUL; k++)
            for (int j = 0; j < N_MATMUL; j++) ref_matmul[i * N_MATMUL + j] += (double)ma[i * N_MATMUL + k] * mb[k * N_MATMUL + j];
    ref_hist = calloc(BINS, sizeof(int));
    for (long i = 0; i < N_HIST; i++) ref_hist[hd[i]]++;
    ref_stencil = malloc(sizeof(double) * NX_STENCIL * NY_STENCIL);
    for (int y = 0; y < NY_STENCIL; y++)
        for (int x = 0; x < NX_STENCIL; x++) {
            long i = (long)y * NX_STENCIL + x;
            ref_stencil[i] = (x == 0 || y == 0 || x == NX_STENCIL - 1 || y == NY_STENCIL - 1) ? st[i]
                : 0.25 * ((double)st[i - 1] + st[i + 1] + st[i - NX_STENCIL] + st[i + NX_STENCIL]);
        }
    ref_scan = malloc(sizeof(int) * N_SCAN);
    uint32_t acc = 0;
    for (long i = 0; i < N_SCAN; i++) { acc += (uint32_t)sc[i]; ref_scan[i] = (int)acc; }
}

/* ---- OpenMP versions ---- */
static float *o_y, *o_part, *o_c, *o_st;
static int *o_hist, *o_scan;

static void omp_saxpy_reset(void) { memcpy(o_y, sy0, sizeof(float) * N_SAXPY); }
static void omp_saxpy(void) {
    #pragma omp parallel for schedule(static)
    for (long i = 0; i < N_SAXPY; i++) o_y[i] = A_SAXPY * sx[i] + o_y[i];
}
static void omp_reduce(void) {
    long nb = (N_REDUCE + 2 * BLOCK - 1) / (2 * BLOCK);
    #pragma omp parallel for schedule(static)
    for (long b = 0; b < nb; b++) {
        float s = 0;
        long e = (b + 1) * 2 * BLOCK < N_REDUCE ? (b + 1) * 2 * BLOCK : N_REDUCE;
        #pragma omp simd reduction(+:s)
        for (long i = b * 2 * BLOCK; i < e; i++) s += ra[i];
        o_part[b] = s;
    }
}
static void omp_matmul(void) {
    const int n = N_MATMUL;
    #pragma omp parallel for schedule(static)
    for (int i = 0; i < n; i++) {
        float* c = o_c + (long)i * n;
        for (int j = 0; j < n; j++) c[j] = 0;
        for (int k = 0; k < n; k++) {
            float a = ma[(long)i * n + k];
            const float* b = mb + (long)k * n;
            for (int j = 0; j < n; j++) c[j] += a * b[j];
        }
    }
}
static void omp_histogram(void) {
    memset(o_hist, 0, sizeof(int) * BINS);
    #pragma omp parallel
    {
        int h[BINS] = {0};
        #pragma omp for schedule(static)
        for (long i = 0; i < N_HIST; i++) h[hd[i]]++;
        for (int b = 0; b < BINS; b++) {
            #pragma omp atomic
            o_hist[b] += h[b];
        }
    }
}
static void omp_stencil(void) {
    const int nx = NX_STENCIL, ny = NY_STENCIL;
    #pragma omp parallel for schedule(static)
    for (int y = 0; y < ny; y++) {
        const float* in = st + (long)y * nx;
        float* out = o_st + (long)y * nx;
        if (y == 0 || y == ny - 1) { memcpy(out, in, sizeof(float) * nx); continue; }
        out[0] = in[0];
        for (int x = 1; x < nx - 1; x++) out[x] = 0.25f * (in[x - 1] + in[x + 1] + in[x - nx] + in[x + nx]);
        out[nx - 1] = in[nx - 1];
    }
}
static void omp_scan(void) {
    static uint32_t partial[256];
    int nt = 1;
    #pragma omp parallel
    {
        int t = omp_get_thread_num();
        #pragma omp single
        nt = omp_get_num_threads();
        long lo = (long)N_SCAN * t / nt, hi = (long)N_SCAN * (t + 1) / nt;
        uint32_t acc = 0;
        for (long i = lo; i < hi; i++) { acc += (uint32_t)sc[i]; o_scan[i] = (int)acc; }
        partial[t] = acc;
        #pragma omp barrier
        uint32_t off = 0;
        for (int u = 0; u < t; u++) off += partial[u];
        if (off) for (long i = lo; i < hi; i++) o_scan[i] = (int)((uint32_t)o_scan[i] + off);
    }
}

typedef void (*fn)(void);
static int warmup, runs;

/* Runs f once from fresh inputs (reset) and checks the result; then WARMUP more runs, then RUNS timed runs
 * (saxpy keeps updating y in place: the same work each run). */
static void bench(const char* impl, const char* name, fn reset, fn f, int (*check)(void)) {
    if (reset) reset();
    f();
    if (!check()) { printf("RESULT %s %s FAILED\n", impl, name); fflush(stdout); return; }
    for (int i = 0; i < warmup; i++) f();
    double* t = malloc(sizeof(double) * runs);
    double* c = malloc(sizeof(double) * runs);
    double* p = malloc(sizeof(double) * runs);
    for (int i = 0; i < runs; i++) {
        double p0 = process_clock_ms(), c0 = cpu_ms(), t0 = now_ms();
        f();
        t[i] = now_ms() - t0;
        c[i] = cpu_ms() - c0;
        p[i] = process_clock_ms() - p0;
    }
    printf("RESULT %s %s %.3f %.3f\n", impl, name, median(t, runs), median(c, runs));
    printf("PROCCLOCK %s %s %.3f\n", impl, name, median(p, runs));
    fflush(stdout);
    free(t);
    free(c);
    free(p);
}

static int ck_saxpy(void) { return check_f("saxpy", o_y, ref_saxpy, N_SAXPY, 1e-6); }
static int ck_reduce(void) { return check_f("reduce", o_part, ref_reduce, (N_REDUCE + 2 * BLOCK - 1) / (2 * BLOCK), 1e-5); }
static int ck_matmul(void) { return check_f("matmul", o_c, ref_matmul, (long)N_MATMUL * N_MATMUL, 1e-4); }
static int ck_hist(void) { return check_i("histogram", o_hist, ref_hist, BINS); }
static int ck_stencil(void) { return check_f("stencil", o_st, ref_stencil, (long)NX_STENCIL * NY_STENCIL, 1e-6); }
static int ck_scan(void) { return check_i("scan", o_scan, ref_scan, N_SCAN); }

static void alloc_outputs(void) {
    o_y = malloc(sizeof(float) * N_SAXPY);
    o_part = malloc(sizeof(float) * N_REDUCE / (2 * BLOCK) + 64);
    o_c = malloc(sizeof(float) * N_MATMUL * N_MATMUL);
    o_hist = malloc(sizeof(int) * BINS);
    o_st = malloc(sizeof(float) * NX_STENCIL * NY_STENCIL);
    o_scan = malloc(sizeof(int) * N_SCAN);
}

#ifdef WITH_OPENCL
static cl_context ctx;
static cl_command_queue q;
static cl_program prog;
static cl_kernel k_saxpy, k_reduce, k_matmul, k_hist, k_stencil, k_scan_block, k_scan_add;
static cl_mem d_x, d_y, d_ra, d_part, d_a, d_b, d_c, d_hd, d_hist, d_st, d_st_out, d_sc, d_scan, d_sums, d_offs;
static int* h_sums;
#define CK(e) do { cl_int _e = (e); if (_e != CL_SUCCESS) { fprintf(stderr, "%s: OpenCL error %d\n", #e, _e); exit(2); } } while (0)

static cl_mem buf(size_t bytes, const void* init) {
    cl_int e;
    cl_mem m = clCreateBuffer(ctx, CL_MEM_READ_WRITE | (init ? CL_MEM_COPY_HOST_PTR : 0), bytes, (void*)init, &e);
    CK(e);
    return m;
}
static cl_kernel kern(const char* name) {
    cl_int e;
    cl_kernel k = clCreateKernel(prog, name, &e);
    CK(e);
    return k;
}
static void run1(cl_kernel k, size_t g, size_t l) { CK(clEnqueueNDRangeKernel(q, k, 1, NULL, &g, &l, 0, NULL, NULL)); }

static void ocl_saxpy_reset(void) { CK(clEnqueueWriteBuffer(q, d_y, CL_TRUE, 0, sizeof(float) * N_SAXPY, sy0, 0, NULL, NULL)); }
static void ocl_saxpy(void) {
    int n = N_SAXPY; float a = A_SAXPY;
    CK(clSetKernelArg(k_saxpy, 0, sizeof n, &n)); CK(clSetKernelArg(k_saxpy, 1, sizeof a, &a));
    CK(clSetKernelArg(k_saxpy, 2, sizeof d_x, &d_x)); CK(clSetKernelArg(k_saxpy, 3, sizeof d_y, &d_y));
    run1(k_saxpy, N_SAXPY, BLOCK);
    CK(clFinish(q));
}
static void ocl_reduce(void) {
    int n = N_REDUCE;
    CK(clSetKernelArg(k_reduce, 0, sizeof n, &n)); CK(clSetKernelArg(k_reduce, 1, sizeof d_ra, &d_ra));
    CK(clSetKernelArg(k_reduce, 2, sizeof d_part, &d_part));
    run1(k_reduce, (size_t)(N_REDUCE / (2 * BLOCK)) * BLOCK, BLOCK);
    CK(clFinish(q));
}
static void ocl_matmul(void) {
    int n = N_MATMUL;
    CK(clSetKernelArg(k_matmul, 0, sizeof n, &n)); CK(clSetKernelArg(k_matmul, 1, sizeof d_a, &d_a));
    CK(clSetKernelArg(k_matmul, 2, sizeof d_b, &d_b)); CK(clSetKernelArg(k_matmul, 3, sizeof d_c, &d_c));
    size_t g[2] = {N_MATMUL, N_MATMUL}, l[2] = {TILE, TILE};
    CK(clEnqueueNDRangeKernel(q, k_matmul, 2, NULL, g, l, 0, NULL, NULL));
    CK(clFinish(q));
}
static void ocl_hist(void) {
    int n = N_HIST; unsigned zero = 0;
    CK(clEnqueueFillBuffer(q, d_hist, &zero, sizeof zero, 0, sizeof(int) * BINS, 0, NULL, NULL));
    CK(clSetKernelArg(k_hist, 0, sizeof n, &n)); CK(clSetKernelArg(k_hist, 1, sizeof d_hd, &d_hd));
    CK(clSetKernelArg(k_hist, 2, sizeof d_hist, &d_hist));
    run1(k_hist, HIST_BLOCKS * BLOCK, BLOCK);
    CK(clFinish(q));
}
static void ocl_stencil(void) {
    int nx = NX_STENCIL, ny = NY_STENCIL;
    CK(clSetKernelArg(k_stencil, 0, sizeof nx, &nx)); CK(clSetKernelArg(k_stencil, 1, sizeof ny, &ny));
    CK(clSetKernelArg(k_stencil, 2, sizeof d_st, &d_st)); CK(clSetKernelArg(k_stencil, 3, sizeof d_st_out, &d_st_out));
    size_t g[2] = {NX_STENCIL, NY_STENCIL}, l[2] = {16, 16};
    CK(clEnqueueNDRangeKernel(q, k_stencil, 2, NULL, g, l, 0, NULL, NULL));
    CK(clFinish(q));
}
static void ocl_scan(void) {
    int n = N_SCAN, nb = N_SCAN / BLOCK;
    CK(clSetKernelArg(k_scan_block, 0, sizeof n, &n)); CK(clSetKernelArg(k_scan_block, 1, sizeof d_sc, &d_sc));
    CK(clSetKernelArg(k_scan_block, 2, sizeof d_scan, &d_scan)); CK(clSetKernelArg(k_scan_block, 3, sizeof d_sums, &d_sums));
    run1(k_scan_block, N_SCAN, BLOCK);
    CK(clEnqueueReadBuffer(q, d_sums, CL_TRUE, 0, sizeof(int) * nb, h_sums, 0, NULL, NULL));
    uint32_t acc = 0;
    for (int b = 0; b < nb; b++) { uint32_t s = (uint32_t)h_sums[b]; h_sums[b] = (int)acc; acc += s; }
    CK(clEnqueueWriteBuffer(q, d_offs, CL_FALSE, 0, sizeof(int) * nb, h_sums, 0, NULL, NULL));
    CK(clSetKernelArg(k_scan_add, 0, sizeof n, &n)); CK(clSetKernelArg(k_scan_add, 1, sizeof d_scan, &d_scan));
    CK(clSetKernelArg(k_scan_add, 2, sizeof d_offs, &d_offs));
    run1(k_scan_add, N_SCAN, BLOCK);
    CK(clFinish(q));
}
static void rd(cl_mem m, void* dst, size_t bytes) { CK(clEnqueueReadBuffer(q, m, CL_TRUE, 0, bytes, dst, 0, NULL, NULL)); }
static int ckc_saxpy(void) { rd(d_y, o_y, sizeof(float) * N_SAXPY); return ck_saxpy(); }
static int ckc_reduce(void) { rd(d_part, o_part, sizeof(float) * N_REDUCE / (2 * BLOCK)); return ck_reduce(); }
static int ckc_matmul(void) { rd(d_c, o_c, sizeof(float) * N_MATMUL * N_MATMUL); return ck_matmul(); }
static int ckc_hist(void) { rd(d_hist, o_hist, sizeof(int) * BINS); return ck_hist(); }
static int ckc_stencil(void) { rd(d_st_out, o_st, sizeof(float) * NX_STENCIL * NY_STENCIL); return ck_stencil(); }
static int ckc_scan(void) { rd(d_scan, o_scan, sizeof(int) * N_SCAN); return ck_scan(); }

static void opencl(const char* file) {
    cl_platform_id plat; cl_device_id dev; cl_int e;
    CK(clGetPlatformIDs(1, &plat, NULL));
    CK(clGetDeviceIDs(plat, CL_DEVICE_TYPE_ALL, 1, &dev, NULL));
    char dname[256]; clGetDeviceInfo(dev, CL_DEVICE_NAME, sizeof dname, dname, NULL);
    cl_uint units; clGetDeviceInfo(dev, CL_DEVICE_MAX_COMPUTE_UNITS, sizeof units, &units, NULL);
    fprintf(stderr, "OpenCL device: %s, %u compute units\n", dname, units);
    ctx = clCreateContext(NULL, 1, &dev, NULL, NULL, &e); CK(e);
    q = clCreateCommandQueue(ctx, dev, 0, &e); CK(e);
    FILE* f = fopen(file, "rb");
    if (!f) { perror(file); exit(2); }
    fseek(f, 0, SEEK_END); long len = ftell(f); fseek(f, 0, SEEK_SET);
    char* src = malloc(len + 1); if (fread(src, 1, len, f) != (size_t)len) exit(2); src[len] = 0; fclose(f);
    prog = clCreateProgramWithSource(ctx, 1, (const char**)&src, NULL, &e); CK(e);
    if (clBuildProgram(prog, 1, &dev, "-cl-std=CL1.2", NULL, NULL) != CL_SUCCESS) {
        char log[16384]; clGetProgramBuildInfo(prog, dev, CL_PROGRAM_BUILD_LOG, sizeof log, log, NULL);
        fprintf(stderr, "build failed:\n%s\n", log); exit(2);
    }
    k_saxpy = kern("saxpy"); k_reduce = kern("reduce"); k_matmul = kern("matmul"); k_hist = kern("histogram");
    k_stencil = kern("stencil"); k_scan_block = kern("scan_block"); k_scan_add = kern("scan_add");
    d_x = buf(sizeof(float) * N_SAXPY, sx); d_y = buf(sizeof(float) * N_SAXPY, NULL);
    d_ra = buf(sizeof(float) * N_REDUCE, ra); d_part = buf(sizeof(float) * N_REDUCE / (2 * BLOCK), NULL);
    d_a = buf(sizeof(float) * N_MATMUL * N_MATMUL, ma); d_b = buf(sizeof(float) * N_MATMUL * N_MATMUL, mb);
    d_c = buf(sizeof(float) * N_MATMUL * N_MATMUL, NULL);
    d_hd = buf(N_HIST, hd); d_hist = buf(sizeof(int) * BINS, NULL);
    d_st = buf(sizeof(float) * NX_STENCIL * NY_STENCIL, st); d_st_out = buf(sizeof(float) * NX_STENCIL * NY_STENCIL, NULL);
    d_sc = buf(sizeof(int) * N_SCAN, sc); d_scan = buf(sizeof(int) * N_SCAN, NULL);
    d_sums = buf(sizeof(int) * N_SCAN / BLOCK, NULL); d_offs = buf(sizeof(int) * N_SCAN / BLOCK, NULL);
    h_sums = malloc(sizeof(int) * N_SCAN / BLOCK);
    bench("pocl", "saxpy", ocl_saxpy_reset, ocl_saxpy, ckc_saxpy);
    bench("pocl", "reduce", NULL, ocl_reduce, ckc_reduce);
    bench("pocl", "matmul", NULL, ocl_matmul, ckc_matmul);
    bench("pocl", "histogram", NULL, ocl_hist, ckc_hist);
    bench("pocl", "stencil", NULL, ocl_stencil, ckc_stencil);
    bench("pocl", "scan", NULL, ocl_scan, ckc_scan);
}
#endif

int main(int argc, char** argv) {
    if (argc < 4) { fprintf(stderr, "usage: %s omp|ocl WARMUP RUNS [suite.cl]\n", argv[0]); return 2; }
    warmup = atoi(argv[2]);
    runs = atoi(argv[3]);
    make_inputs();
    alloc_outputs();
    if (!strcmp(argv[1], "omp")) {
        fprintf(stderr, "OpenMP threads: %d\n", omp_get_max_threads());
        bench("omp", "saxpy", omp_saxpy_reset, omp_saxpy, ck_saxpy);
        bench("omp", "reduce", NULL, omp_reduce, ck_reduce);
        bench("omp", "matmul", NULL, omp_matmul, ck_matmul);
        bench("omp", "histogram", NULL, omp_histogram, ck_hist);
        bench("omp", "stencil", NULL, omp_stencil, ck_stencil);
        bench("omp", "scan", NULL, omp_scan, ck_scan);
#ifdef WITH_OPENCL
    } else if (!strcmp(argv[1], "ocl")) {
        opencl(argc > 4 ? argv[4] : "suite.cl");
#endif
    } else {
        fprintf(stderr, "unknown mode %s\n", argv[1]);
        return 2;
    }
    return 0;
}
