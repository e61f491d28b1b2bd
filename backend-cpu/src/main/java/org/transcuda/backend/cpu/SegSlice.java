package org.transcuda.backend.cpu;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link InputFuse}'s ADD arm ({@code sh[w0 + t] = bits(canonical(float(sh[w0 + t]) + f32 at a1 + 4·t))} for whole
 * vectors of threads) read through a per-block slice of device memory instead of {@link Mem#ALL} at absolute
 * addresses: {@code Mem.ALL.asSlice(a1, 4·n)} once per block, then {@code fromMemorySegment(slice, 4·t)} with an
 * {@code int} thread index, so the segment's bounds are loop-invariant and small (the slice's length, not
 * {@code Long.MAX_VALUE} against a {@code long} sum). Motivated by the DevStall micro-benchmark, where a per-block
 * slice streamed a 64 MB input as fast as a {@code fromArray} loop; see docs/benchmarks.md ("SegLoop").
 *
 * <p>Applies exactly where {@code InputFuse.Vec.addInto} did (its caller checked the site, so {@code a1 .. a1 + 4n}
 * is inside a live allocation); the slice is of {@code Mem.ALL} itself (global scope, no liveness question: device
 * memory cannot be freed during a launch, {@code DeviceMemory}'s launch lock) and {@code asSlice} cannot fail for
 * a non-negative {@code a1}. The same loads, additions and NaN replacement in the same order: bit for bit the same.
 * Counted in {@link Exec#segSlices}; {@code -Dtranscuda.cpu.segSlice=false}: {@code InputFuse.Vec.addInto}.
 */
final class SegSlice {
    /** On unless {@code -Dtranscuda.cpu.segSlice=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.segSlice"));

    private SegSlice() {
    }

    /** The vector loop, in its own class so that the vector module is only loaded where it is present. */
    static final class Vec {
        private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
        private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
        private static final ByteOrder ORDER = ByteOrder.nativeOrder();

        private Vec() {
        }

        /** As {@code InputFuse.Vec.addInto}: returns the first thread not done. */
        static int addInto(long a1, int[] sh, int w0, int n) {
            int vl = F.length();
            MemorySegment s = Mem.ALL.asSlice(a1, 4L * n);
            int t = 0;
            for (; t + vl <= n; t += vl) {
                FloatVector v = IntVector.fromArray(I, sh, w0 + t).reinterpretAsFloats()
                        .add(FloatVector.fromMemorySegment(F, s, 4L * t, ORDER));
                v.blend(Fp.NAN_F32, v.test(VectorOperators.IS_NAN)).reinterpretAsInts().intoArray(sh, w0 + t);
            }
            return t;
        }
    }
}
