package org.transcuda.ir;

import java.util.ArrayList;
import java.util.List;

/** Lays out parameters as CUDA packs a kernel's argument buffer: each at the next offset aligned to it. */
public final class Params {
    private final List<Param> params = new ArrayList<>();
    private int offset;

    public Params add(String name, ScalarType type) {
        return add(name, type, 1, Math.max(1, type.bytes()));
    }

    public Params add(String name, ScalarType type, int count, int alignment) {
        offset = (offset + alignment - 1) / alignment * alignment;
        Param p = new Param(name, type, count, alignment, offset);
        params.add(p);
        offset += p.size();
        return this;
    }

    public List<Param> build() {
        return List.copyOf(params);
    }
}
