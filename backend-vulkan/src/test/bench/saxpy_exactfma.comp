#version 460
#extension GL_EXT_buffer_reference : require
#extension GL_EXT_shader_explicit_arithmetic_types_int64 : require
layout(local_size_x_id = 0, local_size_y_id = 1, local_size_z_id = 2) in;
// The same as saxpy.comp, but with the exactly rounded fma that Transcuda emits (a diagnostic: it separates
// the cost of the exact fma from the rest of the generated code).
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
// fma.rn.f32 exactly as the code generator emulates it (lavapipe does not fuse fma): the product is exact in f64,
// the f64 sum is rounded to odd (TwoSum error, then the sticky bit), then rounded once to f32.
float fmaExact(float a, float b, float c) {
    precise double p = double(a) * double(b);
    precise double dc = double(c);
    precise double s = p + dc;
    precise double bb = s - p;
    precise double e = (p - (s - bb)) + (dc - bb);
    uint64_t bits = doubleBitsToUint64(s);
    if (e != 0.0) {
        if ((e < 0.0) != (s < 0.0)) bits -= 1ul;
        bits |= 1ul;
    }
    return float(uint64BitsToDouble(bits));
}
void main() {
    int i = int((gl_WorkGroupID.x + pc.base_x) * gl_WorkGroupSize.x + gl_LocalInvocationID.x);
    if (i < pc.n) {
        Floats X = Floats(pc.x);
        Floats Y = Floats(pc.y);
        Y.v[i] = fmaExact(pc.a, X.v[i], Y.v[i]);
    }
}
