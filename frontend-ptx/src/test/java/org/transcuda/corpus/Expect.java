package org.transcuda.corpus;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a buffer must hold after the launch(es) of a case. Runners need not look inside: they call
 * {@link Arg.Buffer#mismatch(byte[])}. The variants are public so that a runner can, for instance,
 * print a diff.
 */
public sealed interface Expect {

    /** At most this many differing elements are listed in a mismatch message. */
    int MAX_REPORTED = 8;

    /** Null if {@code actual} meets the expectation, else a description of the differences. */
    String mismatch(byte[] actual, byte[] initial);

    /** Size of one element in bytes for messages and layout checks (0: unstructured). */
    int elementSize();

    /** A short human-readable description. */
    String describe();

    /** Byte-for-byte equality (integers, bit patterns, and floats whose bits are fully determined). */
    record Exact(byte[] bytes, int elementSize) implements Expect {
        public Exact {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public String mismatch(byte[] actual, byte[] initial) {
            return diff(bytes, actual, elementSize);
        }

        @Override
        public String describe() {
            return "exact";
        }
    }

    /** The buffer must still hold its initial bytes (inputs the kernel only reads). */
    record Unchanged(int elementSize) implements Expect {
        @Override
        public String mismatch(byte[] actual, byte[] initial) {
            String d = diff(initial, actual, elementSize);
            return d == null ? null : "input modified: " + d;
        }

        @Override
        public String describe() {
            return "unchanged";
        }
    }

    /** Not checked: the content is unspecified (for instance after a launch that fails on purpose). */
    record Anything(int elementSize) implements Expect {
        @Override
        public String mismatch(byte[] actual, byte[] initial) {
            return null;
        }

        @Override
        public String describe() {
            return "anything";
        }
    }

    /**
     * Floating-point elements compared with a per-element {@link Tol}. Any NaN matches any NaN
     * (payload and sign of NaN results are not specified by PTX); everything else is compared by
     * value as described in {@link Tol}. When {@code alt} is not null, element k may instead match
     * {@code alt[k]} (with the same tolerance): used where PTX leaves a choice, e.g. {@code mul.f32}
     * followed by {@code add.f32} without rounding modifiers, which the code generator may contract
     * into one fma.
     */
    record Fp(FpFormat format, long[] bits, long[] alt, Tol[] tol) implements Expect {
        public Fp {
            if (bits.length != tol.length || alt != null && alt.length != bits.length) {
                throw new IllegalArgumentException("bits/alt/tol length");
            }
            bits = bits.clone();
            alt = alt == null ? null : alt.clone();
            tol = tol.clone();
        }

        public Fp(FpFormat format, long[] bits, Tol[] tol) {
            this(format, bits, null, tol);
        }

        @Override
        public long[] alt() {
            return alt == null ? null : alt.clone();
        }

        @Override
        public long[] bits() {
            return bits.clone();
        }

        @Override
        public Tol[] tol() {
            return tol.clone();
        }

        public int count() {
            return bits.length;
        }

        @Override
        public int elementSize() {
            return format.bytes;
        }

        @Override
        public String mismatch(byte[] actual, byte[] initial) {
            List<String> bad = new ArrayList<>();
            int count = 0;
            for (int k = 0; k < bits.length; k++) {
                long a = Le.getBits(actual, k * format.bytes, format.bytes);
                if (!tol[k].accepts(format, bits[k], a) && (alt == null || !tol[k].accepts(format, alt[k], a))) {
                    count++;
                    if (bad.size() < MAX_REPORTED) {
                        bad.add("[" + k + "] expected " + format.show(bits[k])
                                + (alt != null && alt[k] != bits[k] ? " or " + format.show(alt[k]) : "") + tol[k].show()
                                + ", got " + format.show(a));
                    }
                }
            }
            return count == 0 ? null : count + " of " + bits.length + " " + format + " elements differ: "
                    + String.join("; ", bad);
        }

        @Override
        public String describe() {
            boolean exact = Arrays.stream(tol).allMatch(t -> t.equals(Tol.EXACT));
            return format + (exact ? " exact" : " with tolerance");
        }
    }

    /**
     * A custom check for results that legitimately vary between devices; {@code checker} returns
     * null when the bytes are acceptable, else a message. It must still reject wrong results.
     */
    record Check(String description, int elementSize, Checker checker) implements Expect {
        @Override
        public String mismatch(byte[] actual, byte[] initial) {
            return checker.mismatch(actual, initial);
        }

        @Override
        public String describe() {
            return description;
        }
    }

    /** The custom part of a {@link Check}. */
    @FunctionalInterface
    interface Checker {
        String mismatch(byte[] actual, byte[] initial);
    }

    private static String diff(byte[] expected, byte[] actual, int elementSize) {
        int size = Math.max(1, elementSize);
        List<String> bad = new ArrayList<>();
        int count = 0;
        int n = expected.length / size;
        for (int k = 0; k < n; k++) {
            if (!Arrays.equals(expected, k * size, k * size + size, actual, k * size, k * size + size)) {
                count++;
                if (bad.size() < MAX_REPORTED) {
                    bad.add("[" + k + "] expected " + Le.element(expected, k, size) + ", got "
                            + Le.element(actual, k, size));
                }
            }
        }
        return count == 0 ? null : count + " of " + n + " elements differ: " + String.join("; ", bad);
    }
}
