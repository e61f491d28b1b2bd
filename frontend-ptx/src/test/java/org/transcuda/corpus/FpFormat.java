package org.transcuda.corpus;

/** IEEE binary interchange formats used by the corpus, with bfloat16. */
public enum FpFormat {
    F16(2, 5, 10),
    BF16(2, 8, 7),
    F32(4, 8, 23),
    F64(8, 11, 52);

    /** Storage size in bytes. */
    public final int bytes;
    public final int expBits;
    public final int mantBits;
    public final int bias;

    FpFormat(int bytes, int expBits, int mantBits) {
        this.bytes = bytes;
        this.expBits = expBits;
        this.mantBits = mantBits;
        this.bias = (1 << (expBits - 1)) - 1;
    }

    public int width() {
        return 1 + expBits + mantBits;
    }

    public long signMask() {
        return 1L << (expBits + mantBits);
    }

    public long expMask() {
        return ((1L << expBits) - 1) << mantBits;
    }

    public long mantMask() {
        return (1L << mantBits) - 1;
    }

    public boolean isNaN(long bits) {
        return (bits & expMask()) == expMask() && (bits & mantMask()) != 0;
    }

    public boolean isInf(long bits) {
        return (bits & (expMask() | mantMask())) == expMask();
    }

    public boolean isFinite(long bits) {
        return (bits & expMask()) != expMask();
    }

    public boolean isZero(long bits) {
        return (bits & (expMask() | mantMask())) == 0;
    }

    public boolean isSubnormal(long bits) {
        return (bits & expMask()) == 0 && (bits & mantMask()) != 0;
    }

    public boolean isNegative(long bits) {
        return (bits & signMask()) != 0;
    }

    /** The value as a double (exact for every format here). */
    public double toDouble(long bits) {
        return switch (this) {
            case F64 -> Double.longBitsToDouble(bits);
            case F32 -> Float.intBitsToFloat((int) bits);
            case BF16 -> Float.intBitsToFloat((int) (bits & 0xffff) << 16);
            case F16 -> Float.float16ToFloat((short) bits);
        };
    }

    /** Sign-magnitude bits mapped to a monotonic integer (both zeros map to 0). */
    public long ordinal(long bits) {
        long mag = bits & (expMask() | mantMask());
        return isNegative(bits) ? -mag : mag;
    }

    /** A canonical quiet NaN. */
    public long nan() {
        return expMask() | (1L << (mantBits - 1));
    }

    public long inf(boolean negative) {
        return expMask() | (negative ? signMask() : 0);
    }

    public long zero(boolean negative) {
        return negative ? signMask() : 0;
    }

    public long maxFinite(boolean negative) {
        return (expMask() - (1L << mantBits)) | mantMask() | (negative ? signMask() : 0);
    }

    public String show(long bits) {
        String hex = String.format("0x%0" + (2 * bytes) + "x", bits & (bytes == 8 ? -1L : (1L << (8 * bytes)) - 1));
        return toDouble(bits) + " (" + hex + ")";
    }
}
