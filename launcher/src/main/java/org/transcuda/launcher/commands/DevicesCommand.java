package org.transcuda.launcher.commands;

import java.util.function.Function;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.transcuda.cuda.Cuda;
import org.transcuda.cuda.CudaException;

/** {@code transcuda devices}: every backend and its devices. Exit code 1 when no backend can serve. */
@Component(service = Function.class, property = "transcuda.command=devices")
public final class DevicesCommand implements Function<String[], Integer> {
    @Reference
    private Cuda cuda;

    @Override
    public Integer apply(String[] args) {
        String problem = null;
        try {
            cuda.selectedBackend();
        } catch (CudaException e) {
            problem = e.getMessage();
        }
        System.out.print(DeviceReport.format(cuda.backends(), cuda.driverVersion(), problem));
        System.out.flush();
        return problem == null ? 0 : 1;
    }
}
