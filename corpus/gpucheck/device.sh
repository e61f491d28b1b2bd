#!/usr/bin/env bash
# Step 2 (ON THE DEVICE, from the repository root, $OUT set): runs every case of work/dev/cases.txt through
# NVIDIA's driver with ptxrun. Writes $OUT/summary.tsv (case, exit code, seconds, last output line),
# $OUT/device.txt (nvidia-smi, driver, ptxrun --info), $OUT/examples.tsv (when examples were built) and
# $OUT/gpu.tar.gz holding gpu/<case>/argN.bin, gpu/<case>.log and examples/<program>.log (only a few files come
# back from $OUT, so the dumps travel as one archive; compare.py reads it directly).
# Needs only corpus/gpucheck/work/dev (carried) and corpus/ptx (tracked). Never hangs: 60 s per case, and cases
# are skipped once 240 s have passed. Exit status 0 when every case ran, 1 otherwise.
# GPUCHECK_ONLY=REGEX runs only the cases and example programs whose names match (grep -E), e.g. for a rerun.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
dev=corpus/gpucheck/work/dev
out="${OUT:?device.sh: set OUT to the output folder}"
mkdir -p "$out"
tmp=$(mktemp -d)   # results (packed into $OUT/gpu.tar.gz at exit) and executable copies
res="$tmp/res"
mkdir -p "$res/gpu"
trap 'tar czf "$out/gpu.tar.gz" -C "$res" . ; rm -rf "$tmp"' EXIT
start=$(date +%s)
if [ ! -f "$dev/cases.txt" ]; then
  echo "device.sh: $dev/cases.txt missing: run corpus/gpucheck/prepare.sh here first and carry corpus/gpucheck/work/dev" >&2
  exit 2
fi
{
  echo "== nvidia-smi -L"; timeout 15 nvidia-smi -L 2>&1
  echo "== nvidia-smi"; timeout 15 nvidia-smi --query-gpu=name,driver_version,compute_cap,memory.total --format=csv 2>&1
  echo "== uname"; uname -a; ldd --version 2>&1 | head -n 1
} > "$out/device.txt"
# executable copies: the carried files may have lost their mode bits or be read-only
cp "$dev/ptxrun" "$tmp/ptxrun" && chmod +x "$tmp/ptxrun"
ptxrun="$tmp/ptxrun"
if ! "$ptxrun" --help > /dev/null 2> "$res/ptxrun-start.log"; then
  echo "device.sh: the carried ptxrun does not start here ($(head -c 300 "$res/ptxrun-start.log")); rebuilding" | tee -a "$out/device.txt"
  if command -v gcc > /dev/null; then
    CUDA_INCLUDE="$dev/include" bash "$dev/build.sh" "$ptxrun" >> "$out/device.txt" 2>&1 || { echo "device.sh: rebuild failed"; exit 2; }
  else
    echo "device.sh: no gcc here to rebuild ptxrun; giving up" | tee -a "$out/device.txt"; exit 2
  fi
fi
echo "== ptxrun --info" >> "$out/device.txt"
info=$(timeout 30 "$ptxrun" --info 2>&1); rc=$?
if [ $rc -eq 3 ]; then
  # libcuda.so.1 not on the loader's path: look where drivers and containers put it
  for d in $(ldconfig -p 2>/dev/null | sed -n 's/.*libcuda\.so\.1 .*=> \(.*\)\/libcuda\.so\.1$/\1/p') /usr/lib/x86_64-linux-gnu \
           /usr/lib64 /usr/local/nvidia/lib64 /usr/local/nvidia/lib /usr/local/cuda/compat /usr/lib/wsl/lib; do
    if [ -e "$d/libcuda.so.1" ]; then
      export LD_LIBRARY_PATH="$d${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
      echo "device.sh: $info; retrying with LD_LIBRARY_PATH=$LD_LIBRARY_PATH" | tee -a "$out/device.txt"
      info=$(timeout 30 "$ptxrun" --info 2>&1); rc=$?
      break
    fi
  done
fi
echo "$info" >> "$out/device.txt"
echo "device.sh: $info (rc $rc)"
if [ $rc -ne 0 ]; then
  echo "device.sh: ptxrun cannot reach the CUDA driver (exit $rc: 3 = libcuda.so.1 not loadable): $info" >&2
  exit 2
fi
# The corpus PTX is .version 9.0 (CUDA 13). Older drivers reject it: rewrite to what they accept.
drv=$(echo "$info" | sed -n 's/^driver \([0-9]*\) .*/\1/p')
ptxver=""
if [ -n "$drv" ] && [ "$drv" -lt 13000 ]; then
  if [ "$drv" -ge 12000 ]; then ptxver=8.0; else ptxver=7.8; fi
  echo "device.sh: driver $drv predates PTX ISA 9.0: loading with --ptx-version $ptxver" | tee -a "$out/device.txt"
fi
printf 'case\texit\tseconds\tnote\n' > "$out/summary.tsv"
ok=0; bad=0; skipped=0
while IFS=$'\t' read -r name ptx kernel grid block shared args; do
  if [ -n "${GPUCHECK_ONLY:-}" ] && ! echo "$name" | grep -qE "$GPUCHECK_ONLY"; then continue; fi
  if [ $(( $(date +%s) - start )) -gt 240 ]; then
    printf '%s\tskipped\t0\ttime budget\n' "$name" >> "$out/summary.tsv"; skipped=$((skipped + 1)); continue
  fi
  t0=$(date +%s.%N)
  # shellcheck disable=SC2086
  timeout -k 5 60 "$ptxrun" "$ptx" --kernel "$kernel" --grid "$grid" --block "$block" --shared "$shared" \
    ${ptxver:+--ptx-version $ptxver} --dump "$res/gpu/$name" $args > "$res/gpu/$name.log" 2>&1
  rc=$?
  dt=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
  note=$(tail -n 1 "$res/gpu/$name.log" | tr '\t' ' ' | cut -c1-200)
  printf '%s\t%s\t%s\t%s\n' "$name" "$rc" "$dt" "$note" >> "$out/summary.tsv"
  if [ $rc -eq 0 ]; then ok=$((ok + 1)); echo "gpu  $name ok"; else bad=$((bad + 1)); echo "gpu  $name FAILED rc=$rc: $note"; fi
done < "$dev/cases.txt"
echo "device.sh: $ok ok, $bad failed, $skipped skipped in $(( $(date +%s) - start )) s; results in \$OUT/gpu.tar.gz, \$OUT/summary.tsv"
# Optional: the example programs (built by prepare.sh --examples with -cudart static), PASS/FAIL each.
if [ -d "$dev/examples" ]; then
  mkdir -p "$res/examples"
  printf 'program\texit\tresult\n' > "$out/examples.tsv"
  cp -r "$dev/examples" "$tmp/examples" && chmod +x "$tmp"/examples/* 2>/dev/null
  for prog in "$tmp"/examples/*; do
    case "$prog" in *.fatbin|*.log) continue ;; esac
    name=$(basename "$prog")
    if [ -n "${GPUCHECK_ONLY:-}" ] && ! echo "$name" | grep -qE "$GPUCHECK_ONLY"; then continue; fi
    if [ $(( $(date +%s) - start )) -gt 270 ]; then printf '%s\tskipped\ttime budget\n' "$name" >> "$out/examples.tsv"; continue; fi
    pargs=()
    case "$name" in
      driver_launch) pargs=("$tmp/examples/driver_kernels.fatbin" "$tmp/examples/driver_kernels-nocompress.fatbin") ;;
      process) pargs=(7) ;;
    esac
    echo "hello from stdin" | timeout -k 5 30 "$prog" ${pargs[@]+"${pargs[@]}"} > "$res/examples/$name.log" 2>&1
    rc=$?
    if [ $rc -eq 0 ] && grep -q PASS "$res/examples/$name.log"; then verdict=PASS; elif grep -q FAIL "$res/examples/$name.log"; then verdict=FAIL; else verdict="exit $rc"; fi
    printf '%s\t%s\t%s\n' "$name" "$rc" "$verdict" >> "$out/examples.tsv"
    echo "example $name: $verdict"
  done
fi
[ $bad -eq 0 ] && [ $skipped -eq 0 ]
