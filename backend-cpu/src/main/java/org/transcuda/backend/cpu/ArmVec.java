package org.transcuda.backend.cpu;

/**
 * Lockstep engine: an if-converted arm run over a thread range ({@link SharedAffine#predRange}) whose lane loop is
 * f32 arithmetic between 32-bit shared loads and 32-bit shared stores at consecutive words in {@code tid.x}, run as
 * vectors of {@link LaneVec#length()} consecutive threads ({@code -Dtranscuda.cpu.armVec=false} turns it off).
 * reduce's tree steps {@code if (t < stride) s[t] += s[t + stride]} are such arms: per thread two loads, an
 * {@code add.f32} and a store, over the threads {@code 0 .. stride-1}.
 *
 * <p>Applies (decided when the kernel is compiled, {@code KernelCompiler.armVec}) when the vector module is there
 * ({@link LaneVec#on()}), the arm's range loop has every shared access checked once for the range (the checked
 * path of the range loop: every thread of a one-dimensional block active, the checks passed) and no statement of
 * the loop is guarded, and the loop's statements are only: 32-bit {@code ld.shared.f32} whose address is the same
 * register plus a constant for every access of the loop (one check group, one word per {@code tid.x}),
 * {@code add/sub/mul.rn.f32} (no {@code .ftz/.sat/.approx}) of registers the loop defined before, and 32-bit
 * {@code st.shared} of such a register; every register it defines lives only in the loop (a JVM local of the
 * scalar loop: no thread array to write, no deferred NaN test). Then thread {@code t}'s access {@code k} is the word
 * {@code S + d_k + t} with {@code d_k} a constant: a store {@code k} of thread {@code i} and an access {@code m} of
 * thread {@code j} touch the same word only when {@code j - i = d_k - d_m}. The vector form runs, per group of VL
 * consecutive threads, each statement for all of them before the next statement, so it gives exactly the
 * thread-by-thread result when no two different threads of one group touch a word one of them stores: for every
 * store {@code k} and every access {@code m}, {@code d_k = d_m} (the same thread) or {@code |d_k - d_m| >= VL}
 * (two threads in different groups, run in thread order). reduce's {@code s[t] = s[t] + s[t + stride]}: 0 against 0
 * and {@code stride} against 0, vectorized for {@code stride >= VL}. A loop that does not qualify stays scalar.
 *
 * <p>Loads are vector reads of the shared words reinterpreted as floats (bit for bit), arithmetic the vector API's
 * lane-wise {@code add/sub/mul} (IEEE binary32, round to nearest, as the scalar operations), each result's NaN lanes
 * replaced by NVIDIA's canonical NaN ({@link Fp#CANON_F32}) unless {@code -Dtranscuda.cpu.javaNaNs=true} (the scalar
 * code canonicalizes each such result or the end of its chain; add/sub/mul give a NaN from a NaN operand, so the
 * stored words are the same), stores vector writes of the float bits. The threads of the range past the last full
 * vector run the scalar loop. Counted in {@link Exec#armVecLanes} (threads run as vectors).
 */
final class ArmVec {
    /** On unless {@code -Dtranscuda.cpu.armVec=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.armVec"));

    private ArmVec() {
    }
}
