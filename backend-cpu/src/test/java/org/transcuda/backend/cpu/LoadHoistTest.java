package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.transcuda.cuda.Dim3;
import org.transcuda.spi.BackendFunction;

/**
 * {@link LoadHoist}: the vector form's loads run before the register statements that do not mention their
 * destination, so stencil's interior path is one fused loop; a load into a register that an earlier statement
 * reads stays after that statement (hand-written PTX with a redefined register, {@code
 * src/test/resources/kernels/loadhoist_hand.ptx}); results against Java bit for bit (NaN payloads in, canonical NaN
 * out), block by block and in grid rows, 1 and 2 workers, a partial last block.
 */
class LoadHoistTest {
    private static int canon(float v) {
        return Float.isNaN(v) ? 0x7fffffff : Float.floatToRawIntBits(v);
    }

    /** f32 values with NaN payloads (quiet, signalling, negative), infinities, signed zeros, subnormals. */
    private static int[] awkward(int n, long seed) {
        int[] special = {0x7fc01234, 0xffc00001, 0x7f800001, 0x7f800000, 0xff800000, 0, 0x80000000, 1, 0x807fffff};
        java.util.Random rnd = new java.util.Random(seed);
        int[] v = new int[n];
        for (int i = 0; i < n; i++) v[i] = i % 5 == 0 ? special[rnd.nextInt(special.length)] : rnd.nextInt();
        return v;
    }

    @Test
    void stencilInteriorPathIsOneLoopAfterItsLoads() throws Exception {
        try (Gpu gpu = new Gpu(1)) {
            gpu.device.engine(CpuDevice.Engine.THREAD);
            BackendFunction f = SchedulingTest.kernel(gpu, "gridrows.ptx", "stencil");
            VectorPaths v = ((CpuFunction) f).kernel.paths.vector;
            assertNotNull(v);
            int checked = 0;
            for (VectorPaths.Plan p : v.plans) {
                if (p == null) continue;
                int loads = 0, firstLane = -1, lastLoad = -1;
                java.util.Set<Integer> runs = new java.util.HashSet<>();
                for (int i = 0; i < p.kind().length; i++) {
                    if (p.kind()[i] == VectorPaths.LOAD) {
                        loads++;
                        lastLoad = i;
                    } else if (p.kind()[i] == VectorPaths.LANE) {
                        if (firstLane < 0) firstLane = i;
                        runs.add(p.run()[i]);
                    }
                }
                if (loads != 4) continue;
                // in[i+1], in[i-1], in[i-nx], in[i+nx] first, then three adds and the multiplication in one loop
                assertTrue(lastLoad < firstLane, "loads before the arithmetic");
                assertEquals(1, runs.size(), "one loop");
                checked++;
            }
            assertEquals(1, checked, "the interior path");
        }
    }

    @Test
    void loadIntoARegisterAnEarlierStatementReadsStaysAfterIt() throws Exception {
        int n = 1000;
        int[] a = awkward(n, 11), b = awkward(n, 12);
        int[] want = new int[n];
        for (int i = 0; i < n; i++) {
            float fa = Float.intBitsToFloat(a[i]);
            float s = Float.intBitsToFloat(canon(fa + fa));
            want[i] = canon(s + Float.intBitsToFloat(b[i]));
        }
        for (boolean rows : new boolean[] {false, true}) {
            for (int workers : new int[] {1, 2}) {
                try (Gpu gpu = new Gpu(workers)) {
                    gpu.device.engine(CpuDevice.Engine.THREAD);
                    gpu.device.gridRows = rows;
                    long da = gpu.upload(a), db = gpu.upload(b), dout = gpu.upload(new int[n]);
                    BackendFunction f = SchedulingTest.kernel(gpu, "loadhoist_hand.ptx", "redef");
                    gpu.launch(f, Dim3.of((n + 127) / 128), Dim3.of(128), 0, n, da, db, dout);
                    gpu.sync();
                    String what = (rows ? "rows, " : "blocks, ") + workers + " workers";
                    assertArrayEquals(want, gpu.ints(dout, n), what);
                    // the vector form ran: the full blocks block by block, or every block in rows
                    if (rows) {
                        assertEquals((n + 127) / 128, gpu.device.rowBlocks.sum(), what);
                    } else {
                        assertTrue(gpu.device.vecBlocks.sum() >= n / 128, what);
                    }
                }
            }
        }
    }
}
