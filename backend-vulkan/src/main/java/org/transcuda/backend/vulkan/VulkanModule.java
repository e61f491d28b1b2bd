package org.transcuda.backend.vulkan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.transcuda.backend.vulkan.codegen.CodegenException;
import org.transcuda.backend.vulkan.codegen.SpirvCodegen;
import org.transcuda.backend.vulkan.codegen.Target;
import org.transcuda.cuda.CUresult;
import org.transcuda.ir.Module;
import org.transcuda.ir.Variable;
import org.transcuda.spi.BackendException;
import org.transcuda.spi.BackendModule;
import org.transcuda.spi.GlobalSymbol;

/**
 * Kernels loaded together; closing the module waits for the context's streams, then frees its pipelines and
 * its variables.
 *
 * <p>A module loaded from IR ({@link VulkanContext#loadModule}) holds its {@code .global}/{@code .const}
 * variables as device allocations of the context (so {@link #global} gives addresses the host can copy to and
 * from) and compiles each kernel to SPIR-V on first lookup; a kernel that cannot be compiled fails every lookup
 * with the same error ({@code CUDA_ERROR_NOT_SUPPORTED} and the reason), the other kernels stay usable.
 */
final class VulkanModule implements BackendModule {
    private final VulkanContext ctx;
    private final String name;
    private final Map<String, VulkanFunction> functions = new LinkedHashMap<>();
    private final Map<String, BackendException> failures = new HashMap<>();
    private volatile boolean closed;

    // IR-backed modules
    private final Module ir;
    private final SpirvCodegen.Prepared prepared;
    private final Map<String, Long> globals;
    private final List<Long> allocations;
    private final Target target;

    VulkanModule(VulkanContext ctx, String name) {
        this(ctx, name, null, Map.of(), List.of(), null);
    }

    VulkanModule(VulkanContext ctx, String name, SpirvCodegen.Prepared prepared, Map<String, Long> globals,
            List<Long> allocations, Target target) {
        this.ctx = ctx;
        this.name = name;
        this.prepared = prepared;
        this.ir = prepared == null ? null : prepared.module();
        this.globals = globals;
        this.allocations = new ArrayList<>(allocations);
        this.target = target;
    }

    void add(VulkanFunction f) {
        functions.put(f.kernel().name(), f);
    }

    String name() {
        return name;
    }

    @Override
    public synchronized VulkanFunction function(String functionName) throws BackendException {
        if (closed) throw new BackendException(CUresult.CUDA_ERROR_INVALID_HANDLE, "module " + name + " is unloaded");
        VulkanFunction f = functions.get(functionName);
        if (f != null) return f;
        BackendException failed = failures.get(functionName);
        if (failed != null) throw new BackendException(failed.result(), failed.getMessage(), failed);
        if (ir != null) {
            var problem = ir.problem(functionName);
            if (problem.isPresent()) {
                throw new BackendException(CUresult.CUDA_ERROR_INVALID_PTX, problem.get().message());
            }
            boolean isKernel = ir.function(functionName).map(fn -> fn.kernel() && fn.isDefined()).orElse(false);
            if (isKernel) {
                try {
                    boolean faults = SpirvCodegen.mayFault(prepared, functionName);
                    boolean prints = SpirvCodegen.mayPrint(prepared, functionName);
                    // every kernel checks its global accesses against the bounds in the fault record
                    long record = ctx.faultRecord().deviceAddress;
                    long printf = prints ? ctx.printfBuffer().deviceAddress : 0;
                    VulkanKernel k = SpirvCodegen.compile(prepared, functionName, target, globals,
                            new SpirvCodegen.Runtime(record, printf, ctx::site));
                    f = new VulkanFunction(ctx, k);
                    if (faults) f.faultDecoder = this::describeAssert;
                    if (prints) f.strings = this::string;
                } catch (CodegenException e) {
                    BackendException be = new BackendException(CUresult.CUDA_ERROR_NOT_SUPPORTED, e.getMessage());
                    failures.put(functionName, be);
                    throw be;
                } catch (BackendException e) {
                    failures.put(functionName, e);
                    throw e;
                }
                functions.put(functionName, f);
                return f;
            }
        }
        throw new BackendException(CUresult.CUDA_ERROR_NOT_FOUND, "module " + name + " has no kernel " + functionName);
    }

    /**
     * The message of a failed assert, as CUDA prints it, from the addresses the kernel recorded: the strings are
     * module variables, read from their initializers.
     */
    String describeAssert(long message, long file, int line, long function) {
        return string(file) + ":" + line + ": " + string(function) + ": Assertion `" + string(message) + "` failed.";
    }

    /**
     * The NUL-terminated string at {@code address} when it lies in an initialized module variable (string
     * literals), else the address in hex.
     */
    String string(long address) {
        if (ir == null) return "0x" + Long.toHexString(address);
        for (Variable v : ir.variables()) {
            Long base = globals.get(v.name());
            if (base == null || v.init() == null || address < base || address >= base + v.size()) continue;
            byte[] init = v.init();
            int from = (int) (address - base);
            int end = from;
            while (end < init.length && init[end] != 0) end++;
            return new String(init, from, end - from, java.nio.charset.StandardCharsets.UTF_8);
        }
        return "0x" + Long.toHexString(address);
    }

    @Override
    public GlobalSymbol global(String symbol) throws BackendException {
        if (closed) throw new BackendException(CUresult.CUDA_ERROR_INVALID_HANDLE, "module " + name + " is unloaded");
        Long address = globals.get(symbol);
        if (address == null || ir == null) {
            throw new BackendException(CUresult.CUDA_ERROR_NOT_FOUND, "module " + name
                    + " has no .global or .const variable " + symbol);
        }
        Variable v = ir.variable(symbol).orElseThrow();
        return new GlobalSymbol(address, v.size());
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        synchronized (this) {
            for (VulkanFunction f : functions.values()) f.retire();
        }
        ctx.unload(this);
    }

    /** Destroys the Vulkan objects of every function (the caller made sure the GPU is done with them). */
    synchronized void destroy() {
        closed = true;
        for (VulkanFunction f : functions.values()) f.destroy();
    }

    /** The variables' allocations, freed by the context after {@link #destroy()}. */
    List<Long> allocations() {
        return allocations;
    }
}
