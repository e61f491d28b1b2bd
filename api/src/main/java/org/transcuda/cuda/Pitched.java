package org.transcuda.cuda;

/** A pitched allocation (cuMemAllocPitch): {@code height} rows of {@code pitch} bytes. */
public record Pitched(long pointer, long pitch) {
}
