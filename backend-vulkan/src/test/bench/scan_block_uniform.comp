#version 460
#extension GL_EXT_buffer_reference : require
#extension GL_EXT_shader_explicit_arithmetic_types_int64 : require
layout(local_size_x_id = 0, local_size_y_id = 1, local_size_z_id = 2) in;
// kernels.cu scan_block_uniform: as scan_block.comp, but every 32-lane group scans the 8 warp totals and reads
// its offset from lane (warp - 1) of its own scan; the shuffles go through shared memory. Unrolled by hand as nvcc
// unrolls the loops (lavapipe does not unroll loops containing barriers).
layout(buffer_reference, std430, buffer_reference_align = 4) buffer Ints { int v[]; };
layout(push_constant) uniform Abi {
    uint nctaid_x, nctaid_y, nctaid_z, base_x, base_y, base_z; // KernelAbi header
    uint64_t argsAddress;
    int n;
    uint64_t src;
    uint64_t dst;
    uint64_t sums;
} pc;
shared int lanes[256];
shared int warpSums[8];
#define SHFL_UP_STEP(x, d) lanes[t] = x; barrier(); if (lane >= d) x += lanes[t - d]; barrier();
void main() {
    int t = int(gl_LocalInvocationID.x);
    int b = int(gl_WorkGroupID.x + pc.base_x);
    int i = b * 256 + t;
    int lane = t & 31, warp = t >> 5;
    int v = i < pc.n ? Ints(pc.src).v[i] : 0;
    SHFL_UP_STEP(v, 1)
    SHFL_UP_STEP(v, 2)
    SHFL_UP_STEP(v, 4)
    SHFL_UP_STEP(v, 8)
    SHFL_UP_STEP(v, 16)
    if (lane == 31) warpSums[warp] = v;
    barrier();
    int w = lane < 8 ? warpSums[lane] : 0;
    SHFL_UP_STEP(w, 1)
    SHFL_UP_STEP(w, 2)
    SHFL_UP_STEP(w, 4)
    lanes[t] = w;
    barrier();
    int offset = lanes[(t & ~31) + ((warp + 31) & 31)];
    if (warp > 0) v += offset;
    if (i < pc.n) Ints(pc.dst).v[i] = v;
    if (t == 255) Ints(pc.sums).v[b] = v;
}
