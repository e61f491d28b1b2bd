package org.transcuda.backend.cpu;

import java.lang.foreign.MemorySegment;

/**
 * The lockstep engine's bulk global stores, the mirror of {@link LaneBulk}'s direct copy: an if-converted arm run
 * over a thread range {@code [lo, hi)} ({@code KernelCompiler}'s {@code lockArmRange}) whose lane loop does nothing
 * but one unguarded weak 32- or 64-bit integer {@code st.global} of a per-thread register, the other statements
 * register-only with results that live in the loop alone (scan's {@code if (i < n) out[i] = v}: the address
 * computation and the store), is one {@code MemorySegment.copy} from the register's array when the store's site of
 * {@link AffineSites} passed this block's check ({@link Exec#lglob}: every address of the site, for every thread of
 * the block, is inside one live allocation and aligned) and its addresses are consecutive elements in thread order
 * ({@link LaneBulk#start}); the loop is skipped ({@code KernelCompiler}'s {@code storeBulkDirect}).
 *
 * <p>Why it is the same as the per-thread stores: every address of the block was checked, so no store of the loop
 * can fault, and the copy writes no element that a thread of the range would not (exactly the range's elements, the
 * values of the register the loop would store); the loop makes no other memory access (no load that could read what
 * an earlier thread of the loop stored, no other store, no call, no fence: register-only statements), and the
 * threads' elements are distinct, so writing them at once leaves memory as writing them in thread order does. When
 * the site's bit is clear or the stride does not fit, nothing is written and the loop runs with its checked (or
 * flagged) stores, so faults keep their thread and instruction. {@code -Dtranscuda.cpu.storeBulk=false}: off.
 * Statistics: "global stores written with one copy" ({@code -Dtranscuda.cpu.stats=true}).
 */
final class StoreBulk {
    /** {@code -Dtranscuda.cpu.storeBulk=false}: every global store of such an arm is written thread by thread. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.storeBulk"));

    private StoreBulk() {
    }

    /** Threads {@code [lo, hi)}'s elements of {@code src} to site {@code j}'s addresses; false (nothing written) when it does not apply. */
    static boolean st32(Exec e, int j, int lo, int hi, int[] src) {
        long a = LaneBulk.start(e, j, 4, lo, hi);
        if (a < 0) return false;
        if (hi > lo) {
            MemorySegment.copy(src, lo, Mem.ALL, Mem.I32, a, hi - lo);
            e.storeBulk++;
        }
        return true;
    }

    static boolean st64(Exec e, int j, int lo, int hi, long[] src) {
        long a = LaneBulk.start(e, j, 8, lo, hi);
        if (a < 0) return false;
        if (hi > lo) {
            MemorySegment.copy(src, lo, Mem.ALL, Mem.I64, a, hi - lo);
            e.storeBulk++;
        }
        return true;
    }
}
