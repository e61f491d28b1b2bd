// A dense switch statement, which nvcc may lower to a jump table (brx.idx) or a branch tree.
__global__ void switchKernel(const int* sel, float* out)
{
    int i = threadIdx.x;
    float r;
    switch (sel[i]) {
        case 0: r = 1.0f; break;
        case 1: r = out[i] * 2.0f; break;
        case 2: r = out[i] + 3.0f; break;
        case 3: r = -out[i]; break;
        case 4: r = out[i] * out[i]; break;
        case 5: r = 0.5f; break;
        case 6: r = out[i] - 7.0f; break;
        case 7: r = out[i] / 3.0f; break;
        default: r = 0.0f; break;
    }
    out[i] = r;
}
