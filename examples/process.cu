// The program stays itself under Transcuda: its signal handlers and dispositions, its stdin/stdout order and
// its exit code (argv[1], default 0), with the JVM started inside it by the first CUDA call.
#include <cuda_runtime.h>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>
#include "check.h"

static volatile sig_atomic_t interrupted = 0;

static void onInterrupt(int) {
    interrupted = 1;
}

static bool isDefault(int sig) {
    struct sigaction sa;
    sigaction(sig, nullptr, &sa);
    return sa.sa_handler == SIG_DFL;
}

int main(int argc, char **argv) {
    std::printf("before CUDA\n");
    std::signal(SIGINT, onInterrupt);
    int count = 0;
    OK(cudaGetDeviceCount(&count)); // starts the JVM
    std::printf("after CUDA: %d device(s)\n", count);

    // The JVM keeps out of the program's signals (-Xrs) and gives SIGPIPE/SIGXFSZ back.
    std::raise(SIGINT);
    CHECK(interrupted == 1);
    CHECK(isDefault(SIGTERM));
    CHECK(isDefault(SIGHUP));
    CHECK(isDefault(SIGQUIT));
    CHECK(isDefault(SIGPIPE));
    CHECK(isDefault(SIGXFSZ));

    // A crash of the program is its own: killed by SIGSEGV, no JVM crash report.
    if (argc > 1 && std::strcmp(argv[1], "segv") == 0) {
        std::fflush(stdout);
        *(volatile int *)nullptr = 1;
    }

    // stdin passes through.
    std::string line;
    if (std::getline(std::cin, line)) std::printf("stdin: %s\n", line.c_str());
    else std::printf("stdin: <none>\n");

    // Error text printed by the program lands in order with its other output.
    std::printf("text: %s\n", cudaGetErrorString(cudaErrorInvalidValue));
    int code = finish();
    return argc > 1 ? std::atoi(argv[1]) : code;
}
