#version 460
#extension GL_EXT_buffer_reference : require
#extension GL_EXT_shader_explicit_arithmetic_types_int64 : require
layout(local_size_x_id = 0, local_size_y_id = 1, local_size_z_id = 2) in;
// suite.cu scan_add: adds each block's offset to its 256 elements.
layout(buffer_reference, std430, buffer_reference_align = 4) buffer Ints { int v[]; };
layout(push_constant) uniform Abi {
    uint nctaid_x, nctaid_y, nctaid_z, base_x, base_y, base_z; // KernelAbi header
    uint64_t argsAddress;
    int n;
    uint64_t dst;
    uint64_t offsets;
} pc;
void main() {
    int b = int(gl_WorkGroupID.x + pc.base_x);
    int i = b * 256 + int(gl_LocalInvocationID.x);
    if (i < pc.n) {
        Ints OUT = Ints(pc.dst);
        OUT.v[i] += Ints(pc.offsets).v[b];
    }
}
