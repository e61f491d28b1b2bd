package org.transcuda.backend.vulkan.spirv;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable array of SPIR-V words, and the encoding of instructions and literal strings. */
final class Words {
    private int[] words = new int[64];
    private int size;

    int size() {
        return size;
    }

    int get(int i) {
        return words[i];
    }

    void add(int w) {
        if (size == words.length) words = Arrays.copyOf(words, size * 2);
        words[size++] = w;
    }

    void addAll(int[] ws) {
        for (int w : ws) add(w);
    }

    void addAll(Words other) {
        for (int i = 0; i < other.size; i++) add(other.words[i]);
    }

    /** Inserts {@code other} at word {@code index}. */
    void insert(int index, Words other) {
        int n = other.size;
        if (n == 0) return;
        int[] grown = new int[Math.max(words.length, size + n)];
        System.arraycopy(words, 0, grown, 0, index);
        System.arraycopy(other.words, 0, grown, index, n);
        System.arraycopy(words, index, grown, index + n, size - index);
        words = grown;
        size += n;
    }

    int[] toArray() {
        return Arrays.copyOf(words, size);
    }

    /** Appends one instruction: the first word holds the word count and the opcode. */
    void instruction(int opcode, int[] operands) {
        int count = 1 + operands.length;
        if (count > 0xffff) {
            throw new IllegalArgumentException(Op.name(opcode) + " has " + count + " words; SPIR-V allows 65535");
        }
        add((count << 16) | (opcode & 0xffff));
        addAll(operands);
    }

    /**
     * A literal string: UTF-8 bytes, NUL-terminated, packed little-endian four to a word, the last word
     * padded with zeros (a string whose length is a multiple of four gets a whole word of NULs).
     */
    static int[] string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        for (byte c : b) {
            if (c == 0) throw new IllegalArgumentException("a SPIR-V string cannot contain NUL: " + s);
        }
        int[] w = new int[b.length / 4 + 1];
        for (int i = 0; i < b.length; i++) w[i / 4] |= (b[i] & 0xff) << (8 * (i % 4));
        return w;
    }

    /** Concatenates operand arrays. */
    static int[] concat(int[]... parts) {
        int n = 0;
        for (int[] p : parts) n += p.length;
        int[] r = new int[n];
        int at = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, r, at, p.length);
            at += p.length;
        }
        return r;
    }

    static int[] of(int... ws) {
        return ws;
    }
}
