package org.transcuda.launcher.commands;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One argument of {@code transcuda run}: a scalar ({@code u32:7}, {@code f32:1.5}), a device buffer of typed
 * values ({@code f32[1,2,3]}), a zero-filled buffer ({@code f32*1024}) or a file ({@code @data.bin}, or
 * {@code f32@data.bin} to print it typed). Buffers are passed to the kernel as device pointers.
 */
sealed interface KernelArg {
    /** Element types of the notation, with their size in bytes. */
    enum Type {
        U8(1), U16(2), U32(4), U64(8), S8(1), S16(2), S32(4), S64(8), B8(1), B16(2), B32(4), B64(8), F32(4), F64(8);

        final int size;

        Type(int size) {
            this.size = size;
        }

        String spelling() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Type parse(String s, String arg) {
            try {
                return valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown type '" + s + "' in argument '" + arg
                        + "' (u8..u64, s8..s64, b8..b64, f32, f64)");
            }
        }

        /** Encodes one textual value into {@code buf} (little endian). */
        void put(ByteBuffer buf, String text, String arg) {
            String t = text.trim();
            try {
                switch (this) {
                    case F32 -> buf.putFloat(Float.parseFloat(t));
                    case F64 -> buf.putDouble(Double.parseDouble(t));
                    default -> {
                        long v = parseInteger(t);
                        boolean signed = this == S8 || this == S16 || this == S32 || this == S64;
                        int bits = size * 8;
                        if (bits < 64) {
                            long min = signed ? -(1L << (bits - 1)) : (t.startsWith("-") ? -(1L << (bits - 1)) : 0);
                            long max = signed ? (1L << (bits - 1)) - 1 : (1L << bits) - 1;
                            if (v < min || v > max) {
                                throw new IllegalArgumentException("value " + t + " does not fit " + spelling());
                            }
                        }
                        switch (size) {
                            case 1 -> buf.put((byte) v);
                            case 2 -> buf.putShort((short) v);
                            case 4 -> buf.putInt((int) v);
                            default -> buf.putLong(v);
                        }
                    }
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + t + "' is not a " + spelling() + " value in argument '"
                        + arg + "'");
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage() + " in argument '" + arg + "'");
            }
        }

        private static long parseInteger(String t) {
            boolean neg = t.startsWith("-");
            String body = neg ? t.substring(1) : t;
            long v;
            if (body.startsWith("0x") || body.startsWith("0X")) v = Long.parseUnsignedLong(body.substring(2), 16);
            else v = Long.parseUnsignedLong(body);
            return neg ? -v : v;
        }

        /** Formats element {@code i} of {@code buf}. */
        String format(ByteBuffer buf, int i) {
            int at = i * size;
            return switch (this) {
                case F32 -> Float.toString(buf.getFloat(at));
                case F64 -> Double.toString(buf.getDouble(at));
                case U8, B8 -> Integer.toString(buf.get(at) & 0xff);
                case U16, B16 -> Integer.toString(buf.getShort(at) & 0xffff);
                case U32, B32 -> Integer.toUnsignedString(buf.getInt(at));
                case U64, B64 -> Long.toUnsignedString(buf.getLong(at));
                case S8 -> Byte.toString(buf.get(at));
                case S16 -> Short.toString(buf.getShort(at));
                case S32 -> Integer.toString(buf.getInt(at));
                case S64 -> Long.toString(buf.getLong(at));
            };
        }
    }

    /** A scalar passed by value. */
    record Scalar(Type type, byte[] bytes) implements KernelArg {
    }

    /** A device buffer with its initial contents. */
    record Buffer(Type type, byte[] bytes) implements KernelArg {
        /** The contents in the input notation, e.g. {@code f32[1.0,2.5]}. */
        static String format(Type type, byte[] bytes) {
            ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            StringBuilder sb = new StringBuilder(type.spelling()).append('[');
            int n = bytes.length / type.size;
            for (int i = 0; i < n; i++) {
                if (i > 0) sb.append(',');
                sb.append(type.format(b, i));
            }
            return sb.append(']').toString();
        }
    }

    static KernelArg parse(String arg, Path workingDir) {
        int colon = arg.indexOf(':');
        int bracket = arg.indexOf('[');
        int star = arg.indexOf('*');
        int at = arg.indexOf('@');
        if (at >= 0 && (bracket < 0 || at < bracket)) {
            Type type = at == 0 ? Type.U8 : Type.parse(arg.substring(0, at), arg);
            Path file = workingDir.resolve(arg.substring(at + 1));
            try {
                byte[] bytes = Files.readAllBytes(file);
                if (bytes.length % type.size != 0) {
                    throw new IllegalArgumentException("file " + file + " has " + bytes.length
                            + " bytes, not a multiple of " + type.spelling() + " in argument '" + arg + "'");
                }
                if (bytes.length == 0) throw new IllegalArgumentException("file " + file + " is empty");
                return new Buffer(type, bytes);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + file + " for argument '" + arg + "': " + e);
            }
        }
        if (bracket > 0 && arg.endsWith("]")) {
            Type type = Type.parse(arg.substring(0, bracket), arg);
            String body = arg.substring(bracket + 1, arg.length() - 1);
            List<String> values = new ArrayList<>(List.of(body.split(",", -1)));
            if (body.isBlank()) throw new IllegalArgumentException("empty buffer in argument '" + arg + "'");
            ByteBuffer buf = ByteBuffer.allocate(values.size() * type.size).order(ByteOrder.LITTLE_ENDIAN);
            for (String v : values) type.put(buf, v, arg);
            return new Buffer(type, buf.array());
        }
        if (star > 0) {
            Type type = Type.parse(arg.substring(0, star), arg);
            long n;
            try {
                n = Long.parseLong(arg.substring(star + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + arg.substring(star + 1) + "' is not an element count in '"
                        + arg + "'");
            }
            if (n < 1 || n * type.size > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("element count " + n + " out of range in '" + arg + "'");
            }
            return new Buffer(type, new byte[(int) (n * type.size)]);
        }
        if (colon > 0) {
            Type type = Type.parse(arg.substring(0, colon), arg);
            ByteBuffer buf = ByteBuffer.allocate(type.size).order(ByteOrder.LITTLE_ENDIAN);
            type.put(buf, arg.substring(colon + 1), arg);
            return new Scalar(type, buf.array());
        }
        throw new IllegalArgumentException("cannot read argument '" + arg + "': expected TYPE:VALUE, TYPE[V,...], "
                + "TYPE*COUNT or [TYPE]@FILE");
    }
}
