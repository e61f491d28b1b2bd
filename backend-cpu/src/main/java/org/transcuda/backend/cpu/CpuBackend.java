package org.transcuda.backend.cpu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.transcuda.cuda.Dim3;
import org.transcuda.spi.Backend;
import org.transcuda.spi.BackendInfo;
import org.transcuda.spi.DeviceProperties;

/**
 * The CPU backend: the host CPU as one CUDA device, device memory off-heap in this process. It ranks
 * highest so that it is the default on every machine.
 */
@Component(service = Backend.class, property = {Backend.ID_PROPERTY + "=cpu", "service.ranking:Integer=100"})
public final class CpuBackend implements Backend {
    private static final Logger LOG = LogManager.getLogger(CpuBackend.class);

    private BackendInfo info;
    private CpuDevice device;

    @Activate
    void activate(BundleContext context) {
        String version = context.getBundle().getVersion().toString();
        info = new BackendInfo("cpu", "Host CPU (pure Java)", "Transcuda", version, List.of());
        device = new CpuDevice(describeHost());
        LOG.info("CPU backend ready: {} ({} cores)", device.properties().name(),
                device.properties().multiprocessorCount());
    }

    @Deactivate
    void deactivate() {
        device.closeAll();
    }

    @Override
    public BackendInfo info() {
        return info;
    }

    @Override
    public List<CpuDevice> devices() {
        return List.of(device);
    }

    static DeviceProperties describeHost() {
        String model = "Host CPU";
        int mhz = 0;
        long memory = Runtime.getRuntime().maxMemory();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
                if (line.startsWith("model name") && model.equals("Host CPU")) {
                    model = line.substring(line.indexOf(':') + 1).trim();
                } else if (line.startsWith("cpu MHz") && mhz == 0) {
                    mhz = (int) Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
                }
            }
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"), StandardCharsets.UTF_8)) {
                if (line.startsWith("MemTotal:")) {
                    memory = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("no /proc information; using defaults", e);
        }
        int cores = Runtime.getRuntime().availableProcessors();
        UUID uuid = UUID.nameUUIDFromBytes(("transcuda-cpu:" + model + ":" + cores).getBytes(StandardCharsets.UTF_8));
        return new DeviceProperties(model, uuid, memory, 8, 0, cores, 1024, new Dim3(1024, 1024, 64),
                new Dim3(Integer.MAX_VALUE, 65535, 65535), 48 * 1024, 64 * 1024, 32, 65536, mhz * 1000,
                mhz * 1000, 64, 0, true, -1);
    }
}
