#version 460
#extension GL_EXT_buffer_reference : require
#extension GL_EXT_shader_explicit_arithmetic_types_int64 : require
layout(local_size_x_id = 0, local_size_y_id = 1, local_size_z_id = 2) in;
// suite.cu saxpy(int n, float a, const float *x, float *y) by hand; push constants as KernelAbi lays them out
// (the 32-byte header, then the arguments at the IR's offsets).
layout(buffer_reference, std430, buffer_reference_align = 4) buffer Floats { float v[]; };
layout(push_constant) uniform Abi {
    uint nctaid_x, nctaid_y, nctaid_z, base_x, base_y, base_z; // KernelAbi header
    uint64_t argsAddress;
    int n;
    float a;
    uint64_t x;
    uint64_t y;
} pc;
void main() {
    int i = int((gl_WorkGroupID.x + pc.base_x) * gl_WorkGroupSize.x + gl_LocalInvocationID.x);
    if (i < pc.n) {
        Floats X = Floats(pc.x);
        Floats Y = Floats(pc.y);
        Y.v[i] = fma(pc.a, X.v[i], Y.v[i]);
    }
}
