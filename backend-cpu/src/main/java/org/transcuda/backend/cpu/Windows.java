package org.transcuda.backend.cpu;

/**
 * The generic address space of the CPU backend. Global (and constant) memory is addressed by the native
 * address of the {@link org.transcuda.spi.host.HostMemory} allocation, which on every 64-bit host lies below
 * 2^62. The other state spaces get windows above that, told apart by the top four bits:
 * <ul>
 * <li>{@link #SHARED}: {@code SHARED + offset} is the shared-space address {@code offset} of the current block
 * (the same generic address names each block's own shared memory, as on NVIDIA hardware);</li>
 * <li>{@link #LOCAL}: {@code LOCAL + offset} is the calling thread's local-space address {@code offset};</li>
 * <li>{@link #PARAM}: {@code PARAM + offset} is byte {@code offset} of the launch's kernel arguments;</li>
 * <li>{@link #FUNC}: {@code FUNC + index} is the "address" of the module's function number {@code index}, for
 * indirect calls.</li>
 * </ul>
 * Non-generic shared, local and param addresses are offsets in their window; {@code cvta} adds or subtracts the
 * window base. Const variables live in device memory, so const-space addresses are global addresses.
 */
final class Windows {
    static final long SHARED = 0x4000_0000_0000_0000L;
    static final long LOCAL = 0x5000_0000_0000_0000L;
    static final long PARAM = 0x6000_0000_0000_0000L;
    static final long FUNC = 0x7000_0000_0000_0000L;
    /** Size of each window: offsets are below 2^60. */
    static final long SPAN = 0x1000_0000_0000_0000L;

    private Windows() {
    }

    /** The window tag (top four bits) of a generic address: 0 for global, else one of the bases above. */
    static long tag(long generic) {
        return generic & 0xF000_0000_0000_0000L;
    }
}
