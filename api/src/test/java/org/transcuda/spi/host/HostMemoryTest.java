package org.transcuda.spi.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;
import org.transcuda.cuda.CUresult;
import org.transcuda.spi.BackendException;

class HostMemoryTest {
    @Test
    void allocationsAreAlignedAndBoundsChecked() throws Exception {
        try (HostMemory m = new HostMemory(1 << 20)) {
            long a = m.allocate(100);
            assertEquals(0, a % HostMemory.ALIGNMENT);
            m.resolve(a, 100, CUresult.CUDA_ERROR_INVALID_VALUE).set(ValueLayout.JAVA_BYTE, 99, (byte) 7);
            assertEquals(7, m.resolve(a + 99, 1, CUresult.CUDA_ERROR_INVALID_VALUE).get(ValueLayout.JAVA_BYTE, 0));
            BackendException past = assertThrows(BackendException.class,
                    () -> m.resolve(a + 1, 100, CUresult.CUDA_ERROR_ILLEGAL_ADDRESS));
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, past.result());
            assertThrows(BackendException.class, () -> m.resolve(a - 1, 1, CUresult.CUDA_ERROR_INVALID_VALUE));
            assertThrows(BackendException.class, () -> m.resolve(12345, 1, CUresult.CUDA_ERROR_INVALID_VALUE));
        }
    }

    @Test
    void freeRejectsInteriorAndDoubleFree() throws Exception {
        try (HostMemory m = new HostMemory(1 << 20)) {
            long a = m.allocate(64);
            assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE,
                    assertThrows(BackendException.class, () -> m.free(a + 8)).result());
            m.free(a);
            assertEquals(0, m.liveAllocations());
            assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, assertThrows(BackendException.class, () -> m.free(a)).result());
            assertThrows(BackendException.class, () -> m.resolve(a, 1, CUresult.CUDA_ERROR_INVALID_VALUE));
        }
    }

    @Test
    void capacityGivesOutOfMemoryAndCloseFreesAll() throws Exception {
        HostMemory m = new HostMemory(1000);
        m.allocate(600);
        assertEquals(CUresult.CUDA_ERROR_OUT_OF_MEMORY, assertThrows(BackendException.class, () -> m.allocate(600)).result());
        m.allocate(400);
        assertEquals(1000, m.allocatedBytes());
        m.close();
        assertEquals(0, m.liveAllocations());
        assertEquals(0, m.allocatedBytes());
    }

    @Test
    void fillWritesElementsOfEachWidth() {
        MemorySegment s = MemorySegment.ofArray(new byte[12]);
        HostMemory.fill(s, 0x1234_5678, 4);
        for (int i = 0; i < 3; i++) assertEquals(0x12345678, s.get(ValueLayout.JAVA_INT_UNALIGNED, 4L * i));
        HostMemory.fill(s, 0xabcd, 2);
        for (int i = 0; i < 6; i++) assertEquals((short) 0xabcd, s.get(ValueLayout.JAVA_SHORT_UNALIGNED, 2L * i));
        HostMemory.fill(s, 0x1ff, 1);
        for (int i = 0; i < 12; i++) assertEquals((byte) 0xff, s.get(ValueLayout.JAVA_BYTE, i));
    }
}
