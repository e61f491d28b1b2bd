package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.transcuda.backend.cpu.Ir.F32;
import static org.transcuda.backend.cpu.Ir.PRED;
import static org.transcuda.backend.cpu.Ir.U32;
import static org.transcuda.backend.cpu.Ir.U64;
import static org.transcuda.backend.cpu.Ir.u32;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.Dim3;
import org.transcuda.ir.AddressSpace;
import org.transcuda.ir.Function;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Module;
import org.transcuda.ir.Opcode;
import org.transcuda.ir.Reg;
import org.transcuda.ir.Special;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;
import org.transcuda.spi.BackendModule;
import org.transcuda.spi.LaunchConfig;

/** Bad addresses, misalignment, traps, sticky errors, load-time errors. */
class FaultsTest {
    /** p[i] = v for the u32 at address p + off (p and off are kernel arguments). */
    static Function poke(AddressSpace space, boolean load) {
        Ir k = Ir.kernel("poke").param("p", U64).param("off", U64);
        Reg p = k.reg(U64);
        Reg off = k.reg(U64);
        k.ldParam(p, "p").ldParam(off, "off");
        Reg a = k.reg(U64);
        k.op(Opcode.ADD, U64, a, p, off);
        Reg v = k.reg(U32);
        if (load) k.ld(space, U32, v, a, 0);
        else k.st(space, U32, a, 0, u32(7));
        return k.build();
    }

    static BackendException fault(Gpu gpu, Function k, Object... args) throws Exception {
        gpu.launch(gpu.kernel(k), 1, 1, args);
        return assertThrows(BackendException.class, gpu::sync);
    }

    @ParameterizedTest
    @EnumSource(value = AddressSpace.class, names = {"GLOBAL", "GENERIC"})
    void outOfBoundsIsAnIllegalAddressAndSticky(AddressSpace space) throws Exception {
        try (Gpu gpu = new Gpu()) {
            long a = gpu.alloc(100);
            gpu.launch(gpu.kernel(poke(space, false)), 1, 1, a, 96L);
            gpu.sync(); // last full word is fine
            BackendException e = fault(gpu, poke(space, true), a, 100L);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
            assertTrue(e.getMessage().contains("ld."), e.getMessage());
            // sticky: every later call fails the same way
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, assertThrows(BackendException.class, () -> gpu.alloc(8)).result());
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS,
                    assertThrows(BackendException.class, gpu.ctx::synchronize).result());
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, assertThrows(BackendException.class,
                    () -> gpu.ctx.loadModule(new Module("m", List.of(poke(space, true))))).result());
        }
    }

    @Test
    void misalignedAccesses() throws Exception {
        try (Gpu gpu = new Gpu()) {
            long a = gpu.alloc(64);
            BackendException e = fault(gpu, poke(AddressSpace.GLOBAL, true), a, 2L);
            assertEquals(CUresult.CUDA_ERROR_MISALIGNED_ADDRESS, e.result());
        }
        try (Gpu gpu = new Gpu()) {
            long a = gpu.alloc(64);
            assertEquals(CUresult.CUDA_ERROR_MISALIGNED_ADDRESS,
                    fault(gpu, poke(AddressSpace.GENERIC, false), a, 1L).result());
        }
        try (Gpu gpu = new Gpu()) {
            // shared: offset 6 of a u32 access
            Ir k = Ir.kernel("sh").param("o", U32);
            Reg o = k.reg(U32);
            k.ldParam(o, "o");
            Reg v = k.reg(U32);
            k.ld(AddressSpace.SHARED, U32, v, o, 0);
            BackendFunction f = gpu.module(List.of(SharedMemoryTest.shared("s", U32, 16)), List.of(k.build())).function("sh");
            gpu.launch(f, 1, 1, 6);
            assertEquals(CUresult.CUDA_ERROR_MISALIGNED_ADDRESS, assertThrows(BackendException.class, gpu::sync).result());
        }
    }

    @Test
    void nullFreedAndWindowAddressesAreIllegal() throws Exception {
        try (Gpu gpu = new Gpu()) {
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, fault(gpu, poke(AddressSpace.GLOBAL, true), 0L, 0L).result());
        }
        try (Gpu gpu = new Gpu()) {
            long a = gpu.alloc(64);
            gpu.ctx.free(a);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, fault(gpu, poke(AddressSpace.GLOBAL, false), a, 0L).result());
        }
        try (Gpu gpu = new Gpu()) {
            // a generic shared address used as a global address
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS,
                    fault(gpu, poke(AddressSpace.GLOBAL, true), Windows.SHARED, 0L).result());
        }
        try (Gpu gpu = new Gpu()) {
            // negative local offset
            Ir k = Ir.kernel("loc").param("o", U64).local("buf", U32, 4, 4);
            Reg o = k.reg(U64);
            k.ldParam(o, "o");
            Reg v = k.reg(U32);
            k.ld(AddressSpace.LOCAL, U32, v, o, 0);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, fault(gpu, k.build(), -4L).result());
        }
    }

    /** Random pointers never crash the JVM: each launch fails with an address error or succeeds. */
    @Test
    void randomAddressesNeverCrash() throws Exception {
        Random r = new Random(42);
        long[] specials = {-1L, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 47, 0xffff_8000_0000_0000L, 4096,
            Windows.SHARED - 4, Windows.LOCAL, Windows.PARAM + 1 << 20, Windows.FUNC};
        for (int i = 0; i < 60; i++) {
            try (Gpu gpu = new Gpu(1)) {
                long a = gpu.alloc(256);
                long addr = i < specials.length ? specials[i] : switch (i % 3) {
                    case 0 -> r.nextLong();
                    case 1 -> a + r.nextInt(600) - 300;
                    default -> r.nextLong() >>> 16;
                };
                addr &= ~3L;
                gpu.launch(gpu.kernel(poke(AddressSpace.GENERIC, i % 2 == 0)), 1, 1, addr, 0L);
                try {
                    gpu.sync();
                    assertTrue(addr >= a && addr < a + 256 || Windows.tag(addr) != 0, Long.toHexString(addr));
                } catch (BackendException e) {
                    assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result(), e.getMessage());
                }
            }
        }
    }

    @Test
    void trapIsAnIllegalInstructionAndStopsAllBlocks() throws Exception {
        Ir k = Ir.kernel("trapper").param("out", U64);
        Reg out = k.reg(U64);
        k.ldParam(out, "out");
        Reg i = k.globalIdX();
        Reg p = k.reg(PRED);
        k.setp(Inst.CmpOp.EQ, U32, p, i, u32(5000)).braIf(p, "boom", "ok");
        k.label("boom").trap();
        k.label("ok");
        k.st(AddressSpace.GLOBAL, U32, k.index(out, i, 4), 0, i);
        try (Gpu gpu = new Gpu(4)) {
            long buf = gpu.alloc(1 << 22);
            gpu.launch(gpu.kernel(k.build()), 4096, 256, buf);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_INSTRUCTION, e.result());
            assertTrue(e.getMessage().contains("block (19,0,0), thread (136,0,0)"), e.getMessage());
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_INSTRUCTION,
                    assertThrows(BackendException.class, gpu.stream::synchronize).result());
        }
    }

    @Test
    void queuedWorkAfterAFaultFailsToo() throws Exception {
        try (Gpu gpu = new Gpu()) {
            long a = gpu.alloc(16);
            BackendFunction bad = gpu.kernel(poke(AddressSpace.GLOBAL, true));
            BackendFunction good = gpu.kernel(poke(AddressSpace.GLOBAL, false));
            gpu.launch(bad, 1, 1, a, 1024L);
            try {
                gpu.launch(good, 1, 1, a, 0L); // may already see the sticky fault, if the bad kernel has run
            } catch (BackendException e) {
                assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
            }
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, assertThrows(BackendException.class, gpu::sync).result());
            assertEquals(0, gpu.ints(a, 1)[0]); // the second kernel never ran
        }
    }

    @Test
    void loadTimeErrors() throws Exception {
        try (Gpu gpu = new Gpu()) {
            Function good = ElementwiseTest.saxpy();
            Function broken = new Function("broken", true, List.of());
            Module m = new Module("m", List.of(), List.of(good, broken),
                    List.of(new Module.Problem("broken", "m.ptx:3:5: unknown instruction frob.b32")));
            BackendModule mod = gpu.ctx.loadModule(m);
            assertEquals("saxpy", mod.function("saxpy").ir().name());
            BackendException e = assertThrows(BackendException.class, () -> mod.function("broken"));
            assertEquals(CUresult.CUDA_ERROR_INVALID_PTX, e.result());
            assertEquals("m.ptx:3:5: unknown instruction frob.b32", e.getMessage());
            assertEquals(CUresult.CUDA_ERROR_NOT_FOUND,
                    assertThrows(BackendException.class, () -> mod.function("nope")).result());

            Ir u = Ir.kernel("uns");
            u.add(new Inst.Unsupported("tex.2d", "textures are not supported"));
            BackendModule m2 = gpu.module(List.of(u.build()));
            BackendException e2 = assertThrows(BackendException.class, () -> m2.function("uns"));
            assertEquals(CUresult.CUDA_ERROR_INVALID_PTX, e2.result());
            assertTrue(e2.getMessage().contains("textures are not supported"), e2.getMessage());
            // a second lookup gives the same error
            assertEquals(CUresult.CUDA_ERROR_INVALID_PTX, assertThrows(BackendException.class, () -> m2.function("uns")).result());

            // a recursive device function with a barrier cannot be inlined (direct calls of non-recursive ones are:
            // SchedulingTest)
            Ir dev = Ir.func("syncer");
            dev.bar();
            dev.call("syncer", List.of());
            dev.ret();
            Ir k = Ir.kernel("caller");
            k.call("syncer", List.of());
            BackendModule m3 = gpu.module(List.of(k.build(), dev.build()));
            BackendException e3 = assertThrows(BackendException.class, () -> m3.function("caller"));
            assertEquals(CUresult.CUDA_ERROR_NOT_SUPPORTED, e3.result());
            assertTrue(e3.getMessage().contains("syncer"), e3.getMessage());
            gpu.sync(); // load errors are not sticky
        }
    }

    @Test
    void launchChecks() throws Exception {
        try (Gpu gpu = new Gpu()) {
            BackendFunction f = gpu.kernel(ElementwiseTest.saxpy());
            BackendException e = assertThrows(BackendException.class,
                    () -> gpu.stream.launch(f, new LaunchConfig(Dim3.of(1), Dim3.of(2048), 0), null));
            assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, e.result());
            try (Gpu other = new Gpu()) {
                assertEquals(CUresult.CUDA_ERROR_INVALID_HANDLE, assertThrows(BackendException.class,
                        () -> other.stream.launch(f, new LaunchConfig(Dim3.of(1), Dim3.of(32), 0), null)).result());
            }
        }
    }

    @Test
    void contextCloseReleasesEverything() throws Exception {
        Gpu gpu = new Gpu(3);
        long a = gpu.alloc(4 << 20);
        BackendFunction f = gpu.kernel(ElementwiseTest.saxpy());
        gpu.launch(f, 4096, 256, 1 << 20, 1f, a, a);
        gpu.sync();
        long workers = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("transcuda-cpu-worker")).count();
        assertTrue(workers > 0);
        gpu.close();
        Thread.sleep(50);
        long after = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("transcuda-cpu-worker") && t.isAlive()).count();
        assertEquals(0, after);
        assertEquals(0, gpu.ctx.allocatedBytes());
        assertEquals(CUresult.CUDA_ERROR_CONTEXT_IS_DESTROYED, assertThrows(BackendException.class, () -> gpu.alloc(8)).result());
    }

    @Test
    void faultInSuspendingKernelNamesTheThread() throws Exception {
        Ir k = Ir.kernel("sf").param("p", U64);
        Reg p = k.reg(U64);
        k.ldParam(p, "p");
        Reg tid = k.reg(U32);
        k.special(tid, Special.TID_X);
        k.bar();
        Reg bad = k.reg(PRED);
        k.setp(Inst.CmpOp.EQ, U32, bad, tid, u32(33));
        Reg v = k.reg(F32);
        k.when(bad).ld(AddressSpace.GLOBAL, F32, v, p, 4096);
        k.bar();
        try (Gpu gpu = new Gpu()) {
            long a = gpu.alloc(64);
            gpu.launch(gpu.kernel(k.build()), 1, 64, a);
            BackendException e = assertThrows(BackendException.class, gpu::sync);
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result());
            assertTrue(e.getMessage().contains("thread (33,0,0)"), e.getMessage());
        }
    }
}
