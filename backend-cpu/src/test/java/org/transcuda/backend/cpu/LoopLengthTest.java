package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.CodeElement;
import java.lang.classfile.Instruction;
import java.lang.classfile.MethodModel;
import java.lang.classfile.Opcode;
import java.lang.classfile.instruction.FieldInstruction;
import java.lang.classfile.instruction.LoadInstruction;
import java.lang.classfile.instruction.StoreInstruction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link LoopLength}: the lockstep engine's checked-once lane loops read the shared window's length before the loop
 * (what lets C2 eliminate the loop's range checks). The generated class of sharedlanes.ptx's {@code tree} (reduce's
 * tree: a {@code s[t] = v} store loop and the arms {@code s[t] += s[t + stride]} over thread ranges) is taken from
 * {@code -Dtranscuda.cpu.dump} and its bytecode searched: every load of {@code Exec.shared} into a local must be
 * followed by {@code aload; arraylength; pop} of that local. Results are unchanged by it ({@code SharedLanesTest}).
 */
class LoopLengthTest {
    @Test
    void checkedOnceLoopsReadTheWindowLengthFirst() throws Exception {
        Path dir = Files.createTempDirectory("looplength");
        String before = System.getProperty("transcuda.cpu.dump");
        try (Gpu gpu = new Gpu(2)) {
            gpu.device.engine(CpuDevice.Engine.LOCKSTEP);
            System.setProperty("transcuda.cpu.dump", dir.toString());
            try {
                SchedulingTest.kernel(gpu, "sharedlanes.ptx", "tree");
            } finally {
                if (before == null) System.clearProperty("transcuda.cpu.dump");
                else System.setProperty("transcuda.cpu.dump", before);
            }
        }
        ClassModel cm = ClassFile.of().parse(Files.readAllBytes(dir.resolve("tree.class")));
        int windows = 0, read = 0;
        for (MethodModel m : cm.methods()) {
            if (m.code().isEmpty()) continue;
            List<Instruction> ins = new ArrayList<>();
            for (CodeElement e : m.code().get()) {
                if (e instanceof Instruction i) ins.add(i);
            }
            for (int k = 0; k + 1 < ins.size(); k++) {
                if (ins.get(k) instanceof FieldInstruction f && f.opcode() == Opcode.GETFIELD
                        && f.name().equalsString("shared") && ins.get(k + 1) instanceof StoreInstruction st) {
                    windows++;
                    if (k + 4 < ins.size() && ins.get(k + 2) instanceof LoadInstruction ld && ld.slot() == st.slot()
                            && ins.get(k + 3).opcode() == Opcode.ARRAYLENGTH && ins.get(k + 4).opcode() == Opcode.POP) {
                        read++;
                    }
                }
            }
        }
        // the store loop and the 7 arms of strides 128 .. 2 at least (the thread-0 arms may be loops too)
        assertTrue(windows >= 8, "checked-once lane loops found: " + windows);
        assertEquals(windows, LoopLength.ENABLED ? read : 0, "loops that read the window's length first");
    }
}
