#version 460
#extension GL_EXT_buffer_reference : require
#extension GL_EXT_shader_explicit_arithmetic_types_int64 : require
layout(local_size_x_id = 0, local_size_y_id = 1, local_size_z_id = 2) in;
// suite.cu histogram: 256 bins of bytes, a per-workgroup histogram in shared memory (shared atomics) merged into
// the global one with global atomics; grid-stride loop. Bytes are read as words and extracted (8-bit storage
// access is optional in Vulkan).
layout(buffer_reference, std430, buffer_reference_align = 4) buffer Uints { uint v[]; };
layout(push_constant) uniform Abi {
    uint nctaid_x, nctaid_y, nctaid_z, base_x, base_y, base_z; // KernelAbi header
    uint64_t argsAddress;
    int n;
    uint64_t data;
    uint64_t bins;
} pc;
shared uint h[256];
void main() {
    int t = int(gl_LocalInvocationID.x), bs = int(gl_WorkGroupSize.x);
    for (int b = t; b < 256; b += bs) h[b] = 0u;
    barrier();
    Uints D = Uints(pc.data);
    for (int i = int(gl_WorkGroupID.x + pc.base_x) * bs + t; i < pc.n; i += int(pc.nctaid_x) * bs) {
        uint byte = (D.v[i >> 2] >> (8 * (i & 3))) & 0xffu;
        atomicAdd(h[byte], 1u);
    }
    barrier();
    Uints B = Uints(pc.bins);
    for (int b = t; b < 256; b += bs) atomicAdd(B.v[b], h[b]);
}
