package org.transcuda.backend.vulkan.codegen;

import java.nio.charset.StandardCharsets;
import org.transcuda.backend.vulkan.spirv.Op;
import org.transcuda.backend.vulkan.spirv.Spv;
import org.transcuda.ir.Block;
import org.transcuda.ir.Function;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Module;
import org.transcuda.ir.Reg;
import org.transcuda.ir.ScalarType;
import org.transcuda.ir.Stmt;
import org.transcuda.ir.SymbolAddr;
import org.transcuda.ir.Value;
import org.transcuda.ir.Variable;
import org.transcuda.spi.host.DevicePrintf;

/**
 * Device {@code printf} ({@code vprintf(format, args)}): each call appends a record to the context's printf
 * buffer, which the runtime formats on the host after the launch ({@link DevicePrintf}), as CUDA prints its
 * printf FIFO when the kernel completes.
 *
 * <h2>The buffer</h2>
 * {@link #BYTES} bytes at a device address the kernel is compiled with: a u32 cursor at 0 (in 8-byte units,
 * counting every record claimed, written or not), records from byte {@link #HEADER}. A record is the u64 generic
 * address of the format string, the u32 byte count of the argument buffer, a u32 zero, then the argument buffer
 * (vprintf's packed layout) padded to 8 bytes. A thread claims its record's units with one atomic add on the
 * cursor and writes the record only when it ends within the buffer; a record that does not fit is dropped, and
 * so is every later one (the cursor only grows), so the buffer is never overrun, as with CUDA's
 * {@code cudaLimitPrintfFifoSize}. The runtime reads the records after the kernel has completed and zeroes the
 * part it read, so the slot of a dropped record reads as a zero format address, which ends the records.
 *
 * <h2>What is supported</h2>
 * The format string must be a module variable with an initializer that the format argument reaches through
 * moves and {@code cvta} in the calling function (what nvcc emits for string literals): its conversions give the
 * size of the argument buffer at compile time; any other format fails to compile with the reason. {@code %s}
 * arguments are printed when they point into an initialized module variable (string literals), else as their
 * address. The call returns the number of arguments, as CUDA's printf.
 */
final class Printf {
    /** Bytes of the printf buffer (CUDA's default printf FIFO size). */
    static final int BYTES = 1 << 20;
    /** Bytes before the first record. */
    static final int HEADER = 16;

    private Printf() {
    }

    static void call(SpirvCodegen g, Function fn, Inst.Call c, long buffer) throws CodegenException {
        if (buffer == 0) throw new CodegenException("printf needs a printf buffer (compiled without one)");
        if (c.args().size() != 2) throw new CodegenException("vprintf with " + c.args().size() + " arguments");
        String fmt = format(g.module(), fn, c.args().get(0), 0);
        int[] layout = DevicePrintf.layout(fmt);
        int bytes = layout[0];
        int units = 2 + (bytes + 7) / 8;
        int capacity = (BYTES - HEADER) / 8;
        if (units > capacity) throw new CodegenException("printf with " + bytes + " bytes of arguments");
        var m = g.m();
        int fid = g.helper("printf" + bytes, m.typeVoid(), new int[] {g.tU64(), g.tU64()}, p -> {
            var f = g.f();
            int u32 = g.tU32();
            int cursor = g.globalPointer(u32, g.cU64(buffer));
            int old = f.op(Op.AtomicIAdd, u32, cursor, g.cU32(Spv.Scope.Device), g.cU32(0), g.cU32(units));
            int fits = f.op(Op.ULessThanEqual, g.tBool(), old, g.cU32(capacity - units));
            int write = m.id(), done = m.id();
            f.selectionMerge(done);
            f.branchConditional(fits, write, done);
            f.label(write);
            int at = f.op(Op.IAdd, g.tU64(), g.cU64(buffer + HEADER),
                    f.op(Op.IMul, g.tU64(), f.op(Op.UConvert, g.tU64(), old), g.cU64(8)));
            int load = g.genericHelper(ScalarType.U32, false);
            for (int i = 0; i < bytes / 4; i++) {
                int w = f.op(Op.FunctionCall, u32, load, f.op(Op.IAdd, g.tU64(), p[1], g.cU64(4L * i)));
                g.globalStore(ScalarType.U32, f.op(Op.IAdd, g.tU64(), at, g.cU64(16 + 4L * i)), w,
                        org.transcuda.ir.Memory.Order.WEAK);
            }
            g.globalStore(ScalarType.U32, f.op(Op.IAdd, g.tU64(), at, g.cU64(8)), g.cU32(bytes),
                    org.transcuda.ir.Memory.Order.WEAK);
            g.globalStore(ScalarType.U64, at, p[0], org.transcuda.ir.Memory.Order.WEAK);
            f.branch(done);
            f.label(done);
            f.returnVoid();
        });
        g.f().op(Op.FunctionCall, m.typeVoid(), fid, g.val(c.args().get(0), ScalarType.U64),
                g.val(c.args().get(1), ScalarType.U64));
        for (Reg r : c.results()) g.def(r, g.val(new org.transcuda.ir.Const(r.type(), layout[1]), r.type()),
                r.type());
    }

    /** The format string the value {@code v} of {@code fn} always holds (see the class comment). */
    private static String format(Module ir, Function fn, Value v, int depth) throws CodegenException {
        if (depth > 16) throw unknown();
        if (v instanceof SymbolAddr a) {
            Variable var = ir.variable(a.symbol()).orElseThrow(Printf::unknown);
            byte[] init = var.init();
            if (init == null) throw unknown();
            int end = 0;
            while (end < init.length && init[end] != 0) end++;
            return new String(init, 0, end, StandardCharsets.UTF_8);
        }
        if (!(v instanceof Reg r)) throw unknown();
        Inst def = null;
        for (Block b : fn.blocks()) {
            for (Stmt s : b.stmts()) {
                if (s.inst().defs().contains(r)) {
                    if (def != null) throw unknown();
                    def = s.inst();
                }
            }
        }
        return switch (def) {
            case Inst.Mov mv -> format(ir, fn, mv.src(), depth + 1);
            case Inst.Cvta cv -> format(ir, fn, cv.src(), depth + 1);
            case null, default -> throw unknown();
        };
    }

    private static CodegenException unknown() {
        return new CodegenException("printf: the format is not a string literal of the module"
                + " (the Vulkan backend reads formats at compile time)");
    }
}
