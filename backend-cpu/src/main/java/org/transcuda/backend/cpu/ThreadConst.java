package org.transcuda.backend.cpu;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.transcuda.ir.AddressSpace;
import org.transcuda.ir.Block;
import org.transcuda.ir.Function;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Memory;
import org.transcuda.ir.Reg;
import org.transcuda.ir.Stmt;
import org.transcuda.ir.SymbolAddr;
import org.transcuda.ir.Value;

/**
 * Lockstep engine: per-thread registers that are a function of the thread index alone, computed for the first block
 * of a worker and kept for the launch's other blocks.
 *
 * <p>A register is <em>thread-constant</em> ({@link #regs}) when it has exactly one definition in the kernel,
 * unguarded, defining nothing else, by a register-only instruction ({@code mov}, arithmetic, compare, conversion,
 * {@code cvta}) of constants, constant symbol addresses (shared variables, parameters), launch-constant registers
 * and other thread-constant registers, or by a read of {@code %tid.x/y/z}. A launch-constant register has one such
 * definition of constants, symbols, kernel parameter loads, {@code %ntid} and {@code %nctaid} and other
 * launch-constant registers: not {@code %ctaid}, not a value loaded from memory. Among scan's {@code scan_block}'s:
 * {@code tid.x}, {@code lane = tid.x & 31}, {@code warp = tid.x >> 5}, the shared address
 * {@code warpSums + 4 * warp}, {@code lane != 31}, {@code warp == 0}, {@code tid.x != 255}.
 *
 * <p>Each thread's value of such a register is the same in every block of a launch (the block's shape, the
 * parameters and the shared layout do not change), and nothing but its one definition writes its array
 * ({@link Exec#lregs}, one per worker and launch). So once a lane loop of such definitions has run with every thread
 * of a block active, every thread's entry holds its value, and every later run of the same loop would write the same
 * values again: the lockstep compiler runs a run's thread-constant statements in a loop of their own before the
 * run's other statements (they read nothing the others define) and skips that loop while its bit in
 * {@link Exec#lconst} is set, the bit set after the loop ran with every thread active. Where not every thread is
 * active and the bit is not set, the loop runs over the active threads as before. A value read before its
 * definition is undefined in PTX (any value may be read), so reading the kept value there is allowed. The
 * statements are register-only and cannot fault.
 *
 * <p>Likewise an {@link ArmShared} 32-bit prescan whose predicate and load address registers are thread-constant,
 * defined by such loops: once it ran with every thread of a block active, after those loops' bits were set (every
 * thread's values present), and every load's check passed, the same addresses pass in every later block, and every
 * subset of the threads passes too; its own bit is set and the prescan skipped, the loads read unchecked as after a
 * passed prescan. A check that fails is never kept (its loads fault in that block). Off with
 * {@code -Dtranscuda.cpu.threadConstChecks=false}; all of it with {@code -Dtranscuda.cpu.threadConst=false}.
 */
final class ThreadConst {
    /** {@code -Dtranscuda.cpu.threadConst}: keep thread-constant registers across blocks (default on). */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.threadConst"));

    /**
     * {@code -Dtranscuda.cpu.threadConstChecks}: an {@link ArmShared} 32-bit prescan whose predicate and address
     * registers are thread-constant, run with every thread active after their loops ran for every thread, and passed,
     * holds for the launch's other blocks: kept in a bit of {@link Exec#lconst}, the prescan then skipped (default on).
     */
    static final boolean PRESCAN = !"false".equals(System.getProperty("transcuda.cpu.threadConstChecks"));

    /** Bits of {@link Exec#lconst}: at most this many loops per kernel are skipped. */
    static final int MAX_LOOPS = 64;

    private ThreadConst() {
    }

    /**
     * The thread-constant registers of {@code f} (see the class comment); {@code constSymbol} tells whether a symbol
     * address is a constant of the launch; {@code kernelParam} whether a parameter load reads a kernel parameter.
     */
    static BitSet regs(Function f, Predicate<SymbolAddr> constSymbol, Predicate<SymbolAddr> kernelParam) {
        Map<Integer, Integer> defs = new HashMap<>();
        Map<Integer, Stmt> def = new HashMap<>();
        for (Block b : f.blocks()) {
            for (Stmt st : b.stmts()) {
                for (Reg d : st.inst().defs()) {
                    defs.merge(d.id(), 1, Integer::sum);
                    def.put(d.id(), st);
                }
            }
        }
        BitSet launch = new BitSet();
        BitSet thread = new BitSet();
        boolean changed = true;
        while (changed) {
            changed = false;
            for (var en : def.entrySet()) {
                int id = en.getKey();
                if (launch.get(id) || thread.get(id) || defs.get(id) != 1) continue;
                Stmt st = en.getValue();
                if (st.guard() != null || st.inst().defs().size() != 1) continue;
                int kind = switch (st.inst()) {
                    case Inst.Load l -> l.space() == AddressSpace.PARAM && l.order() == Memory.Order.WEAK
                            && l.address().base() instanceof SymbolAddr sa && kernelParam.test(sa) ? 1 : 0;
                    case Inst.ReadSpecial r -> switch (r.which()) {
                        case NTID_X, NTID_Y, NTID_Z, NCTAID_X, NCTAID_Y, NCTAID_Z -> 1;
                        case TID_X, TID_Y, TID_Z -> 2;
                        default -> 0;
                    };
                    case Inst.Mov m -> operands(st, launch, thread, constSymbol);
                    case Inst.Compute c -> operands(st, launch, thread, constSymbol);
                    case Inst.Compare c -> operands(st, launch, thread, constSymbol);
                    case Inst.Convert c -> operands(st, launch, thread, constSymbol);
                    case Inst.Cvta c -> operands(st, launch, thread, constSymbol);
                    default -> 0;
                };
                if (kind == 1) launch.set(id);
                if (kind == 2) thread.set(id);
                if (kind != 0) changed = true;
            }
        }
        return thread;
    }

    /** 1: every operand launch-constant; 2: every operand launch- or thread-constant, some thread-constant; else 0. */
    private static int operands(Stmt st, BitSet launch, BitSet thread, Predicate<SymbolAddr> constSymbol) {
        int kind = 1;
        for (Value v : st.inst().uses()) {
            if (v instanceof Reg r) {
                if (thread.get(r.id())) kind = 2;
                else if (!launch.get(r.id())) return 0;
            } else if (v instanceof SymbolAddr sa && !constSymbol.test(sa)) {
                return 0;
            }
        }
        return kind;
    }
}
