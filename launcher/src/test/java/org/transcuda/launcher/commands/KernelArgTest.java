package org.transcuda.launcher.commands;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelArgTest {
    @TempDir
    Path dir;

    private static KernelArg parse(String s) {
        return KernelArg.parse(s, Path.of("."));
    }

    @Test
    void scalarsEncodeLittleEndian() {
        assertArrayEquals(new byte[] {7, 0, 0, 0}, ((KernelArg.Scalar) parse("u32:7")).bytes());
        assertArrayEquals(new byte[] {-1, -1}, ((KernelArg.Scalar) parse("s16:-1")).bytes());
        assertArrayEquals(new byte[] {-1, -1, -1, -1}, ((KernelArg.Scalar) parse("u32:0xffffffff")).bytes());
        byte[] f = ((KernelArg.Scalar) parse("f32:1.5")).bytes();
        assertEquals(1.5f, ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).getFloat());
    }

    @Test
    void buffersRoundTripThroughTheirNotation() {
        KernelArg.Buffer b = (KernelArg.Buffer) parse("f32[1,2.5,-3]");
        assertEquals("f32[1.0,2.5,-3.0]", KernelArg.Buffer.format(b.type(), b.bytes()));
        KernelArg.Buffer u = (KernelArg.Buffer) parse("u64[5,18446744073709551615]");
        assertEquals("u64[5,18446744073709551615]", KernelArg.Buffer.format(u.type(), u.bytes()));
        KernelArg.Buffer z = (KernelArg.Buffer) parse("s32*3");
        assertEquals("s32[0,0,0]", KernelArg.Buffer.format(z.type(), z.bytes()));
    }

    @Test
    void filesAreRawBytes() throws Exception {
        Files.write(dir.resolve("d.bin"), new byte[] {1, 0, 0, 0, 2, 0, 0, 0});
        KernelArg.Buffer raw = (KernelArg.Buffer) KernelArg.parse("@d.bin", dir);
        assertEquals("u8[1,0,0,0,2,0,0,0]", KernelArg.Buffer.format(raw.type(), raw.bytes()));
        KernelArg.Buffer typed = (KernelArg.Buffer) KernelArg.parse("u32@d.bin", dir);
        assertEquals("u32[1,2]", KernelArg.Buffer.format(typed.type(), typed.bytes()));
    }

    @Test
    void badArgumentsSayWhatIsWrong() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("u8:300")).getMessage()
                .contains("does not fit u8 in argument 'u8:300'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("q32:1")).getMessage()
                .contains("unknown type 'q32'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("f32[1,x]")).getMessage()
                .contains("'x' is not a f32 value"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("hello")).getMessage()
                .contains("expected TYPE:VALUE"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KernelArg.parse("@nope.bin", dir))
                .getMessage().contains("cannot read"));
    }
}
