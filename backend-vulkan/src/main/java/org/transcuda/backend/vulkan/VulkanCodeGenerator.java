package org.transcuda.backend.vulkan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Component;
import org.transcuda.backend.vulkan.codegen.CodegenException;
import org.transcuda.backend.vulkan.codegen.SpirvCodegen;
import org.transcuda.backend.vulkan.codegen.Target;
import org.transcuda.backend.vulkan.spirv.Op;
import org.transcuda.backend.vulkan.spirv.SpirvModule;
import org.transcuda.ir.AddressSpace;
import org.transcuda.ir.Function;
import org.transcuda.ir.Module;
import org.transcuda.ir.Variable;
import org.transcuda.spi.CodeGenerator;

/**
 * The {@code spirv-vulkan} code generator: each kernel as the SPIR-V module the Vulkan backend would load, for a
 * device with every optional feature ({@link Target#FULL}, 128 bytes of push constants). Module
 * {@code .global}/{@code .const} variables get placeholder addresses ({@value #PLACEHOLDER_BASE} upwards, each
 * 256-byte aligned): a real load puts them in device memory and compiles with their addresses. The runtime's
 * buffers get placeholders too, after the variables: the fault record (every kernel checks its global accesses
 * against it, as loaded kernels do; {@code trap}, {@code assert} and indirect calls need it) and, for kernels that
 * print, the printf buffer; global-access sites are numbered per module in order of compilation.
 *
 * <p>{@link #disassemble} runs {@code spirv-dis} (SPIRV-Tools) when it is on the {@code PATH}; otherwise it lists
 * the instructions by opcode name with their operand words.
 */
@Component(service = CodeGenerator.class, property = CodeGenerator.TARGET_PROPERTY + "=spirv-vulkan")
public final class VulkanCodeGenerator implements CodeGenerator {
    /** Where placeholder addresses of module variables start. */
    public static final long PLACEHOLDER_BASE = 0x1_0000_0000L;

    @Override
    public String target() {
        return "spirv-vulkan";
    }

    @Override
    public String extension() {
        return "spv";
    }

    @Override
    public List<Artifact> generate(Module module) {
        Map<String, Long> globals = new HashMap<>();
        long address = PLACEHOLDER_BASE;
        for (Variable v : module.variables()) {
            if (v.space() != AddressSpace.GLOBAL && v.space() != AddressSpace.CONST) continue;
            globals.put(v.name(), address);
            address += (Math.max(1, v.size()) + 255) & ~255L;
        }
        long faultRecord = address;
        address += (SpirvCodegen.FAULT_BYTES + 255) & ~255L;
        long printfBuffer = address;
        Map<String, Integer> siteIds = new HashMap<>();
        java.util.function.ToIntFunction<String> sites = name -> siteIds.computeIfAbsent(name, n -> siteIds.size());
        List<Artifact> out = new ArrayList<>();
        SpirvCodegen.Prepared prepared;
        try {
            prepared = SpirvCodegen.prepare(module);
        } catch (RuntimeException e) {
            for (Function f : module.kernels()) out.add(new Artifact(f.name(), null, "cannot prepare: " + e.getMessage()));
            return out;
        }
        for (Function f : module.kernels()) {
            var problem = module.problem(f.name());
            if (problem.isPresent()) {
                out.add(new Artifact(f.name(), null, problem.get().message()));
                continue;
            }
            if (!f.isDefined()) continue;
            try {
                long printf = SpirvCodegen.mayPrint(prepared, f.name()) ? printfBuffer : 0;
                VulkanKernel k = SpirvCodegen.compile(prepared, f.name(), Target.FULL, globals,
                        new SpirvCodegen.Runtime(faultRecord, printf, sites));
                out.add(new Artifact(f.name(), SpirvModule.toBytes(k.spirv()), null));
            } catch (CodegenException e) {
                out.add(new Artifact(f.name(), null, e.getMessage()));
            }
        }
        return out;
    }

    @Override
    public String disassemble(Artifact artifact) {
        if (artifact.bytes() == null) return "; " + artifact.kernel() + ": " + artifact.error() + "\n";
        String viaTool = spirvDis(artifact.bytes());
        return viaTool != null ? viaTool : rawListing(artifact.bytes());
    }

    private static String spirvDis(byte[] bytes) {
        Path f = null;
        try {
            f = Files.createTempFile("transcuda", ".spv");
            Files.write(f, bytes);
            Process p = new ProcessBuilder("spirv-dis", "--no-color", f.toString()).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) return null;
            return new String(out, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            if (f != null) {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    // a temporary file left behind
                }
            }
        }
    }

    /** Opcode names and operand words, one instruction per line (without SPIRV-Tools). */
    static String rawListing(byte[] bytes) {
        int n = bytes.length / 4;
        int[] w = new int[n];
        for (int i = 0; i < n; i++) {
            w[i] = (bytes[4 * i] & 0xff) | (bytes[4 * i + 1] & 0xff) << 8 | (bytes[4 * i + 2] & 0xff) << 16
                    | (bytes[4 * i + 3] & 0xff) << 24;
        }
        StringBuilder sb = new StringBuilder("; SPIR-V (spirv-dis not found: raw listing)\n");
        sb.append(String.format("; magic 0x%08x version 0x%08x generator %d bound %d%n", w[0], w[1], w[2], w[3]));
        for (int i = 5; i < n;) {
            int count = w[i] >>> 16;
            int opcode = w[i] & 0xffff;
            if (count == 0) {
                sb.append("; malformed instruction at word ").append(i).append('\n');
                break;
            }
            sb.append(Op.name(opcode));
            for (int j = 1; j < count && i + j < n; j++) sb.append(' ').append(Integer.toUnsignedString(w[i + j]));
            sb.append('\n');
            i += count;
        }
        return sb.toString();
    }
}
