package org.transcuda.corpus;

import java.util.ArrayList;
import java.util.List;

/** corpus/src/special_regs.cu: 3D launches and hardware registers checked through invariants. */
final class SpecialRegsCases {

    private static final String PTX = "special_regs.ptx";

    private SpecialRegsCases() {
    }

    static List<KernelCase> cases() {
        List<KernelCase> out = new ArrayList<>();
        out.add(index3d("", Dim3.of(3, 2, 2), Dim3.of(4, 3, 2), 280));
        out.add(index3d("all", Dim3.of(2, 3, 4), Dim3.of(8, 2, 3), 2 * 3 * 4 * 8 * 2 * 3));
        out.add(index3d("1d", Dim3.of(5), Dim3.of(64), 300));
        out.add(invariants("", 300, 128, 0));
        out.add(invariants("dyn", 500, 96, 96));
        return out;
    }

    static KernelCase index3d(String v, Dim3 grid, Dim3 block, int n) {
        int total = (int) (grid.count() * block.count());
        int[] out = CaseBuilder.sentinel32(4 * total);
        for (int bz = 0; bz < grid.z(); bz++) {
            for (int by = 0; by < grid.y(); by++) {
                for (int bx = 0; bx < grid.x(); bx++) {
                    int b = (bz * grid.y() + by) * grid.x() + bx;
                    for (int tz = 0; tz < block.z(); tz++) {
                        for (int ty = 0; ty < block.y(); ty++) {
                            for (int tx = 0; tx < block.x(); tx++) {
                                int t = (tz * block.y() + ty) * block.x() + tx;
                                int gi = b * (int) block.count() + t;
                                if (gi >= n) {
                                    continue;
                                }
                                out[4 * gi] = b;
                                out[4 * gi + 1] = t;
                                out[4 * gi + 2] = tx + 10 * ty + 100 * tz;
                                out[4 * gi + 3] = bx + 10 * by + 100 * bz;
                            }
                        }
                    }
                }
            }
        }
        return new CaseBuilder(PTX, "sreg_3d_index", v).grid(grid).block(block).out("out", out).u32("n", n).build();
    }

    static KernelCase invariants(String v, int n, int block, int dyn) {
        int[] out = new int[7 * n];
        java.util.Arrays.fill(out, 1);
        return new CaseBuilder(PTX, "sreg_invariants", v).cover(n, block).shared(dyn).out("out", out).u32("dyn", dyn)
                .u32("n", n).build();
    }
}
