package org.transcuda.launcher.nativeabi;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code transcuda exec --trace FILE} (environment {@code TRANSCUDA_TRACE}): every native CUDA call as a Chrome
 * trace event (JSON Object Format, opened by Perfetto and chrome://tracing): a complete event ({@code "ph":"X"})
 * per call with its start, duration, thread, arguments (named as in native/functions.txt) and result. Category
 * {@code launch} marks kernel launches, {@code copy} copies and fills, {@code sync} waits, {@code register} what
 * nvcc's code registers, {@code api} the rest. The file is valid JSON after every call (the closing brackets are
 * rewritten each time), so a program that exits without warning still leaves a readable trace.
 */
final class Trace {
    private static final byte[] END = "\n]}\n".getBytes(StandardCharsets.US_ASCII);
    private final RandomAccessFile out;
    private final long pid = ProcessHandle.current().pid();
    private final long origin = System.nanoTime();
    private final Set<Long> namedThreads = ConcurrentHashMap.newKeySet();
    private boolean first = true;

    private Trace(RandomAccessFile out) throws IOException {
        this.out = out;
        out.setLength(0);
        out.write("{\"displayTimeUnit\":\"ms\",\"traceEvents\":[\n".getBytes(StandardCharsets.US_ASCII));
        out.write(END);
    }

    /** The trace the environment asks for, or null. */
    static Trace fromEnvironment() {
        String file = System.getenv("TRANSCUDA_TRACE");
        if (file == null || file.isBlank()) return null;
        return to(file);
    }

    /** A trace written to {@code file} (replaced). */
    static Trace to(String file) {
        try {
            return new Trace(new RandomAccessFile(file, "rw"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the trace " + file, e);
        }
    }

    /** A timestamp for {@link #log}. */
    long now() {
        return System.nanoTime();
    }

    static String category(String name) {
        if (name.contains("Launch")) return "launch";
        if (name.contains("Memcpy") || name.contains("Memset")) return "copy";
        if (name.contains("Synchronize")) return "sync";
        if (name.startsWith("__cuda")) return "register";
        return "api";
    }

    void log(int fn, Args args, int result, long start, long end) {
        String name = Fn.name(fn);
        Thread thread = Thread.currentThread();
        long tid = thread.threadId();
        StringBuilder sb = new StringBuilder(256);
        if (namedThreads.add(tid)) {
            sb.append("{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":").append(pid).append(",\"tid\":").append(tid)
                    .append(",\"args\":{\"name\":");
            string(sb, thread.getName());
            sb.append("}},\n");
        }
        sb.append("{\"ph\":\"X\",\"name\":\"").append(name).append("\",\"cat\":\"").append(category(name))
                .append("\",\"pid\":").append(pid).append(",\"tid\":").append(tid).append(",\"ts\":");
        micros(sb, start - origin);
        sb.append(",\"dur\":");
        micros(sb, end - start);
        sb.append(",\"args\":{");
        String[] names = Fn.argumentNames(fn);
        for (int i = 0; i < names.length; i++) {
            String n = names[i];
            boolean decimal = n.startsWith("#");
            sb.append('"').append(decimal ? n.substring(1) : n).append("\":");
            long v = args.get(i);
            if (decimal) sb.append(v);
            else sb.append("\"0x").append(Long.toHexString(v)).append('"');
            sb.append(',');
        }
        sb.append("\"result\":").append(result).append("}}");
        write(sb.toString());
    }

    /** A span of work on {@code stream}'s track (a pseudo-thread named after the stream). */
    void streamSpan(Object stream, String label, String name, String category, long start, long end) {
        long tid = 1_000_000_000L + (System.identityHashCode(stream) & 0x3fffffff);
        StringBuilder sb = new StringBuilder(192);
        if (namedThreads.add(tid)) {
            sb.append("{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":").append(pid).append(",\"tid\":").append(tid)
                    .append(",\"args\":{\"name\":");
            string(sb, label);
            sb.append("}},\n");
        }
        sb.append("{\"ph\":\"X\",\"name\":");
        string(sb, name);
        sb.append(",\"cat\":\"").append(category).append("\",\"pid\":").append(pid).append(",\"tid\":").append(tid)
                .append(",\"ts\":");
        micros(sb, start - origin);
        sb.append(",\"dur\":");
        micros(sb, Math.max(0, end - start));
        sb.append('}');
        write(sb.toString());
    }

    private static void micros(StringBuilder sb, long nanos) {
        if (nanos < 0) {
            sb.append('-');
            nanos = -nanos;
        }
        sb.append(nanos / 1000).append('.');
        long frac = nanos % 1000;
        if (frac < 100) sb.append('0');
        if (frac < 10) sb.append('0');
        sb.append(frac);
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') sb.append('\\').append(c);
            else if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        sb.append('"');
    }

    private synchronized void write(String event) {
        try {
            out.seek(out.length() - END.length);
            out.write(((first ? "" : ",\n") + event).getBytes(StandardCharsets.UTF_8));
            out.write(END);
            first = false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the trace", e);
        }
    }
}
