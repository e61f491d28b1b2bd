#!/usr/bin/env bash
# Builds corpus/gpucheck/ptxrun (needs gcc and CUDA's cuda.h; no libcuda at link time).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
inc="${CUDA_INCLUDE:-}"
if [ -z "$inc" ]; then
  for d in "$here/include" /usr/local/cuda/include /usr/local/cuda-*/include /usr/include; do
    if [ -f "$d/cuda.h" ]; then inc="$d"; break; fi
  done
fi
[ -n "$inc" ] && [ -f "$inc/cuda.h" ] || { echo "build.sh: cuda.h not found (set CUDA_INCLUDE)" >&2; exit 3; }
out="${1:-$here/ptxrun}"
gcc -O2 -std=gnu11 -Wall -Wextra -Werror -o "$out" "$here/ptxrun.c" -ldl -I"$inc"
echo "built $out (cuda.h from $inc)"
