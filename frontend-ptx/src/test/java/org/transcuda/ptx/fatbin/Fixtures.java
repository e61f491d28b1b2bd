package org.transcuda.ptx.fatbin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/** The nvcc 13 fixtures of src/test/resources/fatbin (see generate.sh there) and helpers around them. */
final class Fixtures {

    /** kernels.cu for compute_75 PTX + compute_80 PTX + sm_80 SASS, one per compression setting. */
    static final List<String> COMPRESSION_FIXTURES = List.of(
            "kernels.no-compress.fatbin", "kernels.default.fatbin", "kernels.mode-default.fatbin",
            "kernels.mode-size.fatbin", "kernels.mode-speed.fatbin", "kernels.mode-balance.fatbin",
            "kernels.mode-none.fatbin", "kernels.compress-all.fatbin");

    /** Every fat binary fixture. */
    static final List<String> ALL_FATBINS = List.of(
            "kernels.no-compress.fatbin", "kernels.default.fatbin", "kernels.mode-default.fatbin",
            "kernels.mode-size.fatbin", "kernels.mode-speed.fatbin", "kernels.mode-balance.fatbin",
            "kernels.mode-none.fatbin", "kernels.compress-all.fatbin", "kernels.options.fatbin",
            "kernels.debug.fatbin", "variants.fatbin");

    private static final Map<String, byte[]> CACHE = new ConcurrentHashMap<>();

    private Fixtures() {
    }

    /** The bytes of a fixture (a fresh copy). */
    static byte[] bytes(String name) {
        return CACHE.computeIfAbsent(name, Fixtures::load).clone();
    }

    static String text(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }

    private static byte[] load(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/fatbin/" + name)) {
            Objects.requireNonNull(in, "missing test resource /fatbin/" + name);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The PTX text as {@code fatbinary} stores it, computed independently from the text {@code nvcc -ptx} writes:
     * comments removed, blanks at the start of a line removed, every other run of two or more blanks collapsed to
     * one space (a lone tab stays a tab), string literals kept as they are. The rules were found by packing
     * hand-written PTX with {@code fatbinary --create}.
     */
    static String asFatbinaryStoresIt(String ptx) {
        StringBuilder out = new StringBuilder(ptx.length());
        boolean lineStart = true;
        boolean inString = false;
        int n = ptx.length();
        for (int i = 0; i < n; i++) {
            char c = ptx.charAt(i);
            if (inString) {
                out.append(c);
                if (c == '\\' && i + 1 < n) {
                    out.append(ptx.charAt(++i));
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '\n') {
                out.append(c);
                lineStart = true;
            } else if (c == ' ' || c == '\t') {
                int run = i;
                while (i + 1 < n && (ptx.charAt(i + 1) == ' ' || ptx.charAt(i + 1) == '\t')) {
                    i++;
                }
                if (!lineStart) {
                    out.append(i == run ? c : ' ');
                }
            } else if (c == '/' && i + 1 < n && ptx.charAt(i + 1) == '/') {
                while (i + 1 < n && ptx.charAt(i + 1) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && ptx.charAt(i + 1) == '*') {
                int close = ptx.indexOf("*/", i + 2);
                i = close < 0 ? n : close + 1;
                lineStart = false;
            } else {
                out.append(c);
                lineStart = false;
                inString = c == '"';
            }
        }
        return out.toString();
    }

    /** Little-endian helpers for building and patching images. */
    static void putU16(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
    }

    static void putU32(byte[] b, int at, long v) {
        for (int i = 0; i < 4; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }

    static void putU64(byte[] b, int at, long v) {
        for (int i = 0; i < 8; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }

    static long u64(byte[] b, int at) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[at + i] & 0xFF);
        }
        return v;
    }

    /** The executable fixture's .nv_fatbin and .nvFatBinSegment sections laid out at their addresses. */
    record App(long fatbinAddress, byte[] fatbinSection, long wrapperAddress, byte[] wrapperSection) {

        static App load() {
            long fatbin = -1;
            long wrappers = -1;
            for (String line : text("app.sections").split("\n")) {
                String[] kv = line.strip().split("=");
                long address = Long.parseLong(kv[1].substring(2), 16);
                switch (kv[0]) {
                    case "nv_fatbin" -> fatbin = address;
                    case "nvFatBinSegment" -> wrappers = address;
                    default -> throw new AssertionError(line);
                }
            }
            return new App(fatbin, bytes("app.nv_fatbin.bin"), wrappers, bytes("app.nvFatBinSegment.bin"));
        }

        /** Reads either section; anything else is unreadable. */
        MemoryReader memory() {
            MemoryReader a = MemoryReader.of(fatbinAddress, fatbinSection);
            MemoryReader b = MemoryReader.of(wrapperAddress, wrapperSection);
            return (address, dst, offset, length) -> {
                if (address >= wrapperAddress && address < wrapperAddress + wrapperSection.length) {
                    b.read(address, dst, offset, length);
                } else {
                    a.read(address, dst, offset, length);
                }
            };
        }

        int wrapperCount() {
            return wrapperSection.length / 24;
        }
    }
}
