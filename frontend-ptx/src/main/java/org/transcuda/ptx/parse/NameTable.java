package org.transcuda.ptx.parse;

import org.transcuda.ptx.ast.Operand;

/**
 * Maps char ranges to canonical names, so a name that occurs a million times ({@code %r1}, {@code .u32}) is one
 * String (and one shared {@link Operand.Ident}) and costs no allocation after its first occurrence. One table per
 * parse; not thread-safe.
 */
final class NameTable {
    private Operand.Ident[] names = new Operand.Ident[1024];
    private int[] hashes = new int[1024];
    private int size;

    Operand.Ident get(char[] s, int start, int end) {
        int h = 0;
        for (int i = start; i < end; i++) {
            h = 31 * h + s[i];
        }
        int mask = names.length - 1;
        int slot = mix(h) & mask;
        while (true) {
            Operand.Ident name = names[slot];
            if (name == null) {
                name = new Operand.Ident(new String(s, start, end - start));
                names[slot] = name;
                hashes[slot] = h;
                if (++size * 2 > names.length) {
                    grow();
                }
                return name;
            }
            if (hashes[slot] == h && equal(name.name(), s, start, end)) {
                return name;
            }
            slot = (slot + 1) & mask;
        }
    }

    private static boolean equal(String name, char[] s, int start, int end) {
        int n = end - start;
        if (name.length() != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (name.charAt(i) != s[start + i]) {
                return false;
            }
        }
        return true;
    }

    private static int mix(int h) {
        h *= 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    private void grow() {
        Operand.Ident[] oldNames = names;
        int[] oldHashes = hashes;
        names = new Operand.Ident[oldNames.length * 2];
        hashes = new int[oldNames.length * 2];
        int mask = names.length - 1;
        for (int i = 0; i < oldNames.length; i++) {
            if (oldNames[i] != null) {
                int slot = mix(oldHashes[i]) & mask;
                while (names[slot] != null) {
                    slot = (slot + 1) & mask;
                }
                names[slot] = oldNames[i];
                hashes[slot] = oldHashes[i];
            }
        }
    }
}
