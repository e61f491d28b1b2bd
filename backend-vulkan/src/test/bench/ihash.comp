#version 460
#extension GL_EXT_buffer_reference : require
#extension GL_EXT_shader_explicit_arithmetic_types_int64 : require
#extension GL_EXT_control_flow_attributes : require
layout(local_size_x_id = 0, local_size_y_id = 1, local_size_z_id = 2) in;
layout(buffer_reference, std430, buffer_reference_align = 4) buffer Uints { uint v[]; };
layout(push_constant) uniform Abi {
    uint nctaid_x, nctaid_y, nctaid_z, base_x, base_y, base_z;
    uint64_t argsAddress;
    uint64_t v;
    uint n;
} pc;
void main() {
    uint i = (gl_WorkGroupID.x + pc.base_x) * gl_WorkGroupSize.x + gl_LocalInvocationID.x;
    if (i >= pc.n) return;
    Uints V = Uints(pc.v);
    uint h = V.v[i];
    [[unroll]] for (int k = 0; k < 64; ++k) h = (h ^ (h >> 15)) * 0x2c1b3c6du + uint(k);
    V.v[i] = h;
}
