package org.transcuda.backend.cpu;

import java.util.List;
import org.transcuda.spi.Backend;
import org.transcuda.spi.BackendInfo;

/** A CPU backend outside a framework, for tests that drive it through the Java CUDA API. */
public final class TestCpuBackends {
    private TestCpuBackends() {
    }

    /** A backend with one CPU device whose launches use {@code workers} threads. */
    public static Backend create(int workers) {
        CpuDevice device = new CpuDevice(CpuBackend.describeHost(), workers);
        BackendInfo info = new BackendInfo("cpu", "Host CPU (test)", "Transcuda", "test", List.of());
        return new Backend() {
            @Override
            public BackendInfo info() {
                return info;
            }

            @Override
            public List<CpuDevice> devices() {
                return List.of(device);
            }
        };
    }
}
