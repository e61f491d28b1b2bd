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
        if (vl != 16 || n != 256 || w0 < 0 || w0 + n > sh.length) return false;
        FloatVector nan = NAN;
        {
            FloatVector v = FloatVector.fromMemorySegment(F, Mem.ALL, a0 + 0L, ORDER)
                    .add(FloatVector.fromMemorySegment(F, Mem.ALL, a1 + 0L, ORDER));
            v.blend(nan, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + 0);
        }
        {
            FloatVector v = FloatVector.fromMemorySegment(F, Mem.ALL, a0 + 64L, ORDER)
                    .add(FloatVector.fromMemorySegment(F, Mem.ALL, a1 + 64L, ORDER));
            v.blend(nan, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + 16);
        }
        {
            FloatVector v = FloatVector.fromMemorySegment(F, Mem.ALL, a0 + 128L, ORDER)
                    .add(FloatVector.fromMemorySegment(F, Mem.ALL, a1 + 128L, ORDER));
            v.blend(nan, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + 32);
        }
        {
            FloatVector v = FloatVector.fromMemorySegment(F, Mem.ALL, a0 + 192L, ORDER)
                    .add(FloatVector.fromMemorySegment(F, Mem.ALL, a1 + 192L, ORDER));
            v.blend(nan, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + 48);
        }
        {
            FloatVector v = FloatVector.fromMemorySegment(F, Mem.ALL, a0 + 256L, ORDER)
                    .add(FloatVector.fromMemorySegment(F, Mem.ALL, a1 + 256L, ORDER));
            v.blend(nan, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + 64);
        }
        {
            FloatVector v = FloatVector.fromMemorySegment(F, Mem.ALL, a0 + 320L, ORDER)
                    .add(FloatVector.fromMemorySegment(F, Mem.ALL, a1 + 320L, ORDER));
            v.blend(nan, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + 80);
        }
        {
            FloatVector v = FloatVector.fromMemorySegment(F, Mem.ALL, a0 + 384L, ORDER)
                    .add(FloatVector.fromMemorySegment(F, Mem.ALL, a1 + 384L, ORDER));
            v.blend(nan, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + 96);
        }
        {
            FloatVector v = FloatVector.fromMemorySegment(F, Mem.ALL, a0 + 448L, ORDER)
                    .add(FloatVector.fromMemorySegment(F, Mem.ALL, a1 + 448L, ORDER));
            v.blend(nan, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + 112);
        }
        {
            FloatVector v = FloatVector.fromMemorySegment(F, Mem.ALL, a0 + 512L, ORDER)
                    .add(FloatVector.fromMemorySegment(F, Mem.ALL, a1 + 512L, ORDER));
            v.blend(nan, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + 128);
        }
        {
            FloatVector v = FloatVector.fromMemorySegment(F, Mem.ALL, a0 + 576L, ORDER)
                    .add(FloatVector.fromMemorySegment(F, Mem.ALL, a1 + 576L, ORDER));
            v.blend(nan, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + 144);
        }
        {
            FloatVector v = FloatVector.fromMemorySegment(F, Mem.ALL, a0 + 640L, ORDER)
                    .add(FloatVector.fromMemorySegment(F, Mem.ALL, a1 + 640L, ORDER));
            v.blend(nan, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + 160);
        }
        {
            FloatVector v = FloatVector.fromMemorySegment(F, Mem.ALL, a0 + 704L, ORDER)
                    .add(FloatVector.fromMemorySegment(F, Mem.ALL, a1 + 704L, ORDER));
            v.blend(nan, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + 176);
        }
        {
            FloatVector v = FloatVector.fromMemorySegment(F, Mem.ALL, a0 + 768L, ORDER)
                    .add(FloatVector.fromMemorySegment(F, Mem.ALL, a1 + 768L, ORDER));
            v.blend(nan, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + 192);
        }
        {
            FloatVector v = FloatVector.fromMemorySegment(F, Mem.ALL, a0 + 832L, ORDER)
                    .add(FloatVector.fromMemorySegment(F, Mem.ALL, a1 + 832L, ORDER));
            v.blend(nan, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + 208);
        }
        {
            FloatVector v = FloatVector.fromMemorySegment(F, Mem.ALL, a0 + 896L, ORDER)
                    .add(FloatVector.fromMemorySegment(F, Mem.ALL, a1 + 896L, ORDER));
            v.blend(nan, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + 224);
        }
        {
            FloatVector v = FloatVector.fromMemorySegment(F, Mem.ALL, a0 + 960L, ORDER)
                    .add(FloatVector.fromMemorySegment(F, Mem.ALL, a1 + 960L, ORDER));
            v.blend(nan, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + 240);
        }
        return true;
    }
}
