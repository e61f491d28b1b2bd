/*
 * libtranscuda.so: the one JVM of the process and the one entry into it, shared by libcudart.so.13 and
 * libcuda.so.1 (a program may use both APIs; JNI allows one JVM per process).
 */
#ifndef TC_BRIDGE_H
#define TC_BRIDGE_H

#include <stdint.h>

#define TC_PRIVATE __attribute__((visibility("default")))

/* tc_call results besides the function's own code. */
#define TC_UNAVAILABLE (-1) /* the JVM could not start (the reason is on stderr): report "not initialized" */
#define TC_FAILED (-2)      /* the Java side threw (a bug; the stack trace is on stderr): report "unknown" */

/* The most uint64 arguments a function takes (functions.txt). */
#define TC_MAX_ARGS 8

/* Calls function `fn` (functions.txt) with its argument block; starts the JVM on first use. */
TC_PRIVATE int tc_call(int fn, uint64_t *args);

/*
 * For registrations made while the program loads (before main): queued until the JVM runs (started by the
 * first real call), then replayed in order; forwarded at once after that. Never starts the JVM itself.
 */
TC_PRIVATE void tc_call_or_defer(int fn, const uint64_t *args, int count);

/*
 * The text of an error code, interned (the pointer stays valid for the life of the process): table 0
 * cudaGetErrorName, 1 cudaGetErrorString, 2 cuGetErrorName, 3 cuGetErrorString. NULL when the code is unknown
 * to a driver table. Works without the JVM for the codes the libraries produce on their own.
 */
TC_PRIVATE const char *tc_error_text(int table, int code);

#endif
