#!/usr/bin/env bash
# Regenerates the PTX of the kernel corpus: every src/<name>.cu becomes
# ptx/<name>.ptx, compiled with exactly
#
#     nvcc -ptx -arch=sm_80 -O3 <name>.cu -o <out>/<name>.ptx
#
# from inside src/ (the bare file name matters: assert() embeds __FILE__ in the PTX).
# The output is deterministic and not post-processed. This script is the single
# source of truth for the command; CorpusFreshnessTest runs it into a temporary
# directory and compares the result byte for byte with the committed ptx/.
#
# Usage: regen.sh [OUTPUT_DIR]    (default: the ptx/ folder next to this script;
#                                  only there are .ptx files without a source removed)
#        regen.sh --print-nvcc    print the nvcc that would be used; exit 3 if there is
#                                 none, 2 if $NVCC names something that is not executable
#        regen.sh --command       print the nvcc arguments used for every file
#
# nvcc is taken from $NVCC if set, else from PATH, else /usr/local/cuda/bin/nvcc,
# else the highest /usr/local/cuda-<version>/bin/nvcc. Files are compiled in parallel
# (one job per CPU); each output depends only on its own source.
set -euo pipefail

NVCC_ARGS=(-ptx -arch=sm_80 -O3)

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$here/src"

find_nvcc() {
    if [[ -n "${NVCC:-}" ]]; then
        [[ -x "$NVCC" ]] && { echo "$NVCC"; return 0; }
        echo "regen.sh: NVCC=$NVCC is not an executable" >&2
        return 2
    fi
    if command -v nvcc >/dev/null 2>&1; then
        command -v nvcc
        return 0
    fi
    # The /usr/local/cuda link names the system's default toolkit; otherwise take the
    # highest version of /usr/local/cuda-<version>.
    if [[ -x /usr/local/cuda/bin/nvcc ]]; then
        echo /usr/local/cuda/bin/nvcc
        return 0
    fi
    local best
    best="$(printf '%s\n' /usr/local/cuda*/bin/nvcc | sort -V | while read -r c; do
        [[ -x "$c" ]] && echo "$c"; done | tail -n 1)"
    [[ -n "$best" ]] && { echo "$best"; return 0; }
    return 1
}

case "${1:-}" in
    --print-nvcc)
        rc=0
        find_nvcc || rc=$?
        (( rc == 1 )) && echo "regen.sh: nvcc not found" >&2 && exit 3
        exit "$rc"
        ;;
    --command)
        echo "nvcc ${NVCC_ARGS[*]} <name>.cu -o <out>/<name>.ptx"
        exit 0
        ;;
    -h|--help)
        sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | grep '^#' | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    -*)
        echo "regen.sh: unknown option $1 (try --help)" >&2
        exit 2
        ;;
esac

rc=0
nvcc="$(find_nvcc)" || rc=$?
if (( rc == 2 )); then
    exit 2
elif (( rc != 0 )); then
    echo "regen.sh: nvcc not found (looked at \$NVCC, PATH and /usr/local/cuda*/bin/nvcc)." >&2
    echo "regen.sh: install the CUDA toolkit (no GPU is needed) or put nvcc on PATH." >&2
    exit 3
fi

default_out="$here/ptx"
out="${1:-$default_out}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

shopt -s nullglob
export LC_ALL=C
sources=("$src"/*.cu)
if (( ${#sources[@]} == 0 )); then
    echo "regen.sh: no sources in $src" >&2
    exit 1
fi

jobs="$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)"
cd "$src"
for f in "${sources[@]}"; do
    printf '%s\0' "$(basename "$f" .cu)"
done | xargs -0 -P "$jobs" -I{} "$nvcc" "${NVCC_ARGS[@]}" "{}.cu" -o "$out/{}.ptx"

# In the committed folder, drop PTX whose source is gone.
if [[ "$out" == "$(cd "$default_out" && pwd)" ]]; then
    for p in "$out"/*.ptx; do
        name="$(basename "$p" .ptx)"
        [[ -f "$src/$name.cu" ]] || { echo "regen.sh: removing stale $p" >&2; rm -f "$p"; }
    done
fi

echo "regen.sh: ${#sources[@]} files compiled with $("$nvcc" --version | tail -n 2 | head -n 1) into $out" >&2
