package org.transcuda.backend.vulkan;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.transcuda.spi.BackendException;

/** Small helpers to move int arrays to and from device memory in tests. */
final class Gpu {
    private Gpu() {
    }

    static long upload(VulkanContext c, VulkanStream s, int[] data) throws BackendException {
        long a = c.allocate(4L * data.length);
        s.copyHostToDevice(a, MemorySegment.ofArray(data.clone()));
        return a;
    }

    static int[] download(VulkanStream s, long address, int n) throws BackendException {
        int[] out = new int[n];
        s.copyDeviceToHost(MemorySegment.ofArray(out), address);
        s.synchronize();
        return out;
    }

    static byte[] downloadBytes(VulkanStream s, long address, int n) throws BackendException {
        byte[] out = new byte[n];
        s.copyDeviceToHost(MemorySegment.ofArray(out), address);
        s.synchronize();
        return out;
    }

    static float[] downloadFloats(VulkanStream s, long address, int n) throws BackendException {
        int[] bits = download(s, address, n);
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = Float.intBitsToFloat(bits[i]);
        return f;
    }

    static MemorySegment ints(int... v) {
        return MemorySegment.ofArray(v);
    }

    static int intAt(MemorySegment s, long index) {
        return s.getAtIndex(ValueLayout.JAVA_INT, index);
    }
}
