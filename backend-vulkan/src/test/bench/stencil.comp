#version 460
#extension GL_EXT_buffer_reference : require
#extension GL_EXT_shader_explicit_arithmetic_types_int64 : require
layout(local_size_x_id = 0, local_size_y_id = 1, local_size_z_id = 2) in;
// suite.cu stencil: one Jacobi sweep of the 5-point Laplace stencil on an nx x ny grid, border cells copied.
layout(buffer_reference, std430, buffer_reference_align = 4) buffer Floats { float v[]; };
layout(push_constant) uniform Abi {
    uint nctaid_x, nctaid_y, nctaid_z, base_x, base_y, base_z; // KernelAbi header
    uint64_t argsAddress;
    int nx;
    int ny;
    uint64_t src;
    uint64_t dst;
} pc;
void main() {
    int x = int((gl_WorkGroupID.x + pc.base_x) * gl_WorkGroupSize.x + gl_LocalInvocationID.x);
    int y = int((gl_WorkGroupID.y + pc.base_y) * gl_WorkGroupSize.y + gl_LocalInvocationID.y);
    int nx = pc.nx, ny = pc.ny;
    if (x >= nx || y >= ny) return;
    int i = y * nx + x;
    Floats IN = Floats(pc.src);
    Floats OUT = Floats(pc.dst);
    if (x == 0 || y == 0 || x == nx - 1 || y == ny - 1) {
        OUT.v[i] = IN.v[i];
    } else {
        OUT.v[i] = 0.25 * (IN.v[i - 1] + IN.v[i + 1] + IN.v[i - nx] + IN.v[i + nx]);
    }
}
