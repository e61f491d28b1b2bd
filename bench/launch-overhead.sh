#!/usr/bin/env bash
# Launch overhead of the native path (libcudart.so.13 -> libtranscuda.so -> JNI -> dispatcher -> CPU backend):
# builds bench/launch_overhead.cu with nvcc (-cudart shared) and runs it with `transcuda exec` on the CPU backend,
# RUNS times; prints each run (µs per call of empty-kernel launches and 4-byte cudaMemcpy, with the baselines the
# program measures in the same run: an empty C call and cudaGetDevice, the bridge's round trip).
# Usage: bench/launch-overhead.sh [RUNS] [ITERATIONS]   (defaults 3, 100000; needs nvcc and a packaged launcher)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-3}"
iterations="${2:-100000}"
nvcc="${NVCC:-$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
"$nvcc" -cudart shared -O2 -o "$out/launch_overhead" "$root/bench/launch_overhead.cu"
echo "nproc $(nproc), load $(cut -d' ' -f1-3 /proc/loadavg), $(uname -m)"
for r in $(seq "$runs"); do
  echo "--- run $r"
  TRANSCUDA_NO_BUILD=1 TRANSCUDA_BACKEND=cpu "$root/transcuda" exec -- "$out/launch_overhead" "$iterations"
done
