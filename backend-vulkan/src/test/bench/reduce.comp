#version 460
#extension GL_EXT_buffer_reference : require
#extension GL_EXT_shader_explicit_arithmetic_types_int64 : require
layout(local_size_x_id = 0, local_size_y_id = 1, local_size_z_id = 2) in;
// suite.cu reduce: each workgroup of 256 sums 512 elements with a shared-memory tree, one partial sum per block.
layout(buffer_reference, std430, buffer_reference_align = 4) buffer Floats { float v[]; };
layout(push_constant) uniform Abi {
    uint nctaid_x, nctaid_y, nctaid_z, base_x, base_y, base_z; // KernelAbi header
    uint64_t argsAddress;
    int n;
    uint64_t src;
    uint64_t partial;
} pc;
shared float s[256];
void main() {
    uint t = gl_LocalInvocationID.x;
    uint b = gl_WorkGroupID.x + pc.base_x;
    uint i = b * 512u + t;
    Floats IN = Floats(pc.src);
    float v = 0.0;
    if (i < uint(pc.n)) v = IN.v[i];
    if (i + 256u < uint(pc.n)) v += IN.v[i + 256u];
    s[t] = v;
    barrier();
    // unrolled by hand as nvcc unrolls it: lavapipe does not unroll a loop that contains a barrier, even with
    // [[unroll]] (the loop version takes about 1.6x the time)
    if (t < 128u) s[t] += s[t + 128u];
    barrier();
    if (t < 64u) s[t] += s[t + 64u];
    barrier();
    if (t < 32u) s[t] += s[t + 32u];
    barrier();
    if (t < 16u) s[t] += s[t + 16u];
    barrier();
    if (t < 8u) s[t] += s[t + 8u];
    barrier();
    if (t < 4u) s[t] += s[t + 4u];
    barrier();
    if (t < 2u) s[t] += s[t + 2u];
    barrier();
    if (t < 1u) s[t] += s[t + 1u];
    barrier();
    if (t == 0u) Floats(pc.partial).v[b] = s[0];
}
