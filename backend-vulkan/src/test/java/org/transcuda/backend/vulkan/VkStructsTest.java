package org.transcuda.backend.vulkan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transcuda.backend.vulkan.vk.Struct;
import org.transcuda.backend.vulkan.vk.Vk;

/** The hand-written struct layouts and constants agree with vulkan_core.h, as the C compiler sees it. */
class VkStructsTest {
    private static final Path HEADER = Path.of("/usr/include/vulkan/vulkan_core.h");

    /** Expected values, keyed by the line the generated C program prints for them. */
    private static Map<String, Long> expectations() throws IllegalAccessException {
        Map<String, Long> m = new LinkedHashMap<>();
        for (Struct s : Vk.ALL_STRUCTS) {
            m.put("sizeof " + s.name(), s.size());
            m.put("alignof " + s.name(), s.alignment());
            addFields(m, s, s.name(), "");
            if (s.sType() >= 0) m.put("sType " + s.name(), (long) s.sType());
        }
        for (Field f : Vk.class.getFields()) {
            if (f.getType() == int.class && Modifier.isStatic(f.getModifiers())) {
                m.put("const VK_" + f.getName(), (long) f.getInt(null));
            }
        }
        return m;
    }

    private static void addFields(Map<String, Long> m, Struct s, String root, String prefix) {
        for (Struct.Field f : s.fields().values()) {
            String path = prefix + f.name();
            m.put("offsetof " + root + "." + path, s.offset(f.name()) + 0L + prefixOffset(root, prefix));
            long size = f.count() * (f.kind() == Struct.Kind.STRUCT ? f.nested().size() : kindBytes(f.kind()));
            m.put("sizeof " + root + "." + path, size);
            if (f.kind() == Struct.Kind.STRUCT && f.count() == 1) addFields(m, f.nested(), root, path + ".");
        }
    }

    private static long prefixOffset(String root, String prefix) {
        if (prefix.isEmpty()) return 0;
        Struct r = Vk.ALL_STRUCTS.stream().filter(s -> s.name().equals(root)).findFirst().orElseThrow();
        return r.offset(prefix.substring(0, prefix.length() - 1));
    }

    private static long kindBytes(Struct.Kind k) {
        return switch (k) {
            case U8 -> 1;
            case U32, I32, F32 -> 4;
            case U64, PTR, SIZE -> 8;
            case STRUCT -> throw new IllegalArgumentException();
        };
    }

    private static String cProgram(Map<String, Long> expected) {
        StringBuilder c = new StringBuilder("#include <stdio.h>\n#include <stddef.h>\n#include <vulkan/vulkan_core.h>\n"
                + "int main(void) {\n");
        for (String key : expected.keySet()) {
            String[] p = key.split(" ", 2);
            String expr = switch (p[0]) {
                case "sizeof" -> p[1].contains(".")
                        ? "sizeof(((" + p[1].substring(0, p[1].indexOf('.')) + "*)0)->" + p[1].substring(p[1].indexOf('.') + 1) + ")"
                        : "sizeof(" + p[1] + ")";
                case "alignof" -> "_Alignof(" + p[1] + ")";
                case "offsetof" -> "offsetof(" + p[1].substring(0, p[1].indexOf('.')) + ", "
                        + p[1].substring(p[1].indexOf('.') + 1) + ")";
                case "sType" -> "0"; // filled below from the struct's sType constant, checked by name
                case "const" -> p[1];
                default -> throw new IllegalArgumentException(key);
            };
            if (p[0].equals("sType")) continue;
            // extensions newer than Debian 12's header (the values come from the Vulkan registry): checked where
            // the installed header has them
            String ext = key.contains("SHADER_FMA") || key.contains("ShaderFma") ? "VK_KHR_shader_fma" : null;
            if (ext != null) c.append("#ifdef ").append(ext).append('\n');
            c.append("  printf(\"%s %lld\\n\", \"").append(key).append("\", (long long)(").append(expr).append("));\n");
            if (ext != null) c.append("#endif\n");
        }
        return c.append("  return 0;\n}\n").toString();
    }

    @Test
    void layoutsAndConstantsMatchTheHeader(@TempDir Path dir) throws Exception {
        assumeTrue(Files.exists(HEADER), "vulkan_core.h not installed (libvulkan-dev)");
        assumeTrue(SpirvTools.available("gcc") || Files.isExecutable(Path.of("/usr/bin/gcc")), "no C compiler");
        Map<String, Long> expected = expectations();
        Path src = dir.resolve("layouts.c");
        Files.writeString(src, cProgram(expected));
        Path exe = dir.resolve("layouts");
        SpirvTools.Result cc = SpirvTools.run(List.of("gcc", "-std=c11", "-o", exe.toString(), src.toString()), null);
        assertEquals(0, cc.exitCode(), cc.output());
        SpirvTools.Result out = SpirvTools.run(List.of(exe.toString()), null);
        assertEquals(0, out.exitCode(), out.output());
        List<String> mismatches = new ArrayList<>();
        int checked = 0;
        for (String line : out.output().split("\n")) {
            if (line.isBlank()) continue;
            int sp = line.lastIndexOf(' ');
            String key = line.substring(0, sp);
            long actual = Long.parseLong(line.substring(sp + 1));
            long want = expected.get(key);
            if (actual != want) mismatches.add(key + ": C " + actual + ", Java " + want);
            checked++;
        }
        assertEquals(List.of(), mismatches);
        assertTrue(checked > 700, "checked " + checked);
    }

    @Test
    void sTypesMatchTheirConstants() throws Exception {
        // Each chained struct's sType is the STRUCTURE_TYPE_ constant named after it (checked against C above).
        for (Struct s : Vk.ALL_STRUCTS) {
            if (s.sType() < 0) continue;
            String snake = s.name().substring(2).replaceAll("([a-z0-9])([A-Z])", "$1_$2")
                    .replaceAll("([A-Z])([A-Z][a-z])", "$1_$2").toUpperCase();
            snake = snake.replace("VULKAN11", "VULKAN_1_1").replace("VULKAN12", "VULKAN_1_2")
                    .replace("VULKAN13", "VULKAN_1_3").replace("MAINTENANCE3", "MAINTENANCE_3")
                    .replace("FEATURES2", "FEATURES_2").replace("PROPERTIES2", "PROPERTIES_2")
                    .replace("_I_D_", "_ID_").replace("PCI_BUS", "PCI_BUS").replace("_S_M_", "_SM_")
                    .replace("_EXT", "_EXT").replace("_NV", "_NV").replace("_AMD", "_AMD")
                    .replace("P_C_I", "PCI").replace("S_M_B", "SM_B");
            Field f = Vk.class.getField("STRUCTURE_TYPE_" + snake);
            assertEquals(f.getInt(null), s.sType(), s.name());
        }
    }

    /** Offsets from gcc on vulkan_core.h, kept here so that layout bugs show even without a C compiler. */
    @Test
    void knownOffsets() {
        assertEquals(824, Vk.PHYSICAL_DEVICE_PROPERTIES.size());
        assertEquals(296, Vk.PHYSICAL_DEVICE_PROPERTIES.offset("limits"));
        assertEquals(512, Vk.PHYSICAL_DEVICE_PROPERTIES.offset("limits.maxComputeSharedMemorySize"));
        assertEquals(328, Vk.PHYSICAL_DEVICE_PROPERTIES.offset("limits.maxPushConstantsSize"));
        assertEquals(96, Vk.COMPUTE_PIPELINE_CREATE_INFO.size());
        assertEquals(24, Vk.COMPUTE_PIPELINE_CREATE_INFO.offset("stage"));
        assertEquals(72, Vk.SUBMIT_INFO.size());
        assertEquals(520, Vk.PHYSICAL_DEVICE_MEMORY_PROPERTIES.size());
        assertEquals(264, Vk.PHYSICAL_DEVICE_MEMORY_PROPERTIES.offset("memoryHeaps"));
        assertEquals(208, Vk.PHYSICAL_DEVICE_VULKAN_1_2_FEATURES.size());
    }
}
