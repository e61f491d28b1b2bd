package org.transcuda.ir;

import java.util.Objects;

/**
 * Rounding and precision modifiers of a float operation or conversion.
 *
 * @param rounding the rounding mode ({@link Rounding#DEFAULT} where PTX gives none)
 * @param ftz      flush subnormal inputs and results to sign-preserving zero
 * @param sat      clamp the result to [0.0, 1.0] (floats; NaN becomes 0) or to the destination's range
 *                 (integer conversions)
 * @param approx   the PTX {@code .approx} (or {@code .full}) form: the backend may use a faster
 *                 implementation within NVIDIA's documented error bound
 */
public record FloatMode(Rounding rounding, boolean ftz, boolean sat, boolean approx) {
    public static final FloatMode NONE = new FloatMode(Rounding.DEFAULT, false, false, false);

    public FloatMode {
        Objects.requireNonNull(rounding, "rounding");
    }

    /** Rounding modes, for floats ({@code .rn .rz .rm .rp}) and to integral values ({@code .rni ...}). */
    public enum Rounding {
        DEFAULT, RN, RZ, RM, RP, RNA, RNI, RZI, RMI, RPI
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (rounding != Rounding.DEFAULT) sb.append('.').append(rounding.name().toLowerCase(java.util.Locale.ROOT));
        if (approx) sb.append(".approx");
        if (ftz) sb.append(".ftz");
        if (sat) sb.append(".sat");
        return sb.toString();
    }
}
