package org.transcuda.backend.cpu;

/**
 * A grid-row loop ({@link GridRows}) run as consecutive chunks of at most {@link #LANES} lanes: the path's whole
 * vector form (its loads, its arithmetic loop and NaN test, its stores) runs once per chunk instead of once over
 * the loop's up to 4096 lanes, with the plan and the access checks of the whole loop made once before.
 *
 * <h2>Why</h2>
 * A vector form moves each load and store of a loop as one {@code MemorySegment.copy} ({@link VecMem}); over 4096
 * lanes each copy is 16 KiB of one stream (saxpy: all of {@code x}'s row, then all of {@code y}'s, then {@code y}'s
 * store), and on this host a copy stream of that length from memory runs at well under the bandwidth that the
 * streams interleaved in short runs get (a stand-alone model, saxpy on 2^24 floats in one thread: rows of 4096
 * lanes 6.2–6.7 ms, of 512 lanes 3.4 ms, the plain loop over a heap array 3.2). Cutting the row into loops of
 * fewer lanes ({@code -Dtranscuda.cpu.rowLanes=512}) helps saxpy but doubles stencil's time: each piece is then
 * planned and checked again; chunks keep the plan of the whole row.
 *
 * <h2>Why this is exact</h2>
 * A vector form holds for any set of threads of one path ({@link VectorPaths}); a chunk is a subset of a planned
 * loop's lanes, so the plan's path holds for it and the loop's checked address range covers its accesses (the
 * lanes of a shifted load that the chunk's own array lacks are read from memory, inside that range, as at a block's
 * edge). Each chunk gets its own first lane ({@code %tid.x} of a lane is {@code (vx0 + lane) mod ntid.x}) and its
 * first addresses, as a loop starting there would. CUDA leaves the order of threads without barriers free, and a
 * thread's own statements keep their order within its chunk. {@code -Dtranscuda.cpu.rowChunks=false}: one run per
 * loop (A/B); {@code -Dtranscuda.cpu.rowChunk=N} lanes per chunk; {@code -Dtranscuda.cpu.stats=true} prints the
 * chunks run.
 */
final class RowChunks {
    /** {@code -Dtranscuda.cpu.rowChunks=false}: each grid-row loop runs its vector form once over all its lanes. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.rowChunks"));
    /** Most lanes of one chunk ({@code -Dtranscuda.cpu.rowChunk}, default 512). */
    static final int LANES = Math.max(1, Integer.getInteger("transcuda.cpu.rowChunk", 512));

    private RowChunks() {
    }

    /** The default lanes per chunk of a new launch: {@link #LANES}, or 0 (no chunks) when switched off. */
    static int lanes() {
        return ENABLED ? LANES : 0;
    }

    /**
     * Per path of {@code k}: whether its grid-row loops run in chunks, i.e. no two of its load sites share an
     * address program (each load reads its own stream). Loads of one program at different offsets (a stencil's
     * {@code in[i-1]}, {@code in[i+1]}) read data that the neighbouring rows read too, mostly from the caches, where
     * short copies measured slower than whole rows (stencil 1.5x of its CPU time in chunks of 512).
     */
    static boolean[] paths(CompiledKernel k) {
        AffineSites a = k.affine;
        int[][] sites = k.paths.vector.pathSites;
        boolean[] on = new boolean[sites.length];
        for (int p = 0; p < sites.length; p++) {
            on[p] = true;
            java.util.BitSet progs = new java.util.BitSet();
            for (int j : sites[p]) {
                if (!(a.inst[j] instanceof org.transcuda.ir.Inst.Load)) continue;
                if (progs.get(a.prog[j])) on[p] = false;
                progs.set(a.prog[j]);
            }
        }
        return on;
    }
}
