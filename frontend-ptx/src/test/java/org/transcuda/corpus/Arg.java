package org.transcuda.corpus;

import java.util.Arrays;

/**
 * One kernel parameter, in {@code .param} order. A {@link Scalar} is passed by value (its
 * little-endian bytes are the parameter's bytes); a {@link Buffer} is a separate device allocation
 * of {@code initial.length} bytes, filled with {@code initial} before the launch and passed as its
 * device address (a {@code .u64} parameter). After the launch the runner reads the allocation back
 * and calls {@link Buffer#mismatch(byte[])}.
 */
public sealed interface Arg {

    /** The parameter's name in the CUDA source (for messages). */
    String name();

    /** A by-value parameter; {@code value} is its exact little-endian byte image. */
    record Scalar(String name, byte[] value) implements Arg {
        public Scalar {
            value = value.clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        /** The size in bytes of the parameter. */
        public int size() {
            return value.length;
        }

        @Override
        public String toString() {
            return name + "=" + Le.hex(value);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Scalar s && s.name.equals(name) && Arrays.equals(s.value, value);
        }

        @Override
        public int hashCode() {
            return name.hashCode() * 31 + Arrays.hashCode(value);
        }
    }

    /**
     * A device buffer passed by pointer: allocate {@code initial().length} bytes, copy
     * {@code initial()} in, pass the device address; after the launch(es) compare with
     * {@link #mismatch(byte[])}.
     */
    record Buffer(String name, byte[] initial, Expect expect) implements Arg {
        public Buffer {
            if (initial.length == 0) {
                throw new IllegalArgumentException("empty buffer " + name);
            }
            initial = initial.clone();
            int size = expect.elementSize();
            if (size > 0 && initial.length % size != 0) {
                throw new IllegalArgumentException(name + ": " + initial.length + " bytes is not a multiple of "
                        + size);
            }
            if (expect instanceof Expect.Exact e && e.bytes().length != initial.length
                    || expect instanceof Expect.Fp f && f.count() * f.format().bytes != initial.length) {
                throw new IllegalArgumentException(name + ": expectation and buffer differ in size");
            }
        }

        @Override
        public byte[] initial() {
            return initial.clone();
        }

        /** Size of the allocation in bytes. */
        public int size() {
            return initial.length;
        }

        /** Null when {@code actual} (the buffer read back after the launch) meets the expectation, else a message. */
        public String mismatch(byte[] actual) {
            if (actual.length != initial.length) {
                return name + ": read back " + actual.length + " bytes, expected " + initial.length;
            }
            String m = expect.mismatch(actual, initial);
            return m == null ? null : name + ": " + m;
        }

        @Override
        public String toString() {
            return name + "[" + initial.length + " bytes, " + expect.describe() + "]";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Buffer b && b.name.equals(name) && Arrays.equals(b.initial, initial)
                    && b.expect.equals(expect);
        }

        @Override
        public int hashCode() {
            return name.hashCode() * 31 + Arrays.hashCode(initial);
        }
    }
}
