package org.transcuda.backend.vulkan;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.transcuda.ir.Param;

/** Builds a packed argument buffer by parameter name, at the offsets the IR layout gives. */
final class Args {
    private final List<Param> params;
    final MemorySegment segment;

    Args(List<Param> params) {
        this.params = params;
        int size = 0;
        for (Param p : params) size = Math.max(size, p.offset() + p.size());
        segment = Arena.ofAuto().allocate(Math.max(1, size), 8);
    }

    private Param param(String name) {
        return params.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no parameter " + name));
    }

    Args u64(String name, long v) {
        segment.set(ValueLayout.JAVA_LONG_UNALIGNED, param(name).offset(), v);
        return this;
    }

    Args u32(String name, int v) {
        segment.set(ValueLayout.JAVA_INT_UNALIGNED, param(name).offset(), v);
        return this;
    }

    Args f32(String name, int index, float v) {
        segment.set(ValueLayout.JAVA_FLOAT_UNALIGNED, param(name).offset() + 4L * index, v);
        return this;
    }
}
