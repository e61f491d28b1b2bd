package org.transcuda.backend.cpu;

import java.lang.classfile.ClassBuilder;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
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

    /** Sets the class's version when on (call first in the class builder). */
    static void version(ClassBuilder clb) {
        if (!ENABLED) return;
        clb.withVersion(VERSION, 0);
        CLASSES.incrementAndGet();
    }
}
