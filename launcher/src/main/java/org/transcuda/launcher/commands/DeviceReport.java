package org.transcuda.launcher.commands;

import java.util.List;
import java.util.Locale;
import org.transcuda.cuda.BackendDescription;

/** Formats what {@code transcuda devices} prints. */
final class DeviceReport {
    private DeviceReport() {
    }

    static String format(List<BackendDescription> backends, int driverVersion, String selectionProblem) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Transcuda: CUDA %d.%d API, %d backend(s) installed%n",
                driverVersion / 1000, driverVersion % 1000 / 10, backends.size()));
        for (BackendDescription b : backends) {
            sb.append(String.format(Locale.ROOT, "%nBackend %s%s: %s (%s, version %s, ranking %d)%n", b.id(),
                    b.selected() ? " [selected]" : "", b.name(), b.vendor(), b.version(), b.ranking()));
            sb.append("  bundle: ").append(b.bundle()).append(System.lineSeparator());
            for (String d : b.diagnostics()) sb.append("  note: ").append(d).append(System.lineSeparator());
            if (b.devices().isEmpty()) sb.append("  no devices").append(System.lineSeparator());
            int ordinal = 0;
            for (BackendDescription.Device d : b.devices()) {
                String label = d.unusableReason().isPresent() ? "unusable" : "CUDA device " + ordinal++;
                sb.append(String.format(Locale.ROOT, "  Device (%s): %s%n", label, d.name()));
                d.unusableReason().ifPresent(r -> sb.append("    unusable because: ").append(r)
                        .append(System.lineSeparator()));
                sb.append(String.format(Locale.ROOT, "    Compute capability (PTX level): %s%n", d.computeCapability()));
                sb.append(String.format(Locale.ROOT, "    Multiprocessors:                %d%n", d.multiprocessors()));
                sb.append(String.format(Locale.ROOT, "    Total memory:                   %.1f GiB%n",
                        d.totalMemory() / (1024.0 * 1024 * 1024)));
                sb.append(String.format(Locale.ROOT, "    Max threads per block:          %d%n", d.maxThreadsPerBlock()));
                sb.append(String.format(Locale.ROOT, "    Shared memory per block:        %d KiB%n",
                        d.sharedMemoryPerBlock() / 1024));
            }
        }
        if (selectionProblem != null) {
            sb.append(System.lineSeparator()).append("No backend serves CUDA calls: ").append(selectionProblem)
                    .append(System.lineSeparator());
        }
        return sb.toString();
    }
}
