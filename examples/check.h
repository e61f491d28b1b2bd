// Tiny self-checking helpers shared by the examples: each CHECK prints what failed; main prints PASS or FAIL
// and exits 0 only on PASS.
#pragma once
#include <cstdio>
#include <cstring>

static int failures = 0;

#define CHECK(cond)                                                                          \
    do {                                                                                     \
        if (!(cond)) {                                                                       \
            std::printf("check failed at %s:%d: %s\n", __FILE__, __LINE__, #cond);          \
            failures++;                                                                      \
        }                                                                                    \
    } while (0)

// A runtime call that must return `expected` (a cudaError_t).
#define EXPECT_RT(expected, call)                                                            \
    do {                                                                                     \
        cudaError_t e_ = (call);                                                             \
        if (e_ != (expected)) {                                                              \
            std::printf("%s:%d: %s returned %d (%s: %s), expected %d\n", __FILE__, __LINE__, #call, \
                    (int)e_, cudaGetErrorName(e_), cudaGetErrorString(e_), (int)(expected)); \
            failures++;                                                                      \
        }                                                                                    \
    } while (0)

#define OK(call) EXPECT_RT(cudaSuccess, call)

static int finish() {
    std::printf("%s\n", failures == 0 ? "PASS" : "FAIL");
    return failures == 0 ? 0 : 1;
}
