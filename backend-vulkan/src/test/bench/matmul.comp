#version 460
#extension GL_EXT_buffer_reference : require
#extension GL_EXT_shader_explicit_arithmetic_types_int64 : require
#extension GL_EXT_control_flow_attributes : require
layout(local_size_x_id = 0, local_size_y_id = 1, local_size_z_id = 2) in;
// suite.cu matmul: C = A * B, n x n row-major, 16 x 16 workgroups with shared-memory tiles.
layout(buffer_reference, std430, buffer_reference_align = 4) buffer Floats { float v[]; };
layout(push_constant) uniform Abi {
    uint nctaid_x, nctaid_y, nctaid_z, base_x, base_y, base_z; // KernelAbi header
    uint64_t argsAddress;
    int n;
    uint64_t a;
    uint64_t b;
    uint64_t c;
} pc;
shared float As[16][16];
shared float Bs[16][16];
void main() {
    int tx = int(gl_LocalInvocationID.x), ty = int(gl_LocalInvocationID.y);
    int row = int(gl_WorkGroupID.y + pc.base_y) * 16 + ty, col = int(gl_WorkGroupID.x + pc.base_x) * 16 + tx;
    Floats A = Floats(pc.a);
    Floats B = Floats(pc.b);
    int n = pc.n;
    float acc = 0.0;
    for (int k0 = 0; k0 < n; k0 += 16) {
        As[ty][tx] = A.v[row * n + k0 + tx];
        Bs[ty][tx] = B.v[(k0 + ty) * n + col];
        barrier();
        [[unroll]] for (int k = 0; k < 16; k++) acc = fma(As[ty][k], Bs[k][tx], acc);
        barrier();
    }
    Floats(pc.c).v[row * n + col] = acc;
}
