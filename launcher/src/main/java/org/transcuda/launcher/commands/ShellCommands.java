package org.transcuda.launcher.commands;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.transcuda.cuda.BackendDescription;
import org.transcuda.cuda.Cuda;
import org.transcuda.cuda.CudaException;

/** Gogo shell commands: {@code transcuda:backends} and {@code transcuda:devices}. */
@Component(service = ShellCommands.class, property = {"osgi.command.scope=transcuda",
        "osgi.command.function=backends", "osgi.command.function=devices"})
public final class ShellCommands {
    @Reference
    private Cuda cuda;

    /** One line per installed backend. */
    public String backends() {
        StringBuilder sb = new StringBuilder();
        for (BackendDescription b : cuda.backends()) {
            sb.append(String.format("%-10s %-28s %-10s ranking %4d  %d device(s)%s  [%s]%n", b.id(), b.name(),
                    b.version(), b.ranking(), b.devices().size(), b.selected() ? "  selected" : "", b.bundle()));
        }
        return sb.length() == 0 ? "no backends installed" : sb.toString().stripTrailing();
    }

    /** The same report as {@code transcuda devices}. */
    public String devices() {
        String problem = null;
        try {
            cuda.selectedBackend();
        } catch (CudaException e) {
            problem = e.getMessage();
        }
        return DeviceReport.format(cuda.backends(), cuda.driverVersion(), problem).stripTrailing();
    }
}
