package org.transcuda.backend.vulkan.vk;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The layout of one C struct of the Vulkan API, with field offsets computed by the C rules of the
 * LP64/LLP64 ABIs every Vulkan platform uses (each field at the next multiple of its alignment, the size
 * rounded up to the largest alignment). Field names are the C names; nested fields are reached with
 * {@code "limits.maxPushConstantsSize"}. Accessors check the field's C type, so a typo or a wrong type is
 * an exception, not a silently corrupted struct. {@code VkStructsTest} compiles every struct with the C
 * compiler against {@code vulkan_core.h} and compares each offset and size.
 */
public final class Struct {
    /** C field types. {@code SIZE} is {@code size_t}; {@code PTR} any pointer; handles are {@code U64}. */
    public enum Kind {
        U8(1), U32(4), I32(4), F32(4), U64(8), PTR(8), SIZE(8), STRUCT(0);

        final int bytes;

        Kind(int bytes) {
            this.bytes = bytes;
        }
    }

    /** One field: {@code count > 1} for C arrays. */
    public record Field(String name, Kind kind, long offset, int count, Struct nested) {
        long elementSize() {
            return kind == Kind.STRUCT ? nested.size : kind.bytes;
        }
    }

    private final String name;
    private final Map<String, Field> fields;
    private final long size;
    private final long alignment;
    private final int sType;

    private Struct(String name, Map<String, Field> fields, long size, long alignment, int sType) {
        this.name = name;
        this.fields = Collections.unmodifiableMap(fields);
        this.size = size;
        this.alignment = alignment;
        this.sType = sType;
    }

    /** Starts a struct whose first two fields are {@code sType} and {@code pNext}. */
    public static Builder chained(String name, int sType) {
        Builder b = new Builder(name, sType);
        b.u32("sType").ptr("pNext");
        return b;
    }

    /** Starts a plain struct. */
    public static Builder plain(String name) {
        return new Builder(name, -1);
    }

    public String name() {
        return name;
    }

    public long size() {
        return size;
    }

    public long alignment() {
        return alignment;
    }

    /** The {@code VkStructureType} of a chained struct, or -1. */
    public int sType() {
        return sType;
    }

    /** Top-level fields in declaration order. */
    public Map<String, Field> fields() {
        return fields;
    }

    /** Byte offset of a field, nested with dots ({@code "limits.maxComputeWorkGroupCount"}). */
    public long offset(String path) {
        return resolve(path).offset;
    }

    private record Resolved(Field field, long offset) {
    }

    private Resolved resolve(String path) {
        Struct s = this;
        long base = 0;
        int start = 0;
        while (true) {
            int dot = path.indexOf('.', start);
            String part = dot < 0 ? path.substring(start) : path.substring(start, dot);
            Field f = s.fields.get(part);
            if (f == null) throw new IllegalArgumentException(name + " has no field " + path);
            base += f.offset;
            if (dot < 0) return new Resolved(f, base);
            if (f.kind != Kind.STRUCT) throw new IllegalArgumentException(name + "." + path + ": not a struct");
            s = f.nested;
            start = dot + 1;
        }
    }

    private long at(String path, int index, Kind... kinds) {
        Resolved r = resolve(path);
        boolean ok = false;
        for (Kind k : kinds) ok |= r.field.kind == k;
        if (!ok) {
            throw new IllegalArgumentException(name + "." + path + " is " + r.field.kind + ", not " + kinds[0]);
        }
        Objects.checkIndex(index, r.field.count);
        return r.offset + index * r.field.elementSize();
    }

    /** A zeroed instance in {@code arena} with {@code sType} set. */
    public MemorySegment allocate(Arena arena) {
        return allocate(arena, 1);
    }

    /** A zeroed array of {@code n} instances, each with {@code sType} set. */
    public MemorySegment allocate(Arena arena, int n) {
        MemorySegment seg = arena.allocate(size * n, alignment);
        seg.fill((byte) 0);
        if (sType >= 0) {
            for (int i = 0; i < n; i++) seg.set(ValueLayout.JAVA_INT, i * size, sType);
        }
        return seg;
    }

    /** Element {@code i} of an array allocated with {@link #allocate(Arena, int)}. */
    public MemorySegment element(MemorySegment array, long i) {
        return array.asSlice(i * size, size);
    }

    public int getInt(MemorySegment s, String path) {
        return getInt(s, path, 0);
    }

    public int getInt(MemorySegment s, String path, int index) {
        return s.get(ValueLayout.JAVA_INT, at(path, index, Kind.U32, Kind.I32));
    }

    public boolean getBool(MemorySegment s, String path) {
        return getInt(s, path) != 0;
    }

    public void setInt(MemorySegment s, String path, int value) {
        s.set(ValueLayout.JAVA_INT, at(path, 0, Kind.U32, Kind.I32), value);
    }

    public void setInt(MemorySegment s, String path, int index, int value) {
        s.set(ValueLayout.JAVA_INT, at(path, index, Kind.U32, Kind.I32), value);
    }

    public long getLong(MemorySegment s, String path) {
        return s.get(ValueLayout.JAVA_LONG, at(path, 0, Kind.U64, Kind.SIZE));
    }

    public void setLong(MemorySegment s, String path, long value) {
        s.set(ValueLayout.JAVA_LONG, at(path, 0, Kind.U64, Kind.SIZE), value);
    }

    public float getFloat(MemorySegment s, String path) {
        return s.get(ValueLayout.JAVA_FLOAT, at(path, 0, Kind.F32));
    }

    public void setFloat(MemorySegment s, String path, float value) {
        s.set(ValueLayout.JAVA_FLOAT, at(path, 0, Kind.F32), value);
    }

    public MemorySegment getPtr(MemorySegment s, String path) {
        return s.get(ValueLayout.ADDRESS, at(path, 0, Kind.PTR));
    }

    public void setPtr(MemorySegment s, String path, MemorySegment value) {
        s.set(ValueLayout.ADDRESS, at(path, 0, Kind.PTR), value);
    }

    /** Copies a nested struct into place (for structs embedded by value, e.g. a pipeline's stage). */
    public MemorySegment slice(MemorySegment s, String path) {
        Resolved r = resolve(path);
        return s.asSlice(r.offset, r.field.count * r.field.elementSize());
    }

    /** The bytes of a {@code uint8_t[]} field. */
    public byte[] getBytes(MemorySegment s, String path) {
        Resolved r = resolve(path);
        if (r.field.kind != Kind.U8) throw new IllegalArgumentException(name + "." + path + " is not uint8_t[]");
        return s.asSlice(r.offset, r.field.count).toArray(ValueLayout.JAVA_BYTE);
    }

    /** A NUL-terminated {@code char[]} field as a string. */
    public String getString(MemorySegment s, String path) {
        byte[] b = getBytes(s, path);
        int n = 0;
        while (n < b.length && b[n] != 0) n++;
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return name + "(" + size + " bytes)";
    }

    /** Lays out fields in order with C alignment. */
    public static final class Builder {
        private final String name;
        private final int sType;
        private final Map<String, Field> fields = new LinkedHashMap<>();
        private long offset;
        private long alignment = 1;

        private Builder(String name, int sType) {
            this.name = name;
            this.sType = sType;
        }

        private Builder add(String field, Kind kind, int count, Struct nested) {
            long align = kind == Kind.STRUCT ? nested.alignment : kind.bytes;
            long elem = kind == Kind.STRUCT ? nested.size : kind.bytes;
            offset = (offset + align - 1) / align * align;
            if (fields.put(field, new Field(field, kind, offset, count, nested)) != null) {
                throw new IllegalArgumentException(name + ": duplicate field " + field);
            }
            offset += elem * count;
            alignment = Math.max(alignment, align);
            return this;
        }

        private Builder each(Kind kind, String... names) {
            for (String n : names) add(n, kind, 1, null);
            return this;
        }

        public Builder u32(String... names) {
            return each(Kind.U32, names);
        }

        public Builder i32(String... names) {
            return each(Kind.I32, names);
        }

        public Builder f32(String... names) {
            return each(Kind.F32, names);
        }

        /** {@code uint64_t}, {@code VkDeviceSize}, {@code VkDeviceAddress} and non-dispatchable handles. */
        public Builder u64(String... names) {
            return each(Kind.U64, names);
        }

        /** Pointers, including dispatchable handles. */
        public Builder ptr(String... names) {
            return each(Kind.PTR, names);
        }

        public Builder size(String... names) {
            return each(Kind.SIZE, names);
        }

        public Builder u8Array(String field, int count) {
            return add(field, Kind.U8, count, null);
        }

        public Builder u32Array(String field, int count) {
            return add(field, Kind.U32, count, null);
        }

        public Builder f32Array(String field, int count) {
            return add(field, Kind.F32, count, null);
        }

        public Builder struct(String field, Struct nested) {
            return add(field, Kind.STRUCT, 1, nested);
        }

        public Builder structArray(String field, Struct nested, int count) {
            return add(field, Kind.STRUCT, count, nested);
        }

        public Struct build() {
            long size = (offset + alignment - 1) / alignment * alignment;
            return new Struct(name, fields, size, alignment, sType);
        }
    }
}
