package org.transcuda.internal;

import java.util.UUID;
import org.transcuda.cuda.CUdevice_attribute;
import org.transcuda.cuda.CudaContext;
import org.transcuda.cuda.CudaDevice;
import org.transcuda.cuda.CudaException;
import org.transcuda.spi.BackendDevice;
import org.transcuda.spi.DeviceProperties;

/** A CUDA device: one usable device of one backend binding. */
final class DeviceImpl implements CudaDevice {
    final BackendBinding binding;
    final BackendDevice device;
    private final int ordinal;
    private final PrimaryContexts primaries;

    DeviceImpl(BackendBinding binding, BackendDevice device, int ordinal, PrimaryContexts primaries) {
        this.binding = binding;
        this.device = device;
        this.ordinal = ordinal;
        this.primaries = primaries;
    }

    @Override
    public CudaContext retainPrimaryContext() throws CudaException {
        return primaries.retain(this);
    }

    @Override
    public void releasePrimaryContext() throws CudaException {
        primaries.release(this);
    }

    @Override
    public void resetPrimaryContext() throws CudaException {
        primaries.reset(this);
    }

    @Override
    public boolean isPrimaryContextActive() throws CudaException {
        if (binding.isRevoked()) throw binding.unavailable();
        return primaries.isActive(this);
    }

    @Override
    public int ordinal() {
        return ordinal;
    }

    @Override
    public String backend() {
        return binding.id;
    }

    DeviceProperties properties() throws CudaException {
        return binding.call(device::properties);
    }

    @Override
    public String name() throws CudaException {
        return properties().name();
    }

    @Override
    public UUID uuid() throws CudaException {
        return properties().uuid();
    }

    @Override
    public long totalMemory() throws CudaException {
        return properties().totalMemory();
    }

    @Override
    public int attribute(CUdevice_attribute attribute) throws CudaException {
        return DeviceAttributes.value(properties(), attribute);
    }

    @Override
    public CudaContext createContext() throws CudaException {
        return newContext();
    }

    @Override
    public CudaContext createContext(int flags) throws CudaException {
        ContextImpl.checkFlags(flags);
        ContextImpl c = newContext();
        c.setFlagsUnchecked(flags);
        return c;
    }

    @Override
    public void setPrimaryContextFlags(int flags) throws CudaException {
        if (binding.isRevoked()) throw binding.unavailable();
        ContextImpl.checkFlags(flags);
        primaries.setFlags(this, flags);
    }

    @Override
    public int primaryContextFlags() throws CudaException {
        if (binding.isRevoked()) throw binding.unavailable();
        return primaries.flags(this);
    }

    ContextImpl newContext() throws CudaException {
        ContextImpl context = binding.call(() -> new ContextImpl(binding, this, device.createContext()));
        try {
            binding.register(context);
        } catch (CudaException e) {
            context.releaseBackend();
            throw e;
        }
        return context;
    }

    @Override
    public String toString() {
        return "CudaDevice[" + binding.id + ":" + ordinal + "]";
    }
}
