import java.lang.foreign.*;
import java.lang.management.*;
import java.nio.ByteOrder;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.*;
import jdk.incubator.vector.*;

/**
 * reduce's whole block in plain Java (issue 4, ReduceIdeal): 32768 blocks of 256 threads, each summing 512 floats of a
 * 64 MiB off-heap input with the kernel's tree order (v = in[i] + in[i+256]; then s[t] += s[t+stride], stride 128..1;
 * f32 adds, a NaN sum canonical 0x7fffffff as Fp does) into partial[block], addresses absolute in a segment of
 * Long.MAX_VALUE bytes as Mem.ALL. Forms (argument MODE):
 *   engine  - what the engine's hot code does: copy of in[i..] into an int[] window, the in-place vector add of
 *             in[i+256..] (InputFuse's loop, variable bound), the ladder 128..16 from the window (TreeRegs), the tail
 *             8..1 as scalar code from the window (TailLine), partial stored; each stage its own method.
 *   pass    - engine's input pass only (copy + add into the window), no tree.
 *   tree    - engine's tree only (ladder + tail on the window as left by the last pass), partial stored.
 *   regs    - the whole block in registers: 16 pairs of device vectors added, ladder, tail from the last vector; no
 *             window.
 *   regsWin - regs, plus every word the kernel's tree leaves in the window stored (256 + 128 + 64 + 32 + 16 + 15).
 *   slice   - regs through a per-block 2 KiB slice (int offsets).
 *   heap    - regs with fromArray on a heap float[] copy of the input (a code-shape reference, not device memory).
 *   regsFinal - regs, then the window's final state stored (16 vectors, each word once) and the tail from it.
 *   regsFinalV - regsFinal with the tail from the last vector's lanes (its 8 words stored, none loaded).
 *   engineTV - engine with the tail from the ladder's last vector (no window loads after the ladder's stores).
 *   engineR - engine with the pass as 16 straight-line pairs stored into the window (no copy), then ladder and tail.
 *   engineRT - engineR with engineTV's tail.
 *   engineOv - engine plus a stand-in for the engine's other per-block work (-Dov=N dependent multiply-adds).
 *   engineOvT - engineOv plus one byte read per line of block b + AHEAD (-Dahead=N) after the block.
 *   ovOnly - the stand-in alone.
 *   regsOv, regsFinalVOv - regs and regsFinalV plus the stand-in.
 *   treeRaw, engineRaw - tree and engine with the ladder's levels chained on the raw sums (each stored word still canonical).
 *   copyRegs - in[i..] copied into the window first (InputFuse's copy), then regsFinalV with the first operands from the window; copyRegsOv plus the stand-in.
 *   engineN - engine with the pass's two loops merged into one: per vector in[i] + in[i+256] (both streams).
 * Threads claim 64 blocks at a time from a shared counter (as the backend's workers). Prints per pass (all blocks)
 * the median over the passes after warm-up: CPU ns per block (sum of the threads' CPU time / blocks) and wall ns per
 * block. Results checked bit for bit against a scalar reference once (forms that compute partial). -Dw0=a,b,.. cycles
 * the window's first word pass by pass (its 4K phase against the input) and prints the median per value.
 * The vector species are 512-bit (the AVX-512 host); the straight forms assume 16 lanes.
 * Run: javac --add-modules jdk.incubator.vector -d DIR bench/micro/ReduceIdeal.java; java --add-modules
 * jdk.incubator.vector -XX:-DontCompileHugeMethods -XX:CICompilerCount=3 -cp DIR ReduceIdeal MODE THREADS [WARM PASSES]
 * (one mode per JVM; the straight forms are bimodal from JVM to JVM: run several).
 * Results: docs/benchmarks.md, "reduce's floor" (2026-11-27).
 */
public class ReduceIdeal {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_512;
    static final VectorSpecies<Integer> I = IntVector.SPECIES_512;
    static final ByteOrder ORDER = ByteOrder.nativeOrder();
    static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED;
    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    static final int CANON = 0x7fffffff;
    static final float NAN = Float.intBitsToFloat(CANON);
    static final int BLOCKS = 32768, N = BLOCKS * 512;
    static float[] heap;
    static long in, part;
    static int nvar = 256;
    /** The window's first word in the worker's int[] (its 4K phase against the input), -Dw0=list cycles it pass by pass. */
    static int W0 = 0; // not final: the bound the engine's loop sees

    static FloatVector nan(FloatVector z) {
        return z.blend(NAN, z.test(VectorOperators.IS_NAN));
    }
    static int bits(float z) {
        return z != z ? CANON : Float.floatToRawIntBits(z);
    }

    // ---- the engine's stages ----
    static void pass(long a, int[] sh, int n) {
        MemorySegment.copy(ALL, I32, a, sh, W0, n);
        long a1 = a + 4L * n;
        for (int t = 0; t + 16 <= n; t += 16) {
            FloatVector v = IntVector.fromArray(I, sh, W0 + t).reinterpretAsFloats()
                    .add(FloatVector.fromMemorySegment(F, ALL, a1 + 4L * t, ORDER));
            v.blend(NAN, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, W0 + t);
        }
    }
    static void passBoth(long a, int[] sh, int n) {
        long a1 = a + 4L * n;
        for (int t = 0; t + 16 <= n; t += 16) {
            FloatVector v = FloatVector.fromMemorySegment(F, ALL, a + 4L * t, ORDER)
                    .add(FloatVector.fromMemorySegment(F, ALL, a1 + 4L * t, ORDER));
            v.blend(NAN, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, W0 + t);
        }
    }
    static FloatVector w(int[] sh, int k) {
        return IntVector.fromArray(I, sh, 16 * k).reinterpretAsFloats();
    }
    static void st(int[] sh, int k, FloatVector v) {
        v.reinterpretAsInts().intoArray(sh, 16 * k);
    }
    static void ladder(int[] sh) {
        FloatVector v0 = IntVector.fromArray(I, sh, W0 + 0).reinterpretAsFloats(), v1 = IntVector.fromArray(I, sh, W0 + 16).reinterpretAsFloats(), v2 = IntVector.fromArray(I, sh, W0 + 32).reinterpretAsFloats(), v3 = IntVector.fromArray(I, sh, W0 + 48).reinterpretAsFloats(), v4 = IntVector.fromArray(I, sh, W0 + 64).reinterpretAsFloats(), v5 = IntVector.fromArray(I, sh, W0 + 80).reinterpretAsFloats(),
                v6 = IntVector.fromArray(I, sh, W0 + 96).reinterpretAsFloats(), v7 = IntVector.fromArray(I, sh, W0 + 112).reinterpretAsFloats(), v8 = IntVector.fromArray(I, sh, W0 + 128).reinterpretAsFloats(), v9 = IntVector.fromArray(I, sh, W0 + 144).reinterpretAsFloats(), v10 = IntVector.fromArray(I, sh, W0 + 160).reinterpretAsFloats(), v11 = IntVector.fromArray(I, sh, W0 + 176).reinterpretAsFloats(),
                v12 = IntVector.fromArray(I, sh, W0 + 192).reinterpretAsFloats(), v13 = IntVector.fromArray(I, sh, W0 + 208).reinterpretAsFloats(), v14 = IntVector.fromArray(I, sh, W0 + 224).reinterpretAsFloats(), v15 = IntVector.fromArray(I, sh, W0 + 240).reinterpretAsFloats();
        FloatVector za0 = v0.add(v8);
        FloatVector a0 = za0.blend(NAN, za0.test(VectorOperators.IS_NAN));
        FloatVector za1 = v1.add(v9);
        FloatVector a1 = za1.blend(NAN, za1.test(VectorOperators.IS_NAN));
        FloatVector za2 = v2.add(v10);
        FloatVector a2 = za2.blend(NAN, za2.test(VectorOperators.IS_NAN));
        FloatVector za3 = v3.add(v11);
        FloatVector a3 = za3.blend(NAN, za3.test(VectorOperators.IS_NAN));
        FloatVector za4 = v4.add(v12);
        FloatVector a4 = za4.blend(NAN, za4.test(VectorOperators.IS_NAN));
        FloatVector za5 = v5.add(v13);
        FloatVector a5 = za5.blend(NAN, za5.test(VectorOperators.IS_NAN));
        FloatVector za6 = v6.add(v14);
        FloatVector a6 = za6.blend(NAN, za6.test(VectorOperators.IS_NAN));
        FloatVector za7 = v7.add(v15);
        FloatVector a7 = za7.blend(NAN, za7.test(VectorOperators.IS_NAN));
        FloatVector zc0 = a0.add(a4);
        FloatVector c0 = zc0.blend(NAN, zc0.test(VectorOperators.IS_NAN));
        FloatVector zc1 = a1.add(a5);
        FloatVector c1 = zc1.blend(NAN, zc1.test(VectorOperators.IS_NAN));
        FloatVector zc2 = a2.add(a6);
        FloatVector c2 = zc2.blend(NAN, zc2.test(VectorOperators.IS_NAN));
        FloatVector zc3 = a3.add(a7);
        FloatVector c3 = zc3.blend(NAN, zc3.test(VectorOperators.IS_NAN));
        FloatVector zd0 = c0.add(c2);
        FloatVector d0 = zd0.blend(NAN, zd0.test(VectorOperators.IS_NAN));
        FloatVector zd1 = c1.add(c3);
        FloatVector d1 = zd1.blend(NAN, zd1.test(VectorOperators.IS_NAN));
        FloatVector ze0 = d0.add(d1);
        FloatVector e0 = ze0.blend(NAN, ze0.test(VectorOperators.IS_NAN));
        a0.reinterpretAsInts().intoArray(sh, W0 + 0); a1.reinterpretAsInts().intoArray(sh, W0 + 16); a2.reinterpretAsInts().intoArray(sh, W0 + 32); a3.reinterpretAsInts().intoArray(sh, W0 + 48); a4.reinterpretAsInts().intoArray(sh, W0 + 64); a5.reinterpretAsInts().intoArray(sh, W0 + 80); a6.reinterpretAsInts().intoArray(sh, W0 + 96); a7.reinterpretAsInts().intoArray(sh, W0 + 112);
        c0.reinterpretAsInts().intoArray(sh, W0 + 0); c1.reinterpretAsInts().intoArray(sh, W0 + 16); c2.reinterpretAsInts().intoArray(sh, W0 + 32); c3.reinterpretAsInts().intoArray(sh, W0 + 48);
        d0.reinterpretAsInts().intoArray(sh, W0 + 0); d1.reinterpretAsInts().intoArray(sh, W0 + 16);
        e0.reinterpretAsInts().intoArray(sh, W0 + 0);
    }
    static void ladderRaw(int[] sh) {
        FloatVector v0 = IntVector.fromArray(I, sh, W0 + 0).reinterpretAsFloats(), v1 = IntVector.fromArray(I, sh, W0 + 16).reinterpretAsFloats(), v2 = IntVector.fromArray(I, sh, W0 + 32).reinterpretAsFloats(), v3 = IntVector.fromArray(I, sh, W0 + 48).reinterpretAsFloats(), v4 = IntVector.fromArray(I, sh, W0 + 64).reinterpretAsFloats(), v5 = IntVector.fromArray(I, sh, W0 + 80).reinterpretAsFloats(),
                v6 = IntVector.fromArray(I, sh, W0 + 96).reinterpretAsFloats(), v7 = IntVector.fromArray(I, sh, W0 + 112).reinterpretAsFloats(), v8 = IntVector.fromArray(I, sh, W0 + 128).reinterpretAsFloats(), v9 = IntVector.fromArray(I, sh, W0 + 144).reinterpretAsFloats(), v10 = IntVector.fromArray(I, sh, W0 + 160).reinterpretAsFloats(), v11 = IntVector.fromArray(I, sh, W0 + 176).reinterpretAsFloats(),
                v12 = IntVector.fromArray(I, sh, W0 + 192).reinterpretAsFloats(), v13 = IntVector.fromArray(I, sh, W0 + 208).reinterpretAsFloats(), v14 = IntVector.fromArray(I, sh, W0 + 224).reinterpretAsFloats(), v15 = IntVector.fromArray(I, sh, W0 + 240).reinterpretAsFloats();
        FloatVector za0 = v0.add(v8);
        FloatVector a0 = za0.blend(NAN, za0.test(VectorOperators.IS_NAN));
        FloatVector za1 = v1.add(v9);
        FloatVector a1 = za1.blend(NAN, za1.test(VectorOperators.IS_NAN));
        FloatVector za2 = v2.add(v10);
        FloatVector a2 = za2.blend(NAN, za2.test(VectorOperators.IS_NAN));
        FloatVector za3 = v3.add(v11);
        FloatVector a3 = za3.blend(NAN, za3.test(VectorOperators.IS_NAN));
        FloatVector za4 = v4.add(v12);
        FloatVector a4 = za4.blend(NAN, za4.test(VectorOperators.IS_NAN));
        FloatVector za5 = v5.add(v13);
        FloatVector a5 = za5.blend(NAN, za5.test(VectorOperators.IS_NAN));
        FloatVector za6 = v6.add(v14);
        FloatVector a6 = za6.blend(NAN, za6.test(VectorOperators.IS_NAN));
        FloatVector za7 = v7.add(v15);
        FloatVector a7 = za7.blend(NAN, za7.test(VectorOperators.IS_NAN));
        FloatVector zc0 = za0.add(za4);
        FloatVector c0 = zc0.blend(NAN, zc0.test(VectorOperators.IS_NAN));
        FloatVector zc1 = za1.add(za5);
        FloatVector c1 = zc1.blend(NAN, zc1.test(VectorOperators.IS_NAN));
        FloatVector zc2 = za2.add(za6);
        FloatVector c2 = zc2.blend(NAN, zc2.test(VectorOperators.IS_NAN));
        FloatVector zc3 = za3.add(za7);
        FloatVector c3 = zc3.blend(NAN, zc3.test(VectorOperators.IS_NAN));
        FloatVector zd0 = zc0.add(zc2);
        FloatVector d0 = zd0.blend(NAN, zd0.test(VectorOperators.IS_NAN));
        FloatVector zd1 = zc1.add(zc3);
        FloatVector d1 = zd1.blend(NAN, zd1.test(VectorOperators.IS_NAN));
        FloatVector ze0 = zd0.add(zd1);
        FloatVector e0 = ze0.blend(NAN, ze0.test(VectorOperators.IS_NAN));
        a0.reinterpretAsInts().intoArray(sh, W0 + 0); a1.reinterpretAsInts().intoArray(sh, W0 + 16); a2.reinterpretAsInts().intoArray(sh, W0 + 32); a3.reinterpretAsInts().intoArray(sh, W0 + 48); a4.reinterpretAsInts().intoArray(sh, W0 + 64); a5.reinterpretAsInts().intoArray(sh, W0 + 80); a6.reinterpretAsInts().intoArray(sh, W0 + 96); a7.reinterpretAsInts().intoArray(sh, W0 + 112);
        c0.reinterpretAsInts().intoArray(sh, W0 + 0); c1.reinterpretAsInts().intoArray(sh, W0 + 16); c2.reinterpretAsInts().intoArray(sh, W0 + 32); c3.reinterpretAsInts().intoArray(sh, W0 + 48);
        d0.reinterpretAsInts().intoArray(sh, W0 + 0); d1.reinterpretAsInts().intoArray(sh, W0 + 16);
        e0.reinterpretAsInts().intoArray(sh, W0 + 0);
    }
    static float ladderT(int[] sh) {
        FloatVector v0 = IntVector.fromArray(I, sh, W0 + 0).reinterpretAsFloats(), v1 = IntVector.fromArray(I, sh, W0 + 16).reinterpretAsFloats(), v2 = IntVector.fromArray(I, sh, W0 + 32).reinterpretAsFloats(), v3 = IntVector.fromArray(I, sh, W0 + 48).reinterpretAsFloats(), v4 = IntVector.fromArray(I, sh, W0 + 64).reinterpretAsFloats(), v5 = IntVector.fromArray(I, sh, W0 + 80).reinterpretAsFloats(),
                v6 = IntVector.fromArray(I, sh, W0 + 96).reinterpretAsFloats(), v7 = IntVector.fromArray(I, sh, W0 + 112).reinterpretAsFloats(), v8 = IntVector.fromArray(I, sh, W0 + 128).reinterpretAsFloats(), v9 = IntVector.fromArray(I, sh, W0 + 144).reinterpretAsFloats(), v10 = IntVector.fromArray(I, sh, W0 + 160).reinterpretAsFloats(), v11 = IntVector.fromArray(I, sh, W0 + 176).reinterpretAsFloats(),
                v12 = IntVector.fromArray(I, sh, W0 + 192).reinterpretAsFloats(), v13 = IntVector.fromArray(I, sh, W0 + 208).reinterpretAsFloats(), v14 = IntVector.fromArray(I, sh, W0 + 224).reinterpretAsFloats(), v15 = IntVector.fromArray(I, sh, W0 + 240).reinterpretAsFloats();
        FloatVector za0 = v0.add(v8);
        FloatVector a0 = za0.blend(NAN, za0.test(VectorOperators.IS_NAN));
        FloatVector za1 = v1.add(v9);
        FloatVector a1 = za1.blend(NAN, za1.test(VectorOperators.IS_NAN));
        FloatVector za2 = v2.add(v10);
        FloatVector a2 = za2.blend(NAN, za2.test(VectorOperators.IS_NAN));
        FloatVector za3 = v3.add(v11);
        FloatVector a3 = za3.blend(NAN, za3.test(VectorOperators.IS_NAN));
        FloatVector za4 = v4.add(v12);
        FloatVector a4 = za4.blend(NAN, za4.test(VectorOperators.IS_NAN));
        FloatVector za5 = v5.add(v13);
        FloatVector a5 = za5.blend(NAN, za5.test(VectorOperators.IS_NAN));
        FloatVector za6 = v6.add(v14);
        FloatVector a6 = za6.blend(NAN, za6.test(VectorOperators.IS_NAN));
        FloatVector za7 = v7.add(v15);
        FloatVector a7 = za7.blend(NAN, za7.test(VectorOperators.IS_NAN));
        FloatVector zc0 = a0.add(a4);
        FloatVector c0 = zc0.blend(NAN, zc0.test(VectorOperators.IS_NAN));
        FloatVector zc1 = a1.add(a5);
        FloatVector c1 = zc1.blend(NAN, zc1.test(VectorOperators.IS_NAN));
        FloatVector zc2 = a2.add(a6);
        FloatVector c2 = zc2.blend(NAN, zc2.test(VectorOperators.IS_NAN));
        FloatVector zc3 = a3.add(a7);
        FloatVector c3 = zc3.blend(NAN, zc3.test(VectorOperators.IS_NAN));
        FloatVector zd0 = c0.add(c2);
        FloatVector d0 = zd0.blend(NAN, zd0.test(VectorOperators.IS_NAN));
        FloatVector zd1 = c1.add(c3);
        FloatVector d1 = zd1.blend(NAN, zd1.test(VectorOperators.IS_NAN));
        FloatVector ze0 = d0.add(d1);
        FloatVector e0 = ze0.blend(NAN, ze0.test(VectorOperators.IS_NAN));
        a0.reinterpretAsInts().intoArray(sh, W0 + 0); a1.reinterpretAsInts().intoArray(sh, W0 + 16); a2.reinterpretAsInts().intoArray(sh, W0 + 32); a3.reinterpretAsInts().intoArray(sh, W0 + 48); a4.reinterpretAsInts().intoArray(sh, W0 + 64); a5.reinterpretAsInts().intoArray(sh, W0 + 80); a6.reinterpretAsInts().intoArray(sh, W0 + 96); a7.reinterpretAsInts().intoArray(sh, W0 + 112);
        c0.reinterpretAsInts().intoArray(sh, W0 + 0); c1.reinterpretAsInts().intoArray(sh, W0 + 16); c2.reinterpretAsInts().intoArray(sh, W0 + 32); c3.reinterpretAsInts().intoArray(sh, W0 + 48);
        d0.reinterpretAsInts().intoArray(sh, W0 + 0); d1.reinterpretAsInts().intoArray(sh, W0 + 16);
        e0.reinterpretAsInts().intoArray(sh, W0 + 0);
        return tailVW(e0, sh);
    }
    static void passR(long a, int[] sh) {
        FloatVector zv0 = FloatVector.fromMemorySegment(F, ALL, a + 0L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1024L, ORDER));
        FloatVector v0 = zv0.blend(NAN, zv0.test(VectorOperators.IS_NAN));
        FloatVector zv1 = FloatVector.fromMemorySegment(F, ALL, a + 64L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1088L, ORDER));
        FloatVector v1 = zv1.blend(NAN, zv1.test(VectorOperators.IS_NAN));
        FloatVector zv2 = FloatVector.fromMemorySegment(F, ALL, a + 128L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1152L, ORDER));
        FloatVector v2 = zv2.blend(NAN, zv2.test(VectorOperators.IS_NAN));
        FloatVector zv3 = FloatVector.fromMemorySegment(F, ALL, a + 192L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1216L, ORDER));
        FloatVector v3 = zv3.blend(NAN, zv3.test(VectorOperators.IS_NAN));
        FloatVector zv4 = FloatVector.fromMemorySegment(F, ALL, a + 256L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1280L, ORDER));
        FloatVector v4 = zv4.blend(NAN, zv4.test(VectorOperators.IS_NAN));
        FloatVector zv5 = FloatVector.fromMemorySegment(F, ALL, a + 320L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1344L, ORDER));
        FloatVector v5 = zv5.blend(NAN, zv5.test(VectorOperators.IS_NAN));
        FloatVector zv6 = FloatVector.fromMemorySegment(F, ALL, a + 384L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1408L, ORDER));
        FloatVector v6 = zv6.blend(NAN, zv6.test(VectorOperators.IS_NAN));
        FloatVector zv7 = FloatVector.fromMemorySegment(F, ALL, a + 448L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1472L, ORDER));
        FloatVector v7 = zv7.blend(NAN, zv7.test(VectorOperators.IS_NAN));
        FloatVector zv8 = FloatVector.fromMemorySegment(F, ALL, a + 512L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1536L, ORDER));
        FloatVector v8 = zv8.blend(NAN, zv8.test(VectorOperators.IS_NAN));
        FloatVector zv9 = FloatVector.fromMemorySegment(F, ALL, a + 576L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1600L, ORDER));
        FloatVector v9 = zv9.blend(NAN, zv9.test(VectorOperators.IS_NAN));
        FloatVector zv10 = FloatVector.fromMemorySegment(F, ALL, a + 640L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1664L, ORDER));
        FloatVector v10 = zv10.blend(NAN, zv10.test(VectorOperators.IS_NAN));
        FloatVector zv11 = FloatVector.fromMemorySegment(F, ALL, a + 704L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1728L, ORDER));
        FloatVector v11 = zv11.blend(NAN, zv11.test(VectorOperators.IS_NAN));
        FloatVector zv12 = FloatVector.fromMemorySegment(F, ALL, a + 768L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1792L, ORDER));
        FloatVector v12 = zv12.blend(NAN, zv12.test(VectorOperators.IS_NAN));
        FloatVector zv13 = FloatVector.fromMemorySegment(F, ALL, a + 832L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1856L, ORDER));
        FloatVector v13 = zv13.blend(NAN, zv13.test(VectorOperators.IS_NAN));
        FloatVector zv14 = FloatVector.fromMemorySegment(F, ALL, a + 896L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1920L, ORDER));
        FloatVector v14 = zv14.blend(NAN, zv14.test(VectorOperators.IS_NAN));
        FloatVector zv15 = FloatVector.fromMemorySegment(F, ALL, a + 960L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1984L, ORDER));
        FloatVector v15 = zv15.blend(NAN, zv15.test(VectorOperators.IS_NAN));
        v0.reinterpretAsInts().intoArray(sh, W0 + 0);
        v1.reinterpretAsInts().intoArray(sh, W0 + 16);
        v2.reinterpretAsInts().intoArray(sh, W0 + 32);
        v3.reinterpretAsInts().intoArray(sh, W0 + 48);
        v4.reinterpretAsInts().intoArray(sh, W0 + 64);
        v5.reinterpretAsInts().intoArray(sh, W0 + 80);
        v6.reinterpretAsInts().intoArray(sh, W0 + 96);
        v7.reinterpretAsInts().intoArray(sh, W0 + 112);
        v8.reinterpretAsInts().intoArray(sh, W0 + 128);
        v9.reinterpretAsInts().intoArray(sh, W0 + 144);
        v10.reinterpretAsInts().intoArray(sh, W0 + 160);
        v11.reinterpretAsInts().intoArray(sh, W0 + 176);
        v12.reinterpretAsInts().intoArray(sh, W0 + 192);
        v13.reinterpretAsInts().intoArray(sh, W0 + 208);
        v14.reinterpretAsInts().intoArray(sh, W0 + 224);
        v15.reinterpretAsInts().intoArray(sh, W0 + 240);
    }
    static float tail(int[] sh) {
        float x0 = Float.intBitsToFloat(sh[W0 + 0]), x1 = Float.intBitsToFloat(sh[W0 + 1]), x2 = Float.intBitsToFloat(sh[W0 + 2]),
                x3 = Float.intBitsToFloat(sh[W0 + 3]), x4 = Float.intBitsToFloat(sh[W0 + 4]), x5 = Float.intBitsToFloat(sh[W0 + 5]),
                x6 = Float.intBitsToFloat(sh[W0 + 6]), x7 = Float.intBitsToFloat(sh[W0 + 7]), x8 = Float.intBitsToFloat(sh[W0 + 8]),
                x9 = Float.intBitsToFloat(sh[W0 + 9]), x10 = Float.intBitsToFloat(sh[W0 + 10]), x11 = Float.intBitsToFloat(sh[W0 + 11]),
                x12 = Float.intBitsToFloat(sh[W0 + 12]), x13 = Float.intBitsToFloat(sh[W0 + 13]), x14 = Float.intBitsToFloat(sh[W0 + 14]),
                x15 = Float.intBitsToFloat(sh[W0 + 15]);
        float a0 = x0 + x8, a1 = x1 + x9, a2 = x2 + x10, a3 = x3 + x11, a4 = x4 + x12, a5 = x5 + x13, a6 = x6 + x14, a7 = x7 + x15;
        sh[W0 + 0] = bits(a0); sh[W0 + 1] = bits(a1); sh[W0 + 2] = bits(a2); sh[W0 + 3] = bits(a3);
        sh[W0 + 4] = bits(a4); sh[W0 + 5] = bits(a5); sh[W0 + 6] = bits(a6); sh[W0 + 7] = bits(a7);
        float c0 = a0 + a4, c1 = a1 + a5, c2 = a2 + a6, c3 = a3 + a7;
        sh[W0 + 0] = bits(c0); sh[W0 + 1] = bits(c1); sh[W0 + 2] = bits(c2); sh[W0 + 3] = bits(c3);
        float d0 = c0 + c2, d1 = c1 + c3;
        sh[W0 + 0] = bits(d0); sh[W0 + 1] = bits(d1);
        float e0 = d0 + d1;
        sh[W0 + 0] = bits(e0);
        return Float.intBitsToFloat(sh[W0 + 0]);
    }
    // the tail from the ladder's last vector, no window
    static float tailV(FloatVector e0) {
        float x0 = e0.lane(0), x1 = e0.lane(1), x2 = e0.lane(2), x3 = e0.lane(3), x4 = e0.lane(4), x5 = e0.lane(5),
                x6 = e0.lane(6), x7 = e0.lane(7), x8 = e0.lane(8), x9 = e0.lane(9), x10 = e0.lane(10),
                x11 = e0.lane(11), x12 = e0.lane(12), x13 = e0.lane(13), x14 = e0.lane(14), x15 = e0.lane(15);
        float a0 = x0 + x8, a1 = x1 + x9, a2 = x2 + x10, a3 = x3 + x11, a4 = x4 + x12, a5 = x5 + x13, a6 = x6 + x14, a7 = x7 + x15;
        float c0 = a0 + a4, c1 = a1 + a5, c2 = a2 + a6, c3 = a3 + a7;
        float d0 = c0 + c2, d1 = c1 + c3;
        float z = d0 + d1;
        return z != z ? NAN : z;
    }
    // the tail from the ladder's last vector, its words stored as the steps leave them (no window loads)
    static float tailVW(FloatVector e0, int[] sh) {
        float x0 = e0.lane(0), x1 = e0.lane(1), x2 = e0.lane(2), x3 = e0.lane(3), x4 = e0.lane(4), x5 = e0.lane(5),
                x6 = e0.lane(6), x7 = e0.lane(7), x8 = e0.lane(8), x9 = e0.lane(9), x10 = e0.lane(10),
                x11 = e0.lane(11), x12 = e0.lane(12), x13 = e0.lane(13), x14 = e0.lane(14), x15 = e0.lane(15);
        float a0 = x0 + x8, a1 = x1 + x9, a2 = x2 + x10, a3 = x3 + x11, a4 = x4 + x12, a5 = x5 + x13, a6 = x6 + x14, a7 = x7 + x15;
        float c0 = a0 + a4, c1 = a1 + a5, c2 = a2 + a6, c3 = a3 + a7;
        float d0 = c0 + c2, d1 = c1 + c3;
        float z = d0 + d1;
        sh[W0 + 7] = bits(a7); sh[W0 + 6] = bits(a6); sh[W0 + 5] = bits(a5); sh[W0 + 4] = bits(a4);
        sh[W0 + 3] = bits(c3); sh[W0 + 2] = bits(c2); sh[W0 + 1] = bits(d1); sh[W0 + 0] = bits(z);
        return z != z ? NAN : z;
    }
    static void engineTV(int b, int[] sh) {
        long a = in + 2048L * b;
        pass(a, sh, nvar);
        ALL.set(F32, part + 4L * b, ladderT(sh));
    }
    static void engineR(int b, int[] sh) {
        long a = in + 2048L * b;
        passR(a, sh);
        ladder(sh);
        ALL.set(F32, part + 4L * b, tail(sh));
    }
    static void engineRT(int b, int[] sh) {
        long a = in + 2048L * b;
        passR(a, sh);
        ALL.set(F32, part + 4L * b, ladderT(sh));
    }
    static long sinkL;
    static int OV = Integer.getInteger("ov", 150), AHEAD = Integer.getInteger("ahead", 4);
    /** Stand-in for the engine's per-block work outside the hot code: a dependent integer chain of OV steps. */
    static void overhead(int b) {
        long x = b;
        for (int k = 0; k < OV; k++) x = x * 0x9E3779B97F4A7C15L + k;
        sinkL += x;
    }
    /** One byte read per 64-byte line of block b + AHEAD's 2 KiB (inside the input only). */
    static void touch(int b) {
        int t = b + AHEAD;
        if (t >= BLOCKS) return;
        long a = in + 2048L * t;
        int x = 0;
        for (int k = 0; k < 2048; k += 64) x += ALL.get(ValueLayout.JAVA_BYTE, a + k);
        sinkL += x;
    }
    static void engineOv(int b, int[] sh) {
        engine(b, sh);
        overhead(b);
    }
    static void engineOvT(int b, int[] sh) {
        engine(b, sh);
        touch(b);
        overhead(b);
    }
    static void regsOv(int b, int[] sh) {
        regs(b, sh);
        overhead(b);
    }
    static void regsFinalVOv(int b, int[] sh) {
        regsFinalV(b, sh);
        overhead(b);
    }
    static void copyRegsOv(int b, int[] sh) {
        copyRegs(b, sh);
        overhead(b);
    }
    static void treeRaw(int b, int[] sh) {
        ladderRaw(sh);
        ALL.set(F32, part + 4L * b, tail(sh));
    }
    static void engineRaw(int b, int[] sh) {
        pass(in + 2048L * b, sh, nvar);
        ladderRaw(sh);
        ALL.set(F32, part + 4L * b, tail(sh));
    }
    static void ovOnly(int b, int[] sh) {
        overhead(b);
    }
    static void engine(int b, int[] sh) {
        long a = in + 2048L * b;
        pass(a, sh, nvar);
        ladder(sh);
        ALL.set(F32, part + 4L * b, tail(sh));
    }
    static void engineN(int b, int[] sh) {
        long a = in + 2048L * b;
        passBoth(a, sh, nvar);
        ladder(sh);
        ALL.set(F32, part + 4L * b, tail(sh));
    }
    static void passOnly(int b, int[] sh) {
        pass(in + 2048L * b, sh, nvar);
    }
    static void treeOnly(int b, int[] sh) {
        ladder(sh);
        ALL.set(F32, part + 4L * b, tail(sh));
    }
    static void regs(int b, int[] sh) {
        long a = in + 2048L * b;
        FloatVector zv0 = FloatVector.fromMemorySegment(F, ALL, a + 0L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1024L, ORDER));
        FloatVector v0 = zv0.blend(NAN, zv0.test(VectorOperators.IS_NAN));
        FloatVector zv1 = FloatVector.fromMemorySegment(F, ALL, a + 64L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1088L, ORDER));
        FloatVector v1 = zv1.blend(NAN, zv1.test(VectorOperators.IS_NAN));
        FloatVector zv2 = FloatVector.fromMemorySegment(F, ALL, a + 128L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1152L, ORDER));
        FloatVector v2 = zv2.blend(NAN, zv2.test(VectorOperators.IS_NAN));
        FloatVector zv3 = FloatVector.fromMemorySegment(F, ALL, a + 192L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1216L, ORDER));
        FloatVector v3 = zv3.blend(NAN, zv3.test(VectorOperators.IS_NAN));
        FloatVector zv4 = FloatVector.fromMemorySegment(F, ALL, a + 256L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1280L, ORDER));
        FloatVector v4 = zv4.blend(NAN, zv4.test(VectorOperators.IS_NAN));
        FloatVector zv5 = FloatVector.fromMemorySegment(F, ALL, a + 320L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1344L, ORDER));
        FloatVector v5 = zv5.blend(NAN, zv5.test(VectorOperators.IS_NAN));
        FloatVector zv6 = FloatVector.fromMemorySegment(F, ALL, a + 384L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1408L, ORDER));
        FloatVector v6 = zv6.blend(NAN, zv6.test(VectorOperators.IS_NAN));
        FloatVector zv7 = FloatVector.fromMemorySegment(F, ALL, a + 448L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1472L, ORDER));
        FloatVector v7 = zv7.blend(NAN, zv7.test(VectorOperators.IS_NAN));
        FloatVector zv8 = FloatVector.fromMemorySegment(F, ALL, a + 512L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1536L, ORDER));
        FloatVector v8 = zv8.blend(NAN, zv8.test(VectorOperators.IS_NAN));
        FloatVector zv9 = FloatVector.fromMemorySegment(F, ALL, a + 576L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1600L, ORDER));
        FloatVector v9 = zv9.blend(NAN, zv9.test(VectorOperators.IS_NAN));
        FloatVector zv10 = FloatVector.fromMemorySegment(F, ALL, a + 640L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1664L, ORDER));
        FloatVector v10 = zv10.blend(NAN, zv10.test(VectorOperators.IS_NAN));
        FloatVector zv11 = FloatVector.fromMemorySegment(F, ALL, a + 704L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1728L, ORDER));
        FloatVector v11 = zv11.blend(NAN, zv11.test(VectorOperators.IS_NAN));
        FloatVector zv12 = FloatVector.fromMemorySegment(F, ALL, a + 768L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1792L, ORDER));
        FloatVector v12 = zv12.blend(NAN, zv12.test(VectorOperators.IS_NAN));
        FloatVector zv13 = FloatVector.fromMemorySegment(F, ALL, a + 832L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1856L, ORDER));
        FloatVector v13 = zv13.blend(NAN, zv13.test(VectorOperators.IS_NAN));
        FloatVector zv14 = FloatVector.fromMemorySegment(F, ALL, a + 896L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1920L, ORDER));
        FloatVector v14 = zv14.blend(NAN, zv14.test(VectorOperators.IS_NAN));
        FloatVector zv15 = FloatVector.fromMemorySegment(F, ALL, a + 960L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1984L, ORDER));
        FloatVector v15 = zv15.blend(NAN, zv15.test(VectorOperators.IS_NAN));
        FloatVector za0 = v0.add(v8);
        FloatVector a0 = za0.blend(NAN, za0.test(VectorOperators.IS_NAN));
        FloatVector za1 = v1.add(v9);
        FloatVector a1 = za1.blend(NAN, za1.test(VectorOperators.IS_NAN));
        FloatVector za2 = v2.add(v10);
        FloatVector a2 = za2.blend(NAN, za2.test(VectorOperators.IS_NAN));
        FloatVector za3 = v3.add(v11);
        FloatVector a3 = za3.blend(NAN, za3.test(VectorOperators.IS_NAN));
        FloatVector za4 = v4.add(v12);
        FloatVector a4 = za4.blend(NAN, za4.test(VectorOperators.IS_NAN));
        FloatVector za5 = v5.add(v13);
        FloatVector a5 = za5.blend(NAN, za5.test(VectorOperators.IS_NAN));
        FloatVector za6 = v6.add(v14);
        FloatVector a6 = za6.blend(NAN, za6.test(VectorOperators.IS_NAN));
        FloatVector za7 = v7.add(v15);
        FloatVector a7 = za7.blend(NAN, za7.test(VectorOperators.IS_NAN));
        FloatVector zc0 = a0.add(a4);
        FloatVector c0 = zc0.blend(NAN, zc0.test(VectorOperators.IS_NAN));
        FloatVector zc1 = a1.add(a5);
        FloatVector c1 = zc1.blend(NAN, zc1.test(VectorOperators.IS_NAN));
        FloatVector zc2 = a2.add(a6);
        FloatVector c2 = zc2.blend(NAN, zc2.test(VectorOperators.IS_NAN));
        FloatVector zc3 = a3.add(a7);
        FloatVector c3 = zc3.blend(NAN, zc3.test(VectorOperators.IS_NAN));
        FloatVector zd0 = c0.add(c2);
        FloatVector d0 = zd0.blend(NAN, zd0.test(VectorOperators.IS_NAN));
        FloatVector zd1 = c1.add(c3);
        FloatVector d1 = zd1.blend(NAN, zd1.test(VectorOperators.IS_NAN));
        FloatVector ze0 = d0.add(d1);
        FloatVector e0 = ze0.blend(NAN, ze0.test(VectorOperators.IS_NAN));
        ALL.set(F32, part + 4L * b, tailV(e0));
    }
    static void regsFinal(int b, int[] sh) {
        long a = in + 2048L * b;
        FloatVector zv0 = FloatVector.fromMemorySegment(F, ALL, a + 0L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1024L, ORDER));
        FloatVector v0 = zv0.blend(NAN, zv0.test(VectorOperators.IS_NAN));
        FloatVector zv1 = FloatVector.fromMemorySegment(F, ALL, a + 64L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1088L, ORDER));
        FloatVector v1 = zv1.blend(NAN, zv1.test(VectorOperators.IS_NAN));
        FloatVector zv2 = FloatVector.fromMemorySegment(F, ALL, a + 128L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1152L, ORDER));
        FloatVector v2 = zv2.blend(NAN, zv2.test(VectorOperators.IS_NAN));
        FloatVector zv3 = FloatVector.fromMemorySegment(F, ALL, a + 192L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1216L, ORDER));
        FloatVector v3 = zv3.blend(NAN, zv3.test(VectorOperators.IS_NAN));
        FloatVector zv4 = FloatVector.fromMemorySegment(F, ALL, a + 256L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1280L, ORDER));
        FloatVector v4 = zv4.blend(NAN, zv4.test(VectorOperators.IS_NAN));
        FloatVector zv5 = FloatVector.fromMemorySegment(F, ALL, a + 320L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1344L, ORDER));
        FloatVector v5 = zv5.blend(NAN, zv5.test(VectorOperators.IS_NAN));
        FloatVector zv6 = FloatVector.fromMemorySegment(F, ALL, a + 384L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1408L, ORDER));
        FloatVector v6 = zv6.blend(NAN, zv6.test(VectorOperators.IS_NAN));
        FloatVector zv7 = FloatVector.fromMemorySegment(F, ALL, a + 448L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1472L, ORDER));
        FloatVector v7 = zv7.blend(NAN, zv7.test(VectorOperators.IS_NAN));
        FloatVector zv8 = FloatVector.fromMemorySegment(F, ALL, a + 512L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1536L, ORDER));
        FloatVector v8 = zv8.blend(NAN, zv8.test(VectorOperators.IS_NAN));
        FloatVector zv9 = FloatVector.fromMemorySegment(F, ALL, a + 576L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1600L, ORDER));
        FloatVector v9 = zv9.blend(NAN, zv9.test(VectorOperators.IS_NAN));
        FloatVector zv10 = FloatVector.fromMemorySegment(F, ALL, a + 640L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1664L, ORDER));
        FloatVector v10 = zv10.blend(NAN, zv10.test(VectorOperators.IS_NAN));
        FloatVector zv11 = FloatVector.fromMemorySegment(F, ALL, a + 704L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1728L, ORDER));
        FloatVector v11 = zv11.blend(NAN, zv11.test(VectorOperators.IS_NAN));
        FloatVector zv12 = FloatVector.fromMemorySegment(F, ALL, a + 768L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1792L, ORDER));
        FloatVector v12 = zv12.blend(NAN, zv12.test(VectorOperators.IS_NAN));
        FloatVector zv13 = FloatVector.fromMemorySegment(F, ALL, a + 832L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1856L, ORDER));
        FloatVector v13 = zv13.blend(NAN, zv13.test(VectorOperators.IS_NAN));
        FloatVector zv14 = FloatVector.fromMemorySegment(F, ALL, a + 896L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1920L, ORDER));
        FloatVector v14 = zv14.blend(NAN, zv14.test(VectorOperators.IS_NAN));
        FloatVector zv15 = FloatVector.fromMemorySegment(F, ALL, a + 960L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1984L, ORDER));
        FloatVector v15 = zv15.blend(NAN, zv15.test(VectorOperators.IS_NAN));
        FloatVector za0 = v0.add(v8);
        FloatVector a0 = za0.blend(NAN, za0.test(VectorOperators.IS_NAN));
        FloatVector za1 = v1.add(v9);
        FloatVector a1 = za1.blend(NAN, za1.test(VectorOperators.IS_NAN));
        FloatVector za2 = v2.add(v10);
        FloatVector a2 = za2.blend(NAN, za2.test(VectorOperators.IS_NAN));
        FloatVector za3 = v3.add(v11);
        FloatVector a3 = za3.blend(NAN, za3.test(VectorOperators.IS_NAN));
        FloatVector za4 = v4.add(v12);
        FloatVector a4 = za4.blend(NAN, za4.test(VectorOperators.IS_NAN));
        FloatVector za5 = v5.add(v13);
        FloatVector a5 = za5.blend(NAN, za5.test(VectorOperators.IS_NAN));
        FloatVector za6 = v6.add(v14);
        FloatVector a6 = za6.blend(NAN, za6.test(VectorOperators.IS_NAN));
        FloatVector za7 = v7.add(v15);
        FloatVector a7 = za7.blend(NAN, za7.test(VectorOperators.IS_NAN));
        FloatVector zc0 = a0.add(a4);
        FloatVector c0 = zc0.blend(NAN, zc0.test(VectorOperators.IS_NAN));
        FloatVector zc1 = a1.add(a5);
        FloatVector c1 = zc1.blend(NAN, zc1.test(VectorOperators.IS_NAN));
        FloatVector zc2 = a2.add(a6);
        FloatVector c2 = zc2.blend(NAN, zc2.test(VectorOperators.IS_NAN));
        FloatVector zc3 = a3.add(a7);
        FloatVector c3 = zc3.blend(NAN, zc3.test(VectorOperators.IS_NAN));
        FloatVector zd0 = c0.add(c2);
        FloatVector d0 = zd0.blend(NAN, zd0.test(VectorOperators.IS_NAN));
        FloatVector zd1 = c1.add(c3);
        FloatVector d1 = zd1.blend(NAN, zd1.test(VectorOperators.IS_NAN));
        FloatVector ze0 = d0.add(d1);
        FloatVector e0 = ze0.blend(NAN, ze0.test(VectorOperators.IS_NAN));
        // the window's final state (what the kernel's tree leaves): 16 vector stores, each word once
        v8.reinterpretAsInts().intoArray(sh, W0 + 128); v9.reinterpretAsInts().intoArray(sh, W0 + 144);
        v10.reinterpretAsInts().intoArray(sh, W0 + 160); v11.reinterpretAsInts().intoArray(sh, W0 + 176);
        v12.reinterpretAsInts().intoArray(sh, W0 + 192); v13.reinterpretAsInts().intoArray(sh, W0 + 208);
        v14.reinterpretAsInts().intoArray(sh, W0 + 224); v15.reinterpretAsInts().intoArray(sh, W0 + 240);
        a4.reinterpretAsInts().intoArray(sh, W0 + 64); a5.reinterpretAsInts().intoArray(sh, W0 + 80);
        a6.reinterpretAsInts().intoArray(sh, W0 + 96); a7.reinterpretAsInts().intoArray(sh, W0 + 112);
        c2.reinterpretAsInts().intoArray(sh, W0 + 32); c3.reinterpretAsInts().intoArray(sh, W0 + 48);
        d1.reinterpretAsInts().intoArray(sh, W0 + 16);
        e0.reinterpretAsInts().intoArray(sh, W0 + 0);
        ALL.set(F32, part + 4L * b, tail(sh));
    }
    static void regsFinalV(int b, int[] sh) {
        long a = in + 2048L * b;
        FloatVector zv0 = FloatVector.fromMemorySegment(F, ALL, a + 0L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1024L, ORDER));
        FloatVector v0 = zv0.blend(NAN, zv0.test(VectorOperators.IS_NAN));
        FloatVector zv1 = FloatVector.fromMemorySegment(F, ALL, a + 64L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1088L, ORDER));
        FloatVector v1 = zv1.blend(NAN, zv1.test(VectorOperators.IS_NAN));
        FloatVector zv2 = FloatVector.fromMemorySegment(F, ALL, a + 128L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1152L, ORDER));
        FloatVector v2 = zv2.blend(NAN, zv2.test(VectorOperators.IS_NAN));
        FloatVector zv3 = FloatVector.fromMemorySegment(F, ALL, a + 192L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1216L, ORDER));
        FloatVector v3 = zv3.blend(NAN, zv3.test(VectorOperators.IS_NAN));
        FloatVector zv4 = FloatVector.fromMemorySegment(F, ALL, a + 256L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1280L, ORDER));
        FloatVector v4 = zv4.blend(NAN, zv4.test(VectorOperators.IS_NAN));
        FloatVector zv5 = FloatVector.fromMemorySegment(F, ALL, a + 320L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1344L, ORDER));
        FloatVector v5 = zv5.blend(NAN, zv5.test(VectorOperators.IS_NAN));
        FloatVector zv6 = FloatVector.fromMemorySegment(F, ALL, a + 384L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1408L, ORDER));
        FloatVector v6 = zv6.blend(NAN, zv6.test(VectorOperators.IS_NAN));
        FloatVector zv7 = FloatVector.fromMemorySegment(F, ALL, a + 448L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1472L, ORDER));
        FloatVector v7 = zv7.blend(NAN, zv7.test(VectorOperators.IS_NAN));
        FloatVector zv8 = FloatVector.fromMemorySegment(F, ALL, a + 512L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1536L, ORDER));
        FloatVector v8 = zv8.blend(NAN, zv8.test(VectorOperators.IS_NAN));
        FloatVector zv9 = FloatVector.fromMemorySegment(F, ALL, a + 576L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1600L, ORDER));
        FloatVector v9 = zv9.blend(NAN, zv9.test(VectorOperators.IS_NAN));
        FloatVector zv10 = FloatVector.fromMemorySegment(F, ALL, a + 640L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1664L, ORDER));
        FloatVector v10 = zv10.blend(NAN, zv10.test(VectorOperators.IS_NAN));
        FloatVector zv11 = FloatVector.fromMemorySegment(F, ALL, a + 704L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1728L, ORDER));
        FloatVector v11 = zv11.blend(NAN, zv11.test(VectorOperators.IS_NAN));
        FloatVector zv12 = FloatVector.fromMemorySegment(F, ALL, a + 768L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1792L, ORDER));
        FloatVector v12 = zv12.blend(NAN, zv12.test(VectorOperators.IS_NAN));
        FloatVector zv13 = FloatVector.fromMemorySegment(F, ALL, a + 832L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1856L, ORDER));
        FloatVector v13 = zv13.blend(NAN, zv13.test(VectorOperators.IS_NAN));
        FloatVector zv14 = FloatVector.fromMemorySegment(F, ALL, a + 896L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1920L, ORDER));
        FloatVector v14 = zv14.blend(NAN, zv14.test(VectorOperators.IS_NAN));
        FloatVector zv15 = FloatVector.fromMemorySegment(F, ALL, a + 960L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1984L, ORDER));
        FloatVector v15 = zv15.blend(NAN, zv15.test(VectorOperators.IS_NAN));
        FloatVector za0 = v0.add(v8);
        FloatVector a0 = za0.blend(NAN, za0.test(VectorOperators.IS_NAN));
        FloatVector za1 = v1.add(v9);
        FloatVector a1 = za1.blend(NAN, za1.test(VectorOperators.IS_NAN));
        FloatVector za2 = v2.add(v10);
        FloatVector a2 = za2.blend(NAN, za2.test(VectorOperators.IS_NAN));
        FloatVector za3 = v3.add(v11);
        FloatVector a3 = za3.blend(NAN, za3.test(VectorOperators.IS_NAN));
        FloatVector za4 = v4.add(v12);
        FloatVector a4 = za4.blend(NAN, za4.test(VectorOperators.IS_NAN));
        FloatVector za5 = v5.add(v13);
        FloatVector a5 = za5.blend(NAN, za5.test(VectorOperators.IS_NAN));
        FloatVector za6 = v6.add(v14);
        FloatVector a6 = za6.blend(NAN, za6.test(VectorOperators.IS_NAN));
        FloatVector za7 = v7.add(v15);
        FloatVector a7 = za7.blend(NAN, za7.test(VectorOperators.IS_NAN));
        FloatVector zc0 = a0.add(a4);
        FloatVector c0 = zc0.blend(NAN, zc0.test(VectorOperators.IS_NAN));
        FloatVector zc1 = a1.add(a5);
        FloatVector c1 = zc1.blend(NAN, zc1.test(VectorOperators.IS_NAN));
        FloatVector zc2 = a2.add(a6);
        FloatVector c2 = zc2.blend(NAN, zc2.test(VectorOperators.IS_NAN));
        FloatVector zc3 = a3.add(a7);
        FloatVector c3 = zc3.blend(NAN, zc3.test(VectorOperators.IS_NAN));
        FloatVector zd0 = c0.add(c2);
        FloatVector d0 = zd0.blend(NAN, zd0.test(VectorOperators.IS_NAN));
        FloatVector zd1 = c1.add(c3);
        FloatVector d1 = zd1.blend(NAN, zd1.test(VectorOperators.IS_NAN));
        FloatVector ze0 = d0.add(d1);
        FloatVector e0 = ze0.blend(NAN, ze0.test(VectorOperators.IS_NAN));
        // the window's final state (what the kernel's tree leaves): 16 vector stores, each word once
        v8.reinterpretAsInts().intoArray(sh, W0 + 128); v9.reinterpretAsInts().intoArray(sh, W0 + 144);
        v10.reinterpretAsInts().intoArray(sh, W0 + 160); v11.reinterpretAsInts().intoArray(sh, W0 + 176);
        v12.reinterpretAsInts().intoArray(sh, W0 + 192); v13.reinterpretAsInts().intoArray(sh, W0 + 208);
        v14.reinterpretAsInts().intoArray(sh, W0 + 224); v15.reinterpretAsInts().intoArray(sh, W0 + 240);
        a4.reinterpretAsInts().intoArray(sh, W0 + 64); a5.reinterpretAsInts().intoArray(sh, W0 + 80);
        a6.reinterpretAsInts().intoArray(sh, W0 + 96); a7.reinterpretAsInts().intoArray(sh, W0 + 112);
        c2.reinterpretAsInts().intoArray(sh, W0 + 32); c3.reinterpretAsInts().intoArray(sh, W0 + 48);
        d1.reinterpretAsInts().intoArray(sh, W0 + 16);
        e0.reinterpretAsInts().intoArray(sh, W0 + 0);
        ALL.set(F32, part + 4L * b, tailVW(e0, sh));
    }
    static void copyRegs(int b, int[] sh) {
        long a = in + 2048L * b;
        MemorySegment.copy(ALL, I32, a, sh, W0, 256);
        FloatVector zv0 = IntVector.fromArray(I, sh, W0 + 0).reinterpretAsFloats().add(FloatVector.fromMemorySegment(F, ALL, a + 1024L, ORDER));
        FloatVector v0 = zv0.blend(NAN, zv0.test(VectorOperators.IS_NAN));
        FloatVector zv1 = IntVector.fromArray(I, sh, W0 + 16).reinterpretAsFloats().add(FloatVector.fromMemorySegment(F, ALL, a + 1088L, ORDER));
        FloatVector v1 = zv1.blend(NAN, zv1.test(VectorOperators.IS_NAN));
        FloatVector zv2 = IntVector.fromArray(I, sh, W0 + 32).reinterpretAsFloats().add(FloatVector.fromMemorySegment(F, ALL, a + 1152L, ORDER));
        FloatVector v2 = zv2.blend(NAN, zv2.test(VectorOperators.IS_NAN));
        FloatVector zv3 = IntVector.fromArray(I, sh, W0 + 48).reinterpretAsFloats().add(FloatVector.fromMemorySegment(F, ALL, a + 1216L, ORDER));
        FloatVector v3 = zv3.blend(NAN, zv3.test(VectorOperators.IS_NAN));
        FloatVector zv4 = IntVector.fromArray(I, sh, W0 + 64).reinterpretAsFloats().add(FloatVector.fromMemorySegment(F, ALL, a + 1280L, ORDER));
        FloatVector v4 = zv4.blend(NAN, zv4.test(VectorOperators.IS_NAN));
        FloatVector zv5 = IntVector.fromArray(I, sh, W0 + 80).reinterpretAsFloats().add(FloatVector.fromMemorySegment(F, ALL, a + 1344L, ORDER));
        FloatVector v5 = zv5.blend(NAN, zv5.test(VectorOperators.IS_NAN));
        FloatVector zv6 = IntVector.fromArray(I, sh, W0 + 96).reinterpretAsFloats().add(FloatVector.fromMemorySegment(F, ALL, a + 1408L, ORDER));
        FloatVector v6 = zv6.blend(NAN, zv6.test(VectorOperators.IS_NAN));
        FloatVector zv7 = IntVector.fromArray(I, sh, W0 + 112).reinterpretAsFloats().add(FloatVector.fromMemorySegment(F, ALL, a + 1472L, ORDER));
        FloatVector v7 = zv7.blend(NAN, zv7.test(VectorOperators.IS_NAN));
        FloatVector zv8 = IntVector.fromArray(I, sh, W0 + 128).reinterpretAsFloats().add(FloatVector.fromMemorySegment(F, ALL, a + 1536L, ORDER));
        FloatVector v8 = zv8.blend(NAN, zv8.test(VectorOperators.IS_NAN));
        FloatVector zv9 = IntVector.fromArray(I, sh, W0 + 144).reinterpretAsFloats().add(FloatVector.fromMemorySegment(F, ALL, a + 1600L, ORDER));
        FloatVector v9 = zv9.blend(NAN, zv9.test(VectorOperators.IS_NAN));
        FloatVector zv10 = IntVector.fromArray(I, sh, W0 + 160).reinterpretAsFloats().add(FloatVector.fromMemorySegment(F, ALL, a + 1664L, ORDER));
        FloatVector v10 = zv10.blend(NAN, zv10.test(VectorOperators.IS_NAN));
        FloatVector zv11 = IntVector.fromArray(I, sh, W0 + 176).reinterpretAsFloats().add(FloatVector.fromMemorySegment(F, ALL, a + 1728L, ORDER));
        FloatVector v11 = zv11.blend(NAN, zv11.test(VectorOperators.IS_NAN));
        FloatVector zv12 = IntVector.fromArray(I, sh, W0 + 192).reinterpretAsFloats().add(FloatVector.fromMemorySegment(F, ALL, a + 1792L, ORDER));
        FloatVector v12 = zv12.blend(NAN, zv12.test(VectorOperators.IS_NAN));
        FloatVector zv13 = IntVector.fromArray(I, sh, W0 + 208).reinterpretAsFloats().add(FloatVector.fromMemorySegment(F, ALL, a + 1856L, ORDER));
        FloatVector v13 = zv13.blend(NAN, zv13.test(VectorOperators.IS_NAN));
        FloatVector zv14 = IntVector.fromArray(I, sh, W0 + 224).reinterpretAsFloats().add(FloatVector.fromMemorySegment(F, ALL, a + 1920L, ORDER));
        FloatVector v14 = zv14.blend(NAN, zv14.test(VectorOperators.IS_NAN));
        FloatVector zv15 = IntVector.fromArray(I, sh, W0 + 240).reinterpretAsFloats().add(FloatVector.fromMemorySegment(F, ALL, a + 1984L, ORDER));
        FloatVector v15 = zv15.blend(NAN, zv15.test(VectorOperators.IS_NAN));
        FloatVector za0 = v0.add(v8);
        FloatVector a0 = za0.blend(NAN, za0.test(VectorOperators.IS_NAN));
        FloatVector za1 = v1.add(v9);
        FloatVector a1 = za1.blend(NAN, za1.test(VectorOperators.IS_NAN));
        FloatVector za2 = v2.add(v10);
        FloatVector a2 = za2.blend(NAN, za2.test(VectorOperators.IS_NAN));
        FloatVector za3 = v3.add(v11);
        FloatVector a3 = za3.blend(NAN, za3.test(VectorOperators.IS_NAN));
        FloatVector za4 = v4.add(v12);
        FloatVector a4 = za4.blend(NAN, za4.test(VectorOperators.IS_NAN));
        FloatVector za5 = v5.add(v13);
        FloatVector a5 = za5.blend(NAN, za5.test(VectorOperators.IS_NAN));
        FloatVector za6 = v6.add(v14);
        FloatVector a6 = za6.blend(NAN, za6.test(VectorOperators.IS_NAN));
        FloatVector za7 = v7.add(v15);
        FloatVector a7 = za7.blend(NAN, za7.test(VectorOperators.IS_NAN));
        FloatVector zc0 = a0.add(a4);
        FloatVector c0 = zc0.blend(NAN, zc0.test(VectorOperators.IS_NAN));
        FloatVector zc1 = a1.add(a5);
        FloatVector c1 = zc1.blend(NAN, zc1.test(VectorOperators.IS_NAN));
        FloatVector zc2 = a2.add(a6);
        FloatVector c2 = zc2.blend(NAN, zc2.test(VectorOperators.IS_NAN));
        FloatVector zc3 = a3.add(a7);
        FloatVector c3 = zc3.blend(NAN, zc3.test(VectorOperators.IS_NAN));
        FloatVector zd0 = c0.add(c2);
        FloatVector d0 = zd0.blend(NAN, zd0.test(VectorOperators.IS_NAN));
        FloatVector zd1 = c1.add(c3);
        FloatVector d1 = zd1.blend(NAN, zd1.test(VectorOperators.IS_NAN));
        FloatVector ze0 = d0.add(d1);
        FloatVector e0 = ze0.blend(NAN, ze0.test(VectorOperators.IS_NAN));
        // the window's final state (what the kernel's tree leaves): 16 vector stores, each word once
        v8.reinterpretAsInts().intoArray(sh, W0 + 128); v9.reinterpretAsInts().intoArray(sh, W0 + 144);
        v10.reinterpretAsInts().intoArray(sh, W0 + 160); v11.reinterpretAsInts().intoArray(sh, W0 + 176);
        v12.reinterpretAsInts().intoArray(sh, W0 + 192); v13.reinterpretAsInts().intoArray(sh, W0 + 208);
        v14.reinterpretAsInts().intoArray(sh, W0 + 224); v15.reinterpretAsInts().intoArray(sh, W0 + 240);
        a4.reinterpretAsInts().intoArray(sh, W0 + 64); a5.reinterpretAsInts().intoArray(sh, W0 + 80);
        a6.reinterpretAsInts().intoArray(sh, W0 + 96); a7.reinterpretAsInts().intoArray(sh, W0 + 112);
        c2.reinterpretAsInts().intoArray(sh, W0 + 32); c3.reinterpretAsInts().intoArray(sh, W0 + 48);
        d1.reinterpretAsInts().intoArray(sh, W0 + 16);
        e0.reinterpretAsInts().intoArray(sh, W0 + 0);
        ALL.set(F32, part + 4L * b, tailVW(e0, sh));
    }
    static void regsWin(int b, int[] sh) {
        long a = in + 2048L * b;
        FloatVector zv0 = FloatVector.fromMemorySegment(F, ALL, a + 0L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1024L, ORDER));
        FloatVector v0 = zv0.blend(NAN, zv0.test(VectorOperators.IS_NAN));
        FloatVector zv1 = FloatVector.fromMemorySegment(F, ALL, a + 64L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1088L, ORDER));
        FloatVector v1 = zv1.blend(NAN, zv1.test(VectorOperators.IS_NAN));
        FloatVector zv2 = FloatVector.fromMemorySegment(F, ALL, a + 128L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1152L, ORDER));
        FloatVector v2 = zv2.blend(NAN, zv2.test(VectorOperators.IS_NAN));
        FloatVector zv3 = FloatVector.fromMemorySegment(F, ALL, a + 192L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1216L, ORDER));
        FloatVector v3 = zv3.blend(NAN, zv3.test(VectorOperators.IS_NAN));
        FloatVector zv4 = FloatVector.fromMemorySegment(F, ALL, a + 256L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1280L, ORDER));
        FloatVector v4 = zv4.blend(NAN, zv4.test(VectorOperators.IS_NAN));
        FloatVector zv5 = FloatVector.fromMemorySegment(F, ALL, a + 320L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1344L, ORDER));
        FloatVector v5 = zv5.blend(NAN, zv5.test(VectorOperators.IS_NAN));
        FloatVector zv6 = FloatVector.fromMemorySegment(F, ALL, a + 384L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1408L, ORDER));
        FloatVector v6 = zv6.blend(NAN, zv6.test(VectorOperators.IS_NAN));
        FloatVector zv7 = FloatVector.fromMemorySegment(F, ALL, a + 448L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1472L, ORDER));
        FloatVector v7 = zv7.blend(NAN, zv7.test(VectorOperators.IS_NAN));
        FloatVector zv8 = FloatVector.fromMemorySegment(F, ALL, a + 512L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1536L, ORDER));
        FloatVector v8 = zv8.blend(NAN, zv8.test(VectorOperators.IS_NAN));
        FloatVector zv9 = FloatVector.fromMemorySegment(F, ALL, a + 576L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1600L, ORDER));
        FloatVector v9 = zv9.blend(NAN, zv9.test(VectorOperators.IS_NAN));
        FloatVector zv10 = FloatVector.fromMemorySegment(F, ALL, a + 640L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1664L, ORDER));
        FloatVector v10 = zv10.blend(NAN, zv10.test(VectorOperators.IS_NAN));
        FloatVector zv11 = FloatVector.fromMemorySegment(F, ALL, a + 704L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1728L, ORDER));
        FloatVector v11 = zv11.blend(NAN, zv11.test(VectorOperators.IS_NAN));
        FloatVector zv12 = FloatVector.fromMemorySegment(F, ALL, a + 768L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1792L, ORDER));
        FloatVector v12 = zv12.blend(NAN, zv12.test(VectorOperators.IS_NAN));
        FloatVector zv13 = FloatVector.fromMemorySegment(F, ALL, a + 832L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1856L, ORDER));
        FloatVector v13 = zv13.blend(NAN, zv13.test(VectorOperators.IS_NAN));
        FloatVector zv14 = FloatVector.fromMemorySegment(F, ALL, a + 896L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1920L, ORDER));
        FloatVector v14 = zv14.blend(NAN, zv14.test(VectorOperators.IS_NAN));
        FloatVector zv15 = FloatVector.fromMemorySegment(F, ALL, a + 960L, ORDER).add(FloatVector.fromMemorySegment(F, ALL, a + 1984L, ORDER));
        FloatVector v15 = zv15.blend(NAN, zv15.test(VectorOperators.IS_NAN));
        v0.reinterpretAsInts().intoArray(sh, W0 + 0); v1.reinterpretAsInts().intoArray(sh, W0 + 16); v2.reinterpretAsInts().intoArray(sh, W0 + 32); v3.reinterpretAsInts().intoArray(sh, W0 + 48); v4.reinterpretAsInts().intoArray(sh, W0 + 64); v5.reinterpretAsInts().intoArray(sh, W0 + 80); v6.reinterpretAsInts().intoArray(sh, W0 + 96); v7.reinterpretAsInts().intoArray(sh, W0 + 112);
        v8.reinterpretAsInts().intoArray(sh, W0 + 128); v9.reinterpretAsInts().intoArray(sh, W0 + 144); v10.reinterpretAsInts().intoArray(sh, W0 + 160); v11.reinterpretAsInts().intoArray(sh, W0 + 176); v12.reinterpretAsInts().intoArray(sh, W0 + 192); v13.reinterpretAsInts().intoArray(sh, W0 + 208); v14.reinterpretAsInts().intoArray(sh, W0 + 224); v15.reinterpretAsInts().intoArray(sh, W0 + 240);
        FloatVector za0 = v0.add(v8);
        FloatVector a0 = za0.blend(NAN, za0.test(VectorOperators.IS_NAN));
        FloatVector za1 = v1.add(v9);
        FloatVector a1 = za1.blend(NAN, za1.test(VectorOperators.IS_NAN));
        FloatVector za2 = v2.add(v10);
        FloatVector a2 = za2.blend(NAN, za2.test(VectorOperators.IS_NAN));
        FloatVector za3 = v3.add(v11);
        FloatVector a3 = za3.blend(NAN, za3.test(VectorOperators.IS_NAN));
        FloatVector za4 = v4.add(v12);
        FloatVector a4 = za4.blend(NAN, za4.test(VectorOperators.IS_NAN));
        FloatVector za5 = v5.add(v13);
        FloatVector a5 = za5.blend(NAN, za5.test(VectorOperators.IS_NAN));
        FloatVector za6 = v6.add(v14);
        FloatVector a6 = za6.blend(NAN, za6.test(VectorOperators.IS_NAN));
        FloatVector za7 = v7.add(v15);
        FloatVector a7 = za7.blend(NAN, za7.test(VectorOperators.IS_NAN));
        FloatVector zc0 = a0.add(a4);
        FloatVector c0 = zc0.blend(NAN, zc0.test(VectorOperators.IS_NAN));
        FloatVector zc1 = a1.add(a5);
        FloatVector c1 = zc1.blend(NAN, zc1.test(VectorOperators.IS_NAN));
        FloatVector zc2 = a2.add(a6);
        FloatVector c2 = zc2.blend(NAN, zc2.test(VectorOperators.IS_NAN));
        FloatVector zc3 = a3.add(a7);
        FloatVector c3 = zc3.blend(NAN, zc3.test(VectorOperators.IS_NAN));
        FloatVector zd0 = c0.add(c2);
        FloatVector d0 = zd0.blend(NAN, zd0.test(VectorOperators.IS_NAN));
        FloatVector zd1 = c1.add(c3);
        FloatVector d1 = zd1.blend(NAN, zd1.test(VectorOperators.IS_NAN));
        FloatVector ze0 = d0.add(d1);
        FloatVector e0 = ze0.blend(NAN, ze0.test(VectorOperators.IS_NAN));
        a0.reinterpretAsInts().intoArray(sh, W0 + 0); a1.reinterpretAsInts().intoArray(sh, W0 + 16); a2.reinterpretAsInts().intoArray(sh, W0 + 32); a3.reinterpretAsInts().intoArray(sh, W0 + 48); a4.reinterpretAsInts().intoArray(sh, W0 + 64); a5.reinterpretAsInts().intoArray(sh, W0 + 80); a6.reinterpretAsInts().intoArray(sh, W0 + 96); a7.reinterpretAsInts().intoArray(sh, W0 + 112);
        c0.reinterpretAsInts().intoArray(sh, W0 + 0); c1.reinterpretAsInts().intoArray(sh, W0 + 16); c2.reinterpretAsInts().intoArray(sh, W0 + 32); c3.reinterpretAsInts().intoArray(sh, W0 + 48);
        d0.reinterpretAsInts().intoArray(sh, W0 + 0); d1.reinterpretAsInts().intoArray(sh, W0 + 16);
        e0.reinterpretAsInts().intoArray(sh, W0 + 0);
        ALL.set(F32, part + 4L * b, tail(sh));
    }
    static void slice(int b, int[] sh) {
        MemorySegment s = ALL.asSlice(in + 2048L * b, 2048);
        FloatVector zv0 = FloatVector.fromMemorySegment(F, s, 0L, ORDER).add(FloatVector.fromMemorySegment(F, s, 1024L, ORDER));
        FloatVector v0 = zv0.blend(NAN, zv0.test(VectorOperators.IS_NAN));
        FloatVector zv1 = FloatVector.fromMemorySegment(F, s, 64L, ORDER).add(FloatVector.fromMemorySegment(F, s, 1088L, ORDER));
        FloatVector v1 = zv1.blend(NAN, zv1.test(VectorOperators.IS_NAN));
        FloatVector zv2 = FloatVector.fromMemorySegment(F, s, 128L, ORDER).add(FloatVector.fromMemorySegment(F, s, 1152L, ORDER));
        FloatVector v2 = zv2.blend(NAN, zv2.test(VectorOperators.IS_NAN));
        FloatVector zv3 = FloatVector.fromMemorySegment(F, s, 192L, ORDER).add(FloatVector.fromMemorySegment(F, s, 1216L, ORDER));
        FloatVector v3 = zv3.blend(NAN, zv3.test(VectorOperators.IS_NAN));
        FloatVector zv4 = FloatVector.fromMemorySegment(F, s, 256L, ORDER).add(FloatVector.fromMemorySegment(F, s, 1280L, ORDER));
        FloatVector v4 = zv4.blend(NAN, zv4.test(VectorOperators.IS_NAN));
        FloatVector zv5 = FloatVector.fromMemorySegment(F, s, 320L, ORDER).add(FloatVector.fromMemorySegment(F, s, 1344L, ORDER));
        FloatVector v5 = zv5.blend(NAN, zv5.test(VectorOperators.IS_NAN));
        FloatVector zv6 = FloatVector.fromMemorySegment(F, s, 384L, ORDER).add(FloatVector.fromMemorySegment(F, s, 1408L, ORDER));
        FloatVector v6 = zv6.blend(NAN, zv6.test(VectorOperators.IS_NAN));
        FloatVector zv7 = FloatVector.fromMemorySegment(F, s, 448L, ORDER).add(FloatVector.fromMemorySegment(F, s, 1472L, ORDER));
        FloatVector v7 = zv7.blend(NAN, zv7.test(VectorOperators.IS_NAN));
        FloatVector zv8 = FloatVector.fromMemorySegment(F, s, 512L, ORDER).add(FloatVector.fromMemorySegment(F, s, 1536L, ORDER));
        FloatVector v8 = zv8.blend(NAN, zv8.test(VectorOperators.IS_NAN));
        FloatVector zv9 = FloatVector.fromMemorySegment(F, s, 576L, ORDER).add(FloatVector.fromMemorySegment(F, s, 1600L, ORDER));
        FloatVector v9 = zv9.blend(NAN, zv9.test(VectorOperators.IS_NAN));
        FloatVector zv10 = FloatVector.fromMemorySegment(F, s, 640L, ORDER).add(FloatVector.fromMemorySegment(F, s, 1664L, ORDER));
        FloatVector v10 = zv10.blend(NAN, zv10.test(VectorOperators.IS_NAN));
        FloatVector zv11 = FloatVector.fromMemorySegment(F, s, 704L, ORDER).add(FloatVector.fromMemorySegment(F, s, 1728L, ORDER));
        FloatVector v11 = zv11.blend(NAN, zv11.test(VectorOperators.IS_NAN));
        FloatVector zv12 = FloatVector.fromMemorySegment(F, s, 768L, ORDER).add(FloatVector.fromMemorySegment(F, s, 1792L, ORDER));
        FloatVector v12 = zv12.blend(NAN, zv12.test(VectorOperators.IS_NAN));
        FloatVector zv13 = FloatVector.fromMemorySegment(F, s, 832L, ORDER).add(FloatVector.fromMemorySegment(F, s, 1856L, ORDER));
        FloatVector v13 = zv13.blend(NAN, zv13.test(VectorOperators.IS_NAN));
        FloatVector zv14 = FloatVector.fromMemorySegment(F, s, 896L, ORDER).add(FloatVector.fromMemorySegment(F, s, 1920L, ORDER));
        FloatVector v14 = zv14.blend(NAN, zv14.test(VectorOperators.IS_NAN));
        FloatVector zv15 = FloatVector.fromMemorySegment(F, s, 960L, ORDER).add(FloatVector.fromMemorySegment(F, s, 1984L, ORDER));
        FloatVector v15 = zv15.blend(NAN, zv15.test(VectorOperators.IS_NAN));
        FloatVector za0 = v0.add(v8);
        FloatVector a0 = za0.blend(NAN, za0.test(VectorOperators.IS_NAN));
        FloatVector za1 = v1.add(v9);
        FloatVector a1 = za1.blend(NAN, za1.test(VectorOperators.IS_NAN));
        FloatVector za2 = v2.add(v10);
        FloatVector a2 = za2.blend(NAN, za2.test(VectorOperators.IS_NAN));
        FloatVector za3 = v3.add(v11);
        FloatVector a3 = za3.blend(NAN, za3.test(VectorOperators.IS_NAN));
        FloatVector za4 = v4.add(v12);
        FloatVector a4 = za4.blend(NAN, za4.test(VectorOperators.IS_NAN));
        FloatVector za5 = v5.add(v13);
        FloatVector a5 = za5.blend(NAN, za5.test(VectorOperators.IS_NAN));
        FloatVector za6 = v6.add(v14);
        FloatVector a6 = za6.blend(NAN, za6.test(VectorOperators.IS_NAN));
        FloatVector za7 = v7.add(v15);
        FloatVector a7 = za7.blend(NAN, za7.test(VectorOperators.IS_NAN));
        FloatVector zc0 = a0.add(a4);
        FloatVector c0 = zc0.blend(NAN, zc0.test(VectorOperators.IS_NAN));
        FloatVector zc1 = a1.add(a5);
        FloatVector c1 = zc1.blend(NAN, zc1.test(VectorOperators.IS_NAN));
        FloatVector zc2 = a2.add(a6);
        FloatVector c2 = zc2.blend(NAN, zc2.test(VectorOperators.IS_NAN));
        FloatVector zc3 = a3.add(a7);
        FloatVector c3 = zc3.blend(NAN, zc3.test(VectorOperators.IS_NAN));
        FloatVector zd0 = c0.add(c2);
        FloatVector d0 = zd0.blend(NAN, zd0.test(VectorOperators.IS_NAN));
        FloatVector zd1 = c1.add(c3);
        FloatVector d1 = zd1.blend(NAN, zd1.test(VectorOperators.IS_NAN));
        FloatVector ze0 = d0.add(d1);
        FloatVector e0 = ze0.blend(NAN, ze0.test(VectorOperators.IS_NAN));
        ALL.set(F32, part + 4L * b, tailV(e0));
    }
    static void heapF(int b, int[] sh) {
        int e = 512 * b;
        FloatVector zv0 = FloatVector.fromArray(F, heap, e + 0).add(FloatVector.fromArray(F, heap, e + 256));
        FloatVector v0 = zv0.blend(NAN, zv0.test(VectorOperators.IS_NAN));
        FloatVector zv1 = FloatVector.fromArray(F, heap, e + 16).add(FloatVector.fromArray(F, heap, e + 272));
        FloatVector v1 = zv1.blend(NAN, zv1.test(VectorOperators.IS_NAN));
        FloatVector zv2 = FloatVector.fromArray(F, heap, e + 32).add(FloatVector.fromArray(F, heap, e + 288));
        FloatVector v2 = zv2.blend(NAN, zv2.test(VectorOperators.IS_NAN));
        FloatVector zv3 = FloatVector.fromArray(F, heap, e + 48).add(FloatVector.fromArray(F, heap, e + 304));
        FloatVector v3 = zv3.blend(NAN, zv3.test(VectorOperators.IS_NAN));
        FloatVector zv4 = FloatVector.fromArray(F, heap, e + 64).add(FloatVector.fromArray(F, heap, e + 320));
        FloatVector v4 = zv4.blend(NAN, zv4.test(VectorOperators.IS_NAN));
        FloatVector zv5 = FloatVector.fromArray(F, heap, e + 80).add(FloatVector.fromArray(F, heap, e + 336));
        FloatVector v5 = zv5.blend(NAN, zv5.test(VectorOperators.IS_NAN));
        FloatVector zv6 = FloatVector.fromArray(F, heap, e + 96).add(FloatVector.fromArray(F, heap, e + 352));
        FloatVector v6 = zv6.blend(NAN, zv6.test(VectorOperators.IS_NAN));
        FloatVector zv7 = FloatVector.fromArray(F, heap, e + 112).add(FloatVector.fromArray(F, heap, e + 368));
        FloatVector v7 = zv7.blend(NAN, zv7.test(VectorOperators.IS_NAN));
        FloatVector zv8 = FloatVector.fromArray(F, heap, e + 128).add(FloatVector.fromArray(F, heap, e + 384));
        FloatVector v8 = zv8.blend(NAN, zv8.test(VectorOperators.IS_NAN));
        FloatVector zv9 = FloatVector.fromArray(F, heap, e + 144).add(FloatVector.fromArray(F, heap, e + 400));
        FloatVector v9 = zv9.blend(NAN, zv9.test(VectorOperators.IS_NAN));
        FloatVector zv10 = FloatVector.fromArray(F, heap, e + 160).add(FloatVector.fromArray(F, heap, e + 416));
        FloatVector v10 = zv10.blend(NAN, zv10.test(VectorOperators.IS_NAN));
        FloatVector zv11 = FloatVector.fromArray(F, heap, e + 176).add(FloatVector.fromArray(F, heap, e + 432));
        FloatVector v11 = zv11.blend(NAN, zv11.test(VectorOperators.IS_NAN));
        FloatVector zv12 = FloatVector.fromArray(F, heap, e + 192).add(FloatVector.fromArray(F, heap, e + 448));
        FloatVector v12 = zv12.blend(NAN, zv12.test(VectorOperators.IS_NAN));
        FloatVector zv13 = FloatVector.fromArray(F, heap, e + 208).add(FloatVector.fromArray(F, heap, e + 464));
        FloatVector v13 = zv13.blend(NAN, zv13.test(VectorOperators.IS_NAN));
        FloatVector zv14 = FloatVector.fromArray(F, heap, e + 224).add(FloatVector.fromArray(F, heap, e + 480));
        FloatVector v14 = zv14.blend(NAN, zv14.test(VectorOperators.IS_NAN));
        FloatVector zv15 = FloatVector.fromArray(F, heap, e + 240).add(FloatVector.fromArray(F, heap, e + 496));
        FloatVector v15 = zv15.blend(NAN, zv15.test(VectorOperators.IS_NAN));
        FloatVector za0 = v0.add(v8);
        FloatVector a0 = za0.blend(NAN, za0.test(VectorOperators.IS_NAN));
        FloatVector za1 = v1.add(v9);
        FloatVector a1 = za1.blend(NAN, za1.test(VectorOperators.IS_NAN));
        FloatVector za2 = v2.add(v10);
        FloatVector a2 = za2.blend(NAN, za2.test(VectorOperators.IS_NAN));
        FloatVector za3 = v3.add(v11);
        FloatVector a3 = za3.blend(NAN, za3.test(VectorOperators.IS_NAN));
        FloatVector za4 = v4.add(v12);
        FloatVector a4 = za4.blend(NAN, za4.test(VectorOperators.IS_NAN));
        FloatVector za5 = v5.add(v13);
        FloatVector a5 = za5.blend(NAN, za5.test(VectorOperators.IS_NAN));
        FloatVector za6 = v6.add(v14);
        FloatVector a6 = za6.blend(NAN, za6.test(VectorOperators.IS_NAN));
        FloatVector za7 = v7.add(v15);
        FloatVector a7 = za7.blend(NAN, za7.test(VectorOperators.IS_NAN));
        FloatVector zc0 = a0.add(a4);
        FloatVector c0 = zc0.blend(NAN, zc0.test(VectorOperators.IS_NAN));
        FloatVector zc1 = a1.add(a5);
        FloatVector c1 = zc1.blend(NAN, zc1.test(VectorOperators.IS_NAN));
        FloatVector zc2 = a2.add(a6);
        FloatVector c2 = zc2.blend(NAN, zc2.test(VectorOperators.IS_NAN));
        FloatVector zc3 = a3.add(a7);
        FloatVector c3 = zc3.blend(NAN, zc3.test(VectorOperators.IS_NAN));
        FloatVector zd0 = c0.add(c2);
        FloatVector d0 = zd0.blend(NAN, zd0.test(VectorOperators.IS_NAN));
        FloatVector zd1 = c1.add(c3);
        FloatVector d1 = zd1.blend(NAN, zd1.test(VectorOperators.IS_NAN));
        FloatVector ze0 = d0.add(d1);
        FloatVector e0 = ze0.blend(NAN, ze0.test(VectorOperators.IS_NAN));
        ALL.set(F32, part + 4L * b, tailV(e0));
    }

    static void block(int mode, int b, int[] sh) {
        switch (mode) {
            case 0 -> engine(b, sh);
            case 1 -> passOnly(b, sh);
            case 2 -> treeOnly(b, sh);
            case 3 -> regs(b, sh);
            case 4 -> regsWin(b, sh);
            case 5 -> slice(b, sh);
            case 6 -> heapF(b, sh);
            case 7 -> engineN(b, sh);
            case 8 -> regsFinal(b, sh);
            case 9 -> regsFinalV(b, sh);
            case 10 -> engineTV(b, sh);
            case 11 -> engineR(b, sh);
            case 12 -> engineRT(b, sh);
            case 13 -> engineOv(b, sh);
            case 14 -> engineOvT(b, sh);
            case 15 -> ovOnly(b, sh);
            case 16 -> regsOv(b, sh);
            case 17 -> regsFinalVOv(b, sh);
            case 18 -> copyRegs(b, sh);
            case 19 -> copyRegsOv(b, sh);
            case 20 -> treeRaw(b, sh);
            default -> engineRaw(b, sh);
        }
    }
    static final List<String> MODES = List.of("engine", "pass", "tree", "regs", "regsWin", "slice", "heap", "engineN", "regsFinal", "regsFinalV", "engineTV", "engineR", "engineRT", "engineOv", "engineOvT", "ovOnly", "regsOv", "regsFinalVOv", "copyRegs", "copyRegsOv", "treeRaw", "engineRaw");

    static float ref(int b) {
        float[] s = new float[256];
        for (int t = 0; t < 256; t++) {
            float v = ALL.get(F32, in + 4L * (512 * b + t)) + ALL.get(F32, in + 4L * (512 * b + 256 + t));
            s[t] = v != v ? NAN : v;
        }
        for (int st = 128; st > 0; st >>= 1)
            for (int t = 0; t < st; t++) {
                float v = s[t] + s[t + st];
                s[t] = v != v ? NAN : v;
            }
        return s[0];
    }

    public static void main(String[] a) throws Exception {
        int mode = MODES.indexOf(a[0]);
        int threads = Integer.parseInt(a[1]);
        int warm = a.length > 2 ? Integer.parseInt(a[2]) : 40, passes = a.length > 3 ? Integer.parseInt(a[3]) : 60;
        Arena arena = Arena.global();
        MemorySegment m = arena.allocate(4L * N, 256);
        MemorySegment pm = arena.allocate(4L * BLOCKS, 256);
        in = m.address();
        part = pm.address();
        heap = new float[N];
        Random r = new Random(2);
        for (int i = 0; i < N; i++) {
            float x = r.nextFloat();
            if (i % 100003 == 7) x = Float.intBitsToFloat(0x7fc01234);
            if (i % 200003 == 11) x = Float.POSITIVE_INFINITY;
            m.setAtIndex(ValueLayout.JAVA_FLOAT, i, x);
            heap[i] = x;
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        AtomicInteger next = new AtomicInteger();
        CyclicBarrier start = new CyclicBarrier(threads + 1), end = new CyclicBarrier(threads + 1);
        long[] cpu = new long[threads];
        for (int k = 0; k < threads; k++) {
            int id = k;
            Thread th = new Thread(() -> {
                int[] sh = new int[256 + 2048];
                try {
                    while (true) {
                        start.await();
                        long c0 = mx.getCurrentThreadCpuTime();
                        for (int c; (c = next.getAndAdd(64)) < BLOCKS; )
                            for (int b = c; b < c + 64; b++) block(mode, b, sh);
                        cpu[id] = mx.getCurrentThreadCpuTime() - c0;
                        end.await();
                    }
                } catch (Exception ex) {
                }
            });
            th.setDaemon(true);
            th.start();
        }
        int[] w0s = Arrays.stream(System.getProperty("w0", "0").split(",")).mapToInt(Integer::parseInt).toArray();
        double[][] perW = new double[w0s.length][passes];
        double[] cpuNs = new double[passes], wallNs = new double[passes];
        for (int p = 0; p < warm + passes; p++) {
            next.set(0);
            W0 = w0s[p % w0s.length];
            long w0 = System.nanoTime();
            start.await();
            end.await();
            long w1 = System.nanoTime();
            if (p == 0 && mode != 1 && mode != 2 && mode != 15 && mode != 20) {
                for (int b = 0; b < BLOCKS; b++) {
                    float want = ref(b), got = ALL.get(F32, part + 4L * b);
                    if (Float.floatToRawIntBits(want) != Float.floatToRawIntBits(got))
                        throw new AssertionError("block " + b + " want " + want + " got " + got);
                }
            }
            if (p >= warm) {
                long c = 0;
                for (long x : cpu) c += x;
                cpuNs[p - warm] = (double) c / BLOCKS;
                perW[p % w0s.length][(p - warm) / w0s.length] = (double) c / BLOCKS;
                wallNs[p - warm] = (double) (w1 - w0) / BLOCKS;
            }
        }
        if (w0s.length > 1) {
            StringBuilder sb = new StringBuilder("  per w0 (cpu ns/block median):");
            int q = passes / w0s.length;
            for (int k = 0; k < w0s.length; k++) {
                double[] x = Arrays.copyOf(perW[k], q);
                Arrays.sort(x);
                sb.append(String.format(" %d:%.0f", w0s[k], x[q / 2]));
            }
            System.out.println(sb);
        }
        Arrays.sort(cpuNs);
        Arrays.sort(wallNs);
        System.out.printf("%s threads=%d cpu ns/block median %.1f (p10 %.1f) wall ns/block median %.1f%n", a[0], threads,
                cpuNs[passes / 2], cpuNs[passes / 10], wallNs[passes / 2]);
    }
}
