#!/usr/bin/env bash
# Builds the example CUDA programs with nvcc 13 as a user would (-cudart shared; the driver-API examples also
# links -lcuda against the drop-in libcuda.so), each in two variants: nvcc's default fat binary compression
# and --no-compress; memory, driver, vector_add, streams, symbols, managed and driver_features also with
# --default-stream per-thread (-ptds: the _ptds/_ptsz entry points). Binaries are rebuilt only when a source is newer.
#
#   examples/build.sh OUT_DIR NATIVE_DIR      (NATIVE_DIR: the built libcuda.so, e.g. launcher/target/dist/native)
#
# nvcc: $NVCC, else nvcc on PATH, else /usr/local/cuda/bin/nvcc. Exit code 3 when there is no nvcc.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:?usage: build.sh OUT_DIR NATIVE_DIR}"
native="${2:?usage: build.sh OUT_DIR NATIVE_DIR}"
nvcc="${NVCC:-$(command -v nvcc || true)}"
[ -n "$nvcc" ] || nvcc=/usr/local/cuda/bin/nvcc
if [ ! -x "$nvcc" ]; then
  echo "build.sh: no nvcc (set NVCC)" >&2
  exit 3
fi
mkdir -p "$out"

build() { # source variant flags...
  local src="$1" variant="$2"; shift 2
  local name; name="$(basename "$src" .cu)${variant}"
  if [ "$out/$name" -nt "$src" ] && [ "$out/$name" -nt "$here/check.h" ]; then return 0; fi
  "$nvcc" -cudart shared -std=c++17 -O2 -o "$out/$name.tmp" "$src" "$@" && mv "$out/$name.tmp" "$out/$name"
}

# Fat binaries (PTX and SASS, compressed and not) for driver_launch's cuModuleLoadData of a fat binary image.
fatbin() { # variant flags...
  local variant="$1"; shift
  local src="$here/kernels/driver_kernels.cu" name="driver_kernels${variant}.fatbin"
  if [ "$out/$name" -nt "$src" ]; then return 0; fi
  "$nvcc" -fatbin -gencode arch=compute_75,code=compute_75 -gencode arch=compute_80,code=sm_80 -o "$out/$name.tmp" \
      "$src" "$@" && mv "$out/$name.tmp" "$out/$name"
}
fatbin "" & fatbin "-nocompress" --no-compress & wait

pids=()
for src in "$here"/*.cu; do
  extra=()
  case "$(basename "$src")" in
    driver.cu|driver_launch.cu|driver_features.cu) extra=(-L"$native" -lcuda) ;;
  esac
  build "$src" "" "${extra[@]}" & pids+=($!)
  build "$src" "-nocompress" --no-compress "${extra[@]}" & pids+=($!)
  case "$(basename "$src")" in
    memory.cu|driver.cu|vector_add.cu|streams.cu|symbols.cu|managed.cu|driver_features.cu)
      build "$src" "-ptds" --default-stream per-thread "${extra[@]}" & pids+=($!) ;;
  esac
  # a few at a time: nvcc is memory- and CPU-hungry
  if [ "${#pids[@]}" -ge 2 ]; then
    for p in "${pids[@]}"; do wait "$p"; done
    pids=()
  fi
done
for p in "${pids[@]}"; do wait "$p"; done
ls "$out"
