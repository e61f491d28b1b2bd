/*
 * libtranscuda.so: starts the process's one JVM with the JNI invocation API on first use and forwards every
 * call through one static method, org.transcuda.launcher.nativeabi.NativeBridge.call(int function, long
 * argBlock). The JVM boots the Transcuda platform (embedded Felix) itself; this side only finds a JDK and the
 * distribution, keeps the host program's signal handling and exit code, and attaches calling threads.
 *
 * Environment (all optional; `transcuda exec` sets them):
 *   TRANSCUDA_HOME          the distribution (bundles/, backends/, lib/, etc/); default: the folder above the
 *                           one this library is in (launcher/target/dist for dist/native/libtranscuda.so)
 *   TRANSCUDA_LAUNCHER_JAR  the launcher jar; default: $TRANSCUDA_HOME/../org.transcuda.launcher-*.jar
 *   TRANSCUDA_JAVA_HOME, JAVA_HOME, then the JDK the libraries were built with: the first JDK 25+ wins
 *   TRANSCUDA_JAVA_OPTIONS  extra JVM options, separated by spaces (e.g. -Xmx8g)
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <ftw.h>
#include <glob.h>
#include <jni.h>
#include <libgen.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tc_bridge.h"
#include "tc_functions.h"

#ifndef TC_DEFAULT_JAVA_HOME
#define TC_DEFAULT_JAVA_HOME ""
#endif
#define TC_MIN_JAVA 25
#define TC_BRIDGE_CLASS "org/transcuda/launcher/nativeabi/NativeBridge"

typedef jint (*create_vm_fn)(JavaVM **, void **, void *);

static pthread_once_t once = PTHREAD_ONCE_INIT;
static JavaVM *vm;
static jclass bridge_class;
static jmethodID call_method;
static pthread_key_t detach_key;
static __thread JNIEnv *thread_env;

/* Registrations made before the JVM runs, replayed once it does. state: 0 not started, 1 running, 2 failed. */
struct deferred {
    int fn;
    uint64_t args[TC_MAX_ARGS];
    struct deferred *next;
};
static pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
static struct deferred *queue_head, **queue_tail = &queue_head;
static int state;

/* The process's scratch folder (java.io.tmpdir of the JVM: the OSGi cache), removed at exit, in a folder
 * of the user's that also takes JVM crash logs. */
static char scratch_base[PATH_MAX / 2];
static char scratch[PATH_MAX];
static pid_t scratch_owner;

static void complain(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void complain(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("transcuda: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static char *concat(const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    char *s = malloc(la + lb + 1);
    if (s == NULL) abort();
    memcpy(s, a, la);
    memcpy(s + la, b, lb + 1);
    return s;
}

static int is_file(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int is_dir(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The folder this library was loaded from. */
static void own_dir(char *out, size_t size) {
    Dl_info info;
    char real[PATH_MAX];
    out[0] = 0;
    if (dladdr((void *)&tc_call, &info) && info.dli_fname && realpath(info.dli_fname, real)) {
        snprintf(out, size, "%s", dirname(real));
    }
}

/* Major version from a JDK's `release` file (JAVA_VERSION="25.0.3"); 0 when unknown. */
static int java_major(const char *java_home) {
    char *path = concat(java_home, "/release");
    FILE *f = fopen(path, "r");
    free(path);
    if (f == NULL) return 0;
    char line[256];
    int major = 0;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "JAVA_VERSION=\"", 14) == 0) {
            major = atoi(line + 14);
            if (major == 1) major = atoi(line + 16); /* 1.8 */
            break;
        }
    }
    fclose(f);
    return major;
}

/* Picks the JDK: the libjvm.so of the first candidate that is Java 25 or newer. */
static char *find_libjvm(void) {
    const char *names[] = {"TRANSCUDA_JAVA_HOME", "JAVA_HOME", "the build's JDK"};
    const char *homes[] = {getenv("TRANSCUDA_JAVA_HOME"), getenv("JAVA_HOME"), TC_DEFAULT_JAVA_HOME};
    char tried[2048] = "";
    for (size_t i = 0; i < sizeof homes / sizeof homes[0]; i++) {
        if (homes[i] == NULL || homes[i][0] == 0) continue;
        char *lib = concat(homes[i], "/lib/server/libjvm.so");
        int major = java_major(homes[i]);
        if (is_file(lib) && major >= TC_MIN_JAVA) return lib;
        size_t used = strlen(tried);
        snprintf(tried + used, sizeof tried - used, "%s%s=%s (%s)", used ? ", " : "", names[i], homes[i],
                !is_file(lib) ? "no lib/server/libjvm.so" : "older than Java 25");
        free(lib);
    }
    complain("no Java %d+ runtime for the CUDA libraries (tried: %s); set TRANSCUDA_JAVA_HOME or run the "
             "program with `transcuda exec`", TC_MIN_JAVA, tried[0] ? tried : "nothing set");
    return NULL;
}

/* Class path: the launcher jar and the framework jars of $TRANSCUDA_HOME/lib. */
static char *class_path(const char *home) {
    char *jar = NULL;
    const char *configured = getenv("TRANSCUDA_LAUNCHER_JAR");
    if (configured && configured[0]) {
        jar = strdup(configured);
    } else {
        char *pattern = concat(home, "/../org.transcuda.launcher-*.jar");
        glob_t g;
        if (glob(pattern, 0, NULL, &g) == 0) {
            for (size_t i = 0; i < g.gl_pathc && jar == NULL; i++) {
                if (!strstr(g.gl_pathv[i], "-tests") && !strstr(g.gl_pathv[i], "-sources")) {
                    jar = strdup(g.gl_pathv[i]);
                }
            }
            globfree(&g);
        }
        free(pattern);
    }
    if (jar == NULL || !is_file(jar)) {
        complain("no launcher jar (%s); set TRANSCUDA_LAUNCHER_JAR or run the program with `transcuda exec`",
                jar ? jar : "none next to the distribution");
        free(jar);
        return NULL;
    }
    char *cp = concat("-Djava.class.path=", jar);
    free(jar);
    char *pattern = concat(home, "/lib/*.jar");
    glob_t g;
    if (glob(pattern, 0, NULL, &g) == 0) {
        for (size_t i = 0; i < g.gl_pathc; i++) {
            char *with_sep = concat(cp, ":");
            free(cp);
            cp = concat(with_sep, g.gl_pathv[i]);
            free(with_sep);
        }
        globfree(&g);
    }
    free(pattern);
    return cp;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st, (void)flag, (void)ftw;
    remove(path);
    return 0;
}

/* Runs after the program's atexit handlers (the registrations' included): the JVM's files go away. */
__attribute__((destructor)) static void remove_scratch(void) {
    if (scratch[0] && scratch_owner == getpid()) nftw(scratch, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static int make_scratch(void) {
    const char *tmp = getenv("TMPDIR");
    snprintf(scratch_base, sizeof scratch_base, "%s/transcuda-native-%u", tmp && tmp[0] ? tmp : "/tmp",
            (unsigned)getuid());
    if (mkdir(scratch_base, 0700) != 0 && errno != EEXIST) {
        complain("cannot create %s: %s", scratch_base, strerror(errno));
        return -1;
    }
    snprintf(scratch, sizeof scratch, "%s/%d", scratch_base, (int)getpid());
    if (mkdir(scratch, 0700) != 0 && errno != EEXIST) {
        complain("cannot create %s: %s", scratch, strerror(errno));
        scratch[0] = 0;
        return -1;
    }
    scratch_owner = getpid();
    return 0;
}

static void detach_thread(void *unused) {
    (void)unused;
    if (vm) (*vm)->DetachCurrentThread(vm);
}

/* The calling thread's JNIEnv: attached as a daemon thread on first use, detached when the thread ends. */
static JNIEnv *current_env(void) {
    if (thread_env) return thread_env;
    JNIEnv *env = NULL;
    if ((*vm)->GetEnv(vm, (void **)&env, JNI_VERSION_1_8) == JNI_OK) {
        thread_env = env; /* attached by someone else, who detaches it */
        return env;
    }
    if ((*vm)->AttachCurrentThreadAsDaemon(vm, (void **)&env, NULL) != JNI_OK) {
        complain("cannot attach a thread to the JVM");
        return NULL;
    }
    pthread_setspecific(detach_key, vm);
    thread_env = env;
    return env;
}

static int invoke(JNIEnv *env, int fn, uint64_t *args) {
    jint r = (*env)->CallStaticIntMethod(env, bridge_class, call_method, (jint)fn, (jlong)(uintptr_t)args);
    if ((*env)->ExceptionCheck(env)) {
        (*env)->ExceptionDescribe(env);
        return TC_FAILED;
    }
    return r;
}

/*
 * The program's crashes stay its own. The JVM handles SIGSEGV, SIGBUS, SIGFPE and SIGILL itself (implicit null
 * checks and the like) and treats any other fault, the program's included, as a JVM crash (an hs_err report,
 * then abort). A handler installed before the JVM starts is one it chains to for the faults it does not
 * recognize: this one restores the default action, so that the fault ends the process as it would without
 * Transcuda (killed by the signal, core dump as configured). A handler of the program's own is chained to
 * instead. TRANSCUDA_JVM_CRASH_REPORTS=1 keeps the JVM's reports (to debug the JVM itself).
 */
static const int fatal_signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL};

static void die_by_signal(int sig, siginfo_t *info, void *context) {
    (void)context;
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(sig, &dfl, NULL);
    /* A fault re-executes its instruction on return and dies; a signal someone sent is sent again. */
    if (info == NULL || info->si_code <= 0) raise(sig);
}

static void chain_fatal_signals(int install) {
    const char *reports = getenv("TRANSCUDA_JVM_CRASH_REPORTS");
    if (reports && strcmp(reports, "1") == 0) return;
    for (size_t i = 0; i < sizeof fatal_signals / sizeof fatal_signals[0]; i++) {
        struct sigaction current;
        sigaction(fatal_signals[i], NULL, &current);
        int ours = (current.sa_flags & SA_SIGINFO) && current.sa_sigaction == die_by_signal;
        if (install && current.sa_handler == SIG_DFL && !(current.sa_flags & SA_SIGINFO)) {
            struct sigaction sa;
            memset(&sa, 0, sizeof sa);
            sa.sa_sigaction = die_by_signal;
            sa.sa_flags = SA_SIGINFO;
            sigemptyset(&sa.sa_mask);
            sigaction(fatal_signals[i], &sa, NULL);
        } else if (!install && ours) {
            struct sigaction dfl;
            memset(&dfl, 0, sizeof dfl);
            dfl.sa_handler = SIG_DFL;
            sigemptyset(&dfl.sa_mask);
            sigaction(fatal_signals[i], &dfl, NULL);
        }
    }
}

/* The CPUs this process may run on (what nproc prints). */
static int cpu_count(void) {
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) return CPU_COUNT(&set);
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

static int start_jvm(void) {
    char dir[PATH_MAX];
    own_dir(dir, sizeof dir);
    const char *home_env = getenv("TRANSCUDA_HOME");
    char home[PATH_MAX];
    if (home_env && home_env[0]) {
        snprintf(home, sizeof home, "%s", home_env);
    } else {
        snprintf(home, sizeof home, "%s", dirname(dir));
    }
    if (!is_dir(home)) {
        complain("no Transcuda distribution at %s; set TRANSCUDA_HOME or run the program with `transcuda exec`",
                home);
        return -1;
    }
    char *libjvm = find_libjvm();
    if (libjvm == NULL) return -1;
    char *cp = class_path(home);
    if (cp == NULL) return -1;
    if (make_scratch() != 0) return -1;

    void *jvm_lib = dlopen(libjvm, RTLD_NOW | RTLD_GLOBAL);
    if (jvm_lib == NULL) {
        complain("cannot load %s: %s", libjvm, dlerror());
        return -1;
    }
    create_vm_fn create = (create_vm_fn)dlsym(jvm_lib, "JNI_CreateJavaVM");
    if (create == NULL) {
        complain("%s has no JNI_CreateJavaVM", libjvm);
        return -1;
    }

    char *opts[64];
    int n = 0;
    opts[n++] = cp;
    opts[n++] = concat("-Dtranscuda.home=", home);
    opts[n++] = concat("-Djava.io.tmpdir=", scratch);
    opts[n++] = "-Dtranscuda.native=true";
    /* The program keeps SIGINT, SIGTERM, SIGHUP and SIGQUIT; no hsperfdata files; crash logs out of its cwd. */
    opts[n++] = "-Xrs";
    opts[n++] = "-XX:-UsePerfData";
    char error_file[PATH_MAX + 64];
    snprintf(error_file, sizeof error_file, "-XX:ErrorFile=%s/hs_err_pid%%p.log", scratch_base);
    opts[n++] = error_file;
    opts[n++] = "--enable-native-access=ALL-UNNAMED";
    opts[n++] = "--sun-misc-unsafe-memory-access=allow";
    /* The JIT flags of ./transcuda: the CPU backend's generated methods may exceed 8000 bytes of bytecode; below
     * 4 CPUs HotSpot has one C2 thread, and a kernel's generated methods wait seconds in its queue: 3 compiler
     * threads (1 C1 + 2 C2, HotSpot's own count at 4 CPUs). TRANSCUDA_JAVA_OPTIONS=-XX:CICompilerCount=2 turns
     * that off (the last flag wins). */
    opts[n++] = "-XX:-DontCompileHugeMethods";
    if (cpu_count() < 4) opts[n++] = "-XX:CICompilerCount=3";
    /* The JDK's vector API for the CPU backend's vector lane loops (LaneVec), as in ./transcuda: the JVM prints one
     * warning line on stderr that it uses an incubator module. TRANSCUDA_VECTOR_API=0 leaves it out (scalar code). */
    const char *vector_api = getenv("TRANSCUDA_VECTOR_API");
    if (!vector_api || strcmp(vector_api, "0") != 0) opts[n++] = "--add-modules=jdk.incubator.vector";
    char *extra = getenv("TRANSCUDA_JAVA_OPTIONS") ? strdup(getenv("TRANSCUDA_JAVA_OPTIONS")) : NULL;
    for (char *save = NULL, *tok = extra ? strtok_r(extra, " \t", &save) : NULL; tok && n < 64;
            tok = strtok_r(NULL, " \t", &save)) {
        opts[n++] = tok;
    }
    JavaVMOption options[64];
    for (int i = 0; i < n; i++) {
        options[i].optionString = opts[i];
        options[i].extraInfo = NULL;
    }
    JavaVMInitArgs args = {.version = JNI_VERSION_1_8, .nOptions = n, .options = options, .ignoreUnrecognized = 0};

    /* The JVM routes SIGPIPE and SIGXFSZ to handlers that ignore them: give the program its own back. */
    struct sigaction pipe_action, xfsz_action;
    sigaction(SIGPIPE, NULL, &pipe_action);
    sigaction(SIGXFSZ, NULL, &xfsz_action);
    chain_fatal_signals(1);
    JNIEnv *env = NULL;
    jint rc = create(&vm, (void **)&env, &args);
    sigaction(SIGPIPE, &pipe_action, NULL);
    sigaction(SIGXFSZ, &xfsz_action, NULL);
    if (rc != JNI_OK) {
        chain_fatal_signals(0);
        complain("the JVM (%s) did not start: JNI error %d", libjvm, (int)rc);
        vm = NULL;
        return -1;
    }
    thread_env = env;
    pthread_key_create(&detach_key, detach_thread);
    pthread_setspecific(detach_key, vm);

    jclass cls = (*env)->FindClass(env, TC_BRIDGE_CLASS);
    jmethodID boot = cls ? (*env)->GetStaticMethodID(env, cls, "boot", "()I") : NULL;
    call_method = cls ? (*env)->GetStaticMethodID(env, cls, "call", "(IJ)I") : NULL;
    if (cls == NULL || boot == NULL || call_method == NULL) {
        if ((*env)->ExceptionCheck(env)) (*env)->ExceptionDescribe(env);
        complain("the launcher jar on %s has no %s", cp, TC_BRIDGE_CLASS);
        return -1;
    }
    bridge_class = (jclass)(*env)->NewGlobalRef(env, cls);
    jint booted = (*env)->CallStaticIntMethod(env, bridge_class, boot);
    if ((*env)->ExceptionCheck(env)) {
        (*env)->ExceptionDescribe(env);
        return -1;
    }
    return booted == 0 ? 0 : -1; /* NativeBridge.boot has said why */
}

static void init(void) {
    int ok = start_jvm() == 0;
    pthread_mutex_lock(&queue_lock);
    if (ok) {
        JNIEnv *env = current_env();
        for (struct deferred *d = queue_head; d; d = d->next) invoke(env, d->fn, d->args);
    }
    while (queue_head) {
        struct deferred *d = queue_head;
        queue_head = d->next;
        free(d);
    }
    queue_tail = &queue_head;
    state = ok ? 1 : 2;
    pthread_mutex_unlock(&queue_lock);
}

int tc_call(int fn, uint64_t *args) {
    pthread_once(&once, init);
    if (state != 1) return TC_UNAVAILABLE;
    JNIEnv *env = current_env();
    if (env == NULL) return TC_UNAVAILABLE;
    return invoke(env, fn, args);
}

void tc_call_or_defer(int fn, const uint64_t *args, int count) {
    uint64_t copy[TC_MAX_ARGS] = {0};
    memcpy(copy, args, sizeof(uint64_t) * (size_t)(count < TC_MAX_ARGS ? count : TC_MAX_ARGS));
    pthread_mutex_lock(&queue_lock);
    int s = state;
    if (s == 0) {
        struct deferred *d = calloc(1, sizeof *d);
        if (d == NULL) abort();
        d->fn = fn;
        memcpy(d->args, copy, sizeof copy);
        *queue_tail = d;
        queue_tail = &d->next;
    }
    pthread_mutex_unlock(&queue_lock);
    if (s == 1) tc_call(fn, copy);
}

/* Error texts. Without a JVM only these codes can occur: success, "not initialized" and "unknown". */
static const char *fallback_text(int table, int code) {
    static const char *const names[4][3] = {
        {"cudaSuccess", "cudaErrorInitializationError", "cudaErrorUnknown"},
        {"no error", "initialization error", "unknown error"},
        {"CUDA_SUCCESS", "CUDA_ERROR_NOT_INITIALIZED", "CUDA_ERROR_UNKNOWN"},
        {"no error", "initialization error", "unknown error"},
    };
    int i = code == 0 ? 0 : code == 3 ? 1 : code == 999 ? 2 : -1;
    if (i >= 0) return names[table][i];
    return table < 2 ? "unrecognized error code" : NULL;
}

struct text {
    int table, code;
    const char *text;
    struct text *next;
};
static pthread_mutex_t text_lock = PTHREAD_MUTEX_INITIALIZER;
static struct text *texts;

static const char *cached_text(int table, int code, int *found) {
    *found = 0;
    for (struct text *t = texts; t; t = t->next) {
        if (t->table == table && t->code == code) {
            *found = 1;
            return t->text;
        }
    }
    return NULL;
}

const char *tc_error_text(int table, int code) {
    if (table < 0 || table > 3) return NULL;
    int found;
    pthread_mutex_lock(&text_lock);
    const char *s = cached_text(table, code, &found);
    pthread_mutex_unlock(&text_lock);
    if (found) return s;
    char buffer[512] = {0};
    uint64_t args[4] = {(uint64_t)table, (uint64_t)(int64_t)code, (uintptr_t)buffer, sizeof buffer};
    int r = tc_call(TC_FN_tcErrorText, args);
    if (r == TC_UNAVAILABLE || r == TC_FAILED) return fallback_text(table, code);
    pthread_mutex_lock(&text_lock);
    s = cached_text(table, code, &found);
    if (!found) {
        struct text *t = malloc(sizeof *t);
        if (t == NULL) abort();
        t->table = table;
        t->code = code;
        t->text = r == 0 ? strdup(buffer) : NULL;
        t->next = texts;
        texts = t;
        s = t->text;
    }
    pthread_mutex_unlock(&text_lock);
    return s;
}
