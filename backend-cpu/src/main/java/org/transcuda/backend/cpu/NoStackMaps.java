package org.transcuda.backend.cpu;

import java.lang.classfile.ClassBuilder;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.attribute.CodeAttribute;
import java.lang.classfile.instruction.IncrementInstruction;
import java.lang.classfile.instruction.LoadInstruction;
import java.lang.classfile.instruction.StoreInstruction;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Generated kernel classes without {@code StackMapTable} attributes: class-file version 49 (Java 5), which the JVM
 * verifies by type inference (its own C++ verifier) instead of checking stack maps that the class writer must first
 * compute ({@code -Dtranscuda.cpu.noStackMaps=false} turns this off: the latest version with stack maps, as before).
 *
 * <p>Why: the JDK's class-file API computes the stack maps in Java ({@code StackMapGenerator}: a data-flow pass over
 * every method, the segment methods thousands of instructions long, for every generation of a kernel class, and
 * the kernel compiler generates a class more than once when it narrows or refuses a form). That Java code runs a
 * handful of times per program, so HotSpot's compiler threads spend their time on it exactly while the program's
 * first kernels wait for theirs (docs/benchmarks.md, "Every kernel: the suite's timed runs against steady state").
 * Without stack maps the pass is gone: less interpreter and C1 time in the kernel compile, fewer C2 compilations
 * of class-file code in the queue ahead of the kernel's methods.
 *
 * <p>Applies to every generated kernel class: they use no feature that needs a later class-file version (no {@code
 * invokedynamic}, no dynamic or method-handle constants, no static or private interface methods: the generated
 * code calls static methods of classes and implements one interface). The bytecode is the same instruction for
 * instruction, so results and faults are the same; only the attribute is left out and the version number differs.
 *
 * <p>{@code max_locals}: without stack maps the class-file API counts the locals of reachable code only, and the
 * generated methods can hold unreachable code that uses a higher local; the old verifier checks every instruction
 * against {@code max_locals} (reachable or not), so {@link #fixMaxLocals} raises it over all instructions.
 */
final class NoStackMaps {
    /** On unless {@code -Dtranscuda.cpu.noStackMaps=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.noStackMaps"));

    /** Class-file major version 49 (Java 5): verified by type inference, no stack maps. */
    static final int VERSION = ClassFile.JAVA_5_VERSION;

    /** Classes generated without stack maps in this JVM (a class generated again counts again). */
    static final AtomicLong CLASSES = new AtomicLong();

    private NoStackMaps() {
    }

    /** The class-file context for a kernel class: stack maps dropped when on, else computed with {@code resolver}. */
    static ClassFile context(ClassHierarchyResolver resolver) {
        if (ENABLED) return ClassFile.of(ClassFile.StackMapsOption.DROP_STACK_MAPS);
        return ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(resolver));
    }

    /**
     * {@code bytes} (a class built by {@link #context}'s stack-map-free context) with each method's {@code
     * max_locals} at least one past the highest local slot that any of its instructions uses, reachable or not.
     */
    static byte[] fixMaxLocals(byte[] bytes) {
        if (!ENABLED) return bytes;
        ClassModel cm = ClassFile.of().parse(bytes);
        List<Integer> need = new ArrayList<>();
        for (MethodModel m : cm.methods()) {
            if (!(m.code().orElse(null) instanceof CodeAttribute ca)) continue;
            int max = ca.maxLocals();
            for (var el : ca.elementList()) {
                int end = switch (el) {
                    case LoadInstruction li -> li.slot() + li.typeKind().slotSize();
                    case StoreInstruction si -> si.slot() + si.typeKind().slotSize();
                    case IncrementInstruction ii -> ii.slot() + 1;
                    default -> 0;
                };
                max = Math.max(max, end);
            }
            need.add(max);
        }
        byte[] out = bytes.clone();
        List<Integer> at = maxLocalsOffsets(out);
        if (at.size() != need.size()) throw new IllegalStateException("Code attributes: " + at.size() + " vs " + need.size());
        for (int i = 0; i < at.size(); i++) {
            int o = at.get(i);
            int cur = u2(out, o);
            int n = need.get(i);
            if (n > cur) {
                out[o] = (byte) (n >>> 8);
                out[o + 1] = (byte) n;
                FIXED.incrementAndGet();
            }
        }
        return out;
    }

    /** Methods whose {@code max_locals} {@link #fixMaxLocals} raised, in this JVM. */
    static final AtomicLong FIXED = new AtomicLong();

    private static int u2(byte[] b, int o) {
        return (b[o] & 0xff) << 8 | b[o + 1] & 0xff;
    }

    private static int u4(byte[] b, int o) {
        return u2(b, o) << 16 | u2(b, o + 2);
    }

    /** Byte offsets of the {@code max_locals} field of each method's {@code Code} attribute, in method order. */
    private static List<Integer> maxLocalsOffsets(byte[] b) {
        int n = u2(b, 8);
        String[] utf8 = new String[n];
        int o = 10;
        for (int i = 1; i < n; i++) {
            int tag = b[o] & 0xff;
            switch (tag) {
                case 1 -> {
                    int len = u2(b, o + 1);
                    utf8[i] = new String(b, o + 3, len, java.nio.charset.StandardCharsets.ISO_8859_1);
                    o += 3 + len;
                }
                case 3, 4, 9, 10, 11, 12, 17, 18 -> o += 5;
                case 5, 6 -> {
                    o += 9;
                    i++;
                }
                case 7, 8, 16, 19, 20 -> o += 3;
                case 15 -> o += 4;
                default -> throw new IllegalStateException("constant pool tag " + tag);
            }
        }
        o += 6; // access, this, super
        o += 2 + 2 * u2(b, o); // interfaces
        int fields = u2(b, o);
        o += 2;
        for (int f = 0; f < fields; f++) o = skipMember(b, o);
        int methods = u2(b, o);
        o += 2;
        List<Integer> at = new ArrayList<>();
        for (int m = 0; m < methods; m++) {
            int attrs = u2(b, o + 6);
            o += 8;
            for (int a = 0; a < attrs; a++) {
                if ("Code".equals(utf8[u2(b, o)])) at.add(o + 8);
                o += 6 + u4(b, o + 2);
            }
        }
        return at;
    }

    private static int skipMember(byte[] b, int o) {
        int attrs = u2(b, o + 6);
        o += 8;
        for (int a = 0; a < attrs; a++) o += 6 + u4(b, o + 2);
        return o;
    }

    /** Sets the class's version when on (call first in the class builder). */
    static void version(ClassBuilder clb) {
        if (!ENABLED) return;
        clb.withVersion(VERSION, 0);
        CLASSES.incrementAndGet();
    }
}
