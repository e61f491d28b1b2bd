#!/usr/bin/env bash
# Transcuda's Vulkan code generator against the same kernels written by hand in GLSL, on the first Vulkan device
# (lavapipe here), in one run: the six classic kernels of bench/kernels/suite.cu (saxpy, reduce, matmul, histogram,
# stencil, scan_block + scan_add) and backend-vulkan/src/test/bench/kernels.cu (transpose, ihash), against
# backend-vulkan/src/test/bench/*.comp. Both implementations are checked bit for bit against a Java reference.
# Usage: bench/vulkan-vs-glsl.sh [WARMUP] [RUNS] [KERNEL,...]        (default 2 11, all kernels)
# Needs nvcc, glslangValidator, JDK 25 (JAVA_HOME), Maven (offline is fine). BENCH_JVM_OPTS adds JVM flags (A/B runs,
# e.g. -Dtranscuda.vulkan.loopWatch=false).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
WARMUP=${1:-2}
RUNS=${2:-11}
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
src=$root/backend-vulkan/src/test/bench
nvcc -ptx -arch=sm_80 -O3 "$root/bench/kernels/suite.cu" -o "$out/suite.ptx"
nvcc -ptx -arch=sm_80 -O3 "$src/kernels.cu" -o "$out/kernels.ptx"
for f in "$src"/*.comp; do
    glslangValidator -V --target-env vulkan1.2 "$f" -o "$out/$(basename "${f%.comp}").spv" >/dev/null
done
cd "$root"
# packaging in the same reactor resolves the test-jars of api and frontend-ptx (never installed); every module
# writes the class path file, backend-vulkan last
mvn -o -q -DskipTests package dependency:build-classpath -pl backend-vulkan -am -Dmdep.outputFile="$out/cp.txt" \
    -Dmdep.includeScope=test >/dev/null
cp="$root/backend-vulkan/target/test-classes:$root/backend-vulkan/target/classes:$root/api/target/classes:$root/frontend-ptx/target/classes:$(cat "$out/cp.txt")"
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg); $WARMUP warm-up rounds, median of $RUNS"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED ${BENCH_JVM_OPTS:-} -cp "$cp" \
    org.transcuda.backend.vulkan.VulkanVsGlslBench "$out/suite.ptx" "$out/kernels.ptx" "$out" "$WARMUP" "$RUNS" ${3:+"$3"}
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
