package org.transcuda.ptx.ast;

import java.util.List;
import java.util.Objects;

/** An instruction operand. {@link #toString()} gives the PTX spelling. */
public sealed interface Operand {

    /**
     * A name: register ({@code %r1}), special register ({@code %tid.x}, {@code %laneid}, {@code WARP_SZ}),
     * variable, function or label. A vector component suffix ({@code .x .y .z .w .r .g .b .a}) is part of the name.
     */
    record Ident(String name) implements Operand {
        public Ident {
            Objects.requireNonNull(name, "name");
        }

        /** Whether the name starts with {@code %} (registers and special registers). */
        public boolean isPercent() {
            return name.startsWith("%");
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * An integer constant (constant expressions are folded). {@code value} holds the 64-bit two's complement bits.
     *
     * @param unsigned whether the constant is unsigned ({@code U} suffix, or derived from one)
     */
    record IntImm(long value, boolean unsigned) implements Operand {
        @Override
        public String toString() {
            return unsigned ? Long.toUnsignedString(value) + "U" : Long.toString(value);
        }
    }

    /**
     * A floating-point constant. Decimal literals ({@code 1.5}) are double precision as in PTX.
     *
     * @param bits   IEEE bits: the low 32 bits for single ({@code 0f...}), all 64 for double ({@code 0d...})
     * @param single whether this is a {@code 0f} single-precision literal
     */
    record FloatImm(long bits, boolean single) implements Operand {
        public static FloatImm ofFloat(float f) {
            return new FloatImm(Float.floatToRawIntBits(f) & 0xFFFF_FFFFL, true);
        }

        public static FloatImm ofDouble(double d) {
            return new FloatImm(Double.doubleToRawLongBits(d), false);
        }

        public double doubleValue() {
            return single ? Float.intBitsToFloat((int) bits) : Double.longBitsToDouble(bits);
        }

        @Override
        public String toString() {
            return PtxPrinter.floatLiteral(this);
        }
    }

    /** {@code name+offset} or {@code generic(name)+offset} (in initializers and operands). */
    record SymbolRef(String name, long offset, boolean generic) implements Operand {
        public SymbolRef {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public String toString() {
            return PtxPrinter.operand(this);
        }
    }

    /** {@code [base]} or {@code [base+offset]}; base is an {@link Ident} or, for absolute addresses, an {@link IntImm}. */
    record Address(Operand base, long offset) implements Operand {
        public Address {
            Objects.requireNonNull(base, "base");
        }

        @Override
        public String toString() {
            return PtxPrinter.operand(this);
        }
    }

    /** A bracketed list, as in texture and tensor instructions: {@code [tex, {%f1, %f2}]}. */
    record AddressList(List<Operand> elements) implements Operand {
        public AddressList {
            elements = List.copyOf(elements);
        }

        @Override
        public String toString() {
            return PtxPrinter.operand(this);
        }
    }

    /** A vector operand {@code {%r1, %r2, _, %r4}}. */
    record Vector(List<Operand> elements) implements Operand {
        public Vector {
            elements = List.copyOf(elements);
        }

        @Override
        public String toString() {
            return PtxPrinter.operand(this);
        }
    }

    /** The sink {@code _}. */
    record Sink() implements Operand {
        @Override
        public String toString() {
            return "_";
        }
    }

    /** A negated predicate operand {@code !%p1}. */
    record Not(Operand operand) implements Operand {
        public Not {
            Objects.requireNonNull(operand, "operand");
        }

        @Override
        public String toString() {
            return "!" + operand;
        }
    }

    /** Two destinations joined by {@code |}, as in {@code setp ... %p1|%p2} and {@code shfl ... %r1|%p1}. */
    record Pair(Operand first, Operand second) implements Operand {
        public Pair {
            Objects.requireNonNull(first, "first");
            Objects.requireNonNull(second, "second");
        }

        @Override
        public String toString() {
            return first + "|" + second;
        }
    }

    /** A parenthesized list in {@code call}: return and argument lists {@code (retval0)}, {@code (p0, p1)}. */
    record ParenList(List<Operand> elements) implements Operand {
        public ParenList {
            elements = List.copyOf(elements);
        }

        @Override
        public String toString() {
            return PtxPrinter.operand(this);
        }
    }
}
