package org.transcuda.backend.cpu;

import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Lockstep engine: {@link InputFuse}'s two-arm pass ({@code s[t] = canonical(in_1[t] + in_2[t])}, the first arm a
 * LOAD, the second an ADD) as straight-line code when the block is exactly 16 vectors of threads (reduce: 256 threads,
 * 512-bit vectors): 16 explicit pairs of device loads, each added, NaN lanes replaced by {@link Fp#CANON_F32}, stored
 * into the window; no copy stub, no loop. A micro-benchmark of this pass over 64 MB (beyond the cache: ~100 ns per 2 KB
 * block) found loops over device memory streaming about 1.5x slower than the same loads written out, and the JVM's
 * heap-array loops as fast as C's; each load instruction then sees one stride (the block's 2 KB) from block to block.
 * Bit for bit the same as InputFuse's copy-then-add: the LOAD's raw bits reinterpreted as floats are the add's first
 * operand, an IEEE add, a NaN result canonical (raw bits never survive an add). {@code -Dtranscuda.cpu.inputLine=false}
 * turns it off; counted in {@link Exec#inputLines}.
 */
final class InputLine {
    /** On unless {@code -Dtranscuda.cpu.inputLine=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.inputLine"));

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final FloatVector NAN = FloatVector.broadcast(F, Float.intBitsToFloat(Fp.CANON_F32));

    private InputLine() {
    }

    /** The pass for {@code n} threads from {@code a0, a1} into {@code sh[w0..]}, or false (nothing written). */
    static boolean two(long a0, long a1, int[] sh, int w0, int n) {
        int vl = F.length();
        if (n != 16 * vl || w0 < 0 || w0 + n > sh.length) return false;
        pair(a0, a1, sh, w0, 0 * vl);
        pair(a0, a1, sh, w0, 1 * vl);
        pair(a0, a1, sh, w0, 2 * vl);
        pair(a0, a1, sh, w0, 3 * vl);
        pair(a0, a1, sh, w0, 4 * vl);
        pair(a0, a1, sh, w0, 5 * vl);
        pair(a0, a1, sh, w0, 6 * vl);
        pair(a0, a1, sh, w0, 7 * vl);
        pair(a0, a1, sh, w0, 8 * vl);
        pair(a0, a1, sh, w0, 9 * vl);
        pair(a0, a1, sh, w0, 10 * vl);
        pair(a0, a1, sh, w0, 11 * vl);
        pair(a0, a1, sh, w0, 12 * vl);
        pair(a0, a1, sh, w0, 13 * vl);
        pair(a0, a1, sh, w0, 14 * vl);
        pair(a0, a1, sh, w0, 15 * vl);
        return true;
    }

    private static void pair(long a0, long a1, int[] sh, int w0, int t) {
        FloatVector v = FloatVector.fromMemorySegment(F, Mem.ALL, a0 + 4L * t, ORDER)
                .add(FloatVector.fromMemorySegment(F, Mem.ALL, a1 + 4L * t, ORDER));
        v.blend(NAN, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + t);
    }
}
