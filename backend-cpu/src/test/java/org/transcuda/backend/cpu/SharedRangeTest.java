package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;
import org.transcuda.spi.BackendFunction;
import org.transcuda.spi.BackendException;

/**
 * {@link SharedRange} (off with {@code -Dtranscuda.cpu.sharedRange=false}): shared accesses whose address the
 * register ranges prove inside the static shared variables, compiled without the window check. Results against Java
 * references, on both engines and with 1 and 2 workers: the byte histogram ({@code stridetouch.ptx}'s {@code hist},
 * nvcc's code: {@code atomicAdd(&h[data[i]], 1u)}, 1 site proven) and a table look-up with shared counters
 * ({@code sharedrange_hand.ptx}'s {@code lut}: stores, loads and a 32-bit atomic at {@code &tbl + 4·(x & 63)} and
 * {@code &cnt + 4·(x & 63)}, 5 sites); the counts of proven sites ("shared sites inside the static window,
 * unchecked", per launch) show that the unchecked code was compiled (so the tests fail with the switch off: 0). Addresses
 * that are not proven keep their check and fault as before: a mask from a parameter ({@code lut_mask}: only its
 * 3 thread-index sites proven; a value past the window faults at its thread, {@code ld.shared}) and an address in
 * the window whose values are only multiples of 2 ({@code lut_odd}: nothing proven; misaligned at its thread), and one whose last
 * value's word is the first past the window ({@code lut_edge}: not proven; that thread faults).
 */
class SharedRangeTest {
    private static Gpu gpu(int workers, CpuDevice.Engine engine) throws BackendException {
        Gpu g = new Gpu(workers);
        g.device.engine(engine);
        return g;
    }

    private static int[] ints(int n, long seed) {
        int[] v = new int[n];
        long x = seed;
        for (int i = 0; i < n; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            v[i] = (int) (x >>> 32);
        }
        return v;
    }

    @Test
    void byteHistogramsMatch() throws Exception {
        // {n, grid, block size, workers}
        int[][] cases = {{200_003, 7, 256, 2}, {7 * 256 * 20, 7, 256, 1}, {100_001, 5, 80, 2}};
        for (CpuDevice.Engine engine : new CpuDevice.Engine[] {CpuDevice.Engine.LOCKSTEP, CpuDevice.Engine.THREAD}) {
            for (int[] c : cases) {
                int n = c[0], grid = c[1], nt = c[2];
                int[] words = ints((n + 3) / 4, 5 + n);
                byte[] data = new byte[n];
                for (int i = 0; i < n; i++) data[i] = (byte) (words[i / 4] >>> (8 * (i % 4)));
                int[] want = new int[256];
                for (int i = 0; i < n; i++) want[data[i] & 0xff]++;
                try (Gpu gpu = gpu(c[3], engine)) {
                    long dd = gpu.alloc(n);
                    MemorySegment.copy(data, 0, gpu.seg(dd, n), ValueLayout.JAVA_BYTE, 0, n);
                    long dbins = gpu.upload(new int[256]);
                    gpu.launch(SchedulingTest.kernel(gpu, "stridetouch.ptx", "hist"), grid, nt, n, dd, dbins);
                    gpu.sync();
                    String what = engine + ", n " + n + ", grid " + grid + ", block of " + nt;
                    assertArrayEquals(want, gpu.ints(dbins, 256), what);
                    assertEquals(1, gpu.device.sharedInWindow.sum(), what);
                }
            }
        }
    }

    /** Java reference of lut / lut_mask (mask 63): out[i] = 3·k + 1, counts[k] = how many i have k = in[i] & 63. */
    private static void lut(int[] in, int mask, int[] out, int[] counts) {
        for (int i = 0; i < in.length; i++) {
            int k = in[i] & mask;
            out[i] = 3 * k + 1;
            counts[k]++;
        }
    }

    @Test
    void tableLookupsMatch() throws Exception {
        int grid = 3, nt = 128, n = grid * nt;
        int[] in = ints(n, 11);
        int[] wantOut = new int[n], wantCounts = new int[64];
        lut(in, 63, wantOut, wantCounts);
        for (CpuDevice.Engine engine : new CpuDevice.Engine[] {CpuDevice.Engine.LOCKSTEP, CpuDevice.Engine.THREAD}) {
            for (int workers = 1; workers <= 2; workers++) {
                for (String name : new String[] {"lut", "lut_mask"}) {
                    try (Gpu gpu = gpu(workers, engine)) {
                        BackendFunction f = SchedulingTest.kernel(gpu, "sharedrange_hand.ptx", name);
                        long din = gpu.upload(in);
                        long dout = gpu.upload(new int[n]);
                        long dcounts = gpu.upload(new int[64]);
                        if (name.equals("lut")) gpu.launch(f, grid, nt, din, dout, dcounts);
                        else gpu.launch(f, grid, nt, din, dout, dcounts, 63);
                        gpu.sync();
                        String what = name + ", " + engine + ", " + workers + " workers";
                        assertArrayEquals(wantOut, gpu.ints(dout, n), what);
                        assertArrayEquals(wantCounts, gpu.ints(dcounts, 64), what);
                        int proven = name.equals("lut") ? 5 : 3;
                        assertEquals(proven, gpu.device.sharedInWindow.sum(), what);
                    }
                }
            }
        }
    }

    @Test
    void unprovenAddressesKeepTheirCheck() throws Exception {
        int grid = 2, nt = 128, n = grid * nt;
        for (CpuDevice.Engine engine : new CpuDevice.Engine[] {CpuDevice.Engine.LOCKSTEP, CpuDevice.Engine.THREAD}) {
            // lut_mask with mask 1023: block 1, thread 77 reads tbl[200], byte 800 of a 512-byte window
            int[] in = new int[n];
            for (int i = 0; i < n; i++) in[i] = i % 64;
            in[nt + 77] = 200;
            try (Gpu gpu = gpu(1, engine)) {
                BackendFunction f = SchedulingTest.kernel(gpu, "sharedrange_hand.ptx", "lut_mask");
                long din = gpu.upload(in);
                long dout = gpu.upload(new int[n]);
                long dcounts = gpu.upload(new int[64]);
                gpu.launch(f, grid, nt, din, dout, dcounts, 1023);
                BackendException e = assertThrows(BackendException.class, gpu::sync);
                assertEquals(org.transcuda.cuda.CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result(), e.getMessage());
                assertTrue(e.getMessage().contains("block (1,0,0), thread (77,0,0)"), e.getMessage());
                assertTrue(e.getMessage().contains("ld.shared"), e.getMessage());
                assertEquals(3, gpu.device.sharedInWindow.sum(), engine.toString());
            }
            // lut_odd: tbl + (x & 126) is inside the window, a multiple of 2; block 1, thread 9 reads at tbl + 6
            int[] odd = new int[n];
            for (int i = 0; i < n; i++) odd[i] = 4 * i;
            odd[nt + 9] = 6;
            try (Gpu gpu = gpu(1, engine)) {
                BackendFunction f = SchedulingTest.kernel(gpu, "sharedrange_hand.ptx", "lut_odd");
                long din = gpu.upload(odd);
                long dout = gpu.upload(new int[n]);
                gpu.launch(f, grid, nt, din, dout);
                BackendException e = assertThrows(BackendException.class, gpu::sync);
                assertEquals(org.transcuda.cuda.CUresult.CUDA_ERROR_MISALIGNED_ADDRESS, e.result(), e.getMessage());
                assertTrue(e.getMessage().contains("block (1,0,0), thread (9,0,0)"), e.getMessage());
                assertTrue(e.getMessage().contains("ld.shared"), e.getMessage());
                assertEquals(0, gpu.device.sharedInWindow.sum(), engine.toString());
            }
            // lut_edge: tbl + 4·(x & 63) + 4 reaches the window's end; block 1, thread 5 reads the word past it
            int[] edge = new int[n];
            for (int i = 0; i < n; i++) edge[i] = i % 63;
            edge[nt + 5] = 63;
            try (Gpu gpu = gpu(1, engine)) {
                BackendFunction f = SchedulingTest.kernel(gpu, "sharedrange_hand.ptx", "lut_edge");
                long din = gpu.upload(edge);
                long dout = gpu.upload(new int[n]);
                gpu.launch(f, grid, nt, din, dout);
                BackendException e = assertThrows(BackendException.class, gpu::sync);
                assertEquals(org.transcuda.cuda.CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, e.result(), e.getMessage());
                assertTrue(e.getMessage().contains("block (1,0,0), thread (5,0,0)"), e.getMessage());
                assertTrue(e.getMessage().contains("ld.shared"), e.getMessage());
                assertEquals(0, gpu.device.sharedInWindow.sum(), engine.toString());
            }
        }
    }
}
