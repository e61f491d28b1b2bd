package org.transcuda.launcher.nativeabi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** {@link Fn} is what native/gen-functions.sh makes of native/functions.txt, which the C side also uses. */
class FnTableTest {
    record Function(int id, int arguments) {
    }

    static Map<String, Function> table() throws Exception {
        Map<String, Function> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("../native/functions.txt"))) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) continue;
            String[] parts = l.split("\\s+", 3);
            String args = parts.length > 2 ? parts[2].replaceAll("\\([^)]*\\)", "").strip() : "";
            int n = args.isEmpty() ? 0 : args.split(",").length;
            out.put(parts[1], new Function(Integer.parseInt(parts[0]), n));
        }
        return out;
    }

    @Test
    void javaConstantsAreTheNativeTable() throws Exception {
        Map<String, Function> table = table();
        Map<String, Integer> constants = new TreeMap<>();
        for (Field f : Fn.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class) constants.put(f.getName(), f.getInt(null));
        }
        Map<String, Integer> expected = new TreeMap<>();
        table.forEach((name, fn) -> expected.put(name, fn.id()));
        assertEquals(expected, constants, "regenerate Fn.java with `make -C native java`");
        table.forEach((name, fn) -> {
            assertEquals(name, Fn.name(fn.id()));
            assertEquals(fn.arguments(), Fn.argumentCount(fn.id()), name);
            assertTrue(fn.arguments() <= Args.MAX, name + " takes more than " + Args.MAX + " arguments");
        });
        assertEquals(table.size(), table.values().stream().map(Function::id).distinct().count(), "ids are unique");
    }
}
