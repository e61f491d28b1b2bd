package org.transcuda.cuda;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.transcuda.ir.Function;
import org.transcuda.ir.Param;

/**
 * Arguments of one kernel launch, packed as CUDA packs a kernel's parameter buffer. Values are added in
 * parameter order; each must match its parameter's size, as CUDA requires of {@code kernelParams}.
 */
public final class KernelArgs {
    private final Function function;
    private final MemorySegment buffer;
    private int next;

    public KernelArgs(Function function) {
        this.function = function;
        // On the heap: no native allocation and no cleaner per launch (backends copy the buffer when enqueueing).
        this.buffer = MemorySegment.ofArray(new long[Math.max(1, (function.paramBufferSize() + 7) / 8)]);
    }

    private Param param(int size) throws CudaException {
        List<Param> params = function.params();
        if (next >= params.size()) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE,
                    function.name() + " takes " + params.size() + " parameters, got more");
        }
        Param p = params.get(next);
        if (p.size() != size) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, "parameter " + next + " (" + p.name()
                    + ") of " + function.name() + " is " + p.size() + " bytes, got a " + size + "-byte value");
        }
        next++;
        return p;
    }

    /** A 64-bit value: a device pointer, {@code .u64}/{@code .s64}. */
    public KernelArgs add(long value) throws CudaException {
        buffer.set(ValueLayout.JAVA_LONG_UNALIGNED, param(8).offset(), value);
        return this;
    }

    /** A 32-bit integer. */
    public KernelArgs add(int value) throws CudaException {
        buffer.set(ValueLayout.JAVA_INT_UNALIGNED, param(4).offset(), value);
        return this;
    }

    /** A 32-bit float. */
    public KernelArgs add(float value) throws CudaException {
        buffer.set(ValueLayout.JAVA_FLOAT_UNALIGNED, param(4).offset(), value);
        return this;
    }

    /** A 64-bit float. */
    public KernelArgs add(double value) throws CudaException {
        buffer.set(ValueLayout.JAVA_DOUBLE_UNALIGNED, param(8).offset(), value);
        return this;
    }

    /** Raw bytes for a parameter of exactly that size (structs passed by value). */
    public KernelArgs add(byte[] value) throws CudaException {
        MemorySegment.copy(MemorySegment.ofArray(value), 0, buffer, param(value.length).offset(), value.length);
        return this;
    }

    /**
     * Raw bytes for a parameter of exactly {@code value.byteSize()} bytes, copied now (a {@code void*[]} entry
     * read in place, without an intermediate array).
     */
    public KernelArgs add(MemorySegment value) throws CudaException {
        int size = (int) Math.min(Integer.MAX_VALUE, value.byteSize());
        MemorySegment.copy(value, 0, buffer, param(size).offset(), size);
        return this;
    }

    /**
     * Arguments given as one packed parameter buffer (cuLaunchKernel's {@code extra} with
     * CU_LAUNCH_PARAM_BUFFER_POINTER and CU_LAUNCH_PARAM_BUFFER_SIZE): the buffer is copied now; one shorter
     * than the kernel's parameter buffer is CUDA_ERROR_INVALID_VALUE.
     */
    public static KernelArgs fromBuffer(Function function, MemorySegment packed) throws CudaException {
        int size = function.paramBufferSize();
        if (packed == null || packed.byteSize() < size) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, function.name() + " takes a " + size
                    + "-byte parameter buffer, got " + (packed == null ? "none" : packed.byteSize() + " bytes"));
        }
        KernelArgs args = new KernelArgs(function);
        if (size > 0) MemorySegment.copy(packed, 0, args.buffer, 0, size);
        args.next = function.params().size();
        return args;
    }

    /** The kernel these arguments are for. */
    public Function function() {
        return function;
    }

    /** The packed buffer; CUDA_ERROR_INVALID_VALUE unless every parameter was given. */
    public MemorySegment packed() throws CudaException {
        if (next != function.params().size()) {
            throw new CudaException(CUresult.CUDA_ERROR_INVALID_VALUE, function.name() + " takes "
                    + function.params().size() + " parameters, got " + next);
        }
        return buffer;
    }
}
