package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;
import org.transcuda.ptx.PtxTranslator;
import org.transcuda.spi.BackendFunction;

/** What the CPU backend reports through the SPI for function attributes and managed memory. */
class SpiFiguresTest {
    static final String PTX = """
            .version 8.5
            .target sm_86
            .address_size 64
            .const .align 4 .b32 table[10];
            .const .align 8 .b64 scale;
            .visible .entry k(.param .u64 out)
            {
                .shared .align 4 .b8 tile[128];
                .local .align 4 .b8 scratch[64];
                .reg .b64 %rd<3>;
                .reg .b32 %r<2>;
                ld.param.u64 %rd1, [out];
                cvta.to.global.u64 %rd2, %rd1;
                mov.u32 %r1, 5;
                st.local.u32 [scratch], %r1;
                st.shared.u32 [tile], %r1;
                ld.local.u32 %r1, [scratch];
                st.global.u32 [%rd2], %r1;
                ret;
            }
            """;

    @Test
    void staticSharedLocalAndConstSizes() throws Exception {
        try (Gpu gpu = new Gpu(1)) {
            BackendFunction f = gpu.ctx.loadModule(PtxTranslator.translate("k.ptx", PTX)).function("k");
            assertEquals(128, f.staticSharedBytes());
            assertTrue(f.localBytesPerThread() >= 64, "local bytes " + f.localBytesPerThread());
            assertEquals(10 * 4 + 8, f.constBytes());
            assertEquals(0, f.registersPerThread(), "no register file limits the CPU");
            long out = gpu.alloc(4);
            gpu.launch(f, 1, 1, out);
            gpu.sync();
            assertEquals(5, gpu.ints(out, 1)[0]);
        }
    }

    @Test
    void deviceMemoryIsHostAddressable() throws Exception {
        try (Gpu gpu = new Gpu(1)) {
            assertTrue(gpu.device.hostAddressableMemory());
            long p = gpu.alloc(16);
            // The device address is the host address: write through it, read through the device memory.
            MemorySegment.ofAddress(p).reinterpret(16).setAtIndex(ValueLayout.JAVA_INT, 2, 0x5eed);
            assertEquals(0x5eed, gpu.ints(p, 3)[2]);
        }
    }
}
