package org.transcuda.launcher.nativeabi;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * A call's argument block (uint64 values on the C caller's stack, as native/functions.txt lists them) and the
 * native memory its pointers name: out-parameters are written through them.
 */
final class Args {
    /** The most arguments a function takes (TC_MAX_ARGS on the C side). */
    static final int MAX = 8;
    private final MemorySegment block;

    Args(long address) {
        block = MemorySegment.ofAddress(address).reinterpret(8L * MAX);
    }

    long get(int index) {
        return block.getAtIndex(ValueLayout.JAVA_LONG, index);
    }

    int i32(int index) {
        return (int) get(index);
    }

    /** A null pointer where CUDA requires one: the call fails with the "invalid value" code of its API. */
    static final class NullPointer extends Exception {
        private static final long serialVersionUID = 1L;

        NullPointer() {
            super(null, null, false, false);
        }
    }

    static MemorySegment memory(long address, long bytes) throws NullPointer {
        if (address == 0) throw new NullPointer();
        return MemorySegment.ofAddress(address).reinterpret(bytes);
    }

    static void requireNonNull(long address) throws NullPointer {
        if (address == 0) throw new NullPointer();
    }

    static void putInt(long address, int value) throws NullPointer {
        memory(address, 4).set(ValueLayout.JAVA_INT_UNALIGNED, 0, value);
    }

    static void putLong(long address, long value) throws NullPointer {
        memory(address, 8).set(ValueLayout.JAVA_LONG_UNALIGNED, 0, value);
    }

    static int getInt(long address) throws NullPointer {
        return memory(address, 4).get(ValueLayout.JAVA_INT_UNALIGNED, 0);
    }

    /** A NUL-terminated C string; null for a null pointer. */
    static String cString(long address) {
        if (address == 0) return null;
        return MemorySegment.ofAddress(address).reinterpret(Long.MAX_VALUE).getString(0, StandardCharsets.UTF_8);
    }

    /** Writes {@code text} as a NUL-terminated string into a buffer of {@code capacity} bytes, truncated to fit. */
    static void putCString(long address, long capacity, String text) throws NullPointer {
        if (capacity <= 0) return;
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int n = (int) Math.min(bytes.length, capacity - 1);
        MemorySegment out = memory(address, n + 1);
        MemorySegment.copy(bytes, 0, out, ValueLayout.JAVA_BYTE, 0, n);
        out.set(ValueLayout.JAVA_BYTE, n, (byte) 0);
    }
}
