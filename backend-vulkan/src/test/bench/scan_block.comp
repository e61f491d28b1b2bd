#version 460
#extension GL_EXT_buffer_reference : require
#extension GL_EXT_shader_explicit_arithmetic_types_int64 : require
layout(local_size_x_id = 0, local_size_y_id = 1, local_size_z_id = 2) in;
// suite.cu scan_block: inclusive scan of 256 ints per workgroup: 32-lane warp scans (Hillis-Steele; the shuffle
// goes through shared memory, as a hand-written shader must where a subgroup is narrower than 32 lanes), the 8
// warp totals scanned by the first warp, then each warp adds the totals before it; writes the block's total.
// Barriers must be reached by the whole workgroup, so every thread runs the second-level loop.
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
void main() {
    int t = int(gl_LocalInvocationID.x);
    int b = int(gl_WorkGroupID.x + pc.base_x);
    int i = b * 256 + t;
    int lane = t & 31, warp = t >> 5;
    int v = i < pc.n ? Ints(pc.src).v[i] : 0;
    // the loops are unrolled by hand as nvcc unrolls them (lavapipe does not unroll loops containing barriers)
    lanes[t] = v;
    barrier();
    if (lane >= 1) v += lanes[t - 1];
    barrier();
    lanes[t] = v;
    barrier();
    if (lane >= 2) v += lanes[t - 2];
    barrier();
    lanes[t] = v;
    barrier();
    if (lane >= 4) v += lanes[t - 4];
    barrier();
    lanes[t] = v;
    barrier();
    if (lane >= 8) v += lanes[t - 8];
    barrier();
    lanes[t] = v;
    barrier();
    if (lane >= 16) v += lanes[t - 16];
    barrier();
    if (lane == 31) warpSums[warp] = v;
    barrier();
    int w = t < 8 ? warpSums[t] : 0;
    if (t < 32) lanes[t] = w;
    barrier();
    if (t < 32 && lane >= 1) w += lanes[t - 1];
    barrier();
    if (t < 32) lanes[t] = w;
    barrier();
    if (t < 32 && lane >= 2) w += lanes[t - 2];
    barrier();
    if (t < 32) lanes[t] = w;
    barrier();
    if (t < 32 && lane >= 4) w += lanes[t - 4];
    barrier();
    if (t < 8) warpSums[t] = w;
    barrier();
    if (warp > 0) v += warpSums[warp - 1];
    if (i < pc.n) Ints(pc.dst).v[i] = v;
    if (t == 255) Ints(pc.sums).v[b] = v;
}
