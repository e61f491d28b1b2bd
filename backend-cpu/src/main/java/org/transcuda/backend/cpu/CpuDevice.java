package org.transcuda.backend.cpu;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.transcuda.spi.BackendContext;
import org.transcuda.spi.BackendDevice;
import org.transcuda.spi.DeviceProperties;

/** The host CPU as a device. */
final class CpuDevice implements BackendDevice {
    private final DeviceProperties properties;
    private final Set<CpuContext> contexts = ConcurrentHashMap.newKeySet();

    CpuDevice(DeviceProperties properties) {
        this.properties = properties;
    }

    @Override
    public DeviceProperties properties() {
        return properties;
    }

    @Override
    public BackendContext createContext() {
        CpuContext c = new CpuContext(properties.totalMemory(), contexts::remove);
        contexts.add(c);
        return c;
    }

    void closeAll() {
        for (CpuContext c : contexts) c.close();
    }
}
