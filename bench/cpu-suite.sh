#!/bin/sh
# The CPU-backend benchmark suite (issue 4): six classic kernels on Transcuda's CPU backend and, in the same
# run, the same algorithms as serial Java, C with OpenMP (gcc -O3 -fopenmp, all cores) and OpenCL C on PoCL.
# Every implementation checks its result against a serial reference before its times count; each line is
# the median of RUNS timed runs after WARMUP runs.
# Usage: bench/cpu-suite.sh [WARMUP] [RUNS]        (default 3 7)
# Needs JDK 25 (JAVA_HOME), Maven (offline is fine), gcc with OpenMP; PoCL (pocl-opencl-icd, ocl-icd-opencl-dev)
# is optional. nvcc, when present, regenerates bench/kernels/suite.ptx from suite.cu (sm_80).
# Set TRANSCUDA_NO_BUILD=1 to skip the Maven build (use what is in target/). CPU_BENCH_JVM_OPTS adds JVM flags
# (-Dtranscuda.cpu.engine=auto|thread|lockstep to compare the CPU backend's engines; -Dtranscuda.cpu.paths=false for the
# thread engine without path-by-path blocks; -Dtranscuda.cpu.vector=false without their vector form,
# -Dtranscuda.cpu.launchForms=false with address programs evaluated per block, -Dtranscuda.cpu.gridRows=false block by
# block instead of grid rows, -Dtranscuda.cpu.vecHoist=false vector-form loads in program order,
# -Dtranscuda.cpu.blockLoads=false grid rows' block-uniform loads block by block, -Dtranscuda.cpu.nanZerosVec=false
# the vector form's NaN test as a Math.max reduction, -Dtranscuda.cpu.rowChunks=false grid-row loops of single-stream
# loads (saxpy) as one run over all their lanes instead of chunks of -Dtranscuda.cpu.rowChunk=512,
# -Dtranscuda.cpu.rowVec=false grid-row loops of f32 paths (saxpy, stencil) through row copies into arrays instead of
# vectors on device memory, -Dtranscuda.cpu.rowVecInt=false the same for integer paths and block-uniform loads
# (scan_add), -Dtranscuda.cpu.rowVecTail=false such loops' last lanes (fewer than a vector) in the array form instead
# of one overlapping vector where no store meets another access (stencil), -Dtranscuda.cpu.rowRect=false grid-row
# plans split a piece's lanes by path per thread row instead of once for all its thread rows (stencil),
# -Dtranscuda.cpu.rowLean=false such a piece's vector loops checked per loop and its one-lane loops in the array form
# instead of checked once per piece and run as the path's scalar code (stencil; -Dtranscuda.cpu.rowLeanLanes=false
# only the one-lane part off),
# -Dtranscuda.cpu.rowClaims=false grid-row launches' workers claim at most 64 blocks at a time instead of
# blocks / (8 workers) (saxpy); lockstep:
# -Dtranscuda.cpu.loopTouch=true matmul's tile-load cache lines touched before the lane loop (off by default since
# 2026-11-27: it only cost on this in-cache host; on for hosts whose inputs miss the cache);
# -Dtranscuda.cpu.loopChecks/loopBulk/strideLoop/strideTouch/strideHist/histConst/histLoop/scanPreds/jamSlotReuse/lsimd/warpVec/warpScan/divJump/predEquality/predMemoSite/laneJam/laneBulk/
# lazyReset/armShared/armShared32/storeBulk/sharedCopy/loopNaN/nanZeros/loopLength/rangeSplit/rangeLanes/warp0Chain/laneVec/laneVecCopy/vecConsecutive/ptrStep/multiDefUniform/armVec/armDefer/affineRegs/armLoadAdd/inputFuse/armChain/armChainPred/armChainPlan/treeRegs/tailLine/leanPrologue/rangeFill/blockRange/
# threadConst/threadConstChecks/partialConst/scanWindow/warpScanVec/constRange/constRuns/constRunsVec/warpRuns/laneStride=false; both:
# -Dtranscuda.cpu.branchFree=false, -Dtranscuda.cpu.sharedRange=false (shared accesses proven inside the static
# shared variables keep their window check), -Dtranscuda.cpu.siteMaskOnce=false (global sites proved for the whole
# grid checked per block as before), -Dtranscuda.cpu.addDefer=false (unread 32-bit global atomic adds made one by
# one instead of summed per worker: histogram's 256 per block); -Dtranscuda.cpu.coldLaunch=false (launch forms computed by every worker of every
# launch, site caches and thread tables made by the constructor's own loops); JVM: -XX:CICompilerCount=2 without the 3 compiler threads given below 4 CPUs;
# -Dbench.each=true prints every timed run with the JVM's uptime and a PHASE line (first run, warm-ups and runs);
# -Dbench.threads=true a THREADS line per kernel: each Java thread's CPU ms per timed run;
# -Dbench.control=N adds N back-to-back pairs (serial Java, then Transcuda) per kernel and a CONTROL line with the
# median ratio of their CPU times, steadier than the times on a shared machine: compare A/B runs by it;
# the subsections of docs/benchmarks.md name each switch).
set -e
cd "$(dirname "$0")/.."
WARMUP=${1:-3}
RUNS=${2:-7}
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME
K=bench/kernels
OUT=${BENCH_OUT:-$(mktemp -d)}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
if command -v nvcc >/dev/null 2>&1; then
    nvcc -ptx -arch=sm_80 -O3 $K/suite.cu -o "$OUT/suite.ptx"
    if ! cmp -s "$OUT/suite.ptx" $K/suite.ptx; then
        echo "note: nvcc's PTX differs from the committed $K/suite.ptx (using the committed one)" >&2
    fi
fi
# this worktree's classes first; third-party jars (Log4j API, ...) from Maven's class path of backend-cpu.
# Packaging and computing the class path in one reactor call resolves the api and frontend-ptx test-jars from the
# reactor (they are never installed: a worktree or a fresh clone has none in ~/.m2); every module of the reactor
# writes the file, backend-cpu last. The result is kept in backend-cpu/target for TRANSCUDA_NO_BUILD runs.
CPFILE=backend-cpu/target/cpu-suite-classpath.txt
if [ -z "$TRANSCUDA_NO_BUILD" ]; then
    mvn -o -q -DskipTests package dependency:build-classpath -pl backend-cpu -am -Dmdep.includeScope=runtime \
        -Dmdep.outputFile="$OUT/cp.txt" >/dev/null
    cp "$OUT/cp.txt" "$CPFILE"
elif [ -f "$CPFILE" ]; then
    cp "$CPFILE" "$OUT/cp.txt"
else
    echo "TRANSCUDA_NO_BUILD is set but $CPFILE is missing: run this script once without it" >&2
    exit 1
fi
CP="backend-cpu/target/classes:backend-cpu/target/test-classes:api/target/classes:frontend-ptx/target/classes:$(cat "$OUT/cp.txt")"

OCL=""
if [ -e /usr/include/CL/cl.h ] && { [ -e /usr/lib/x86_64-linux-gnu/libOpenCL.so ] || ldconfig -p | grep -q 'libOpenCL.so '; }; then
    OCL="-DWITH_OPENCL -lOpenCL"
fi
gcc -O3 -fopenmp $K/suite_native.c -o "$OUT/suite_native" $OCL -lm

echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "# $(gcc --version | head -1); $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
# the JVM flags of ./transcuda: -XX:-DontCompileHugeMethods, and below 4 CPUs 3 compiler threads (1 C1 + 2 C2) so the
# generated kernel methods reach C2 sooner (CPU_BENCH_JVM_OPTS=-XX:CICompilerCount=2 turns that off: the last flag wins);
# the vector module for the lockstep engine's vector lane loops (LaneVec; the JVM prints a warning that it uses an
# incubator module)
# CPU_BENCH_JVM_OPTS: extra JVM flags, e.g. -Dtranscuda.cpu.engine=thread for an A/B run of the two engines
JIT_THREADS=""
if [ "$(nproc 2>/dev/null || echo 4)" -lt 4 ]; then JIT_THREADS="-XX:CICompilerCount=3"; fi
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --add-modules=jdk.incubator.vector -Xmx4g -XX:-DontCompileHugeMethods $JIT_THREADS $CPU_BENCH_JVM_OPTS \
    -cp "$CP" org.transcuda.backend.cpu.CpuBenchmark \
    $K/suite.ptx "$WARMUP" "$RUNS" | tee "$OUT/results.txt"
"$OUT/suite_native" omp "$WARMUP" "$RUNS" | tee -a "$OUT/results.txt"
if [ -n "$OCL" ]; then
    "$OUT/suite_native" ocl "$WARMUP" "$RUNS" $K/suite.cl | tee -a "$OUT/results.txt"
else
    echo "# PoCL/OpenCL headers not found: no OpenCL column" >&2
fi
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

# tables: wall time (what a user waits for) and process CPU time (all threads; robust when other processes share
# the cores); ratios Transcuda / OpenMP and Transcuda / PoCL; geometric means over the kernels
awk '
$1 == "RESULT" { w[$2 "," $3] = $4; c[$2 "," $3] = $5; if (!($3 in seen)) { seen[$3] = 1; order[n++] = $3 } }
function f(v) { return v == "" ? "-" : v }
function r(a, b) { return (a + 0 > 0 && b + 0 > 0) ? sprintf("%.2fx", a / b) : "-" }
function table(t, title,    i, k, lo, lp, mo, mp) {
    printf "\n%s\n\n", title
    printf "| kernel | serial Java | Transcuda CPU | gcc -O3 -fopenmp | PoCL | Transcuda / OpenMP | Transcuda / PoCL |\n"
    printf "|---|---|---|---|---|---|---|\n"
    lo = 0; lp = 0; mo = 0; mp = 0
    for (i = 0; i < n; i++) {
        k = order[i]
        tc = t["transcuda," k]; om = t["omp," k]; po = t["pocl," k]
        if (tc + 0 > 0 && om + 0 > 0) { lo += log(tc / om); mo++ }
        if (tc + 0 > 0 && po + 0 > 0) { lp += log(tc / po); mp++ }
        printf "| %s | %s | %s | %s | %s | %s | %s |\n", k, f(t["java," k]), f(tc), f(om), f(po), r(tc, om), r(tc, po)
    }
    if (mo > 0) printf "| geometric mean | | | | | %.2fx | %s |\n", exp(lo / mo), (mp > 0) ? sprintf("%.2fx", exp(lp / mp)) : "-"
}
END {
    for (i = 0; i < n; i++) { for (key in w) W[key] = w[key]; for (key in c) C[key] = c[key] }
    table(W, "wall time, ms (median)")
    table(C, "CPU time, ms (median; all threads doing the work: Java threads of the JVM, all threads of the C process)")
}' "$OUT/results.txt"
