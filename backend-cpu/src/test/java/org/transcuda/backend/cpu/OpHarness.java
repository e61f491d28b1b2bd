package org.transcuda.backend.cpu;

import static org.transcuda.backend.cpu.Ir.PRED;
import static org.transcuda.backend.cpu.Ir.U32;
import static org.transcuda.backend.cpu.Ir.U64;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.function.BiConsumer;
import org.transcuda.ir.AddressSpace;
import org.transcuda.ir.FloatMode;
import org.transcuda.ir.Reg;
import org.transcuda.ir.ScalarType;
import org.transcuda.spi.BackendFunction;

/**
 * Runs one instruction over arrays of operand bit patterns: thread i loads operand j from slot i of array j
 * (8 bytes per slot, read with the operand's type), executes the instruction, widens the result (sign- or
 * zero-extended per its type; predicates as 0/1) and stores it as 64 bits. Registers are declared with the
 * operands' own types, so the generated code's conversions and normalization are exercised too.
 */
final class OpHarness {
    /** Emits the instruction under test from operand registers into the result register. */
    interface Body {
        void emit(Ir k, Reg dst, Reg[] srcs);
    }

    static long[] run(Gpu gpu, ScalarType resultType, ScalarType[] operandTypes, long[][] operands, Body body)
            throws Exception {
        int n = operands[0].length;
        Ir k = Ir.kernel("op").param("n", U32).param("out", U64);
        for (int j = 0; j < operandTypes.length; j++) k.param("in" + j, U64);
        Reg nr = k.reg(U32);
        Reg out = k.reg(U64);
        k.ldParam(nr, "n").ldParam(out, "out");
        Reg i = k.globalIdX();
        Reg p = k.reg(PRED);
        k.setp(org.transcuda.ir.Inst.CmpOp.GE, U32, p, i, nr).braIf(p, "done", "body");
        k.label("body");
        Reg[] srcs = new Reg[operandTypes.length];
        for (int j = 0; j < operandTypes.length; j++) {
            Reg base = k.reg(U64);
            k.ldParam(base, "in" + j);
            Reg a = k.index(base, i, 8);
            ScalarType t = operandTypes[j];
            srcs[j] = k.reg(t);
            if (t == PRED) {
                Reg w = k.reg(U32);
                k.ld(AddressSpace.GLOBAL, U32, w, a, 0);
                k.setp(org.transcuda.ir.Inst.CmpOp.NE, U32, srcs[j], w, Ir.u32(0));
            } else {
                k.ld(AddressSpace.GLOBAL, t, srcs[j], a, 0);
            }
        }
        Reg dst = k.reg(resultType);
        body.emit(k, dst, srcs);
        Reg wide = k.reg(ScalarType.B64);
        if (resultType == PRED) {
            k.op(org.transcuda.ir.Opcode.SELP, ScalarType.U64, wide, Ir.u64(1), Ir.u64(0), dst);
        } else if (resultType.bits() == 64) {
            k.mov(wide, dst);
        } else {
            boolean signed = resultType.kind() == ScalarType.Kind.SIGNED;
            ScalarType from = resultType.kind() == ScalarType.Kind.FLOAT || resultType.kind() == ScalarType.Kind.BITS
                    ? ScalarType.valueOf("U" + resultType.bits()) : resultType;
            Reg asInt = k.reg(from);
            k.mov(asInt, dst);
            k.cvt(signed ? ScalarType.S64 : ScalarType.U64, from, FloatMode.NONE, wide, asInt);
        }
        k.st(AddressSpace.GLOBAL, ScalarType.B64, k.index(out, i, 8), 0, wide);
        k.label("done").exit();
        BackendFunction f = gpu.kernel(k.build());
        Object[] args = new Object[2 + operandTypes.length];
        args[0] = n;
        long dout = gpu.alloc(Math.max(8, n * 8L));
        args[1] = dout;
        for (int j = 0; j < operandTypes.length; j++) args[2 + j] = gpu.upload(operands[j]);
        gpu.launch(f, (n + 127) / 128, 128, args);
        gpu.sync();
        return gpu.longs(dout, n);
    }

    static void forEach(long[] results, BiConsumer<Integer, Long> check) {
        for (int i = 0; i < results.length; i++) check.accept(i, results[i]);
    }

    static MemorySegment unused() {
        return MemorySegment.ofArray(new long[1]).asSlice(0, ValueLayout.JAVA_LONG.byteSize());
    }

    static List<Object> none() {
        return List.of();
    }
}
