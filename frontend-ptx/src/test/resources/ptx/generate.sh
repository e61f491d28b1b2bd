#!/bin/sh
# Regenerates the PTX test fixtures from the CUDA sources next to this script (nvcc 13).
# Absolute source paths in .file directives are shortened to the bare file name.
set -e
cd "$(dirname "$0")"
for f in vector_add reduce_shared device_func atomics warp_shuffle printf local_array switch \
         constant_mem dynamic_shared func_pointer; do
  nvcc -ptx -arch=sm_80 "$f.cu" -o "$f.ptx"
done
nvcc -ptx -arch=sm_90 cluster.cu -o cluster.ptx
nvcc -ptx -arch=sm_80 -lineinfo vector_add.cu -o vector_add_lineinfo.ptx
nvcc -ptx -arch=sm_80 -lineinfo inline_lineinfo.cu -o inline_lineinfo.ptx
nvcc -ptx -arch=sm_80 -G device_func.cu -o device_func_debug.ptx
sed -i "s|\.file\(\s*[0-9]*\) \"$(pwd)/|.file\1 \"|" *.ptx
