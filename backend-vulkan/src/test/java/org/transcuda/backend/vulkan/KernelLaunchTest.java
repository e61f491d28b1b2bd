package org.transcuda.backend.vulkan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.transcuda.backend.vulkan.VulkanKernel.ArgsMode;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.Dim3;
import org.transcuda.ptx.PtxTranslator;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendFunction;
import org.transcuda.spi.BackendModule;
import org.transcuda.spi.GlobalSymbol;
import org.transcuda.spi.LaunchConfig;

/** Writer-built shaders launched on the device through the runtime, results checked against Java. */
class KernelLaunchTest extends ContextTest {
    @ParameterizedTest
    @EnumSource(ArgsMode.class)
    void scaleAddMatchesJava(ArgsMode mode) throws Exception {
        int n = 1000;
        int k = 7;
        int[] in = new Random(1).ints(n).toArray();
        long dIn = Gpu.upload(ctx, stream, in);
        long dOut = ctx.allocate(4L * n);
        stream.fill(dOut, 0xdeadbeef, 4, n);
        VulkanFunction f = ctx.load(TestKernels.scaleAdd(mode));
        Args a = new Args(f.kernel().params()).u64("out", dOut).u64("in", dIn).u32("k", k).u32("n", n - 3);
        stream.launch(f, new LaunchConfig(Dim3.of((n + 127) / 128), Dim3.of(128), 0), a.segment);
        int[] out = Gpu.download(stream, dOut, n);
        for (int i = 0; i < n; i++) {
            int expected = i < n - 3 ? in[i] * k + i : 0xdeadbeef; // threads past n write nothing
            assertEquals(expected, out[i], "element " + i);
        }
    }

    @Test
    void argumentsAreCopiedAtEnqueue() throws Exception {
        int n = 64;
        long dIn = Gpu.upload(ctx, stream, new int[n]);
        long dOut = ctx.allocate(4L * n);
        VulkanFunction f = ctx.load(TestKernels.scaleAdd(ArgsMode.BUFFER));
        Args a = new Args(f.kernel().params()).u64("out", dOut).u64("in", dIn).u32("k", 1).u32("n", n);
        stream.enqueueHostCallback(() -> sleep(50)); // the launch waits behind it
        stream.launch(f, new LaunchConfig(Dim3.of(1), Dim3.of(n), 0), a.segment);
        a.u32("n", 0); // changed after enqueue: must not matter
        int[] out = Gpu.download(stream, dOut, n);
        for (int i = 0; i < n; i++) assertEquals(i, out[i]);
    }

    @Test
    void dynamicSharedMemoryReversesEachBlock() throws Exception {
        int block = 64;
        int blocks = 3;
        int n = block * blocks;
        int[] in = new Random(2).ints(n).toArray();
        long dIn = Gpu.upload(ctx, stream, in);
        long dOut = ctx.allocate(4L * n);
        VulkanFunction f = ctx.load(TestKernels.blockReverse());
        Args a = new Args(f.kernel().params()).u64("out", dOut).u64("in", dIn);
        stream.launch(f, new LaunchConfig(Dim3.of(blocks), Dim3.of(block), 4 * block), a.segment);
        int[] out = Gpu.download(stream, dOut, n);
        for (int b = 0; b < blocks; b++) {
            for (int t = 0; t < block; t++) assertEquals(in[b * block + block - 1 - t], out[b * block + t]);
        }
    }

    @Test
    void staticSharedReductionWithLoopAndBarriers() throws Exception {
        int blocks = 37;
        VulkanFunction f = ctx.load(TestKernels.blockSum());
        assertEquals(TestKernels.BLOCK_SUM_STATIC_SHARED, f.staticSharedBytes());
        for (int block : new int[] {256, 32, 1}) {
            int n = block * blocks;
            int[] in = new Random(block).ints(n, 0, 1 << 20).toArray();
            long dIn = Gpu.upload(ctx, stream, in);
            long dOut = ctx.allocate(4L * blocks);
            Args a = new Args(f.kernel().params()).u64("out", dOut).u64("in", dIn);
            stream.launch(f, new LaunchConfig(Dim3.of(blocks), Dim3.of(block), 0), a.segment);
            int[] out = Gpu.download(stream, dOut, blocks);
            for (int b = 0; b < blocks; b++) {
                int sum = 0;
                for (int t = 0; t < block; t++) sum += in[b * block + t];
                assertEquals(sum, out[b], "block " + b + " of size " + block);
            }
        }
        assertEquals(3, f.pipelineCount(), "one pipeline per block size");
    }

    private void checkGrid(Dim3 grid, int block) throws Exception {
        int n = Math.toIntExact(grid.volume() * block);
        long dOut = ctx.allocate(4L * n);
        long dDims = ctx.allocate(12);
        stream.fill(dOut, 0, 4, n);
        VulkanFunction f = ctx.load(TestKernels.gridIds());
        Args a = new Args(f.kernel().params()).u64("out", dOut).u64("dims", dDims);
        stream.launch(f, new LaunchConfig(grid, Dim3.of(block), 0), a.segment);
        int[] out = Gpu.download(stream, dOut, n);
        for (int i = 0; i < n; i++) {
            if (out[i] != i + 1) assertEquals(i + 1, out[i], "element " + i + " of grid " + grid);
        }
        assertArrayEquals(new int[] {grid.x(), grid.y(), grid.z()}, Gpu.download(stream, dDims, 3));
        ctx.free(dOut);
        ctx.free(dDims);
    }

    @Test
    void gridLargerThanTheDispatchLimitIsSplit() throws Exception {
        int limit = ctx.info.maxComputeWorkGroupCount[0];
        checkGrid(Dim3.of(limit + 4465), 2); // more blocks than one vkCmdDispatch may have
    }

    @Test
    void threeDimensionalGridSplitInEveryDimension() throws Exception {
        checkGrid(new Dim3(5, 7, 3), 4); // fits: one dispatch
        ctx.maxDispatch[0] = 2;
        ctx.maxDispatch[1] = 3;
        ctx.maxDispatch[2] = 2;
        checkGrid(new Dim3(5, 7, 3), 4); // 3 x 3 x 2 dispatches, ragged edges
    }

    @Test
    void largeArgumentsGoThroughTheArgumentBuffer() throws Exception {
        int n = TestKernels.BIG_ARGS_COUNT;
        VulkanFunction f = ctx.load(TestKernels.bigArgs());
        assertTrue(f.kernel().argBytes() > ctx.info.maxPushConstantsSize);
        long dOut = ctx.allocate(4L * n);
        Args a = new Args(f.kernel().params()).u64("out", dOut).u32("n", n);
        for (int i = 0; i < n; i++) a.f32("vals", i, i * 0.5f - 100f);
        for (int round = 0; round < 3; round++) { // several launches share the stream's upload buffer
            stream.launch(f, new LaunchConfig(Dim3.of(8), Dim3.of(128), 0), a.segment);
        }
        float[] out = Gpu.downloadFloats(stream, dOut, n);
        for (int i = 0; i < n; i++) assertEquals((i * 0.5f - 100f) * 2f + 1f, out[i]);
    }

    @Test
    void subgroupsHaveTheDeviceSize() throws Exception {
        int n = 64;
        long dOut = ctx.allocate(8L * n);
        VulkanFunction f = ctx.load(TestKernels.subgroupInfo());
        stream.launch(f, new LaunchConfig(Dim3.of(1), Dim3.of(n), 0), new Args(f.kernel().params())
                .u64("out", dOut).segment);
        int[] out = Gpu.download(stream, dOut, 2 * n);
        int size = ctx.info.subgroupSize;
        for (int i = 0; i < n; i++) {
            assertEquals(size, out[2 * i], "SubgroupSize");
            assertEquals(i % size, out[2 * i + 1], "SubgroupLocalInvocationId");
        }
    }

    @Test
    void launchesAreValidated() throws Exception {
        VulkanFunction f = ctx.load(TestKernels.addOne());
        long d = ctx.allocate(64);
        Args a = new Args(f.kernel().params()).u64("data", d).u32("n", 16);
        BackendException tooBig = assertThrows(BackendException.class,
                () -> stream.launch(f, new LaunchConfig(Dim3.of(1), Dim3.of(2048), 0), a.segment));
        assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, tooBig.result());
        BackendException shared = assertThrows(BackendException.class, () -> stream.launch(f,
                new LaunchConfig(Dim3.of(1), Dim3.of(16), ctx.info.maxComputeSharedMemorySize + 1), a.segment));
        assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, shared.result());
        BackendException shortArgs = assertThrows(BackendException.class, () -> stream.launch(f,
                new LaunchConfig(Dim3.of(1), Dim3.of(16), 0), a.segment.asSlice(0, 8)));
        assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, shortArgs.result());
        try (VulkanContext other = VulkanTestSupport.context()) {
            VulkanFunction foreign = other.load(TestKernels.addOne());
            BackendException wrongContext = assertThrows(BackendException.class,
                    () -> stream.launch(foreign, new LaunchConfig(Dim3.of(1), Dim3.of(16), 0), a.segment));
            assertEquals(CUresult.CUDA_ERROR_INVALID_HANDLE, wrongContext.result());
        }
    }

    @Test
    void unloadedModuleCannotLaunch() throws Exception {
        VulkanModule m = ctx.load("m", List.of(TestKernels.addOne()));
        VulkanFunction f = m.function("add_one");
        assertEquals(CUresult.CUDA_ERROR_NOT_FOUND, assertThrows(BackendException.class,
                () -> m.function("nope")).result());
        long d = ctx.allocate(64);
        stream.launch(f, new LaunchConfig(Dim3.of(1), Dim3.of(16), 0),
                new Args(f.kernel().params()).u64("data", d).u32("n", 16).segment);
        m.close();
        assertEquals(0, ctx.ledger.live(Ledger.Kind.PIPELINE));
        assertEquals(CUresult.CUDA_ERROR_INVALID_HANDLE, assertThrows(BackendException.class, () -> stream.launch(f,
                new LaunchConfig(Dim3.of(1), Dim3.of(16), 0), new Args(f.kernel().params()).segment)).result());
        stream.synchronize();
    }

    private static final String PTX = """
            .version 8.0
            .target sm_80
            .address_size 64
            .global .align 4 .u32 g_scale = 3;
            .visible .entry scale(.param .u64 p_data, .param .u32 p_n)
            {
                .reg .pred %p<2>;
                .reg .b32 %r<8>;
                .reg .b64 %rd<4>;
                ld.param.u64 %rd1, [p_data];
                ld.param.u32 %r1, [p_n];
                mov.u32 %r2, %ctaid.x;
                mov.u32 %r3, %ntid.x;
                mov.u32 %r4, %tid.x;
                mad.lo.s32 %r5, %r2, %r3, %r4;
                setp.ge.u32 %p1, %r5, %r1;
                @%p1 bra DONE;
                mul.wide.u32 %rd2, %r5, 4;
                add.s64 %rd3, %rd1, %rd2;
                ld.global.u32 %r6, [%rd3];
                ld.global.u32 %r7, [g_scale];
                mad.lo.s32 %r6, %r6, %r7, %r5;
                st.global.u32 [%rd3], %r6;
            DONE:
                ret;
            }
            .visible .entry traps()
            {
                trap;
            }
            """;

    @Test
    void loadsPtxModulesThroughTheCodeGenerator() throws Exception {
        BackendModule m = ctx.loadModule(PtxTranslator.translate("k.ptx", PTX));
        try {
            GlobalSymbol scale = m.global("g_scale");
            stream.copyHostToDevice(scale.address(), Gpu.ints(5));
            int n = 1000;
            int[] in = new int[n];
            for (int i = 0; i < n; i++) in[i] = i * 7 - 300;
            long d = Gpu.upload(ctx, stream, in);
            BackendFunction f = m.function("scale");
            MemorySegment args = new Args(f.ir().params()).u64("p_data", d).u32("p_n", n).segment;
            stream.launch(f, new LaunchConfig(Dim3.of(8), Dim3.of(128), 0), args);
            int[] out = Gpu.download(stream, d, n);
            for (int i = 0; i < n; i++) assertEquals(in[i] * 5 + i, out[i], "element " + i);
            ctx.free(d);
            // trap fails the launch and, as in CUDA, leaves the context unusable
            BackendFunction t = m.function("traps");
            stream.launch(t, new LaunchConfig(Dim3.of(2), Dim3.of(32), 0), MemorySegment.ofArray(new byte[8]));
            BackendException e = assertThrows(BackendException.class, () -> stream.synchronize());
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_INSTRUCTION, e.result());
            assertEquals(CUresult.CUDA_ERROR_ILLEGAL_INSTRUCTION,
                    assertThrows(BackendException.class, () -> ctx.allocate(64)).result());
        } finally {
            m.close();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
