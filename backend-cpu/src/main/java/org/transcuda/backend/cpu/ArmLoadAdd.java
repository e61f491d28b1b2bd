package org.transcuda.backend.cpu;

/**
 * Lockstep engine: an if-converted arm run over a thread range ({@link SharedAffine#predRange}, every thread of a
 * one-dimensional block active) whose lane loop adds one f32 global load to a per-thread register, {@code d += in[k]}
 * (reduce's {@code if (i + 256 < n) v += in[i + 256]}), runs as vectors read straight from device memory:
 * per {@link LaneVec#length()} threads {@code d[t..] + FloatVector.fromMemorySegment(in[k..])}, NaN lanes replaced by
 * NVIDIA's canonical NaN, written back to the register's array; the threads past the last full vector as the same
 * scalar add. Without it the arm copies the loaded elements into a scratch array ({@link LaneBulk}), adds them in a
 * second loop that also stores each result's {@code x - x} for the deferred NaN test ({@link NaNZeros}), compares that
 * scratch with zeros and rewrites the range's NaNs when it saw one ({@link LoopNaN}): three passes and two scratch
 * arrays for one add. {@code -Dtranscuda.cpu.armLoadAdd=false} turns it off.
 *
 * <p>Applies (decided when the kernel is compiled, {@code KernelCompiler.armLoadAddDirect}) when the vector module
 * is there ({@link LaneVec#on()}), f32 NaNs are canonical (not {@code -Dtranscuda.cpu.javaNaNs=true}), and the arm's
 * loop is exactly: one unguarded weak {@code ld.global/ld.const.f32} into a register that lives only in the loop,
 * one unguarded {@code add.f32} (round to nearest, no {@code .ftz/.sat}) of that register and a per-thread f32
 * register {@code d} into {@code d} (either operand order), and otherwise register-only statements whose results
 * live only in the loop (the address computation, {@code ArmDefer}'s {@code i + 256}); no other statement mentions
 * the loaded register or {@code d}. At run time it applies when the load's site passed this block's check
 * ({@link LaneBulk#start}: every address of the block inside one live allocation, consecutive 4-byte elements in
 * thread order), exactly when {@link LaneBulk}'s copy would; otherwise ({@code false}) the arm's ordinary loop runs
 * with its checked loads, so faults keep their block, thread and instruction.
 *
 * <p>Why the result is the same bits: thread {@code t}'s element is the one the copy would put at index {@code t}
 * (the same start address and stride); the add is IEEE binary32 round-to-nearest in both forms (Java has no
 * flush-to-zero), and for non-NaN results {@code a + b == b + a} bit for bit, so the operand order does not matter;
 * a NaN result becomes {@link Fp#CANON_F32} in both (the scalar form through {@link LoopNaN}). Each thread reads and
 * writes only its own element of {@code d}, and the loaded register is dead after the add, so running the threads as
 * vectors instead of one by one changes nothing observable; loads have no side effects and the loop stores no memory.
 * Counted in {@link Exec#armLoadAdds} (arm loops run this way).
 */
final class ArmLoadAdd {
    /** On unless {@code -Dtranscuda.cpu.armLoadAdd=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.armLoadAdd"));

    /**
     * Tests of the paths this one would take over (LaneBulk, LoopNaN, NaNZeros): kernels compiled from now on
     * without it.
     */
    static volatile boolean offForTests;

    private static final float NAN = Float.intBitsToFloat(Fp.CANON_F32);

    private ArmLoadAdd() {
    }

    /**
     * {@code d[t] = canonical(d[t] + f32 at site j's address of thread t)} for the threads {@code [lo, hi)}; false
     * (nothing written) when {@link LaneBulk#start} refuses the site for this block. Only called where
     * {@link LaneVec#on()} was true when the kernel was compiled.
     */
    static boolean addf32(Exec e, int j, int lo, int hi, float[] d) {
        long a = LaneBulk.start(e, j, 4, lo, hi);
        if (a < 0) return false;
        if (hi <= lo) return true;
        int t = LaneVecOps.addLoadF32(d, lo, hi, a - 4L * lo);
        for (; t < hi; t++) {
            float v = d[t] + Mem.ALL.get(Mem.F32, a + 4L * (t - lo));
            d[t] = v != v ? NAN : v;
        }
        e.armLoadAdds++;
        return true;
    }
}
