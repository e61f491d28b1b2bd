package org.transcuda.corpus;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;

/** Little-endian byte images of arrays and scalars (the device's memory layout). */
public final class Le {

    private Le() {
    }

    private static ByteBuffer buf(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    public static byte[] i8(byte[] v) {
        return v.clone();
    }

    public static byte[] i16(short[] v) {
        ByteBuffer b = buf(2 * v.length);
        for (short x : v) {
            b.putShort(x);
        }
        return b.array();
    }

    public static byte[] i32(int... v) {
        ByteBuffer b = buf(4 * v.length);
        for (int x : v) {
            b.putInt(x);
        }
        return b.array();
    }

    public static byte[] i64(long... v) {
        ByteBuffer b = buf(8 * v.length);
        for (long x : v) {
            b.putLong(x);
        }
        return b.array();
    }

    public static byte[] f32(float... v) {
        ByteBuffer b = buf(4 * v.length);
        for (float x : v) {
            b.putInt(Float.floatToRawIntBits(x));
        }
        return b.array();
    }

    public static byte[] f64(double... v) {
        ByteBuffer b = buf(8 * v.length);
        for (double x : v) {
            b.putLong(Double.doubleToRawLongBits(x));
        }
        return b.array();
    }

    /** Elements of {@code size} bytes (1, 2, 4 or 8) taken from the low bits of each long. */
    public static byte[] bits(long[] v, int size) {
        byte[] out = new byte[v.length * size];
        for (int k = 0; k < v.length; k++) {
            for (int j = 0; j < size; j++) {
                out[k * size + j] = (byte) (v[k] >>> (8 * j));
            }
        }
        return out;
    }

    /** {@code count} copies of {@code pattern}: the initial content of output buffers. */
    public static byte[] fill(int bytes, byte pattern) {
        byte[] out = new byte[bytes];
        java.util.Arrays.fill(out, pattern);
        return out;
    }

    public static long getBits(byte[] b, int off, int size) {
        long v = 0;
        for (int j = 0; j < size; j++) {
            v |= (b[off + j] & 0xffL) << (8 * j);
        }
        return v;
    }

    public static int getI32(byte[] b, int index) {
        return (int) getBits(b, 4 * index, 4);
    }

    public static long getI64(byte[] b, int index) {
        return getBits(b, 8 * index, 8);
    }

    public static int[] toI32(byte[] b) {
        int[] out = new int[b.length / 4];
        for (int k = 0; k < out.length; k++) {
            out[k] = getI32(b, k);
        }
        return out;
    }

    public static long[] toI64(byte[] b) {
        long[] out = new long[b.length / 8];
        for (int k = 0; k < out.length; k++) {
            out[k] = getI64(b, k);
        }
        return out;
    }

    public static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    /** Element {@code k} of {@code size} bytes as hex (most significant byte first) for messages. */
    public static String element(byte[] b, int k, int size) {
        StringBuilder s = new StringBuilder("0x");
        for (int j = size - 1; j >= 0; j--) {
            s.append(String.format("%02x", b[k * size + j] & 0xff));
        }
        if (size == 4) {
            s.append(" (").append((int) getBits(b, k * 4, 4)).append(')');
        } else if (size == 8) {
            s.append(" (").append(getBits(b, k * 8, 8)).append(')');
        }
        return s.toString();
    }
}
