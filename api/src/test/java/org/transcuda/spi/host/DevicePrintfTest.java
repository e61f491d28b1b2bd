package org.transcuda.spi.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The shared device-printf formatter (the CPU backend's CallsTest covers the conversions in depth). */
class DevicePrintfTest {
    @Test
    void layoutFollowsTheVprintfPacking() {
        // int at 0, double aligned to 8, long long at 16, int at 24, char* aligned to 32: 40 bytes, 5 arguments
        assertArrayEquals(new int[] {40, 5}, DevicePrintf.layout("%d %f %lld %x %s\n"));
        assertArrayEquals(new int[] {0, 0}, DevicePrintf.layout("no arguments, 100%% literal\n"));
        // '*' width takes an int argument of its own
        assertArrayEquals(new int[] {16, 2}, DevicePrintf.layout("%*e"));
        assertArrayEquals(new int[] {8, 2}, DevicePrintf.layout("%c%hd"));
    }

    @Test
    void formatsFromAnArgumentBuffer() {
        ByteBuffer b = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, -7).putDouble(8, 2.5).putLong(16, 1L << 40).putInt(24, 0xbeef).putLong(32, 77);
        DevicePrintf.Strings args = new DevicePrintf.Strings() {
            @Override
            public long read(long offset, int size) {
                return size == 4 ? b.getInt((int) offset) : b.getLong((int) offset);
            }

            @Override
            public String string(long address) {
                return address == 77 ? "str" : "?";
            }
        };
        int[] count = new int[1];
        assertEquals("-7 2.500000 1099511627776 beef str\n",
                DevicePrintf.format("%d %f %lld %x %s\n", args, count));
        assertEquals(5, count[0]);
    }
}
