#!/bin/sh
# Regenerates the fat binary fixtures with nvcc 13 (tested with 13.0 V13.0.88).
#
# Every fixture is compiled in a fixed scratch directory so that the few absolute paths nvcc writes (the .file
# directives of the -G build) are the same in the fat binary and in the reference PTX, and reproducible.
#
#   kernels.<mode>.fatbin      kernels.cu for compute_75 (PTX) and compute_80 (PTX + sm_80 SASS), one per
#                              compression setting: --no-compress, nvcc's default, each --compress-mode, and
#                              -Xfatbin -compress-all (which also compresses the SASS)
#   kernels.compute_NN.ptx     the reference PTX: nvcc -ptx for the same source and virtual architecture
#   kernels.options.fatbin     compute_80 PTX built with -Xptxas -O1 (the fat binary records the ptxas options)
#   kernels.debug.fatbin       compute_80 PTX built with -G (debug flag, ptxas options), reference kernels.debug.compute_80.ptx
#   variants.fatbin            PTX for compute_86, compute_90a (arch-specific), compute_100f (family) and compute_120
#   kernels.compute_90a.ptx, kernels.compute_100f.ptx, kernels.compute_86.ptx, kernels.compute_120.ptx
#   app.nv_fatbin.bin          the .nv_fatbin section of an executable built from kernels.cu + app_main.cu
#   app.nvFatBinSegment.bin    its .nvFatBinSegment section (the __fatBinC_Wrapper_t structs)
#   app.sections               the sections' virtual addresses, so a test can lay them out as in memory
set -e
here=$(cd "$(dirname "$0")" && pwd)
work=/tmp/transcuda-fatbin-fixtures
rm -rf "$work"
mkdir -p "$work"
cp "$here/kernels.cu" "$here/app_main.cu" "$work/"
cd "$work"

G="-gencode arch=compute_75,code=compute_75 -gencode arch=compute_80,code=[compute_80,sm_80]"
nvcc $G --no-compress -fatbin kernels.cu -o kernels.no-compress.fatbin
nvcc $G -fatbin kernels.cu -o kernels.default.fatbin
for mode in default size speed balance none; do
  nvcc $G --compress-mode=$mode -fatbin kernels.cu -o kernels.mode-$mode.fatbin
done
nvcc $G -Xfatbin -compress-all -fatbin kernels.cu -o kernels.compress-all.fatbin
for arch in 75 80 86 90a 100f 120; do
  nvcc -ptx -arch=compute_$arch kernels.cu -o kernels.compute_$arch.ptx
done

nvcc -Xptxas -O1 -gencode arch=compute_80,code=compute_80 -fatbin kernels.cu -o kernels.options.fatbin
nvcc -G -gencode arch=compute_80,code=compute_80 -fatbin kernels.cu -o kernels.debug.fatbin
nvcc -G -ptx -arch=compute_80 kernels.cu -o kernels.debug.compute_80.ptx

nvcc -gencode arch=compute_86,code=compute_86 -gencode arch=compute_90a,code=compute_90a \
     -gencode arch=compute_100f,code=compute_100f -gencode arch=compute_120,code=compute_120 \
     -fatbin kernels.cu -o variants.fatbin

nvcc $G -cudart shared kernels.cu app_main.cu -o app
objcopy -O binary --only-section=.nv_fatbin app app.nv_fatbin.bin
objcopy -O binary --only-section=.nvFatBinSegment app app.nvFatBinSegment.bin
readelf -SW app | awk '$2 == ".nv_fatbin" || $2 == ".nvFatBinSegment" { print $2 "=0x" $4 }' \
  | sed 's/^\.//' > app.sections
[ "$(wc -l < app.sections)" -eq 2 ] || { echo "could not find the fat binary sections" >&2; exit 1; }

cp kernels.*.fatbin kernels.*.ptx variants.fatbin app.nv_fatbin.bin app.nvFatBinSegment.bin app.sections "$here/"
rm -rf "$work"
