package org.transcuda.launcher.nativeabi;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Opaque handles native programs hold for objects of the Java API (streams, events, modules, functions): numbers
 * that look like aligned pointers in a range of their own (which helps when reading traces), never 0.
 */
final class Handles<T> {
    private final long base;
    private final Map<Long, T> byHandle = new ConcurrentHashMap<>();
    private final AtomicLong next = new AtomicLong(1);

    Handles(long base) {
        this.base = base;
    }

    long add(T object) {
        long h = base + 16 * next.getAndIncrement();
        byHandle.put(h, object);
        return h;
    }

    /** The object of a live handle, or null. */
    T get(long handle) {
        return byHandle.get(handle);
    }

    T remove(long handle) {
        return byHandle.remove(handle);
    }
}
