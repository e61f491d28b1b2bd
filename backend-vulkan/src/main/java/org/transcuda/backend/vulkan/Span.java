package org.transcuda.backend.vulkan;

/** A validated byte range of device memory: {@code bytes} at {@code offset} inside {@code buffer}'s VkBuffer. */
record Span(GpuBuffer buffer, long offset, long bytes) {
    boolean overlaps(Span o) {
        return buffer == o.buffer && offset < o.offset + o.bytes && o.offset < offset + bytes;
    }
}
