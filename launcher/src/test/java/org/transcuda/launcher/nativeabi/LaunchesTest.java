package org.transcuda.launcher.nativeabi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.CudaException;
import org.transcuda.cuda.CudaFunction;
import org.transcuda.cuda.KernelArgs;
import org.transcuda.ir.Function;
import org.transcuda.ir.Param;
import org.transcuda.ir.ScalarType;

/**
 * Packing of launch arguments as native programs pass them: a {@code void*[]} of pointers to each value
 * (runtime {@code args}, {@code kernelParams}) and a packed buffer ({@code extra}). The expected buffers are laid
 * out by hand from the parameters' offsets.
 */
class LaunchesTest {
    /** f(float, .align 8 .b8 [16], u8, u64): offsets 0, 8, 24, 32; buffer 40 bytes. */
    private static final Function IR = new Function("k", true, List.of(new Param("a", ScalarType.F32, 1, 4, 0),
            new Param("pair", ScalarType.B8, 16, 8, 8), new Param("c", ScalarType.U8, 1, 1, 24),
            new Param("p", ScalarType.U64, 1, 8, 32)));

    /** A function that answers what packing asks (its name, fresh arguments, its block limit) and nothing else. */
    private static CudaFunction function(Function ir) {
        return (CudaFunction) java.lang.reflect.Proxy.newProxyInstance(CudaFunction.class.getClassLoader(),
                new Class<?>[] {CudaFunction.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "name" -> ir.name();
                    case "newArgs" -> new KernelArgs(ir);
                    case "maxThreadsPerBlock" -> 1024;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static byte[] expected() {
        MemorySegment e = MemorySegment.ofArray(new byte[40]);
        e.set(ValueLayout.JAVA_FLOAT_UNALIGNED, 0, 1.5f);
        for (int i = 0; i < 16; i++) e.set(ValueLayout.JAVA_BYTE, 8 + i, (byte) (100 + i));
        e.set(ValueLayout.JAVA_BYTE, 24, (byte) 7);
        e.set(ValueLayout.JAVA_LONG_UNALIGNED, 32, 0x1122334455667788L);
        return e.toArray(ValueLayout.JAVA_BYTE);
    }

    private static byte[] packed(KernelArgs args) throws CudaException {
        return args.packed().asSlice(0, 40).toArray(ValueLayout.JAVA_BYTE);
    }

    @Test
    void pointerArrayIsReadParameterByParameter() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = arena.allocate(4);
            a.set(ValueLayout.JAVA_FLOAT, 0, 1.5f);
            MemorySegment pair = arena.allocate(16);
            for (int i = 0; i < 16; i++) pair.set(ValueLayout.JAVA_BYTE, i, (byte) (100 + i));
            MemorySegment c = arena.allocate(1);
            c.set(ValueLayout.JAVA_BYTE, 0, (byte) 7);
            MemorySegment p = arena.allocate(8);
            p.set(ValueLayout.JAVA_LONG, 0, 0x1122334455667788L);
            MemorySegment argv = arena.allocate(8 * 4, 8);
            argv.setAtIndex(ValueLayout.JAVA_LONG, 0, a.address());
            argv.setAtIndex(ValueLayout.JAVA_LONG, 1, pair.address());
            argv.setAtIndex(ValueLayout.JAVA_LONG, 2, c.address());
            argv.setAtIndex(ValueLayout.JAVA_LONG, 3, p.address());
            assertArrayEquals(expected(), packed(Launches.pack(function(IR), argv.address())));

            argv.setAtIndex(ValueLayout.JAVA_LONG, 2, 0);
            assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE,
                    assertThrows(CudaException.class, () -> Launches.pack(function(IR), argv.address())).result());
            assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE,
                    assertThrows(CudaException.class, () -> Launches.pack(function(IR), 0)).result());
        }
    }

    @Test
    void bufferIsReadAtTheParametersOffsets() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(40, 8);
            MemorySegment.copy(MemorySegment.ofArray(expected()), 0, buffer, 0, 40);
            // Padding bytes of the program's buffer are not parameters: garbage there changes nothing.
            buffer.set(ValueLayout.JAVA_INT, 4, 0xdeadbeef);
            buffer.set(ValueLayout.JAVA_BYTE, 25, (byte) 0x55);
            assertArrayEquals(expected(), packed(Launches.packBuffer(function(IR), buffer.address(), 40)));
            assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, assertThrows(CudaException.class,
                    () -> Launches.packBuffer(function(IR), buffer.address(), 39)).result());
            assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, assertThrows(CudaException.class,
                    () -> Launches.packBuffer(function(IR), 0, 40)).result());
        }
    }

    @Test
    void kernelsWithoutParametersNeedNoArguments() throws Exception {
        Function none = new Function("empty", true, List.of());
        assertEquals(0, Launches.pack(function(none), 0).function().params().size());
        Launches.pack(function(none), 0).packed();
        Launches.packBuffer(function(none), 0, 0).packed();
    }
}
