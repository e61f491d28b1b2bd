import java.lang.foreign.*;
import java.nio.ByteOrder;
import java.util.*;
import jdk.incubator.vector.*;

/** Reduce's input pass on device-like memory: per block 2 KB, in[i] (first KB) + in[i+256] (second KB) into an int[256] window. */
public class Stall {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    static final ByteOrder ORDER = ByteOrder.nativeOrder();
    static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED;
    static final float NAN = Float.intBitsToFloat(0x7fffffff);
    static final FloatVector NANV = FloatVector.broadcast(F, NAN);
    static int[] sh = new int[4096];
    static float[] heap;
    static long sink; static float[] scratch = new float[64];

    // kept: copy stub for stream 0, then vector add of stream 1 in place
    static void kept(long a, int w0) {
        MemorySegment.copy(ALL, I32, a, sh, w0, 256);
        long a1 = a + 1024;
        for (int t = 0; t < 256; t += 16) {
            FloatVector v = IntVector.fromArray(I, sh, w0 + t).reinterpretAsFloats()
                    .add(FloatVector.fromMemorySegment(F, ALL, a1 + 4L * t, ORDER));
            v.blend(NANV, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + t);
        }
    }
    // both streams in one loop
    static void both(long a, int w0) {
        long a1 = a + 1024;
        for (int t = 0; t < 256; t += 16) {
            FloatVector v = FloatVector.fromMemorySegment(F, ALL, a + 4L * t, ORDER)
                    .add(FloatVector.fromMemorySegment(F, ALL, a1 + 4L * t, ORDER));
            v.blend(NANV, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + t);
        }
    }
    // both streams, no store into the window (sum into a register): isolates loads
    static FloatVector acc = FloatVector.zero(F);
    static void bothNoStore(long a, int w0) {
        long a1 = a + 1024;
        FloatVector s = FloatVector.zero(F);
        for (int t = 0; t < 256; t += 16) {
            FloatVector v = FloatVector.fromMemorySegment(F, ALL, a + 4L * t, ORDER)
                    .add(FloatVector.fromMemorySegment(F, ALL, a1 + 4L * t, ORDER));
            s = s.add(v);
        }
        s.intoArray(scratch, 0);
    }
    // one ascending stream over the block's 2 KB, 4 accumulators, no stores: the read ceiling
    static void seqSum(long a, int w0) {
        FloatVector s0 = FloatVector.fromArray(F, scratch, 0), s1 = s0, s2 = s0, s3 = s0;
        for (int t = 0; t < 512; t += 64) {
            s0 = s0.add(FloatVector.fromMemorySegment(F, ALL, a + 4L * t, ORDER));
            s1 = s1.add(FloatVector.fromMemorySegment(F, ALL, a + 4L * t + 64, ORDER));
            s2 = s2.add(FloatVector.fromMemorySegment(F, ALL, a + 4L * t + 128, ORDER));
            s3 = s3.add(FloatVector.fromMemorySegment(F, ALL, a + 4L * t + 192, ORDER));
        }
        s0.add(s1).add(s2.add(s3)).intoArray(scratch, 0);
    }
    static void seqSumHeap(long a, int w0) {
        int e = (int) (a >>> 2);
        FloatVector s0 = FloatVector.fromArray(F, scratch, 0), s1 = s0, s2 = s0, s3 = s0;
        for (int t = 0; t < 512; t += 64) {
            s0 = s0.add(FloatVector.fromArray(F, heap, e + t));
            s1 = s1.add(FloatVector.fromArray(F, heap, e + t + 16));
            s2 = s2.add(FloatVector.fromArray(F, heap, e + t + 32));
            s3 = s3.add(FloatVector.fromArray(F, heap, e + t + 48));
        }
        s0.add(s1).add(s2.add(s3)).intoArray(scratch, 0);
    }
    static MemorySegment HS;
    static void seqSumHeapSeg(long a, int w0) {
        MemorySegment hs = HS;
        FloatVector s0 = FloatVector.fromArray(F, scratch, 0), s1 = s0, s2 = s0, s3 = s0;
        for (int t = 0; t < 512; t += 64) {
            s0 = s0.add(FloatVector.fromMemorySegment(F, hs, a + 4L * t, ORDER));
            s1 = s1.add(FloatVector.fromMemorySegment(F, hs, a + 4L * t + 64, ORDER));
            s2 = s2.add(FloatVector.fromMemorySegment(F, hs, a + 4L * t + 128, ORDER));
            s3 = s3.add(FloatVector.fromMemorySegment(F, hs, a + 4L * t + 192, ORDER));
        }
        s0.add(s1).add(s2.add(s3)).intoArray(scratch, 0);
    }
    static void seqSumUnr(long a, int w0) {
        FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
        s0 = s0.add(FloatVector.fromMemorySegment(F, ALL, a + 0L, ORDER));
        s1 = s1.add(FloatVector.fromMemorySegment(F, ALL, a + 64L, ORDER));
        s2 = s2.add(FloatVector.fromMemorySegment(F, ALL, a + 128L, ORDER));
        s3 = s3.add(FloatVector.fromMemorySegment(F, ALL, a + 192L, ORDER));
        s0 = s0.add(FloatVector.fromMemorySegment(F, ALL, a + 256L, ORDER));
        s1 = s1.add(FloatVector.fromMemorySegment(F, ALL, a + 320L, ORDER));
        s2 = s2.add(FloatVector.fromMemorySegment(F, ALL, a + 384L, ORDER));
        s3 = s3.add(FloatVector.fromMemorySegment(F, ALL, a + 448L, ORDER));
        s0 = s0.add(FloatVector.fromMemorySegment(F, ALL, a + 512L, ORDER));
        s1 = s1.add(FloatVector.fromMemorySegment(F, ALL, a + 576L, ORDER));
        s2 = s2.add(FloatVector.fromMemorySegment(F, ALL, a + 640L, ORDER));
        s3 = s3.add(FloatVector.fromMemorySegment(F, ALL, a + 704L, ORDER));
        s0 = s0.add(FloatVector.fromMemorySegment(F, ALL, a + 768L, ORDER));
        s1 = s1.add(FloatVector.fromMemorySegment(F, ALL, a + 832L, ORDER));
        s2 = s2.add(FloatVector.fromMemorySegment(F, ALL, a + 896L, ORDER));
        s3 = s3.add(FloatVector.fromMemorySegment(F, ALL, a + 960L, ORDER));
        s0 = s0.add(FloatVector.fromMemorySegment(F, ALL, a + 1024L, ORDER));
        s1 = s1.add(FloatVector.fromMemorySegment(F, ALL, a + 1088L, ORDER));
        s2 = s2.add(FloatVector.fromMemorySegment(F, ALL, a + 1152L, ORDER));
        s3 = s3.add(FloatVector.fromMemorySegment(F, ALL, a + 1216L, ORDER));
        s0 = s0.add(FloatVector.fromMemorySegment(F, ALL, a + 1280L, ORDER));
        s1 = s1.add(FloatVector.fromMemorySegment(F, ALL, a + 1344L, ORDER));
        s2 = s2.add(FloatVector.fromMemorySegment(F, ALL, a + 1408L, ORDER));
        s3 = s3.add(FloatVector.fromMemorySegment(F, ALL, a + 1472L, ORDER));
        s0 = s0.add(FloatVector.fromMemorySegment(F, ALL, a + 1536L, ORDER));
        s1 = s1.add(FloatVector.fromMemorySegment(F, ALL, a + 1600L, ORDER));
        s2 = s2.add(FloatVector.fromMemorySegment(F, ALL, a + 1664L, ORDER));
        s3 = s3.add(FloatVector.fromMemorySegment(F, ALL, a + 1728L, ORDER));
        s0 = s0.add(FloatVector.fromMemorySegment(F, ALL, a + 1792L, ORDER));
        s1 = s1.add(FloatVector.fromMemorySegment(F, ALL, a + 1856L, ORDER));
        s2 = s2.add(FloatVector.fromMemorySegment(F, ALL, a + 1920L, ORDER));
        s3 = s3.add(FloatVector.fromMemorySegment(F, ALL, a + 1984L, ORDER));
        s0.add(s1).add(s2.add(s3)).intoArray(scratch, 0);
    }
    static void keptUnr(long a, int w0) {
        MemorySegment.copy(ALL, I32, a, sh, w0, 256);
        { FloatVector v = IntVector.fromArray(I, sh, w0 + 0).reinterpretAsFloats().add(FloatVector.fromMemorySegment(F, ALL, a + 1024L, ORDER)); v.blend(NANV, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + 0); }
        { FloatVector v = IntVector.fromArray(I, sh, w0 + 16).reinterpretAsFloats().add(FloatVector.fromMemorySegment(F, ALL, a + 1088L, ORDER)); v.blend(NANV, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + 16); }
        { FloatVector v = IntVector.fromArray(I, sh, w0 + 32).reinterpretAsFloats().add(FloatVector.fromMemorySegment(F, ALL, a + 1152L, ORDER)); v.blend(NANV, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + 32); }
        { FloatVector v = IntVector.fromArray(I, sh, w0 + 48).reinterpretAsFloats().add(FloatVector.fromMemorySegment(F, ALL, a + 1216L, ORDER)); v.blend(NANV, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + 48); }
        { FloatVector v = IntVector.fromArray(I, sh, w0 + 64).reinterpretAsFloats().add(FloatVector.fromMemorySegment(F, ALL, a + 1280L, ORDER)); v.blend(NANV, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + 64); }
        { FloatVector v = IntVector.fromArray(I, sh, w0 + 80).reinterpretAsFloats().add(FloatVector.fromMemorySegment(F, ALL, a + 1344L, ORDER)); v.blend(NANV, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + 80); }
        { FloatVector v = IntVector.fromArray(I, sh, w0 + 96).reinterpretAsFloats().add(FloatVector.fromMemorySegment(F, ALL, a + 1408L, ORDER)); v.blend(NANV, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + 96); }
        { FloatVector v = IntVector.fromArray(I, sh, w0 + 112).reinterpretAsFloats().add(FloatVector.fromMemorySegment(F, ALL, a + 1472L, ORDER)); v.blend(NANV, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + 112); }
        { FloatVector v = IntVector.fromArray(I, sh, w0 + 128).reinterpretAsFloats().add(FloatVector.fromMemorySegment(F, ALL, a + 1536L, ORDER)); v.blend(NANV, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + 128); }
        { FloatVector v = IntVector.fromArray(I, sh, w0 + 144).reinterpretAsFloats().add(FloatVector.fromMemorySegment(F, ALL, a + 1600L, ORDER)); v.blend(NANV, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + 144); }
        { FloatVector v = IntVector.fromArray(I, sh, w0 + 160).reinterpretAsFloats().add(FloatVector.fromMemorySegment(F, ALL, a + 1664L, ORDER)); v.blend(NANV, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + 160); }
        { FloatVector v = IntVector.fromArray(I, sh, w0 + 176).reinterpretAsFloats().add(FloatVector.fromMemorySegment(F, ALL, a + 1728L, ORDER)); v.blend(NANV, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + 176); }
        { FloatVector v = IntVector.fromArray(I, sh, w0 + 192).reinterpretAsFloats().add(FloatVector.fromMemorySegment(F, ALL, a + 1792L, ORDER)); v.blend(NANV, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + 192); }
        { FloatVector v = IntVector.fromArray(I, sh, w0 + 208).reinterpretAsFloats().add(FloatVector.fromMemorySegment(F, ALL, a + 1856L, ORDER)); v.blend(NANV, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + 208); }
        { FloatVector v = IntVector.fromArray(I, sh, w0 + 224).reinterpretAsFloats().add(FloatVector.fromMemorySegment(F, ALL, a + 1920L, ORDER)); v.blend(NANV, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + 224); }
        { FloatVector v = IntVector.fromArray(I, sh, w0 + 240).reinterpretAsFloats().add(FloatVector.fromMemorySegment(F, ALL, a + 1984L, ORDER)); v.blend(NANV, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + 240); }
    }
    static void bothUnr(long a, int w0) {
        { FloatVector v = FloatVector.fromMemorySegment(F, ALL, a + 0L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1024L, ORDER)); v.blend(NANV, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + 0); }
        { FloatVector v = FloatVector.fromMemorySegment(F, ALL, a + 64L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1088L, ORDER)); v.blend(NANV, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + 16); }
        { FloatVector v = FloatVector.fromMemorySegment(F, ALL, a + 128L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1152L, ORDER)); v.blend(NANV, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + 32); }
        { FloatVector v = FloatVector.fromMemorySegment(F, ALL, a + 192L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1216L, ORDER)); v.blend(NANV, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + 48); }
        { FloatVector v = FloatVector.fromMemorySegment(F, ALL, a + 256L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1280L, ORDER)); v.blend(NANV, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + 64); }
        { FloatVector v = FloatVector.fromMemorySegment(F, ALL, a + 320L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1344L, ORDER)); v.blend(NANV, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + 80); }
        { FloatVector v = FloatVector.fromMemorySegment(F, ALL, a + 384L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1408L, ORDER)); v.blend(NANV, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + 96); }
        { FloatVector v = FloatVector.fromMemorySegment(F, ALL, a + 448L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1472L, ORDER)); v.blend(NANV, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + 112); }
        { FloatVector v = FloatVector.fromMemorySegment(F, ALL, a + 512L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1536L, ORDER)); v.blend(NANV, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + 128); }
        { FloatVector v = FloatVector.fromMemorySegment(F, ALL, a + 576L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1600L, ORDER)); v.blend(NANV, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + 144); }
        { FloatVector v = FloatVector.fromMemorySegment(F, ALL, a + 640L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1664L, ORDER)); v.blend(NANV, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + 160); }
        { FloatVector v = FloatVector.fromMemorySegment(F, ALL, a + 704L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1728L, ORDER)); v.blend(NANV, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + 176); }
        { FloatVector v = FloatVector.fromMemorySegment(F, ALL, a + 768L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1792L, ORDER)); v.blend(NANV, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + 192); }
        { FloatVector v = FloatVector.fromMemorySegment(F, ALL, a + 832L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1856L, ORDER)); v.blend(NANV, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + 208); }
        { FloatVector v = FloatVector.fromMemorySegment(F, ALL, a + 896L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1920L, ORDER)); v.blend(NANV, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + 224); }
        { FloatVector v = FloatVector.fromMemorySegment(F, ALL, a + 960L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1984L, ORDER)); v.blend(NANV, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + 240); }
    }
    // scalar: one stream, plain floats from the segment (C2 may auto-vectorize)

    // ---- segLoop candidates ----
    static MemorySegment SEG; static long SEGBASE;
    static void sliceInt(long a, int w0) {
        MemorySegment s = ALL.asSlice(a, 2048);
        FloatVector s0 = FloatVector.fromArray(F, scratch, 0), s1 = s0, s2 = s0, s3 = s0;
        for (int j = 0; j < 2048; j += 256) {
            s0 = s0.add(FloatVector.fromMemorySegment(F, s, j, ORDER));
            s1 = s1.add(FloatVector.fromMemorySegment(F, s, j + 64, ORDER));
            s2 = s2.add(FloatVector.fromMemorySegment(F, s, j + 128, ORDER));
            s3 = s3.add(FloatVector.fromMemorySegment(F, s, j + 192, ORDER));
        }
        s0.add(s1).add(s2.add(s3)).intoArray(scratch, 0);
    }
    static void sliceLen(long a, int w0) {
        MemorySegment s = ALL.asSlice(a, 2048);
        int len = (int) s.byteSize();
        FloatVector s0 = FloatVector.fromArray(F, scratch, 0), s1 = s0, s2 = s0, s3 = s0;
        for (int j = 0; j + 256 <= len; j += 256) {
            s0 = s0.add(FloatVector.fromMemorySegment(F, s, j, ORDER));
            s1 = s1.add(FloatVector.fromMemorySegment(F, s, j + 64, ORDER));
            s2 = s2.add(FloatVector.fromMemorySegment(F, s, j + 128, ORDER));
            s3 = s3.add(FloatVector.fromMemorySegment(F, s, j + 192, ORDER));
        }
        s0.add(s1).add(s2.add(s3)).intoArray(scratch, 0);
    }
    static void sliceVL(long a, int w0) {
        MemorySegment s = ALL.asSlice(a, 2048);
        int len = (int) s.byteSize();
        FloatVector s0 = FloatVector.fromArray(F, scratch, 0);
        for (int j = 0; j < len; j += 64) s0 = s0.add(FloatVector.fromMemorySegment(F, s, j, ORDER));
        s0.intoArray(scratch, 0);
    }
    static void sliceVL2(long a, int w0) {
        MemorySegment s = ALL.asSlice(a, 2048);
        int len = (int) s.byteSize();
        FloatVector s0 = FloatVector.fromArray(F, scratch, 0), s1 = s0;
        for (int j = 0; j < len; j += 128) { s0 = s0.add(FloatVector.fromMemorySegment(F, s, j, ORDER)); s1 = s1.add(FloatVector.fromMemorySegment(F, s, j + 64, ORDER)); }
        s0.add(s1).intoArray(scratch, 0);
    }
    static void ofAddr(long a, int w0) {
        MemorySegment s = MemorySegment.ofAddress(a).reinterpret(2048);
        FloatVector s0 = FloatVector.fromArray(F, scratch, 0), s1 = s0, s2 = s0, s3 = s0;
        for (int j = 0; j < 2048; j += 256) {
            s0 = s0.add(FloatVector.fromMemorySegment(F, s, j, ORDER));
            s1 = s1.add(FloatVector.fromMemorySegment(F, s, j + 64, ORDER));
            s2 = s2.add(FloatVector.fromMemorySegment(F, s, j + 128, ORDER));
            s3 = s3.add(FloatVector.fromMemorySegment(F, s, j + 192, ORDER));
        }
        s0.add(s1).add(s2.add(s3)).intoArray(scratch, 0);
    }
    // the owning (shared-arena with -Dshared=true) segment, long offsets
    static void segWhole(long a, int w0) {
        MemorySegment g = SEG; long o = a - SEGBASE;
        FloatVector s0 = FloatVector.fromArray(F, scratch, 0), s1 = s0, s2 = s0, s3 = s0;
        for (int t = 0; t < 512; t += 64) {
            s0 = s0.add(FloatVector.fromMemorySegment(F, g, o + 4L * t, ORDER));
            s1 = s1.add(FloatVector.fromMemorySegment(F, g, o + 4L * t + 64, ORDER));
            s2 = s2.add(FloatVector.fromMemorySegment(F, g, o + 4L * t + 128, ORDER));
            s3 = s3.add(FloatVector.fromMemorySegment(F, g, o + 4L * t + 192, ORDER));
        }
        s0.add(s1).add(s2.add(s3)).intoArray(scratch, 0);
    }
    static void segSlice(long a, int w0) {
        MemorySegment s = SEG.asSlice(a - SEGBASE, 2048);
        FloatVector s0 = FloatVector.fromArray(F, scratch, 0), s1 = s0, s2 = s0, s3 = s0;
        for (int j = 0; j < 2048; j += 256) {
            s0 = s0.add(FloatVector.fromMemorySegment(F, s, j, ORDER));
            s1 = s1.add(FloatVector.fromMemorySegment(F, s, j + 64, ORDER));
            s2 = s2.add(FloatVector.fromMemorySegment(F, s, j + 128, ORDER));
            s3 = s3.add(FloatVector.fromMemorySegment(F, s, j + 192, ORDER));
        }
        s0.add(s1).add(s2.add(s3)).intoArray(scratch, 0);
    }
    // one global-scope view of the whole allocation (like a launch-time view), long offsets from its start
    static MemorySegment GV;
    static void globalView(long a, int w0) {
        MemorySegment g = GV; long o = a - SEGBASE;
        FloatVector s0 = FloatVector.fromArray(F, scratch, 0), s1 = s0, s2 = s0, s3 = s0;
        for (int t = 0; t < 512; t += 64) {
            s0 = s0.add(FloatVector.fromMemorySegment(F, g, o + 4L * t, ORDER));
            s1 = s1.add(FloatVector.fromMemorySegment(F, g, o + 4L * t + 64, ORDER));
            s2 = s2.add(FloatVector.fromMemorySegment(F, g, o + 4L * t + 128, ORDER));
            s3 = s3.add(FloatVector.fromMemorySegment(F, g, o + 4L * t + 192, ORDER));
        }
        s0.add(s1).add(s2.add(s3)).intoArray(scratch, 0);
    }
    // whole-row loop over many blocks in one call (like RowVec's rK over a row): int index into a per-call slice
    static void rowSlice(long a, int blocks) {
        MemorySegment s = ALL.asSlice(a, 2048L * blocks);
        int len = (int) s.byteSize();
        FloatVector s0 = FloatVector.fromArray(F, scratch, 0), s1 = s0, s2 = s0, s3 = s0;
        for (int j = 0; j + 256 <= len; j += 256) {
            s0 = s0.add(FloatVector.fromMemorySegment(F, s, j, ORDER));
            s1 = s1.add(FloatVector.fromMemorySegment(F, s, j + 64, ORDER));
            s2 = s2.add(FloatVector.fromMemorySegment(F, s, j + 128, ORDER));
            s3 = s3.add(FloatVector.fromMemorySegment(F, s, j + 192, ORDER));
        }
        s0.add(s1).add(s2.add(s3)).intoArray(scratch, 0);
    }
    static void rowAll(long a, int blocks) {
        int len = 2048 * blocks;
        FloatVector s0 = FloatVector.fromArray(F, scratch, 0), s1 = s0, s2 = s0, s3 = s0;
        for (int j = 0; j + 256 <= len; j += 256) {
            s0 = s0.add(FloatVector.fromMemorySegment(F, ALL, a + j, ORDER));
            s1 = s1.add(FloatVector.fromMemorySegment(F, ALL, a + j + 64, ORDER));
            s2 = s2.add(FloatVector.fromMemorySegment(F, ALL, a + j + 128, ORDER));
            s3 = s3.add(FloatVector.fromMemorySegment(F, ALL, a + j + 192, ORDER));
        }
        s0.add(s1).add(s2.add(s3)).intoArray(scratch, 0);
    }
    static void rowHeap(long off, int blocks) {
        int e = (int) (off >>> 2); int len = 512 * blocks;
        FloatVector s0 = FloatVector.fromArray(F, scratch, 0), s1 = s0, s2 = s0, s3 = s0;
        for (int t = 0; t + 64 <= len; t += 64) {
            s0 = s0.add(FloatVector.fromArray(F, heap, e + t));
            s1 = s1.add(FloatVector.fromArray(F, heap, e + t + 16));
            s2 = s2.add(FloatVector.fromArray(F, heap, e + t + 32));
            s3 = s3.add(FloatVector.fromArray(F, heap, e + t + 48));
        }
        s0.add(s1).add(s2.add(s3)).intoArray(scratch, 0);
    }

    static int NT = Integer.getInteger("nt", 256);
    static void keptN(long a, int w0) {
        int n = NT;
        MemorySegment.copy(ALL, I32, a, sh, w0, n);
        long a1 = a + 4L * n;
        for (int t = 0; t + 16 <= n; t += 16) {
            FloatVector v = IntVector.fromArray(I, sh, w0 + t).reinterpretAsFloats()
                    .add(FloatVector.fromMemorySegment(F, ALL, a1 + 4L * t, ORDER));
            v.blend(NANV, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + t);
        }
    }
    static void keptSlice(long a, int w0) {
        int n = NT;
        MemorySegment.copy(ALL, I32, a, sh, w0, n);
        MemorySegment s = ALL.asSlice(a + 4L * n, 4L * n);
        for (int t = 0; t + 16 <= n; t += 16) {
            FloatVector v = IntVector.fromArray(I, sh, w0 + t).reinterpretAsFloats()
                    .add(FloatVector.fromMemorySegment(F, s, 4L * t, ORDER));
            v.blend(NANV, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + t);
        }
    }
    static void bothSlice(long a, int w0) {
        int n = NT;
        MemorySegment s0 = ALL.asSlice(a, 4L * n), s1 = ALL.asSlice(a + 4L * n, 4L * n);
        for (int t = 0; t + 16 <= n; t += 16) {
            FloatVector v = FloatVector.fromMemorySegment(F, s0, 4L * t, ORDER).add(FloatVector.fromMemorySegment(F, s1, 4L * t, ORDER));
            v.blend(NANV, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + t);
        }
    }

    static void seqSumN(long a, int w0) {
        int n = NT * 2;
        FloatVector s0 = FloatVector.fromArray(F, scratch, 0), s1 = s0, s2 = s0, s3 = s0;
        for (int t = 0; t + 64 <= n; t += 64) {
            s0 = s0.add(FloatVector.fromMemorySegment(F, ALL, a + 4L * t, ORDER));
            s1 = s1.add(FloatVector.fromMemorySegment(F, ALL, a + 4L * t + 64, ORDER));
            s2 = s2.add(FloatVector.fromMemorySegment(F, ALL, a + 4L * t + 128, ORDER));
            s3 = s3.add(FloatVector.fromMemorySegment(F, ALL, a + 4L * t + 192, ORDER));
        }
        s0.add(s1).add(s2.add(s3)).intoArray(scratch, 0);
    }
    static void seqVLN(long a, int w0) {
        int n = NT * 2;
        FloatVector s0 = FloatVector.fromArray(F, scratch, 0);
        for (int t = 0; t + 16 <= n; t += 16) s0 = s0.add(FloatVector.fromMemorySegment(F, ALL, a + 4L * t, ORDER));
        s0.intoArray(scratch, 0);
    }
    static void seqVLC(long a, int w0) {
        FloatVector s0 = FloatVector.fromArray(F, scratch, 0);
        for (int t = 0; t < 512; t += 16) s0 = s0.add(FloatVector.fromMemorySegment(F, ALL, a + 4L * t, ORDER));
        s0.intoArray(scratch, 0);
    }

    static void keptSliceC(long a, int w0) {
        MemorySegment.copy(ALL, I32, a, sh, w0, 256);
        MemorySegment s = ALL.asSlice(a + 1024L, 1024L);
        for (int t = 0; t < 256; t += 16) {
            FloatVector v = IntVector.fromArray(I, sh, w0 + t).reinterpretAsFloats()
                    .add(FloatVector.fromMemorySegment(F, s, 4L * t, ORDER));
            v.blend(NANV, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + t);
        }
    }
    static void seqScalar(long a, int w0) {
        float s = 0;
        for (int t = 0; t < 512; t++) s += ALL.get(ValueLayout.JAVA_FLOAT_UNALIGNED, a + 4L * t);
        scratch[0] = s;
    }
    // the two halves interleaved, 4 accumulators, no stores
    static void bothSum(long a, int w0) {
        FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
        for (int t = 0; t < 256; t += 32) {
            s0 = s0.add(FloatVector.fromMemorySegment(F, ALL, a + 4L * t, ORDER));
            s1 = s1.add(FloatVector.fromMemorySegment(F, ALL, a + 1024 + 4L * t, ORDER));
            s2 = s2.add(FloatVector.fromMemorySegment(F, ALL, a + 4L * t + 64, ORDER));
            s3 = s3.add(FloatVector.fromMemorySegment(F, ALL, a + 1024 + 4L * t + 64, ORDER));
        }
        s0.add(s1).add(s2.add(s3)).intoArray(scratch, 0);
    }
    // both streams from a heap float[] (same layout), into the window
    static void bothHeap(long a, int w0) {
        int e = (int) (a >>> 2);
        for (int t = 0; t < 256; t += 16) {
            FloatVector v = FloatVector.fromArray(F, heap, e + t).add(FloatVector.fromArray(F, heap, e + 256 + t));
            v.blend(NANV, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + t);
        }
    }
    // copy stub only (one stream) + scalar-free: reads both KB by the stub, like "both halves copied"
    static void copyOnly(long a, int w0) {
        MemorySegment.copy(ALL, I32, a, sh, w0, 256);
    }

    static long addr(Object o) {
        try {
            var f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe"); f.setAccessible(true);
            sun.misc.Unsafe u = (sun.misc.Unsafe) f.get(null);
            Object[] box = {o};
            long base = u.arrayBaseOffset(Object[].class);
            if (u.addressSize() == 8 && u.arrayIndexScale(Object[].class) == 4) return (u.getInt(box, base) & 0xffffffffL) << 3;
            return u.getLong(box, base);
        } catch (Exception e) { return -1; }
    }
    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int blocks = Integer.parseInt(args[1]);        // footprint = blocks * 2 KB
        String offs = args[2];                          // comma list of byte offsets, or "sweepS" = 0..4095 step S
        int passes = Integer.parseInt(args[3]);
        int w0 = args.length > 4 ? Integer.parseInt(args[4]) : 0;  // window word offset
        boolean touch = args.length > 5 && args[5].equals("touch");
        long[] off;
        if (offs.startsWith("sweep")) { int s = Integer.parseInt(offs.substring(5)); off = new long[4096 / s]; for (int i = 0; i < off.length; i++) off[i] = (long) i * s; }
        else off = Arrays.stream(offs.split(",")).mapToLong(Long::parseLong).toArray();
        long bytes = (long) blocks * 2048;
        boolean huge = Boolean.getBoolean("huge");
        MemorySegment seg;
        if (huge || Boolean.getBoolean("mmap")) {
            try {
                Linker L = Linker.nativeLinker();
                var mmap = L.downcallHandle(L.defaultLookup().find("mmap").get(), FunctionDescriptor.of(ValueLayout.ADDRESS,
                        ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
                var madv = L.downcallHandle(L.defaultLookup().find("madvise").get(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
                long len = bytes + (8 << 20);
                MemorySegment m = (MemorySegment) mmap.invokeExact(MemorySegment.NULL, len, 3, 0x22, -1, 0L);
                long start = (m.address() + (2 << 20) - 1) & -(2L << 20);
                seg = MemorySegment.ofAddress(start).reinterpret(bytes + (4 << 20));
                int rc = huge ? (int) madv.invokeExact(seg, seg.byteSize(), 14) : 0;
                System.out.println("mmap huge=" + huge + " madvise rc=" + rc);
            } catch (Throwable e) { throw new RuntimeException(e); }
        } else seg = (Boolean.getBoolean("shared") ? Arena.ofShared() : Arena.global()).allocate(bytes + 8192, Integer.getInteger("align", 4096));
        SEG = seg; SEGBASE = seg.address(); GV = MemorySegment.ofAddress(seg.address()).reinterpret(seg.byteSize());
        for (long p = 0; p < seg.byteSize(); p += 4) seg.set(ValueLayout.JAVA_FLOAT, p, (float) ((p >> 2) % 1000) * 0.5f);
        long base = seg.address();
        heap = new float[(int) ((bytes + 8192) / 4)];
        for (int i = 0; i < heap.length; i++) heap[i] = (i % 1000) * 0.5f;
        HS = MemorySegment.ofArray(heap);
        // warm-up every mode
        String[] modes = mode.split("\\+");
        if (Integer.getInteger("threads", 1) == 2) { multi2(modes, base, blocks, off[0], passes, w0, Integer.getInteger("chunk", 64)); return; }
        if (modes.length > 1) { multi(modes, base, blocks, off, passes, w0, touch); return; }
        for (int r = 0; r < 30; r++) pass(mode, base, blocks, 0, w0, touch);
        for (int r = 0; r < 5; r++) for (long o : off) pass(mode, base, blocks, o, w0, touch);
        long sa0 = addr(sh);
        var tmx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long al0 = tmx.getCurrentThreadAllocatedBytes();
        StringBuilder sb = new StringBuilder();
        double[] med = new double[off.length];
        double[][] all = new double[off.length][passes];
        for (int p = 0; p < passes; p++)
            for (int k = 0; k < off.length; k++) {
                long t0 = System.nanoTime();
                pass(mode, mode.equals("bothHeap") ? 0 : base, blocks, off[k], w0, touch);
                all[k][p] = (System.nanoTime() - t0) / (double) blocks;
            }
        for (int k = 0; k < off.length; k++) { Arrays.sort(all[k]); med[k] = all[k][passes / 2]; }
        double[] s = med.clone(); Arrays.sort(s);
        long sa = addr(sh) + 16 + 4L * w0;
        System.out.printf("alloc/block %.1f B; ", (tmx.getCurrentThreadAllocatedBytes() - al0) / (double) blocks / passes / off.length); System.out.printf("window sh[w0] at %%64=%d %%4096=%d moved=%b; ", sa % 64, sa % 4096, sa0 != addr(sh));
        System.out.printf("mode=%s blocks=%d w0=%d touch=%b base%%4096=%d  min %.1f med %.1f max %.1f ns/block%n", mode, blocks, w0, touch, base % 4096, s[0], s[s.length / 2], s[s.length - 1]);
        for (int k = 0; k < off.length; k++) sb.append(off[k]).append(':').append(String.format("%.1f", med[k])).append(' ');
        System.out.println(sb);
        System.out.println(new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/self/smaps_rollup"))).lines().filter(x -> x.startsWith("AnonHuge")).findFirst().orElse("")); System.out.println("sink " + sink + acc.reduceLanes(VectorOperators.ADD));
    }

    static void multi(String[] modes, long base, int blocks, long[] off, int passes, int w0, boolean touch) {
        for (int r = 0; r < 30; r++) for (String m : modes) for (long o : off) pass(m, base, blocks, o, w0, touch);
        double[][][] t = new double[modes.length][off.length][passes];
        for (int p = 0; p < passes; p++) for (int k = 0; k < off.length; k++) for (int m = 0; m < modes.length; m++) {
            long t0 = System.nanoTime();
            pass(modes[m], base, blocks, off[k], w0, touch);
            t[m][k][p] = (System.nanoTime() - t0) / (double) blocks;
        }
        long sa = addr(sh) + 16 + 4L * w0;
        StringBuilder sb = new StringBuilder(String.format("blocks=%d w0=%d touch=%b win%%64=%d win%%4096=%d |", blocks, w0, touch, sa % 64, sa % 4096));
        for (int k = 0; k < off.length; k++) {
            sb.append(" off ").append(off[k]).append(':');
            for (int m = 0; m < modes.length; m++) { Arrays.sort(t[m][k]); sb.append(' ').append(modes[m]).append(String.format("=%.1f", t[m][k][passes / 2])); }
        }
        try { System.out.println(sb + " | " + java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/smaps_rollup")).stream().filter(x -> x.startsWith("AnonHuge")).findFirst().orElse("")); } catch (Exception e) {}
    }

    static final java.util.concurrent.atomic.AtomicInteger NEXT = new java.util.concurrent.atomic.AtomicInteger();
    static void multi2(String[] modes, long base, int blocks, long off, int passes, int w0, int chunk) throws Exception {
        // two threads claiming chunks of `chunk` blocks; each its own window (w0 + 1024*tid)
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        double[][] t = new double[modes.length][passes + 30];
        for (int p = 0; p < passes + 30; p++) for (int m = 0; m < modes.length; m++) {
            String md = modes[m];
            NEXT.set(0);
            long t0 = System.nanoTime();
            var f0 = pool.submit(() -> work(md, base + off, blocks, w0, chunk));
            var f1 = pool.submit(() -> work(md, base + off, blocks, w0 + 1024, chunk));
            f0.get(); f1.get();
            t[m][p] = (System.nanoTime() - t0) / (double) blocks;
        }
        pool.shutdown();
        StringBuilder sb = new StringBuilder(String.format("2 threads, chunk %d, blocks=%d wall ns/block:", chunk, blocks));
        for (int m = 0; m < modes.length; m++) { double[] x = Arrays.copyOfRange(t[m], 30, passes + 30); Arrays.sort(x); sb.append(' ').append(modes[m]).append(String.format("=%.1f", x[x.length / 2])); }
        System.out.println(sb);
    }
    static void work(String mode, long a, int blocks, int w0, int chunk) {
        for (;;) {
            int b0 = NEXT.getAndAdd(chunk);
            if (b0 >= blocks) return;
            int b1 = Math.min(blocks, b0 + chunk);
            switch (mode) {
                case "kept" -> { for (int b = b0; b < b1; b++) kept(a + 2048L * b, w0); }
                case "both" -> { for (int b = b0; b < b1; b++) both(a + 2048L * b, w0); }
                case "bothUnr" -> { for (int b = b0; b < b1; b++) bothUnr(a + 2048L * b, w0); }
                case "seqSum" -> { for (int b = b0; b < b1; b++) seqSum(a + 2048L * b, w0); }
                case "seqSumUnr" -> { for (int b = b0; b < b1; b++) seqSumUnr(a + 2048L * b, w0); }
            }
        }
    }

    static final boolean TREE = Boolean.getBoolean("tree");
    static void tree(int w0) {
        if (!TREE) return;
        for (int st = 128; st >= 16; st >>= 1)
            for (int t = 0; t < st; t += 16) {
                FloatVector v = IntVector.fromArray(I, sh, w0 + t).reinterpretAsFloats().add(IntVector.fromArray(I, sh, w0 + t + st).reinterpretAsFloats());
                v.blend(NANV, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + t);
            }
        for (int st = 8; st >= 1; st >>= 1)
            for (int t = 0; t < st; t++) { float v = Float.intBitsToFloat(sh[w0 + t]) + Float.intBitsToFloat(sh[w0 + t + st]); sh[w0 + t] = Float.floatToRawIntBits(v != v ? NAN : v); }
        scratch[1] += Float.intBitsToFloat(sh[w0]);
    }

    static void pass(String mode, long base, int blocks, long off, int w0, boolean touch) {
        long a = base + off;
        switch (mode) {
            case "kept" -> { for (int b = 0; b < blocks; b++) { if (touch) sink += ALL.get(I32, a + 2048L * b + 2048 * 4); kept(a + 2048L * b, w0); tree(w0); } }
            case "both" -> { for (int b = 0; b < blocks; b++) { if (touch) sink += ALL.get(I32, a + 2048L * b + 2048 * 4); both(a + 2048L * b, w0); tree(w0); } }
            case "bothNoStore" -> { for (int b = 0; b < blocks; b++) bothNoStore(a + 2048L * b, w0); }
            case "bothHeap" -> { for (int b = 0; b < blocks; b++) bothHeap(off + 2048L * b, w0); }
            case "seqSum" -> { for (int b = 0; b < blocks; b++) seqSum(a + 2048L * b, w0); }
            case "bothSum" -> { for (int b = 0; b < blocks; b++) bothSum(a + 2048L * b, w0); }
            case "seqSumHeap" -> { for (int b = 0; b < blocks; b++) seqSumHeap(off + 2048L * b, w0); }
            case "seqSumHeapSeg" -> { for (int b = 0; b < blocks; b++) seqSumHeapSeg(off + 2048L * b, w0); }
            case "seqSumUnr" -> { for (int b = 0; b < blocks; b++) seqSumUnr(a + 2048L * b, w0); }
            case "sliceInt" -> { for (int b = 0; b < blocks; b++) sliceInt(a + 2048L * b, w0); }
            case "sliceLen" -> { for (int b = 0; b < blocks; b++) sliceLen(a + 2048L * b, w0); }
            case "sliceVL" -> { for (int b = 0; b < blocks; b++) sliceVL(a + 2048L * b, w0); }
            case "sliceVL2" -> { for (int b = 0; b < blocks; b++) sliceVL2(a + 2048L * b, w0); }
            case "ofAddr" -> { for (int b = 0; b < blocks; b++) ofAddr(a + 2048L * b, w0); }
            case "segWhole" -> { for (int b = 0; b < blocks; b++) segWhole(a + 2048L * b, w0); }
            case "segSlice" -> { for (int b = 0; b < blocks; b++) segSlice(a + 2048L * b, w0); }
            case "globalView" -> { for (int b = 0; b < blocks; b++) globalView(a + 2048L * b, w0); }
            case "rowSlice" -> rowSlice(a, blocks);
            case "rowAll" -> rowAll(a, blocks);
            case "rowHeap" -> rowHeap(off, blocks);
            case "keptN" -> { for (int b = 0; b < blocks; b++) { keptN(a + 2048L * b, w0); tree(w0); } }
            case "keptSlice" -> { for (int b = 0; b < blocks; b++) { keptSlice(a + 2048L * b, w0); tree(w0); } }
            case "bothSlice" -> { for (int b = 0; b < blocks; b++) { bothSlice(a + 2048L * b, w0); tree(w0); } }
            case "seqSumN" -> { for (int b = 0; b < blocks; b++) seqSumN(a + 2048L * b, w0); }
            case "seqVLN" -> { for (int b = 0; b < blocks; b++) seqVLN(a + 2048L * b, w0); }
            case "seqVLC" -> { for (int b = 0; b < blocks; b++) seqVLC(a + 2048L * b, w0); }
            case "keptSliceC" -> { for (int b = 0; b < blocks; b++) { keptSliceC(a + 2048L * b, w0); tree(w0); } }
            case "keptUnr" -> { for (int b = 0; b < blocks; b++) keptUnr(a + 2048L * b, w0); }
            case "bothUnr" -> { for (int b = 0; b < blocks; b++) { bothUnr(a + 2048L * b, w0); tree(w0); } }
            case "seqScalar" -> { for (int b = 0; b < blocks; b++) seqScalar(a + 2048L * b, w0); }
            case "copyOnly" -> { for (int b = 0; b < blocks; b++) copyOnly(a + 2048L * b, w0); }
        }
    }
}
