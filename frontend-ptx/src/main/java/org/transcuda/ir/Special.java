package org.transcuda.ir;

/** PTX special registers, read by {@link Inst.ReadSpecial}. */
public enum Special {
    TID_X, TID_Y, TID_Z, NTID_X, NTID_Y, NTID_Z,
    CTAID_X, CTAID_Y, CTAID_Z, NCTAID_X, NCTAID_Y, NCTAID_Z,
    LANEID, WARPID, NWARPID, SMID, NSMID, GRIDID,
    LANEMASK_EQ, LANEMASK_LT, LANEMASK_LE, LANEMASK_GT, LANEMASK_GE,
    CLOCK, CLOCK64, GLOBALTIMER, GLOBALTIMER_LO, GLOBALTIMER_HI,
    DYNAMIC_SMEM_SIZE, TOTAL_SMEM_SIZE,
    CLUSTERID_X, CLUSTERID_Y, CLUSTERID_Z, NCLUSTERID_X, NCLUSTERID_Y, NCLUSTERID_Z,
    CLUSTER_CTAID_X, CLUSTER_CTAID_Y, CLUSTER_CTAID_Z, CLUSTER_NCTAID_X, CLUSTER_NCTAID_Y, CLUSTER_NCTAID_Z,
    CLUSTER_CTARANK, CLUSTER_NCTARANK, IS_EXPLICIT_CLUSTER;

    /** The register's type: {@code .u64} for 64-bit clocks and timers, {@code .pred} for the flag, else u32. */
    public ScalarType type() {
        return switch (this) {
            case CLOCK64, GLOBALTIMER, GRIDID -> ScalarType.U64;
            case IS_EXPLICIT_CLUSTER -> ScalarType.PRED;
            default -> ScalarType.U32;
        };
    }

    /**
     * Whether the register holds the same value for every thread of a block (block and grid dimensions and indices,
     * shared-memory sizes, cluster registers); thread, lane and warp indices, lane masks, clocks and timers do not.
     */
    public boolean blockUniform() {
        return switch (this) {
            case NTID_X, NTID_Y, NTID_Z, CTAID_X, CTAID_Y, CTAID_Z, NCTAID_X, NCTAID_Y, NCTAID_Z, NWARPID, NSMID,
                    GRIDID, DYNAMIC_SMEM_SIZE, TOTAL_SMEM_SIZE, CLUSTERID_X, CLUSTERID_Y, CLUSTERID_Z,
                    NCLUSTERID_X, NCLUSTERID_Y, NCLUSTERID_Z, CLUSTER_CTAID_X, CLUSTER_CTAID_Y, CLUSTER_CTAID_Z,
                    CLUSTER_NCTAID_X, CLUSTER_NCTAID_Y, CLUSTER_NCTAID_Z, CLUSTER_CTARANK, CLUSTER_NCTARANK,
                    IS_EXPLICIT_CLUSTER -> true;
            default -> false;
        };
    }
}
