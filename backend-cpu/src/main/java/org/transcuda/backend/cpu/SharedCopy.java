package org.transcuda.backend.cpu;

import java.lang.foreign.MemorySegment;

/**
 * The lockstep engine's bulk shared stores: in a lane loop whose shared accesses were checked once ({@link
 * SharedAffine}), a 32-bit {@code st.shared} of a per-thread register whose address is consecutive words in
 * {@code tid.x} (the loop's only shared access, the register not written in the loop) is not stored thread by thread:
 * after each row of threads, one copy moves the row's elements of the register's array into the shared window (an f32
 * register's {@code float[]} bytes as they are, which is {@code floatToRawIntBits}: NaN payloads kept; a 32-bit
 * integer register's {@code int[]} with {@code System.arraycopy}). The rest of the loop, register statements only,
 * is then a loop that C2 vectorizes (reduce's {@code s[t] = v} with {@code %r5 = s + 4·t}: C2 does not vectorize
 * {@code floatToRawIntBits} into an {@code int[]}, and one such store in a loop keeps the whole loop scalar).
 *
 * <p>Why it is the same as the per-thread stores: the checks passed for every thread of the loop, so no store faults;
 * the loop reads no shared memory and stores nothing else there, so nothing in it can see the stores' order against
 * its other statements; the stored register is not written in the loop, so its array holds each thread's value at
 * the store; rows are copied in thread order, as the threads would store. A fault of another statement (a global
 * load) ends the launch, and the block's shared memory with it, so the stores a faulting loop skipped are not
 * observable. {@code KernelCompiler}'s {@code sharedCopyStore} picks the stores. {@code -Dtranscuda.cpu.sharedCopy=false}:
 * off.
 */
final class SharedCopy {
    /** {@code -Dtranscuda.cpu.sharedCopy=false}: every shared store of a lane loop is made thread by thread. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.sharedCopy"));

    private SharedCopy() {
    }

    /** {@code sh[to + k] = floatToRawIntBits(src[from + k])} for {@code k < n}. */
    static void f32(float[] src, int from, int[] sh, int to, int n) {
        if (n <= 0) return;
        MemorySegment.copy(MemorySegment.ofArray(src), (long) from * 4, MemorySegment.ofArray(sh), (long) to * 4,
                (long) n * 4);
    }

    /** {@code sh[to + k] = src[from + k]} for {@code k < n}. */
    static void i32(int[] src, int from, int[] sh, int to, int n) {
        if (n <= 0) return;
        System.arraycopy(src, from, sh, to, n);
    }
}
