#!/usr/bin/env bash
# Transcuda's Vulkan code generator against the same kernels written in GLSL, on the first Vulkan device
# (lavapipe here), in one run: backend-vulkan/src/test/bench/{saxpy.cu,*.comp}. Needs nvcc, glslangValidator,
# and a packaged build (mvn -o -DskipTests package -pl backend-vulkan -am, then test-compile).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
src=$root/backend-vulkan/src/test/bench
nvcc -ptx -arch=sm_80 "$src/saxpy.cu" -o "$out/kernels.ptx"
glslangValidator -V --target-env vulkan1.2 "$src/saxpy.comp" -o "$out/saxpy.spv" >/dev/null
glslangValidator -V --target-env vulkan1.2 "$src/ihash.comp" -o "$out/ihash.spv" >/dev/null
cd "$root"
mvn -o -q dependency:build-classpath -pl backend-vulkan -Dmdep.outputFile="$out/cp.txt" -Dmdep.includeScope=test >/dev/null
cp="$root/backend-vulkan/target/test-classes:$root/backend-vulkan/target/classes:$root/api/target/classes:$root/frontend-ptx/target/classes:$(cat "$out/cp.txt")"
"${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp" \
    org.transcuda.backend.vulkan.VulkanVsGlslBench "$out/kernels.ptx" "$out/saxpy.spv" "$out/ihash.spv"
