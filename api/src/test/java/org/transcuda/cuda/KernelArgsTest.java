package org.transcuda.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;
import org.transcuda.ir.Function;
import org.transcuda.ir.Params;
import org.transcuda.ir.ScalarType;

class KernelArgsTest {
    // (u32 a, u64 p, f32 x, f64 y, .b8 s[3]) packs at offsets 0, 8, 16, 24, 32 as CUDA does.
    private final Function f = new Function("k", true, new Params().add("a", ScalarType.U32).add("p", ScalarType.U64)
            .add("x", ScalarType.F32).add("y", ScalarType.F64).add("s", ScalarType.B8, 3, 1).build());

    @Test
    void packsAtAlignedOffsets() throws Exception {
        MemorySegment m = new KernelArgs(f).add(7).add(0x1122334455667788L).add(1.5f).add(2.25)
                .add(new byte[] {1, 2, 3}).packed();
        assertEquals(35, f.paramBufferSize());
        assertEquals(7, m.get(ValueLayout.JAVA_INT_UNALIGNED, 0));
        assertEquals(0x1122334455667788L, m.get(ValueLayout.JAVA_LONG_UNALIGNED, 8));
        assertEquals(1.5f, m.get(ValueLayout.JAVA_FLOAT_UNALIGNED, 16));
        assertEquals(2.25, m.get(ValueLayout.JAVA_DOUBLE_UNALIGNED, 24));
        assertEquals(3, m.get(ValueLayout.JAVA_BYTE, 34));
    }

    @Test
    void segmentsAreCopiedInPlaceAtTheirParametersOffsets() throws Exception {
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            MemorySegment a = arena.allocate(4);
            a.set(ValueLayout.JAVA_INT, 0, -9);
            MemorySegment p = arena.allocate(8);
            p.set(ValueLayout.JAVA_LONG, 0, 0x0102030405060708L);
            MemorySegment m = new KernelArgs(f).add(a).add(p).add(0.5f).add(4.5).add(MemorySegment.ofArray(new byte[] {7, 8, 9}))
                    .packed();
            a.set(ValueLayout.JAVA_INT, 0, 0); // copied when added, not referenced
            assertEquals(-9, m.get(ValueLayout.JAVA_INT_UNALIGNED, 0));
            assertEquals(0x0102030405060708L, m.get(ValueLayout.JAVA_LONG_UNALIGNED, 8));
            assertEquals(9, m.get(ValueLayout.JAVA_BYTE, 34));
            assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE,
                    assertThrows(CudaException.class, () -> new KernelArgs(f).add(p)).result());
        }
    }

    @Test
    void wrongSizesAndCountsAreInvalidValue() throws Exception {
        assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE,
                assertThrows(CudaException.class, () -> new KernelArgs(f).add(1L)).result());
        assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE,
                assertThrows(CudaException.class, () -> new KernelArgs(f).add(1).packed()).result());
        KernelArgs full = new KernelArgs(f).add(1).add(2L).add(3f).add(4.0).add(new byte[3]);
        assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, assertThrows(CudaException.class, () -> full.add(5)).result());
    }

    @Test
    void resultCodesMatchCuda() {
        assertEquals(0, CUresult.CUDA_SUCCESS.code());
        assertEquals(46, CUresult.CUDA_ERROR_DEVICE_UNAVAILABLE.code());
        assertEquals(100, CUresult.CUDA_ERROR_NO_DEVICE.code());
        assertEquals(700, CUresult.CUDA_ERROR_ILLEGAL_ADDRESS.code());
        assertEquals(999, CUresult.CUDA_ERROR_UNKNOWN.code());
        assertEquals(CUresult.CUDA_ERROR_INVALID_PTX, CUresult.of(218).orElseThrow());
        assertEquals(75, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR.code());
    }
}
