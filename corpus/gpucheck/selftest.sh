#!/usr/bin/env bash
# Offline test of gpucheck (no GPU): a few cases through prepare.sh --selftest in a temporary work folder, then
#  1. compare.py CPU dumps vs ptxrun-through-Transcuda's-libcuda dumps: must report every segment equal (exit 0);
#  2. compare.py against an altered copy (one exact bit, one NaN payload, one approximation far off): must report
#     exactly those (exit 1).
# Needs what prepare.sh needs. Prints PASS or FAIL; exit status 0 or 1.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
g=corpus/gpucheck
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
only='^(f32_arith|cvt_f32_to_int|approx_ptx_f32|warp_vote)$'
GPUCHECK_WORK="$work" GPUCHECK_ONLY="$only" "$g/prepare.sh" --selftest > "$work/prepare.log" 2>&1 \
  || { cat "$work/prepare.log"; echo FAIL: prepare.sh; exit 1; }
fail=0
python3 "$g/compare.py" --cases "$work/dev/cases.json" --only "$only" "$work/cpu" "$work/selftest" > "$work/same.md"
rc=$?
if [ $rc -ne 0 ] || ! grep -q "^[0-9]* of [0-9]* exact segments equal bit for bit; 0 problem(s)" "$work/same.md"; then
  cat "$work/same.md"; echo "FAIL: the self-test dumps differ (compare.py exit $rc)"; fail=1
fi
cp -r "$work/selftest" "$work/alt"
python3 - "$work" <<'PY'
import json, sys
import numpy as np
w = sys.argv[1]
cases = {c["name"]: c for c in json.load(open(f"{w}/dev/cases.json"))}
def edit(case, arg, fn):
    p = f"{w}/alt/{case}/arg{arg}.bin"
    a = np.fromfile(p, dtype=np.uint32); fn(a); a.tofile(p)
n = cases["cvt_f32_to_int"]["n"]
j = 2 * (2 * n + 7)                                                                        # s64.rmi, element 7, low word
edit("cvt_f32_to_int", 3, lambda a: a.__setitem__(j, a[j] ^ 1))
f = np.fromfile(f"{w}/alt/f32_arith/arg3.bin", dtype=np.float32)
k = int(np.nonzero(np.isnan(f))[0][0])
edit("f32_arith", 3, lambda a: a.__setitem__(k, a[k] ^ 2))                                 # a NaN's payload
m = cases["approx_ptx_f32"]["n"]
edit("approx_ptx_f32", 2, lambda a: a.__setitem__(6 * m + 60, a[6 * m + 60] + 100000))    # tanh.approx far off
PY
python3 "$g/compare.py" --cases "$work/dev/cases.json" --only "$only" "$work/cpu" "$work/alt" > "$work/alt.md"
rc=$?
ndiff=$(grep -c '\*\*1 differ\*\*' "$work/alt.md")
if [ $rc -ne 1 ] || [ "$ndiff" -ne 3 ] || ! grep -q "NaN bits only" "$work/alt.md" || \
   ! grep -q "tanh.approx .*beyond bound cpu 0 gpu 1" "$work/alt.md"; then
  cat "$work/alt.md"; echo "FAIL: the altered copy was not reported as expected (exit $rc, $ndiff differing segments)"; fail=1
fi
[ $fail -eq 0 ] && echo PASS || echo FAIL
exit $fail
