package org.transcuda.spi.host;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Large device allocations backed by transparent huge pages (Linux): an anonymous {@code mmap} aligned to 2 MiB and
 * advised {@code MADV_HUGEPAGE} before any page is touched, so the kernel maps it with 2 MiB pages where it can
 * (with THP in its usual {@code madvise} mode a {@code malloc}ed block, which {@code Arena.allocate} uses, gets
 * 4 KiB pages only). Why: a kernel streaming a large input misses the TLB every 4 KiB; in a virtual machine each
 * miss is a nested page walk. Reduce on the CPU backend (64 MiB input) spent about a quarter of its workers' time on
 * one instruction of the copy stub that reads its input (docs/benchmarks.md, 2026-11-26 14:10–15:20).
 *
 * <p>Semantics are unchanged: the memory is zero-filled as {@code Arena.allocate}'s is, private to the process,
 * and unmapped when its arena closes. The advice is a hint: where huge pages are not available the kernel maps
 * 4 KiB pages. {@code -Dtranscuda.hugePages=false}, a non-Linux system, or a failed {@code mmap}/{@code madvise}:
 * {@link #allocate} returns null and {@link HostMemory} allocates as before ({@link #failures} counts the failed
 * calls).
 */
final class HugePages {
    /** 2 MiB: the x86-64 and (4 KiB-granule) aarch64 huge page. */
    static final long HUGE = 2L << 20;
    /** Allocations from this size on go through {@link #allocate}. */
    static final long MIN_BYTES = HUGE;
    /** {@code -Dtranscuda.hugePages=false}: every allocation from {@code Arena.allocate}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.hugePages"))
            && System.getProperty("os.name", "").startsWith("Linux");

    private static final int PROT_READ = 1, PROT_WRITE = 2, MAP_PRIVATE = 2, MAP_ANONYMOUS = 0x20;
    private static final int MADV_HUGEPAGE = 14;

    private static final MethodHandle MMAP, MUNMAP, MADVISE;
    private static volatile long failures;

    static {
        MethodHandle mmap = null, munmap = null, madvise = null;
        if (ENABLED) {
            try {
                Linker linker = Linker.nativeLinker();
                var lookup = linker.defaultLookup();
                mmap = linker.downcallHandle(lookup.find("mmap").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                                ValueLayout.JAVA_LONG));
                munmap = linker.downcallHandle(lookup.find("munmap").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
                madvise = linker.downcallHandle(lookup.find("madvise").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                                ValueLayout.JAVA_INT));
            } catch (RuntimeException | Error e) {
                mmap = munmap = madvise = null;
            }
        }
        MMAP = mmap;
        MUNMAP = munmap;
        MADVISE = madvise;
    }

    private HugePages() {
    }

    /** Whether allocations of {@code bytes} go through {@link #allocate} (switch on, Linux, the calls found). */
    static boolean applies(long bytes) {
        return MMAP != null && bytes >= MIN_BYTES;
    }

    /** Failed {@code mmap}/{@code madvise} calls since start (each such allocation came from the arena). */
    static long failures() {
        return failures;
    }

    /**
     * {@code bytes} of zeroed memory at a 2 MiB-aligned address, advised for huge pages, unmapped when {@code arena}
     * closes; null when {@link #applies} is false or a call failed (nothing stays mapped then).
     */
    static MemorySegment allocate(long bytes, Arena arena) {
        if (!applies(bytes)) return null;
        long span = (bytes + HUGE - 1) / HUGE * HUGE;
        long len = span + HUGE; // room to align the start up to a huge page
        try {
            long base = (long) MMAP.invokeExact(0L, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
                    0L);
            if (base == -1L) {
                failures++;
                return null;
            }
            long start = (base + HUGE - 1) & -HUGE;
            if ((int) MADVISE.invokeExact(start, span, MADV_HUGEPAGE) != 0) {
                int ignored = (int) MUNMAP.invokeExact(base, len);
                failures++;
                return null;
            }
            return MemorySegment.ofAddress(start).reinterpret(bytes, arena, s -> unmap(base, len));
        } catch (Throwable t) {
            throw new IllegalStateException("mmap/madvise of " + bytes + " bytes", t);
        }
    }

    private static void unmap(long base, long len) {
        try {
            int ignored = (int) MUNMAP.invokeExact(base, len);
        } catch (Throwable t) {
            throw new IllegalStateException("munmap", t);
        }
    }
}
