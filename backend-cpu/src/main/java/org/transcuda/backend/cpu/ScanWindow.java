package org.transcuda.backend.cpu;

/**
 * Lockstep engine: {@link WarpScan}'s windowed sum (a chain of fewer than five steps, window {@code 2^steps} below the
 * warp's 32 lanes: scan's warp-0 scan of the 8 warp totals, window 8) as a sliding sum, without the per-warp array of
 * running sums that {@link WarpScan} allocated for every warp.
 *
 * <p>Lane {@code l}'s result is the sum of the inputs of the lanes {@code (l - window, l]} of the warp (lanes below 0
 * count nothing), with 32-bit wrapping {@code add}. The sliding sum {@code s_l = s_{l-1} + in[l] - in[l - window]}
 * (the subtraction only from lane {@code window} on) is that sum bit for bit: modulo 2^32 addition is associative and
 * commutative and subtraction its inverse. It reads each input lane twice and writes each output lane once, and so
 * needs the input and output arrays to be different arrays (the running-sum form runs when they are the same).
 * Off with {@code -Dtranscuda.cpu.scanWindow=false}; {@code -Dtranscuda.cpu.stats=true} counts the warps summed this
 * way ({@link Exec#scanWindows}).
 */
final class ScanWindow {
    /** On unless {@code -Dtranscuda.cpu.scanWindow=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.scanWindow"));

    private ScanWindow() {
    }

    /**
     * The windowed sums of the {@code lanes} lanes of the warp at {@code w}, {@code window} below 32; false (nothing
     * written) when off or when {@code in} and {@code out} are the same array.
     */
    static boolean warp(Exec e, int[] in, int[] out, int w, int lanes, int window) {
        if (!ENABLED || in == out) return false;
        int head = Math.min(lanes, window);
        int sum = 0;
        for (int l = 0; l < head; l++) {
            sum += in[w + l];
            out[w + l] = sum;
        }
        for (int l = head; l < lanes; l++) {
            sum += in[w + l] - in[w + l - window];
            out[w + l] = sum;
        }
        e.scanWindows++;
        return true;
    }
}
