#version 460
#extension GL_EXT_buffer_reference : require
#extension GL_EXT_shader_explicit_arithmetic_types_int64 : require
#extension GL_EXT_control_flow_attributes : require
layout(local_size_x_id = 0, local_size_y_id = 1, local_size_z_id = 2) in;
// kernels.cu transpose: w x h floats to h x w through a padded 32 x 33 shared tile; 32 x 8 workgroups.
layout(buffer_reference, std430, buffer_reference_align = 4) buffer Floats { float v[]; };
layout(push_constant) uniform Abi {
    uint nctaid_x, nctaid_y, nctaid_z, base_x, base_y, base_z; // KernelAbi header
    uint64_t argsAddress;
    int w;
    int h;
    uint64_t src;
    uint64_t dst;
} pc;
shared float tile[32][33];
void main() {
    int tx = int(gl_LocalInvocationID.x), ty = int(gl_LocalInvocationID.y);
    int bx = int(gl_WorkGroupID.x + pc.base_x), by = int(gl_WorkGroupID.y + pc.base_y);
    int w = pc.w, h = pc.h;
    Floats IN = Floats(pc.src);
    Floats OUT = Floats(pc.dst);
    int x = bx * 32 + tx;
    int y = by * 32 + ty;
    [[unroll]] for (int j = 0; j < 32; j += 8)
        if (x < w && y + j < h) tile[ty + j][tx] = IN.v[(y + j) * w + x];
    barrier();
    x = by * 32 + tx;
    y = bx * 32 + ty;
    [[unroll]] for (int j = 0; j < 32; j += 8)
        if (x < h && y + j < w) OUT.v[(y + j) * h + x] = tile[tx][ty + j];
}
