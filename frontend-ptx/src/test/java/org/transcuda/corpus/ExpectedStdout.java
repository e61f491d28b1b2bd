package org.transcuda.corpus;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What device {@code printf} must print during the case (after the launch is synchronised). Each
 * line is one complete {@code printf} output without its trailing newline. The order of lines
 * printed by different threads is unspecified in CUDA, so the comparison is of the multiset of
 * lines unless {@code ordered}.
 */
public record ExpectedStdout(List<String> lines, boolean ordered) {

    public ExpectedStdout {
        lines = List.copyOf(lines);
    }

    /** The expected text as CUDA would print it in one particular order. */
    public String text() {
        StringBuilder s = new StringBuilder();
        for (String l : lines) {
            s.append(l).append('\n');
        }
        return s.toString();
    }

    /** Null when {@code actual} (everything printed) matches, else a description. */
    public String mismatch(String actual) {
        List<String> got = new ArrayList<>(List.of(actual.split("\n", -1)));
        if (!got.isEmpty() && got.get(got.size() - 1).isEmpty()) {
            got.remove(got.size() - 1);
        } else if (!actual.isEmpty()) {
            return "output does not end with a newline: " + abbreviate(actual);
        }
        List<String> want = new ArrayList<>(lines);
        if (!ordered) {
            Collections.sort(got);
            Collections.sort(want);
        }
        if (got.equals(want)) {
            return null;
        }
        List<String> missing = new ArrayList<>(want);
        for (String g : got) {
            missing.remove(g);
        }
        List<String> extra = new ArrayList<>(got);
        for (String w : want) {
            extra.remove(w);
        }
        return "printf output differs: " + got.size() + " lines, expected " + want.size() + "; missing "
                + abbreviate(missing.toString()) + "; unexpected " + abbreviate(extra.toString());
    }

    private static String abbreviate(String s) {
        return s.length() <= 400 ? s : s.substring(0, 400) + "...";
    }
}
