#!/usr/bin/env bash
# Step 1 (here, with the JDK and a packaged build): builds ptxrun, generates the inputs and runs every case on
# Transcuda's CPU backend. Run from anywhere; works in the repository root.
#   corpus/gpucheck/prepare.sh            ptxrun + inputs into work/dev/, CPU dumps into work/cpu/<case>/
#   corpus/gpucheck/prepare.sh --examples also builds examples/*.cu (nvcc, -cudart static) into work/dev/examples/
#                                         for device.sh to run on NVIDIA's driver (PASS/FAIL), about 3 minutes
#   corpus/gpucheck/prepare.sh --selftest also runs ptxrun through Transcuda's own libcuda.so.1 into
#                                         work/selftest/<case>/ (compare.py work/cpu work/selftest: all equal)
# Needs: launcher/target/dist (mvn -o -q -DskipTests package), gcc, cuda.h, python3 with numpy.
# GPUCHECK_ONLY=REGEX: only the matching cases; GPUCHECK_WORK=DIR: another work folder (selftest.sh uses both).
# Only work/dev/ goes to the device (the `carry` path corpus/gpucheck/work/dev, a few MiB).
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
g=corpus/gpucheck
w=${GPUCHECK_WORK:-$g/work}
rm -rf "$w/dev" "$w/cpu" "$w/selftest"
mkdir -p "$w/dev" "$w/cpu"
"$g/build.sh" "$w/dev/ptxrun" | tee "$w/dev/build.log"; [ -x "$w/dev/ptxrun" ] || exit 1
python3 "$g/gen.py" "$w/dev" || exit 1
cp "$g/ptxrun.c" "$g/build.sh" "$w/dev/"   # so the device can rebuild ptxrun (gcc there) if its glibc is older
mkdir -p "$w/dev/include" && cp "$(sed -n 's/^built .* (cuda.h from \(.*\))$/\1/p' "$w/dev/build.log")/cuda.h" "$w/dev/include/" || exit 1
selftest=0; examples=0
for a in "$@"; do
  case "$a" in
    --selftest) selftest=1 ;;
    --examples) examples=1 ;;
    *) echo "prepare.sh: unknown option $a (--selftest, --examples)" >&2; exit 2 ;;
  esac
done
fail=0
if [ $examples = 1 ]; then
  nvcc="${NVCC:-$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)}"
  ex="$w/dev/examples"; mkdir -p "$ex"
  native=launcher/target/dist/native   # the drop-in libcuda.so only to link -lcuda (SONAME libcuda.so.1)
  for v in "" "-nocompress"; do
    "$nvcc" -fatbin -gencode arch=compute_75,code=compute_75 -gencode arch=compute_80,code=sm_80 \
      ${v:+--no-compress} -o "$ex/driver_kernels$v.fatbin" examples/kernels/driver_kernels.cu || fail=1
  done
  build_example() {
    local src="$1" name extra=()
    name="$(basename "$src" .cu)"
    case "$name" in driver|driver_launch|driver_features) extra=(-L"$native" -lcuda) ;; esac
    if "$nvcc" -cudart static -std=c++17 -O2 -o "$ex/$name" "$src" "${extra[@]}" > "$ex/$name.build.log" 2>&1; then
      echo "prepare: built example $name"
    else
      echo "prepare: example $name did not build (see $ex/$name.build.log)"; return 1
    fi
  }
  pids=()
  for src in examples/*.cu; do
    build_example "$src" & pids+=($!)
    if [ ${#pids[@]} -ge 2 ]; then for p in "${pids[@]}"; do wait "$p" || fail=1; done; pids=(); fi
  done
  for p in "${pids[@]}"; do wait "$p" || fail=1; done
fi
while IFS=$'\t' read -r name ptx kernel grid block shared args; do
  if [ -n "${GPUCHECK_ONLY:-}" ] && ! echo "$name" | grep -qE "$GPUCHECK_ONLY"; then continue; fi
  # shellcheck disable=SC2086
  if ! TRANSCUDA_NO_BUILD=1 timeout 300 ./transcuda run "$ptx" --kernel "$kernel" --grid "$grid" --block "$block" \
       --shared "$shared" --dump "$w/cpu/$name" $args > "$w/cpu/$name.log" 2>&1; then
    echo "prepare: cpu  $name FAILED (see $w/cpu/$name.log)"; fail=1
  else
    echo "prepare: cpu  $name ok"
  fi
  if [ $selftest = 1 ]; then
    mkdir -p "$w/selftest"
    # shellcheck disable=SC2086
    if ! TRANSCUDA_NO_BUILD=1 timeout 300 ./transcuda exec -- "$w/dev/ptxrun" "$ptx" --kernel "$kernel" --grid "$grid" \
         --block "$block" --shared "$shared" --dump "$w/selftest/$name" $args > "$w/selftest/$name.log" 2>&1; then
      echo "prepare: self $name FAILED (see $w/selftest/$name.log)"; fail=1
    else
      echo "prepare: self $name ok"
    fi
  fi
done < "$w/dev/cases.txt"
du -sh "$w/dev"
exit $fail
