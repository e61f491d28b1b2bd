/*
 * ptxrun: runs one PTX kernel through the CUDA driver API of whatever libcuda.so.1 the dynamic loader finds
 * (NVIDIA's, or Transcuda's drop-in one), with the argument notation of `transcuda run`:
 *
 *   ptxrun FILE.ptx --kernel NAME --grid X[,Y,Z] --block X[,Y,Z] [--shared BYTES] [--dump DIR] ARG...
 *   ARG: TYPE:VALUE (u32:7, f32:1.5), TYPE[V,...] (f32[1,2,3]), TYPE*COUNT (f32*1024), [TYPE]@FILE
 *   TYPE: u8 u16 u32 u64 s8 s16 s32 s64 b8 b16 b32 b64 f32 f64
 *
 * Buffers become device allocations passed by pointer; after the launch every buffer argument N is written to
 * DIR/argN.bin (raw little-endian bytes, as `transcuda run --dump` writes them). Extra options:
 *   --ptx-version V   rewrite the PTX's `.version` directive to V before loading (for drivers older than the
 *                     PTX ISA the file was written for; the file must not use newer features)
 *   ptxrun --info     print the driver version, device 0's name and compute capability, then exit
 * Exit status: 0 ok, 1 CUDA or I/O error, 2 usage error, 3 libcuda.so.1 not loadable.
 * libcuda is opened with dlopen (no link-time dependency); types come from cuda.h.
 */
#include <cuda.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define STR_(x) #x
#define STR(x) STR_(x)
/* F(cuMemAlloc) declares p_cuMemAlloc with cuda.h's type and the versioned symbol name cuda.h maps it to. */
#define FUNCS(F)                                                                                                   \
    F(cuInit) F(cuDriverGetVersion) F(cuDeviceGet) F(cuDeviceGetName) F(cuDeviceGetAttribute)                     \
    F(cuDevicePrimaryCtxRetain) F(cuDevicePrimaryCtxRelease) F(cuCtxSetCurrent) F(cuCtxSynchronize)               \
    F(cuModuleLoadData) F(cuModuleUnload) F(cuModuleGetFunction) F(cuLaunchKernel) F(cuMemAlloc) F(cuMemFree)    \
    F(cuMemcpyHtoD) F(cuMemcpyDtoH) F(cuGetErrorName) F(cuGetErrorString)
#define DECLARE(name) static __typeof__(name) *p_##name;
FUNCS(DECLARE)

static void die(int code, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("ptxrun: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(code);
}

static void load_driver(void) {
    void *h = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!h) die(3, "cannot load libcuda.so.1 (the CUDA driver library): %s", dlerror());
#define RESOLVE(name)                                                                                              \
    p_##name = (__typeof__(name) *)dlsym(h, STR(name));                                                            \
    if (!p_##name) die(3, "libcuda.so.1 has no symbol %s", STR(name));
    FUNCS(RESOLVE)
}

static void check(CUresult r, const char *what) {
    if (r == CUDA_SUCCESS) return;
    const char *name = NULL, *text = NULL;
    if (p_cuGetErrorName(r, &name) != CUDA_SUCCESS) name = NULL;
    if (p_cuGetErrorString(r, &text) != CUDA_SUCCESS) text = NULL;
    die(1, "%s failed: %s (%d): %s", what, name ? name : "unknown CUresult", (int)r, text ? text : "");
}

/* ---- argument notation (launcher's KernelArg) ---- */

typedef struct {
    const char *name;
    int size, is_float, is_signed;
} Type;

static const Type TYPES[] = {
    {"u8", 1, 0, 0},  {"u16", 2, 0, 0}, {"u32", 4, 0, 0}, {"u64", 8, 0, 0}, {"s8", 1, 0, 1},
    {"s16", 2, 0, 1}, {"s32", 4, 0, 1}, {"s64", 8, 0, 1}, {"b8", 1, 0, 0},  {"b16", 2, 0, 0},
    {"b32", 4, 0, 0}, {"b64", 8, 0, 0}, {"f32", 4, 1, 0}, {"f64", 8, 1, 0},
};

static const Type *parse_type(const char *s, size_t len, const char *arg) {
    for (size_t i = 0; i < sizeof TYPES / sizeof TYPES[0]; i++)
        if (strlen(TYPES[i].name) == len && strncasecmp(TYPES[i].name, s, len) == 0) return &TYPES[i];
    die(2, "unknown type '%.*s' in argument '%s' (u8..u64, s8..s64, b8..b64, f32, f64)", (int)len, s, arg);
    return NULL;
}

/* Encodes one textual value at out (little endian; x86-64 and aarch64 are little endian). */
static void put_value(const Type *t, const char *text, size_t len, unsigned char *out, const char *arg) {
    char buf[128];
    while (len && (*text == ' ' || *text == '\t')) text++, len--;
    while (len && (text[len - 1] == ' ' || text[len - 1] == '\t')) len--;
    if (len == 0 || len >= sizeof buf) die(2, "'%.*s' is not a %s value in argument '%s'", (int)len, text, t->name, arg);
    memcpy(buf, text, len);
    buf[len] = 0;
    char *end;
    errno = 0;
    if (t->is_float) {
        /* Java's parser also takes a trailing f/F/d/D suffix */
        if (len > 1 && strchr("fFdD", buf[len - 1]) && (buf[len - 2] == '.' || (buf[len - 2] >= '0' && buf[len - 2] <= '9')))
            buf[--len] = 0;
        if (t->size == 4) {
            float f = strtof(buf, &end);
            if (*end) die(2, "'%s' is not a f32 value in argument '%s'", buf, arg);
            memcpy(out, &f, 4);
        } else {
            double d = strtod(buf, &end);
            if (*end) die(2, "'%s' is not a f64 value in argument '%s'", buf, arg);
            memcpy(out, &d, 8);
        }
        return;
    }
    int neg = buf[0] == '-';
    const char *body = neg ? buf + 1 : buf;
    if (*body == '-' || *body == '+' || *body == 0) die(2, "'%s' is not a %s value in argument '%s'", buf, t->name, arg);
    int hex = body[0] == '0' && (body[1] == 'x' || body[1] == 'X');
    unsigned long long u = strtoull(hex ? body + 2 : body, &end, hex ? 16 : 10);
    if (*end || errno == ERANGE || (hex && body[2] == 0))
        die(2, "'%s' is not a %s value in argument '%s'", buf, t->name, arg);
    long long v = neg ? -(long long)u : (long long)u;
    int bits = t->size * 8;
    if (bits < 64) {
        long long min = (t->is_signed || neg) ? -(1LL << (bits - 1)) : 0;
        long long max = t->is_signed ? (1LL << (bits - 1)) - 1 : (1LL << bits) - 1;
        if (v < min || v > max) die(2, "value %s does not fit %s in argument '%s'", buf, t->name, arg);
    }
    uint64_t w = (uint64_t)v;
    for (int i = 0; i < t->size; i++) out[i] = (unsigned char)(w >> (8 * i));
}

typedef struct {
    int is_buffer;
    unsigned char *bytes; /* buffer contents, or the scalar's bytes */
    size_t len;
    uint64_t scalar[2];   /* scalar storage, 8-byte aligned, zero padded */
    CUdeviceptr dev;
} Arg;

static unsigned char *read_file(const char *path, size_t *len, const char *arg) {
    FILE *f = fopen(path, "rb");
    if (!f) die(2, "cannot read %s for argument '%s': %s", path, arg, strerror(errno));
    size_t cap = 1 << 16, n = 0;
    unsigned char *b = malloc(cap);
    for (size_t r; b && (r = fread(b + n, 1, cap - n, f)) > 0;) {
        n += r;
        if (n == cap) b = realloc(b, cap *= 2);
    }
    if (!b || ferror(f)) die(1, "cannot read %s for argument '%s'", path, arg);
    fclose(f);
    *len = n;
    return b;
}

static void parse_arg(const char *arg, Arg *a) {
    memset(a, 0, sizeof *a);
    const char *colon = strchr(arg, ':'), *bracket = strchr(arg, '['), *star = strchr(arg, '*'),
               *at = strchr(arg, '@');
    size_t alen = strlen(arg);
    if (at && (!bracket || at < bracket)) {
        const Type *t = at == arg ? &TYPES[0] : parse_type(arg, (size_t)(at - arg), arg);
        a->is_buffer = 1;
        a->bytes = read_file(at + 1, &a->len, arg);
        if (a->len % (size_t)t->size)
            die(2, "file %s has %zu bytes, not a multiple of %s in argument '%s'", at + 1, a->len, t->name, arg);
        if (a->len == 0) die(2, "file %s is empty", at + 1);
        return;
    }
    if (bracket && bracket > arg && arg[alen - 1] == ']') {
        const Type *t = parse_type(arg, (size_t)(bracket - arg), arg);
        const char *body = bracket + 1, *stop = arg + alen - 1;
        size_t count = 1;
        for (const char *p = body; p < stop; p++) count += *p == ',';
        int blank = 1;
        for (const char *p = body; p < stop; p++) blank &= *p == ' ' || *p == '\t';
        if (blank) die(2, "empty buffer in argument '%s'", arg);
        a->is_buffer = 1;
        a->len = count * (size_t)t->size;
        a->bytes = calloc(count, (size_t)t->size);
        size_t k = 0;
        for (const char *p = body;; k++) {
            const char *comma = memchr(p, ',', (size_t)(stop - p));
            const char *e = comma ? comma : stop;
            put_value(t, p, (size_t)(e - p), a->bytes + k * (size_t)t->size, arg);
            if (!comma) break;
            p = comma + 1;
        }
        return;
    }
    if (star && star > arg) {
        const Type *t = parse_type(arg, (size_t)(star - arg), arg);
        char *end;
        errno = 0;
        long long n = strtoll(star + 1, &end, 10);
        if (*end || star[1] == 0 || errno)
            die(2, "'%s' is not an element count in '%s'", star + 1, arg);
        if (n < 1 || n * t->size > 0x7ffffff7LL) die(2, "element count %lld out of range in '%s'", n, arg);
        a->is_buffer = 1;
        a->len = (size_t)n * (size_t)t->size;
        a->bytes = calloc((size_t)n, (size_t)t->size);
        return;
    }
    if (colon && colon > arg) {
        const Type *t = parse_type(arg, (size_t)(colon - arg), arg);
        put_value(t, colon + 1, strlen(colon + 1), (unsigned char *)a->scalar, arg);
        a->len = (size_t)t->size;
        return;
    }
    die(2, "cannot read argument '%s': expected TYPE:VALUE, TYPE[V,...], TYPE*COUNT or [TYPE]@FILE", arg);
}

static void dim(const char *s, const char *what, unsigned v[3]) {
    v[0] = v[1] = v[2] = 1;
    const char *p = s;
    for (int i = 0; i < 3; i++) {
        char *end;
        errno = 0;
        long x = strtol(p, &end, 10);
        if (end == p || errno || (*end && *end != ',')) die(2, "%s takes X[,Y,Z], not '%s'", what, s);
        if (x < 1 || x > 0x7fffffffL) die(2, "%s dimensions must be >= 1: '%s'", what, s);
        v[i] = (unsigned)x;
        if (!*end) return;
        p = end + 1;
    }
    die(2, "%s takes X[,Y,Z], not '%s'", what, s);
}

static void mkdirs(const char *dir) {
    char path[4096];
    if (strlen(dir) >= sizeof path) die(1, "path too long: %s", dir);
    strcpy(path, dir);
    for (char *p = path + 1;; p++) {
        if (*p == '/' || *p == 0) {
            char c = *p;
            *p = 0;
            if (mkdir(path, 0777) != 0 && errno != EEXIST) die(1, "cannot create %s: %s", path, strerror(errno));
            *p = c;
            if (!c) return;
        }
    }
}

/* The PTX text with its `.version X.Y` directive replaced by `.version V`. */
static char *rewrite_version(char *ptx, const char *v) {
    char *d = strstr(ptx, ".version");
    if (!d) die(1, "--ptx-version: the PTX has no .version directive");
    char *eol = d + strcspn(d, "\r\n");
    size_t head = (size_t)(d - ptx), tail = strlen(eol);
    char *out = malloc(head + tail + strlen(v) + 16);
    memcpy(out, ptx, head);
    sprintf(out + head, ".version %s", v);
    strcat(out, eol);
    return out;
}

static const char USAGE[] =
    "usage: ptxrun FILE.ptx --kernel NAME --grid X[,Y,Z] --block X[,Y,Z] [--shared BYTES] [--dump DIR]\n"
    "              [--ptx-version V] ARG...\n"
    "       ptxrun --info\n"
    "  ARG: TYPE:VALUE (u32:7, f32:1.5), TYPE[V,...] (f32[1,2,3]), TYPE*COUNT (f32*1024), [TYPE]@FILE\n";

int main(int argc, char **argv) {
    const char *ptxfile = NULL, *kernel = NULL, *dump = NULL, *ptxver = NULL;
    unsigned grid[3] = {0}, block[3] = {0}, shared = 0;
    int info = 0, nargs = 0;
    Arg *args = calloc((size_t)argc + 1, sizeof(Arg));
    const char **texts = calloc((size_t)argc + 1, sizeof(char *));
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--info") == 0) {
            info = 1;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(USAGE, stdout);
            return 0;
        } else if (strncmp(a, "--", 2) == 0 && strcmp(a, "--") != 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "ptxrun: %s needs a value\n%s", a, USAGE);
                return 2;
            }
            const char *v = argv[++i];
            if (strcmp(a, "--kernel") == 0) kernel = v;
            else if (strcmp(a, "--grid") == 0) dim(v, "--grid", grid);
            else if (strcmp(a, "--block") == 0) dim(v, "--block", block);
            else if (strcmp(a, "--dump") == 0) dump = v;
            else if (strcmp(a, "--ptx-version") == 0) ptxver = v;
            else if (strcmp(a, "--backend") == 0) { /* transcuda's backend choice: meaningless here */ }
            else if (strcmp(a, "--shared") == 0) {
                char *end;
                long s = strtol(v, &end, 10);
                if (*end || !*v || s < 0) die(2, "--shared takes a byte count, not '%s'", v);
                shared = (unsigned)s;
            } else {
                fprintf(stderr, "ptxrun: unknown option %s\n%s", a, USAGE);
                return 2;
            }
        } else if (!ptxfile) {
            ptxfile = a;
        } else {
            texts[nargs] = a;
            parse_arg(a, &args[nargs++]);
        }
    }
    if (!info) {
        const char *missing = !ptxfile ? "no PTX file given"
                              : !kernel ? "--kernel is required"
                              : (!grid[0] || !block[0]) ? "--grid and --block are required" : NULL;
        if (missing) {
            fprintf(stderr, "ptxrun: %s\n%s", missing, USAGE);
            return 2;
        }
    }

    load_driver();
    check(p_cuInit(0), "cuInit");
    CUdevice dev;
    check(p_cuDeviceGet(&dev, 0), "cuDeviceGet(0)");
    if (info) {
        int ver = 0, major = 0, minor = 0;
        char name[256] = "";
        check(p_cuDriverGetVersion(&ver), "cuDriverGetVersion");
        check(p_cuDeviceGetName(name, sizeof name, dev), "cuDeviceGetName");
        check(p_cuDeviceGetAttribute(&major, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, dev), "cuDeviceGetAttribute");
        check(p_cuDeviceGetAttribute(&minor, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, dev), "cuDeviceGetAttribute");
        printf("driver %d device %s sm_%d%d\n", ver, name, major, minor);
        return 0;
    }
    size_t plen;
    char *ptx = (char *)read_file(ptxfile, &plen, ptxfile);
    ptx = realloc(ptx, plen + 1);
    ptx[plen] = 0;
    if (ptxver) ptx = rewrite_version(ptx, ptxver);

    CUcontext ctx;
    check(p_cuDevicePrimaryCtxRetain(&ctx, dev), "cuDevicePrimaryCtxRetain");
    check(p_cuCtxSetCurrent(ctx), "cuCtxSetCurrent");
    CUmodule mod;
    check(p_cuModuleLoadData(&mod, ptx), "cuModuleLoadData");
    CUfunction fn;
    char what[512];
    snprintf(what, sizeof what, "cuModuleGetFunction(%s)", kernel);
    check(p_cuModuleGetFunction(&fn, mod, kernel), what);

    void **params = calloc((size_t)nargs + 1, sizeof(void *));
    for (int i = 0; i < nargs; i++) {
        Arg *a = &args[i];
        if (a->is_buffer) {
            snprintf(what, sizeof what, "argument %d ('%s'): cuMemAlloc", i, texts[i]);
            check(p_cuMemAlloc(&a->dev, a->len), what);
            snprintf(what, sizeof what, "argument %d ('%s'): cuMemcpyHtoD", i, texts[i]);
            check(p_cuMemcpyHtoD(a->dev, a->bytes, a->len), what);
            params[i] = &a->dev;
        } else {
            params[i] = a->scalar;
        }
    }
    check(p_cuLaunchKernel(fn, grid[0], grid[1], grid[2], block[0], block[1], block[2], shared, NULL, params, NULL),
          "cuLaunchKernel");
    check(p_cuCtxSynchronize(), "kernel execution (cuCtxSynchronize)");
    int dumped = 0;
    for (int i = 0; i < nargs; i++) {
        Arg *a = &args[i];
        if (!a->is_buffer) continue;
        snprintf(what, sizeof what, "argument %d: cuMemcpyDtoH", i);
        check(p_cuMemcpyDtoH(a->bytes, a->dev, a->len), what);
        if (dump) {
            mkdirs(dump);
            char path[4096];
            snprintf(path, sizeof path, "%s/arg%d.bin", dump, i);
            FILE *f = fopen(path, "wb");
            if (!f || fwrite(a->bytes, 1, a->len, f) != a->len || fclose(f) != 0)
                die(1, "cannot write %s: %s", path, strerror(errno));
            dumped++;
        }
        check(p_cuMemFree(a->dev), "cuMemFree");
    }
    check(p_cuModuleUnload(mod), "cuModuleUnload");
    check(p_cuDevicePrimaryCtxRelease(dev), "cuDevicePrimaryCtxRelease");
    printf("kernel %s grid %u,%u,%u block %u,%u,%u shared %u: ok, %d buffer(s) dumped\n", kernel, grid[0], grid[1],
           grid[2], block[0], block[1], block[2], shared, dumped);
    return 0;
}
