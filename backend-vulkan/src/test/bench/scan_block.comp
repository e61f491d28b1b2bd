#version 460
#extension GL_EXT_buffer_reference : require
#extension GL_EXT_shader_explicit_arithmetic_types_int64 : require
#extension GL_EXT_control_flow_attributes : require
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
    [[unroll]] for (int d = 1; d < 32; d <<= 1) {
        lanes[t] = v;
        barrier();
        if (lane >= d) v += lanes[t - d];
        barrier();
    }
    if (lane == 31) warpSums[warp] = v;
    barrier();
    int w = t < 8 ? warpSums[t] : 0;
    [[unroll]] for (int d = 1; d < 8; d <<= 1) {
        if (t < 32) lanes[t] = w;
        barrier();
        if (t < 32 && lane >= d) w += lanes[t - d];
        barrier();
    }
    if (t < 8) warpSums[t] = w;
    barrier();
    if (warp > 0) v += warpSums[warp - 1];
    if (i < pc.n) Ints(pc.dst).v[i] = v;
    if (t == 255) Ints(pc.sums).v[b] = v;
}
