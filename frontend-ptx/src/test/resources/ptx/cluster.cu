// Thread block clusters (sm_90): cluster dimension directives and cluster special registers.
#include <cooperative_groups.h>
namespace cg = cooperative_groups;

__global__ void __cluster_dims__(2, 1, 1) clusterKernel(int* out)
{
    cg::cluster_group cluster = cg::this_cluster();
    unsigned int rank = cluster.block_rank();
    cluster.sync();
    out[blockIdx.x * blockDim.x + threadIdx.x] = rank;
}
