package org.transcuda.ptx.pass;

import java.util.ArrayList;
import java.util.List;
import org.transcuda.ir.Param;
import org.transcuda.ir.ScalarType;

/**
 * How device-function parameters and returns travel in registers. A scalar parameter or return (one element) is
 * one register of its type. An aggregate parameter ({@code .param .align A .b8 p[N]}, any array) is passed as the
 * generic address of a copy the caller owns. An aggregate return comes back as consecutive chunks: registers of
 * {@code min(A, 8)} bytes (smaller ones for a tail), in offset order.
 */
public final class CallingConvention {
    private CallingConvention() {
    }

    /** Whether a parameter is an aggregate (passed by address, or returned in chunks). */
    public static boolean aggregate(Param p) {
        return p.count() > 1;
    }

    /** One chunk of an aggregate return: its type and byte offset. */
    public record Chunk(ScalarType type, int offset) {
    }

    /** The chunks an aggregate return of this parameter's size and alignment comes back in. */
    public static List<Chunk> chunks(Param p) {
        int size = p.size();
        int w = Math.min(8, Math.max(1, p.alignment()));
        List<Chunk> out = new ArrayList<>();
        int off = 0;
        while (off < size) {
            int c = w;
            while (c > size - off) c >>= 1;
            out.add(new Chunk(switch (c) {
                case 8 -> ScalarType.B64;
                case 4 -> ScalarType.B32;
                case 2 -> ScalarType.B16;
                default -> ScalarType.B8;
            }, off));
            off += c;
        }
        return out;
    }
}
