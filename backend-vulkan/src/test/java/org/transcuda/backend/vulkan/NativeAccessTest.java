package org.transcuda.backend.vulkan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** With native access denied the backend reports zero devices and how to fix it, and does not throw. */
class NativeAccessTest {
    private static SpirvTools.Result probe(String... jvmOptions) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(List.of(jvmOptions));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), NativeAccessProbe.class.getName()));
        return SpirvTools.run(cmd, null);
    }

    @Test
    void deniedNativeAccessIsADiagnosticNotACrash() throws Exception {
        SpirvTools.Result r = probe("--illegal-native-access=deny");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("devices=0"), r.output());
        assertTrue(r.output().contains("--enable-native-access=ALL-UNNAMED"), r.output());
    }

    @Test
    void enabledNativeAccessFindsTheSameDevicesAsThisJvm() throws Exception {
        int here = VulkanTestSupport.backend().devices().size();
        SpirvTools.Result r = probe("--enable-native-access=ALL-UNNAMED");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("devices=" + here), r.output());
        assertTrue(!r.output().contains("WARNING: A restricted method"), r.output());
    }
}
