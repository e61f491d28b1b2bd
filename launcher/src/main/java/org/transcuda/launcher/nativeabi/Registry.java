package org.transcuda.launcher.nativeabi;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.transcuda.ptx.fatbin.FatBinaryException;
import org.transcuda.ptx.fatbin.MemoryReader;
import org.transcuda.ptx.fatbin.Wrapper;

/**
 * What nvcc-generated code registers before main: fat binaries (the handle our libcudart gave it, the
 * {@code __fatBinC_Wrapper_t} and the fat binary it points to), kernels (host stub address and device name)
 * and device variables. Fat binaries are read by {@code org.transcuda.ptx.fatbin} when a kernel of theirs is
 * first launched.
 */
final class Registry {
    /** All of the process's memory, for following the wrapper's pointers as C does. */
    static final MemoryReader PROCESS_MEMORY = MemoryReader.of(MemorySegment.NULL.reinterpret(Long.MAX_VALUE));

    /** A registered fat binary: the handle our libcudart gave nvcc's code and the wrapper it registered. */
    static final class FatBinary {
        final long handle;
        final long wrapper;
        final List<Kernel> kernels = new ArrayList<>();
        final List<Variable> variables = new ArrayList<>();
        volatile boolean complete;
        /** Its module in each context it was loaded into (Launches#module). */
        final Map<org.transcuda.cuda.CudaContext, org.transcuda.cuda.CudaModule> modules = new ConcurrentHashMap<>();
        private Wrapper parsed;
        private FatBinaryException unreadable;

        FatBinary(long handle, long wrapper) {
            this.handle = handle;
            this.wrapper = wrapper;
        }

        /** The name its PTX is translated under, for messages. */
        String fileName() {
            return "fatbin@0x" + Long.toHexString(wrapper);
        }

        /** The wrapper and its fat binary, read (org.transcuda.ptx.fatbin) on first use. */
        synchronized Wrapper parsed() throws FatBinaryException {
            if (parsed == null && unreadable == null) {
                try {
                    parsed = org.transcuda.ptx.fatbin.FatBinary.parseWrapper(PROCESS_MEMORY, wrapper);
                } catch (FatBinaryException e) {
                    unreadable = e;
                }
            }
            if (unreadable != null) throw unreadable;
            return parsed;
        }
    }

    /** A {@code __global__} function: the address of its host stub and its (mangled) device name. */
    record Kernel(long id, FatBinary binary, long hostFunction, String deviceName, int threadLimit) {
    }

    /** A {@code __device__}, {@code __constant__} or {@code __managed__} variable. */
    record Variable(FatBinary binary, long hostAddress, String deviceName, long size, boolean constant,
            boolean global, boolean external, boolean managed) {
    }

    private final Map<Long, FatBinary> binaries = new ConcurrentHashMap<>();
    private final Map<Long, Kernel> kernelsByHostFunction = new ConcurrentHashMap<>();
    private final Map<Long, Kernel> kernelsById = new ConcurrentHashMap<>();
    private final Map<Long, Variable> variablesByHostAddress = new ConcurrentHashMap<>();
    private final AtomicLong nextKernelId = new AtomicLong(1);

    void registerFatBinary(long handle, long wrapper) {
        binaries.put(handle, new FatBinary(handle, wrapper));
    }

    void endFatBinary(long handle) {
        FatBinary b = binaries.get(handle);
        if (b != null) b.complete = true;
    }

    void unregisterFatBinary(long handle) {
        FatBinary b = binaries.remove(handle);
        if (b == null) return;
        synchronized (b) {
            for (Kernel k : b.kernels) {
                kernelsByHostFunction.remove(k.hostFunction(), k);
                kernelsById.remove(k.id());
            }
            for (Variable v : b.variables) variablesByHostAddress.remove(v.hostAddress(), v);
        }
    }

    void registerFunction(long handle, long hostFunction, String deviceName, int threadLimit) {
        FatBinary b = binaries.get(handle);
        if (b == null) return;
        // Kernel handles are opaque to programs (cudaKernel_t): small distinct numbers, never 0.
        Kernel k = new Kernel(nextKernelId.getAndIncrement() << 4, b, hostFunction, deviceName, threadLimit);
        synchronized (b) {
            b.kernels.add(k);
        }
        kernelsByHostFunction.put(hostFunction, k);
        kernelsById.put(k.id(), k);
    }

    void registerVariable(long handle, long hostAddress, String deviceName, long size, boolean constant,
            boolean global, boolean external, boolean managed) {
        FatBinary b = binaries.get(handle);
        if (b == null) return;
        Variable v = new Variable(b, hostAddress, deviceName, size, constant, global, external, managed);
        synchronized (b) {
            b.variables.add(v);
        }
        variablesByHostAddress.put(hostAddress, v);
    }

    Optional<Kernel> kernelByHostFunction(long hostFunction) {
        return Optional.ofNullable(kernelsByHostFunction.get(hostFunction));
    }

    Optional<Kernel> kernelById(long id) {
        return Optional.ofNullable(kernelsById.get(id));
    }

    Optional<Variable> variableByHostAddress(long hostAddress) {
        return Optional.ofNullable(variablesByHostAddress.get(hostAddress));
    }

    List<FatBinary> fatBinaries() {
        return List.copyOf(binaries.values());
    }
}
