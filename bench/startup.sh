#!/usr/bin/env bash
# Start-up time of `transcuda devices` (JVM + Felix + bundles + device discovery), against a baseline
# measured in the same run: a bare JVM start of the same java with a trivial class (`java -version`).
# Usage: bench/startup.sh [RUNS]   (default 10; builds first if needed)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-10}"
"$root/transcuda" devices >/dev/null  # build if needed, warm the page cache
# Timed runs skip the wrapper's source-staleness check (TRANSCUDA_NO_BUILD=1): it measures the launcher.
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
time_ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }

base=(); tc=()
for _ in $(seq "$runs"); do
  base+=("$(time_ms "$java" -version)")
  tc+=("$(TRANSCUDA_NO_BUILD=1 time_ms "$root/transcuda" devices)")
done
b=$(printf '%s\n' "${base[@]}" | median)
t=$(printf '%s\n' "${tc[@]}" | median)
echo "runs: $runs  (nproc $(nproc), $("$java" -version 2>&1 | head -n 1))"
echo "baseline  java -version            median ${b} ms"
echo "transcuda devices                  median ${t} ms"
awk -v t="$t" -v b="$b" 'BEGIN { printf "ratio transcuda devices / bare JVM: %.1fx\n", t / b }'
