package org.transcuda.ptx.parse;

/**
 * A hand-written PTX lexer over a char array, producing tokens on demand into a small ring buffer (bounded
 * lookahead). Names are canonicalized through a {@link NameTable}; numbers are converted while scanning.
 */
final class Lexer {
    static final int EOF = 0;
    static final int IDENT = 1;
    /** A dotted word: {@code .global}, {@code .u32}, {@code .L2::cache_hint}, {@code .2d}. */
    static final int DOTWORD = 2;
    static final int INT = 3;
    static final int FLOAT = 4;
    static final int STRING = 5;
    // Single-character punctuation uses the character itself as its kind; two-character operators:
    static final int SHL = 256;
    static final int SHR = 257;
    static final int LE = 258;
    static final int GE = 259;
    static final int EQ = 260;
    static final int NE = 261;
    static final int ANDAND = 262;
    static final int OROR = 263;

    /** One token. Objects are reused: read what you need before looking further ahead. */
    static final class Tok {
        int kind;
        int start;
        int end;
        int line;
        int col;
        /** INT: the 64-bit value; FLOAT: the IEEE bits (low 32 for single). */
        long value;
        /** INT: unsigned suffix; FLOAT: single precision. */
        boolean flag;
        /** IDENT and DOTWORD: the canonical name; otherwise {@code null}. */
        String text;
        /** IDENT and DOTWORD: the shared identifier operand for {@link #text}. */
        org.transcuda.ptx.ast.Operand.Ident ident;
    }

    /** Ring size: the parser peeks at most 2 tokens ahead, so a token from {@link #next} stays valid a while. */
    private static final int RING = 8;

    private static final boolean[] FOLLOW = new boolean[128];

    static {
        for (int c = 'a'; c <= 'z'; c++) {
            FOLLOW[c] = true;
        }
        for (int c = 'A'; c <= 'Z'; c++) {
            FOLLOW[c] = true;
        }
        for (int c = '0'; c <= '9'; c++) {
            FOLLOW[c] = true;
        }
        FOLLOW['_'] = true;
        FOLLOW['$'] = true;
    }

    private final String file;
    private final char[] s;
    private final int n;
    private final NameTable names = new NameTable();
    private int p;
    private int line = 1;
    private int lineStart;

    private final Tok[] ring = new Tok[RING];
    private int head;
    private int count;

    Lexer(String file, char[] s) {
        this.file = file;
        this.s = s;
        this.n = s.length;
        for (int i = 0; i < RING; i++) {
            ring[i] = new Tok();
        }
        if (n > 0 && s[0] == '\uFEFF') {
            p = 1;
            lineStart = 1;
        }
    }

    static boolean isFollow(char c) {
        return c < 128 && FOLLOW[c];
    }

    Tok peek(int k) {
        while (count <= k) {
            lex(ring[(head + count) & (RING - 1)]);
            count++;
        }
        return ring[(head + k) & (RING - 1)];
    }

    Tok peek() {
        return peek(0);
    }

    Tok next() {
        Tok t = peek(0);
        head = (head + 1) & (RING - 1);
        count--;
        return t;
    }

    /** The source text of a token (allocates). */
    String text(Tok t) {
        return new String(s, t.start, t.end - t.start);
    }

    /**
     * Skips raw text up to the '}' that closes a brace opened just before the current position, honouring nested
     * braces, strings and comments, without producing tokens. Requires that no token has been looked ahead.
     *
     * @return the offset of the closing '}' (now consumed), or -1 at end of input (then positioned at the end)
     */
    int skipBalancedBraces() {
        if (count != 0) {
            throw new IllegalStateException("lookahead pending");
        }
        int nesting = 1;
        while (p < n) {
            char c = s[p];
            switch (c) {
                case '\n' -> {
                    p++;
                    line++;
                    lineStart = p;
                }
                case '{' -> {
                    nesting++;
                    p++;
                }
                case '}' -> {
                    p++;
                    if (--nesting == 0) {
                        return p - 1;
                    }
                }
                case '"' -> {
                    p++;
                    while (p < n && s[p] != '"' && s[p] != '\n') {
                        p += (s[p] == '\\' && p + 1 < n && s[p + 1] != '\n') ? 2 : 1;
                    }
                    if (p < n && s[p] == '"') {
                        p++;
                    }
                }
                case '/' -> {
                    if (p + 1 < n && (s[p + 1] == '/' || s[p + 1] == '*')) {
                        skipSpace(); // consumes the comment (and any whitespace after it)
                    } else {
                        p++;
                    }
                }
                default -> p++;
            }
        }
        return -1;
    }

    /** Position (line, column) at the current scan offset, for errors after {@link #skipBalancedBraces}. */
    int line() {
        return line;
    }

    int column() {
        return p - lineStart + 1;
    }

    /** The source text of a range (allocates). */
    String slice(int start, int end) {
        return new String(s, start, end - start);
    }

    /** The canonical identifier for a source range. */
    org.transcuda.ptx.ast.Operand.Ident name(int start, int end) {
        return names.get(s, start, end);
    }

    /** The contents of a string token without its quotes. */
    String stringContents(Tok t) {
        return new String(s, t.start + 1, t.end - t.start - 2);
    }

    private PtxParseException error(int line, int col, String message) {
        return new PtxParseException(file, line, col, message);
    }

    private void skipSpace() {
        while (p < n) {
            char c = s[p];
            if (c == '\n') {
                p++;
                line++;
                lineStart = p;
            } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\u000B') {
                p++;
            } else if (c == '/' && p + 1 < n && s[p + 1] == '/') {
                p += 2;
                while (p < n && s[p] != '\n') {
                    p++;
                }
            } else if (c == '/' && p + 1 < n && s[p + 1] == '*') {
                int startLine = line;
                int startCol = p - lineStart + 1;
                p += 2;
                while (true) {
                    if (p >= n) {
                        throw error(startLine, startCol, "unterminated block comment: expected '*/', found end of input");
                    }
                    char d = s[p];
                    if (d == '*' && p + 1 < n && s[p + 1] == '/') {
                        p += 2;
                        break;
                    }
                    p++;
                    if (d == '\n') {
                        line++;
                        lineStart = p;
                    }
                }
            } else {
                return;
            }
        }
    }

    private void lex(Tok t) {
        skipSpace();
        t.text = null;
        t.ident = null;
        t.value = 0;
        t.flag = false;
        int start = p;
        t.start = start;
        t.line = line;
        t.col = start - lineStart + 1;
        if (p >= n) {
            t.kind = EOF;
            t.end = p;
            return;
        }
        char c = s[p];
        if (isFollow(c) && !(c >= '0' && c <= '9')) {
            p++;
            while (p < n && isFollow(s[p])) {
                p++;
            }
            t.kind = IDENT;
            t.end = p;
            t.ident = names.get(s, start, p);
            t.text = t.ident.name();
            return;
        }
        if (c == '%' && p + 1 < n && isFollow(s[p + 1])) {
            p += 2;
            while (p < n && isFollow(s[p])) {
                p++;
            }
            t.kind = IDENT;
            t.end = p;
            t.ident = names.get(s, start, p);
            t.text = t.ident.name();
            return;
        }
        if (c == '.' && p + 1 < n && isFollow(s[p + 1])) {
            p += 2;
            while (p < n) {
                char d = s[p];
                if (isFollow(d)) {
                    p++;
                } else if (d == ':' && p + 2 < n && s[p + 1] == ':' && isFollow(s[p + 2])) {
                    p += 3;
                } else {
                    break;
                }
            }
            t.kind = DOTWORD;
            t.end = p;
            t.ident = names.get(s, start, p);
            t.text = t.ident.name();
            return;
        }
        if (c >= '0' && c <= '9') {
            lexNumber(t);
            return;
        }
        if (c == '"') {
            lexString(t);
            return;
        }
        p++;
        int kind = c;
        switch (c) {
            case ';', ',', ':', '(', ')', '[', ']', '{', '}', '+', '-', '*', '/', '%', '~', '^', '?', '@', '.' -> {
            }
            case '<' -> kind = two('<', SHL, '=', LE, c);
            case '>' -> kind = two('>', SHR, '=', GE, c);
            case '=' -> kind = two('=', EQ, '\0', 0, c);
            case '!' -> kind = two('=', NE, '\0', 0, c);
            case '&' -> kind = two('&', ANDAND, '\0', 0, c);
            case '|' -> kind = two('|', OROR, '\0', 0, c);
            default -> throw error(t.line, t.col, "unexpected character " + describeChar(c));
        }
        t.kind = kind;
        t.end = p;
    }

    private int two(char a, int kindA, char b, int kindB, char self) {
        if (p < n) {
            if (s[p] == a) {
                p++;
                return kindA;
            }
            if (b != '\0' && s[p] == b) {
                p++;
                return kindB;
            }
        }
        return self;
    }

    static String describeChar(char c) {
        if (c >= 0x20 && c < 0x7F) {
            return "'" + c + "'";
        }
        return String.format("U+%04X", (int) c);
    }

    private void lexString(Tok t) {
        p++;
        while (true) {
            if (p >= n || s[p] == '\n') {
                throw error(t.line, t.col, "unterminated string literal: expected '\"', found "
                        + (p >= n ? "end of input" : "end of line"));
            }
            char c = s[p];
            if (c == '"') {
                p++;
                break;
            }
            if (c == '\\' && p + 1 < n && s[p + 1] != '\n') {
                p += 2;
            } else {
                p++;
            }
        }
        t.kind = STRING;
        t.end = p;
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private void lexNumber(Tok t) {
        int start = p;
        char c = s[p];
        char c1 = p + 1 < n ? s[p + 1] : '\0';
        if (c == '0' && (c1 == 'f' || c1 == 'F' || c1 == 'd' || c1 == 'D')) {
            boolean single = c1 == 'f' || c1 == 'F';
            int want = single ? 8 : 16;
            p += 2;
            long bits = 0;
            int digits = 0;
            while (p < n && hexDigit(s[p]) >= 0) {
                bits = (bits << 4) | hexDigit(s[p]);
                digits++;
                p++;
            }
            if (digits != want || (p < n && isFollow(s[p]))) {
                throw error(t.line, t.col, "malformed floating-point literal '" + clip(start)
                        + "': expected exactly " + want + " hex digits after '" + c + c1 + "'");
            }
            t.kind = FLOAT;
            t.value = bits;
            t.flag = single;
            t.end = p;
            return;
        }
        long value = 0;
        boolean overflow = false;
        if (c == '0' && (c1 == 'x' || c1 == 'X' || c1 == 'b' || c1 == 'B')) {
            int shift = (c1 == 'x' || c1 == 'X') ? 4 : 1;
            int radix = 1 << shift;
            p += 2;
            int digits = 0;
            while (p < n) {
                int d = hexDigit(s[p]);
                if (d < 0 || d >= radix) {
                    break;
                }
                if ((value >>> (64 - shift)) != 0) {
                    overflow = true;
                }
                value = (value << shift) | d;
                digits++;
                p++;
            }
            if (digits == 0) {
                throw error(t.line, t.col, "malformed integer literal '" + clip(start) + "': expected "
                        + (shift == 4 ? "hex" : "binary") + " digits after '" + c + c1 + "'");
            }
        } else {
            // decimal, octal, or a decimal floating-point literal
            int q = p;
            while (q < n && s[q] >= '0' && s[q] <= '9') {
                q++;
            }
            boolean isFloat = false;
            int e = q;
            if (e + 1 < n && s[e] == '.' && s[e + 1] >= '0' && s[e + 1] <= '9') {
                isFloat = true;
                e++;
                while (e < n && s[e] >= '0' && s[e] <= '9') {
                    e++;
                }
            }
            if (e < n && (s[e] == 'e' || s[e] == 'E')) {
                int f = e + 1;
                if (f < n && (s[f] == '+' || s[f] == '-')) {
                    f++;
                }
                if (f < n && s[f] >= '0' && s[f] <= '9') {
                    isFloat = true;
                    while (f < n && s[f] >= '0' && s[f] <= '9') {
                        f++;
                    }
                    e = f;
                }
            }
            if (isFloat) {
                p = e;
                if (p < n && isFollow(s[p])) {
                    throw error(t.line, t.col, "malformed floating-point literal '" + clip(start) + "'");
                }
                double d = Double.parseDouble(new String(s, start, p - start));
                t.kind = FLOAT;
                t.value = Double.doubleToRawLongBits(d);
                t.flag = false;
                t.end = p;
                return;
            }
            boolean octal = c == '0' && q - p > 1;
            int digitsStart = p;
            p = q;
            for (int i = digitsStart; i < q; i++) {
                int d = s[i] - '0';
                if (octal) {
                    if (d > 7) {
                        throw error(t.line, t.col, "malformed octal literal '" + clip(start) + "': digit " + d + " is not octal");
                    }
                    if ((value >>> 61) != 0) {
                        overflow = true;
                    }
                    value = (value << 3) | d;
                } else {
                    // value * 10 + d must stay below 2^64
                    if (Long.compareUnsigned(value, 1844674407370955161L) > 0
                            || (value == 1844674407370955161L && d > 5)) {
                        overflow = true;
                    }
                    value = value * 10 + d;
                }
            }
        }
        if (p < n && (s[p] == 'U' || s[p] == 'u')) {
            p++;
            t.flag = true;
        }
        if (p < n && isFollow(s[p])) {
            while (p < n && isFollow(s[p])) {
                p++;
            }
            throw error(t.line, t.col, "malformed number '" + clip(start) + "'");
        }
        if (overflow) {
            throw error(t.line, t.col, "integer literal '" + clip(start) + "' does not fit in 64 bits");
        }
        t.kind = INT;
        t.value = value;
        t.end = p;
    }

    private String clip(int start) {
        int end = Math.min(p, start + 40);
        return new String(s, start, end - start) + (p > end ? "..." : "");
    }

    /** A token as shown in error messages: {@code 'add'}, {@code end of input}. */
    String describe(Tok t) {
        if (t.kind == EOF) {
            return "end of input";
        }
        int len = Math.min(t.end - t.start, 40);
        StringBuilder sb = new StringBuilder(len + 5).append('\'');
        for (int i = t.start; i < t.start + len; i++) {
            char c = s[i];
            sb.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        if (t.end - t.start > len) {
            sb.append("...");
        }
        return sb.append('\'').toString();
    }
}
