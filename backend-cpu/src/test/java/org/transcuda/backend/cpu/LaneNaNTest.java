package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.transcuda.spi.BackendException;

/**
 * f32 chains in lockstep lane loops whose NaN canonicalization is deferred to the end of each chain
 * ({@code KernelCompiler.Emitter.lockDeferredNaN}): every stored value bit for bit against a Java reference that
 * canonicalizes after each operation (NVIDIA's {@code 0x7fffffff}), with NaN payloads, infinities, -0.0, zeros
 * (0/0 inside the chain) and fma-sensitive inputs, in full blocks and with a partial last warp. Kernel: {@code
 * src/test/resources/kernels/lanenan.cu}.
 */
class LaneNaNTest {
    private static Gpu gpu() throws BackendException {
        Gpu g = new Gpu(2);
        g.device.engine(CpuDevice.Engine.LOCKSTEP);
        return g;
    }

    /** The result of an f32 operation as the PTX code defines it: NVIDIA's canonical NaN for any NaN. */
    private static float cf(float x) {
        return Float.isNaN(x) ? Float.intBitsToFloat(0x7fffffff) : x;
    }

    private static float value(int i, int salt) {
        return switch ((i * 7 + salt) % 13) {
            case 0 -> Float.intBitsToFloat(0x7fc00123); // quiet NaN with a payload
            case 1 -> Float.intBitsToFloat(0xff800005); // negative signalling NaN
            case 2 -> Float.POSITIVE_INFINITY;
            case 3 -> -0.0f;
            case 4 -> 0.0f;
            case 5 -> 1.0f + 0x1p-12f;
            case 6 -> 1.0f - 0x1p-12f;
            case 7 -> Float.NEGATIVE_INFINITY;
            default -> ((i * 31 + salt * 17) % 61 - 30) * 0.125f;
        };
    }

    @Test
    void chainsMatchCanonicalizingReference() throws Exception {
        for (int nt : new int[] {256, 80}) {
            try (Gpu gpu = gpu()) {
                int grid = 9, n = grid * nt;
                float[] a = new float[n], b = new float[n];
                for (int i = 0; i < n; i++) {
                    a[i] = value(i, 0);
                    b[i] = value(i / 3, 5);
                }
                long da = gpu.upload(a), db = gpu.upload(b);
                long dout = gpu.alloc(4L * n), dmid = gpu.alloc(4L * n);
                gpu.launch(SchedulingTest.kernel(gpu, "lanenan.ptx", "chain_f32"), grid, nt, da, db, dout, dmid);
                gpu.sync();
                int[] out = gpu.ints(dout, n), mid = gpu.ints(dmid, n);
                int nans = 0;
                for (int i = 0; i < n; i++) {
                    float x = a[i], s = b[i];
                    float y = cf(Math.fma(x, s, 0.5f));
                    float z = cf(Math.fma(y, x, -1.0f));
                    float w = cf(z / s);
                    float v = cf(w - y);
                    assertEquals(Float.floatToRawIntBits(z), mid[i], "mid[" + i + "], block of " + nt);
                    assertEquals(Float.floatToRawIntBits(v), out[i], "out[" + i + "], block of " + nt);
                    if (Float.isNaN(v)) nans++;
                }
                assertTrue(nans > 0 && nans < n, "some NaN results, not only");
            }
        }
    }
}
