package org.transcuda.internal;

import java.util.Map;
import org.transcuda.cuda.CUresult;
import org.transcuda.cuda.CudaException;

/** The primary context of each device (cuDevicePrimaryCtxRetain/Release/Reset), with retain counts. */
final class PrimaryContexts {
    /** A live primary context and how many times it is retained. */
    record Entry(ContextImpl context, int retains) {
    }

    /** A device: its backend binding and ordinal (backends need not return the same device objects). */
    record Key(BackendBinding binding, int ordinal) {
    }

    private final Map<Key, Entry> entries;
    /** cuDevicePrimaryCtxSetFlags values, by device; they outlive the primary context itself. */
    private final Map<Key, Integer> flags = new java.util.concurrent.ConcurrentHashMap<>();

    PrimaryContexts(Map<Key, Entry> entries) {
        this.entries = entries;
    }

    private static Key key(DeviceImpl d) {
        return new Key(d.binding, d.ordinal());
    }

    synchronized ContextImpl retain(DeviceImpl device) throws CudaException {
        Entry e = entries.get(key(device));
        if (e == null) {
            ContextImpl c = device.newContext();
            c.primary = true;
            c.setFlagsUnchecked(flags.getOrDefault(key(device), 0));
            e = new Entry(c, 0);
        }
        entries.put(key(device), new Entry(e.context(), e.retains() + 1));
        return e.context();
    }

    synchronized void release(DeviceImpl device) throws CudaException {
        Entry e = entries.get(key(device));
        if (e == null) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_CONTEXT, "the primary context is not retained");
        }
        if (e.retains() > 1) {
            entries.put(key(device), new Entry(e.context(), e.retains() - 1));
        } else {
            entries.remove(key(device));
            e.context().destroy();
        }
    }

    synchronized void reset(DeviceImpl device) throws CudaException {
        Entry e = entries.remove(key(device));
        if (e != null) e.context().destroy();
    }

    synchronized void setFlags(DeviceImpl device, int value) {
        flags.put(key(device), value);
        Entry e = entries.get(key(device));
        if (e != null) e.context().setFlagsUnchecked(value);
    }

    synchronized int flags(DeviceImpl device) {
        return flags.getOrDefault(key(device), 0);
    }

    synchronized boolean isActive(DeviceImpl device) {
        return entries.containsKey(key(device));
    }
}
