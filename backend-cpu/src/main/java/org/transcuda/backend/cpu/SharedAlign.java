package org.transcuda.backend.cpu;

/**
 * The shared window's user words laid out from byte {@link #BASE} = 48 instead of 0: static shared variables (and
 * the dynamic shared area after them) get addresses from 48 up, words 0..11 of the window array are a pad no access
 * may touch. An {@code int[]}'s element 0 sits 16 bytes after the object's start, so with the JVM flag
 * {@code -XX:ObjectAlignmentInBytes=64} (every object 64-byte aligned) word 12 — the first user word — is on a
 * 64-byte boundary, and every 512-bit vector load/store the lockstep paths make at a 64-byte multiple of the shared
 * address space (reduce's tree in {@link ArmChain}, {@link LaneVec}'s tile copies and fma rows, {@link WarpScanVec},
 * {@link ConstRunsVec}) touches one cache line instead of two. No access adds an offset: the layout moves the
 * addresses themselves. Without the flag the array's placement is a lottery and the base costs nothing but 48 bytes.
 *
 * <p>A non-zero shared base is CUDA-faithful: shared addresses are opaque, and NVIDIA's sm_80+ GPUs place user shared
 * memory above a driver-reserved area (cudaDevAttrReservedSharedMemoryPerBlock, {@code %reserved_smem_offset_*}).
 * What a kernel sees of the sizes is unchanged: {@code %total_smem_size}, the function's static shared bytes and the
 * launch's shared-memory limit count user bytes only ({@link #BASE} subtracted). Every window check has {@link #BASE}
 * as its lower bound: an access into the pad faults with the same CUDA error, block, thread and instruction as an
 * access below address 0 does with base 0 ({@link Mem#sh}, {@link SiteCache}, and the fast paths' own range tests).
 * {@code -Dtranscuda.cpu.sharedAlign=false}: base 0, the layout of before.
 */
final class SharedAlign {
    /** On unless {@code -Dtranscuda.cpu.sharedAlign=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.sharedAlign"));
    /** The first user byte of the shared window: 48 (word 12) when on, else 0. */
    static final int BASE = ENABLED ? 48 : 0;

    private SharedAlign() {
    }
}
