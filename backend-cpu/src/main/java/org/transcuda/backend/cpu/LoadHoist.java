package org.transcuda.backend.cpu;

import java.util.ArrayList;
import java.util.List;
import org.transcuda.ir.Inst;
import org.transcuda.ir.Reg;
import org.transcuda.ir.Value;

/**
 * Statement order of a vector-form path ({@link VectorPaths}): each LOAD moves up past the register statements
 * before it (LANE, UNIFORM, TID; DEAD ones do not run) that neither read nor write its destination register, and
 * stops at any other access (LOAD, STORE, STORE_UNIFORM): loads keep their order among themselves and with every
 * store. stencil's interior path {@code a = in[i-1] + in[i+1]; a += in[i-nx]; a += in[i+nx]; out[i] = 0.25·a}
 * then runs its four loads first and its three additions and the multiplication as one fused loop (one pass over
 * the lanes, the sums in JVM locals, one NaN reduction) instead of three loops that each write a per-thread array
 * and reduce it.
 *
 * <h2>Why this is exact</h2>
 * A LOAD of the vector form takes its address from {@link AffineSites}' coefficients, not from registers, and its
 * accesses are checked before the path runs (per block, or per row loop in {@link GridRows}): it reads no register
 * and cannot fault while the path runs. It writes only its destination register's array, so moving it before
 * statements that do not mention that register changes no register value any statement reads. Memory is only
 * written by stores (and, outside vector forms, atomics and calls, which have none): a load never passes a store,
 * so every thread's load still sees its own earlier stores and no later ones. {@link VectorPaths}' shared loads
 * ({@code from}) and loop grouping are computed on the new order, with their own conditions.
 * {@code -Dtranscuda.cpu.vecHoist=false}: program order (A/B measurements).
 */
final class LoadHoist {
    /** {@code -Dtranscuda.cpu.vecHoist=false}: statements in program order. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.vecHoist"));

    private LoadHoist() {
    }

    /**
     * The new order of a path's statements: {@code order[k]} is the index in {@code stmts} of the statement that
     * runs k-th ({@code kind}: {@link VectorPaths}' statement kinds). The identity when disabled.
     */
    static int[] order(List<VectorPaths.At> stmts, int[] kind) {
        int m = stmts.size();
        List<Integer> out = new ArrayList<>(m);
        for (int i = 0; i < m; i++) {
            int pos = out.size();
            if (ENABLED && kind[i] == VectorPaths.LOAD) {
                Reg d = ((Inst.Load) stmts.get(i).stmt().inst()).dst();
                while (pos > 0 && passable(stmts.get(out.get(pos - 1)).stmt().inst(), kind[out.get(pos - 1)], d)) {
                    pos--;
                }
            }
            out.add(pos, i);
        }
        int[] order = new int[m];
        for (int k = 0; k < m; k++) order[k] = out.get(k);
        return order;
    }

    /** Whether a LOAD into {@code d} may move before statement {@code in} of kind {@code kind}. */
    private static boolean passable(Inst in, int kind, Reg d) {
        switch (kind) {
            case VectorPaths.DEAD:
                return true;
            case VectorPaths.LANE, VectorPaths.UNIFORM, VectorPaths.TID:
                for (Reg r : in.defs()) if (r.id() == d.id()) return false;
                for (Value v : in.uses()) if (v instanceof Reg r && r.id() == d.id()) return false;
                return true;
            default:
                return false;
        }
    }
}
