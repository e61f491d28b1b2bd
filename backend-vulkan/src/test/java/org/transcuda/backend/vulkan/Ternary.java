package org.transcuda.backend.vulkan;

import java.lang.foreign.MemorySegment;
import org.transcuda.cuda.Dim3;
import org.transcuda.ptx.PtxTranslator;
import org.transcuda.spi.BackendFunction;
import org.transcuda.spi.BackendModule;
import org.transcuda.spi.LaunchConfig;

/**
 * Element-wise test kernels of three float inputs: kernel {@code ternary(pa, pb, pc, pout, n)} in which thread i loads
 * {@code %v1, %v2, %v3} (f32 or f64) from the three arrays, and the test's body stores results of the same type at
 * {@code [%rd8 + k*size]} (each thread has {@code results} slots).
 */
final class Ternary {
    private Ternary() {
    }

    static String ptx(String type, int results, String body) {
        int size = type.equals("f64") ? 8 : 4;
        return """
                .version 9.0
                .target sm_80
                .address_size 64
                .visible .entry ternary(.param .u64 pa, .param .u64 pb, .param .u64 pc, .param .u64 pout, .param .u32 n)
                {
                    .reg .pred %p<2>;
                    .reg .b32 %r<6>;
                    .reg .b64 %rd<12>;
                    .reg .T %v<8>;
                    ld.param.u64 %rd1, [pa];
                    ld.param.u64 %rd2, [pb];
                    ld.param.u64 %rd9, [pc];
                    ld.param.u64 %rd3, [pout];
                    ld.param.u32 %r1, [n];
                    mov.u32 %r2, %ctaid.x;
                    mov.u32 %r3, %ntid.x;
                    mov.u32 %r4, %tid.x;
                    mad.lo.s32 %r5, %r2, %r3, %r4;
                    setp.ge.u32 %p1, %r5, %r1;
                    @%p1 bra DONE;
                    mul.wide.u32 %rd4, %r5, SIZE;
                    add.s64 %rd5, %rd1, %rd4;
                    add.s64 %rd6, %rd2, %rd4;
                    add.s64 %rd10, %rd9, %rd4;
                    ld.global.T %v1, [%rd5];
                    ld.global.T %v2, [%rd6];
                    ld.global.T %v3, [%rd10];
                    mul.wide.u32 %rd7, %r5, STRIDE;
                    add.s64 %rd8, %rd3, %rd7;
                """.replace(".T", "." + type).replace("SIZE", Integer.toString(size))
                .replace("STRIDE", Integer.toString(size * results))
                + body + "DONE:\n    ret;\n}\n";
    }

    /** Runs {@code ternary} over n elements; returns the output array ({@code outBytes}) as read back. */
    static MemorySegment run(VulkanContext ctx, VulkanStream stream, String ptx, MemorySegment a, MemorySegment b,
            MemorySegment c, int n, long outBytes) throws Exception {
        BackendModule m = ctx.loadModule(PtxTranslator.translate("ternary.ptx", ptx));
        try {
            long da = ctx.allocate(a.byteSize()), db = ctx.allocate(b.byteSize()), dc = ctx.allocate(c.byteSize());
            long out = ctx.allocate(outBytes);
            stream.copyHostToDevice(da, a);
            stream.copyHostToDevice(db, b);
            stream.copyHostToDevice(dc, c);
            BackendFunction f = m.function("ternary");
            MemorySegment args = new Args(f.ir().params()).u64("pa", da).u64("pb", db).u64("pc", dc).u64("pout", out)
                    .u32("n", n).segment;
            stream.launch(f, new LaunchConfig(Dim3.of((n + 127) / 128), Dim3.of(128), 0), args);
            MemorySegment got = MemorySegment.ofArray(new long[(int) ((outBytes + 7) / 8)]).asSlice(0, outBytes);
            stream.copyDeviceToHost(got, out);
            stream.synchronize();
            return got;
        } finally {
            m.close();
        }
    }
}
