package org.transcuda.backend.cpu;

/**
 * Lockstep engine: an if-converted arm over a thread range whose lane loop is one 32-bit global load into a
 * per-thread register and nothing else with an effect (reduce's {@code if (i < n) v = in[i]}: {@code KernelCompiler}'s
 * {@code laneBulkDirect}) reads its elements into the register's array as vectors straight from device memory
 * ({@code FloatVector/IntVector.fromMemorySegment} then {@code intoArray}, in {@link LaneVecOps#loadF32} and
 * {@link LaneVecOps#load32}), inlined into the segment method, instead of {@link LaneBulk}'s
 * {@code MemorySegment.copy} (a call into the JVM's copy stub per block: ~10 % of reduce's samples); the threads past
 * the last full vector as scalar reads. {@code -Dtranscuda.cpu.loadVec=false} turns it off (the copy runs as before).
 *
 * <p>Applies exactly where {@link LaneBulk}'s direct copy would: the vector module is there ({@link LaneVec#on()}
 * when the kernel is compiled), every thread of the block is active, and the load's site passed the block's check
 * ({@link LaneBulk#start}: every address of the block inside one live allocation, consecutive 4-byte elements in
 * thread order); otherwise (false, nothing written) the loop's ordinary checked loads run, so a fault keeps its block,
 * thread and instruction. Why the same bits: thread {@code t}'s element is read from the address the copy would read
 * it from and stored at index {@code t}; vector loads and stores move raw bits (no arithmetic, so NaN payloads,
 * signalling NaNs, {@code -0} and subnormals are kept, as by the copy); loads have no side effects and the checked
 * block's addresses cannot fault. Counted in {@link Exec#loadVecs} (arm loops read this way).
 */
final class LoadVec {
    /** On unless {@code -Dtranscuda.cpu.loadVec=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.loadVec"));

    /** Tests of the paths this one takes over ({@link LaneBulk}'s direct copy): kernels compiled from now on without it. */
    static volatile boolean offForTests;

    private LoadVec() {
    }

    /** {@code d[t] = f32 at site j's address of thread t} for {@code [lo, hi)}; false (nothing written) as above. */
    static boolean ldf32(Exec e, int j, int lo, int hi, float[] d) {
        long a = LaneBulk.start(e, j, 4, lo, hi);
        if (a < 0) return false;
        if (hi <= lo) return true;
        long base = a - 4L * lo;
        int t = LaneVecOps.loadF32(d, lo, hi, base);
        for (; t < hi; t++) d[t] = Mem.ALL.get(Mem.F32, base + 4L * t);
        e.loadVecs++;
        return true;
    }

    /** The 32-bit integer form of {@link #ldf32}. */
    static boolean ld32(Exec e, int j, int lo, int hi, int[] d) {
        long a = LaneBulk.start(e, j, 4, lo, hi);
        if (a < 0) return false;
        if (hi <= lo) return true;
        long base = a - 4L * lo;
        int t = LaneVecOps.load32(d, lo, hi, base);
        for (; t < hi; t++) d[t] = Mem.ALL.get(Mem.I32, base + 4L * t);
        e.loadVecs++;
        return true;
    }
}
