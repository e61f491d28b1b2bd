package org.transcuda.backend.vulkan.vk;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Downcall plumbing shared by the bindings: one linker handle per C signature (the JDK generates the
 * stub once), bound to each function pointer that Vulkan's {@code vkGet*ProcAddr} returns.
 */
final class Native {
    static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
    static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG;
    static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;
    static final ValueLayout P = ValueLayout.ADDRESS;

    private static final ConcurrentHashMap<FunctionDescriptor, MethodHandle> HANDLES = new ConcurrentHashMap<>();

    private Native() {
    }

    static FunctionDescriptor fn(MemoryLayout result, MemoryLayout... args) {
        return FunctionDescriptor.of(result, args);
    }

    static FunctionDescriptor proc(MemoryLayout... args) {
        return FunctionDescriptor.ofVoid(args);
    }

    /**
     * A handle that calls the C function at {@code address} with signature {@code descriptor}.
     *
     * @throws IllegalCallerException when the JVM denies native access to this code
     */
    static MethodHandle bind(String name, MemorySegment address, FunctionDescriptor descriptor) {
        if (address == null || address.equals(MemorySegment.NULL)) {
            throw new UnsatisfiedLinkError("the Vulkan loader does not provide " + name);
        }
        MethodHandle generic = HANDLES.computeIfAbsent(descriptor, d -> Linker.nativeLinker().downcallHandle(d));
        return MethodHandles.insertArguments(generic, 0, address);
    }

    /** Rethrows what a downcall threw: downcalls throw nothing checked, so this is an Error or a bug. */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) throw r;
        if (t instanceof Error e) throw e;
        throw new IllegalStateException("unexpected exception from a downcall", t);
    }
}
