package org.transcuda.backend.cpu;

/**
 * The lockstep engine's shared window's length read once before a lane loop whose shared accesses are checked
 * once ({@code KernelCompiler}'s checked-once loops, {@link SharedAffine}): the emitted code reads
 * {@code shared.length} right after loading the window into its local, before the loop. Nothing uses the value;
 * its point is C2's: without it the window's first use (and its implicit null check) is inside the loop, the
 * array's length load stays there with it, and a length that is not loop-invariant keeps C2 from eliminating the
 * range checks; reduce's tree steps then reloaded the length and range-checked both indices on every element
 * (docs/benchmarks.md). With the read before the loop the length is invariant and C2's range-check elimination
 * applies. {@code Exec.shared} is never null, so the read never throws; the kernel's results are the same either
 * way. {@code -Dtranscuda.cpu.loopLength=false}: off.
 */
final class LoopLength {
    /** {@code -Dtranscuda.cpu.loopLength=false}: the window's length not read before the loop. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.loopLength"));

    private LoopLength() {
    }
}
