package org.transcuda.spi.host;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * CUDA's device {@code printf} ({@code vprintf(format, args)}): C format conversions over an argument buffer
 * packed as CUDA packs it: each argument at its natural alignment, {@code float} promoted to {@code double},
 * {@code %c/%d/%i/%u/%x/%o} 4 bytes unless a {@code l/ll/j/z/t} length modifier makes them 8, pointers and
 * {@code %s} strings 8 bytes (generic addresses).
 *
 * <p>Formatting follows C: flags {@code -+ #0}, width and precision (also {@code *}), {@code %f %e %g %a} in
 * upper and lower case printed from the exact binary value with round-half-even (as glibc does), {@code inf}
 * and {@code nan}, {@code %p} as {@code 0x...}.
 *
 * <p>Shared by the backends: each reads the argument buffer (and {@code %s} strings) from its own memory, on the
 * device thread (CPU) or from a record copied out of the device after the launch (Vulkan).
 */
public final class DevicePrintf {
    /** Reads argument bytes at increasing offsets. */
    @FunctionalInterface
    public interface Args {
        /** The {@code size} (4 or 8) bytes at {@code offset} of the argument buffer, little-endian. */
        long read(long offset, int size);
    }

    private DevicePrintf() {
    }

    /** Formats {@code fmt} with the arguments {@code args} holds. */
    public static String format(String fmt, Args args) {
        return format(fmt, args, new int[1]);
    }

    /**
     * The layout of the argument buffer {@code fmt} reads: {@code [bytes, count]}, the end of its last argument
     * and the number of arguments (CUDA printf's return value).
     */
    public static int[] layout(String fmt) {
        long[] end = {0};
        int[] count = new int[1];
        formatAll(fmt, (offset, size) -> {
            count[0]++;
            end[0] = Math.max(end[0], offset + size);
            return 0;
        });
        return new int[] {(int) end[0], count[0]};
    }

    /** Formats; {@code count[0]} receives the number of arguments consumed (CUDA printf's return value). */
    public static String format(String fmt, Args args, int[] count) {
        Args counting = args instanceof Strings st ? new Strings() {
            @Override
            public long read(long offset, int size) {
                count[0]++;
                return st.read(offset, size);
            }

            @Override
            public String string(long address) {
                return st.string(address);
            }
        } : (offset, size) -> {
            count[0]++;
            return args.read(offset, size);
        };
        return formatAll(fmt, counting);
    }

    private static String formatAll(String fmt, Args args) {
        StringBuilder out = new StringBuilder();
        long off = 0;
        int i = 0;
        int n = fmt.length();
        while (i < n) {
            char ch = fmt.charAt(i++);
            if (ch != '%') {
                out.append(ch);
                continue;
            }
            if (i >= n) {
                out.append('%');
                break;
            }
            if (fmt.charAt(i) == '%') {
                out.append('%');
                i++;
                continue;
            }
            int start = i - 1;
            boolean left = false, plus = false, space = false, alt = false, zero = false;
            for (; i < n; i++) {
                char f = fmt.charAt(i);
                if (f == '-') left = true;
                else if (f == '+') plus = true;
                else if (f == ' ') space = true;
                else if (f == '#') alt = true;
                else if (f == '0') zero = true;
                else break;
            }
            int width = -1;
            if (i < n && fmt.charAt(i) == '*') {
                off = align(off, 4);
                width = (int) args.read(off, 4);
                off += 4;
                if (width < 0) {
                    left = true;
                    width = -width;
                }
                i++;
            } else {
                int w = 0;
                boolean any = false;
                while (i < n && Character.isDigit(fmt.charAt(i))) {
                    w = w * 10 + (fmt.charAt(i++) - '0');
                    any = true;
                }
                if (any) width = w;
            }
            int prec = -1;
            if (i < n && fmt.charAt(i) == '.') {
                i++;
                if (i < n && fmt.charAt(i) == '*') {
                    off = align(off, 4);
                    prec = (int) args.read(off, 4);
                    off += 4;
                    i++;
                } else {
                    int p = 0;
                    while (i < n && Character.isDigit(fmt.charAt(i))) p = p * 10 + (fmt.charAt(i++) - '0');
                    prec = p;
                }
            }
            int longness = 0; // 0 int, 1 long, -1 short, -2 char
            while (i < n) {
                char l = fmt.charAt(i);
                if (l == 'l' || l == 'j' || l == 'z' || l == 't' || l == 'q') {
                    longness = 1;
                    i++;
                } else if (l == 'L') {
                    i++;
                } else if (l == 'h') {
                    longness = longness == -1 ? -2 : -1;
                    i++;
                } else {
                    break;
                }
            }
            if (i >= n) {
                out.append(fmt, start, n);
                break;
            }
            char conv = fmt.charAt(i++);
            String body;
            String sign = "";
            String prefix = "";
            boolean numeric = true;
            switch (conv) {
                case 'd', 'i' -> {
                    int size = longness == 1 ? 8 : 4;
                    off = align(off, size);
                    long v = args.read(off, size);
                    off += size;
                    if (size == 4) v = (int) v;
                    if (longness == -1) v = (short) v;
                    if (longness == -2) v = (byte) v;
                    BigInteger mag = BigInteger.valueOf(v).abs();
                    body = digits(mag.toString(), prec);
                    sign = v < 0 ? "-" : plus ? "+" : space ? " " : "";
                }
                case 'u', 'x', 'X', 'o' -> {
                    int size = longness == 1 ? 8 : 4;
                    off = align(off, size);
                    long v = args.read(off, size);
                    off += size;
                    if (size == 4) v &= 0xffff_ffffL;
                    if (longness == -1) v &= 0xffff;
                    if (longness == -2) v &= 0xff;
                    String s = switch (conv) {
                        case 'u' -> Long.toUnsignedString(v);
                        case 'o' -> Long.toOctalString(v);
                        case 'x' -> Long.toHexString(v);
                        default -> Long.toHexString(v).toUpperCase(Locale.ROOT);
                    };
                    body = digits(s, prec);
                    if (alt && conv == 'o' && !body.startsWith("0")) body = "0" + body;
                    if (alt && v != 0 && conv == 'x') prefix = "0x";
                    if (alt && v != 0 && conv == 'X') prefix = "0X";
                }
                case 'c' -> {
                    off = align(off, 4);
                    long v = args.read(off, 4);
                    off += 4;
                    body = String.valueOf((char) (v & 0xff));
                    numeric = false;
                }
                case 's' -> {
                    off = align(off, 8);
                    long p = args.read(off, 8);
                    off += 8;
                    String s = args instanceof Strings str ? str.string(p) : "?";
                    if (prec >= 0 && s.length() > prec) s = s.substring(0, prec);
                    body = s;
                    numeric = false;
                }
                case 'p' -> {
                    off = align(off, 8);
                    long p = args.read(off, 8);
                    off += 8;
                    body = Long.toHexString(p);
                    prefix = "0x";
                }
                case 'f', 'F', 'e', 'E', 'g', 'G', 'a', 'A' -> {
                    off = align(off, 8);
                    double v = Double.longBitsToDouble(args.read(off, 8));
                    off += 8;
                    boolean neg = Double.doubleToRawLongBits(v) < 0 && !Double.isNaN(v);
                    sign = neg ? "-" : plus ? "+" : space ? " " : "";
                    boolean upper = Character.isUpperCase(conv);
                    if (Double.isNaN(v) || Double.isInfinite(v)) {
                        body = Double.isNaN(v) ? "nan" : "inf";
                        if (upper) body = body.toUpperCase(Locale.ROOT);
                        zero = false;
                    } else {
                        body = floating(Math.abs(v), Character.toLowerCase(conv), prec, alt);
                        if (upper) body = body.toUpperCase(Locale.ROOT);
                    }
                }
                default -> {
                    out.append(fmt, start, i);
                    continue;
                }
            }
            String core = prefix + body;
            int len = sign.length() + core.length();
            if (width > len) {
                int pad = width - len;
                if (left) {
                    out.append(sign).append(core).append(" ".repeat(pad));
                } else if (zero && numeric && (prec < 0 || "fFeEgGaA".indexOf(conv) >= 0)) {
                    out.append(sign).append(prefix).append("0".repeat(pad)).append(body);
                } else {
                    out.append(" ".repeat(pad)).append(sign).append(core);
                }
            } else {
                out.append(sign).append(core);
            }
        }
        return out.toString();
    }

    /** Argument readers that can also read strings (for %s). */
    public interface Strings extends Args {
        /** The NUL-terminated string at {@code address}. */
        String string(long address);
    }

    private static long align(long off, int a) {
        return (off + a - 1) / a * a;
    }

    private static String digits(String s, int prec) {
        if (prec == 0 && s.equals("0")) return "";
        if (prec > s.length()) return "0".repeat(prec - s.length()) + s;
        return s;
    }

    /** A non-negative finite double in %f, %e, %g or %a style. */
    static String floating(double v, char conv, int prec, boolean alt) {
        if (conv == 'a') return hex(v, prec);
        if (prec < 0) prec = 6;
        BigDecimal exact = new BigDecimal(v);
        switch (conv) {
            case 'f' -> {
                String s = exact.setScale(prec, RoundingMode.HALF_EVEN).toPlainString();
                if (alt && prec == 0) s += ".";
                return s;
            }
            case 'e' -> {
                return sci(exact, prec, alt);
            }
            default -> {
                int p = prec == 0 ? 1 : prec;
                if (v == 0) {
                    String s = alt ? "0." + "0".repeat(p - 1) : "0";
                    return p == 1 && alt ? "0." : s;
                }
                BigDecimal r = exact.round(new java.math.MathContext(p, RoundingMode.HALF_EVEN));
                int x = r.precision() - r.scale() - 1;
                String s;
                if (x < -4 || x >= p) {
                    s = sci(exact, p - 1, alt);
                    if (!alt) {
                        int e = s.indexOf('e');
                        s = stripZeros(s.substring(0, e)) + s.substring(e);
                    }
                } else {
                    s = exact.setScale(p - 1 - x, RoundingMode.HALF_EVEN).toPlainString();
                    if (!alt) s = stripZeros(s);
                    else if (!s.contains(".")) s += ".";
                }
                return s;
            }
        }
    }

    private static String stripZeros(String s) {
        if (!s.contains(".")) return s;
        int end = s.length();
        while (s.charAt(end - 1) == '0') end--;
        if (s.charAt(end - 1) == '.') end--;
        return s.substring(0, end);
    }

    private static String sci(BigDecimal exact, int prec, boolean alt) {
        if (exact.signum() == 0) {
            String m = prec == 0 ? (alt ? "0." : "0") : "0." + "0".repeat(prec);
            return m + "e+00";
        }
        BigDecimal r = exact.round(new java.math.MathContext(prec + 1, RoundingMode.HALF_EVEN));
        int x = r.precision() - r.scale() - 1;
        BigDecimal mant = r.movePointLeft(x).setScale(prec, RoundingMode.HALF_EVEN);
        String m = mant.toPlainString();
        if (alt && prec == 0) m += ".";
        String e = String.valueOf(Math.abs(x));
        if (e.length() < 2) e = "0" + e;
        return m + "e" + (x < 0 ? "-" : "+") + e;
    }

    private static String hex(double v, int prec) {
        if (v == 0) return "0x0p+0";
        String s = Double.toHexString(v); // 0x1.8p1 or 0x0.0000000000001p-1022
        String mant = s.substring(2, s.indexOf('p'));
        String exp = s.substring(s.indexOf('p') + 1);
        if (mant.endsWith(".0")) mant = mant.substring(0, mant.length() - 2);
        if (prec >= 0) {
            int dot = mant.indexOf('.');
            String frac = dot < 0 ? "" : mant.substring(dot + 1);
            String whole = dot < 0 ? mant : mant.substring(0, dot);
            if (frac.length() < prec) frac = frac + "0".repeat(prec - frac.length());
            else if (frac.length() > prec) frac = frac.substring(0, prec);
            mant = prec == 0 ? whole : whole + "." + frac;
        }
        return "0x" + mant + "p" + (exp.startsWith("-") ? exp : "+" + exp);
    }
}
