package org.transcuda.cuda;

/**
 * What cuPointerGetAttributes reports about an address.
 *
 * @param memoryType  {@code DEVICE} for device allocations, {@code HOST} for page-locked host memory
 * @param device      ordinal of the device whose context owns the memory
 * @param base        start of the allocation that contains the address
 * @param size        size of that allocation in bytes
 * @param devicePointer the address to use in kernels
 * @param managed     whether the memory is managed (cuMemAllocManaged): host and device share the address
 */
public record PointerAttributes(MemoryType memoryType, int device, long base, long size, long devicePointer,
        boolean managed) {
    /** Attributes of memory that is not managed. */
    public PointerAttributes(MemoryType memoryType, int device, long base, long size, long devicePointer) {
        this(memoryType, device, base, size, devicePointer, false);
    }

    /** CUmemorytype. */
    public enum MemoryType {
        /** cudaMemoryTypeUnregistered (runtime only): host memory CUDA does not know. */
        UNREGISTERED(0),
        HOST(1), DEVICE(2), ARRAY(3), UNIFIED(4);

        private final int code;

        MemoryType(int code) {
            this.code = code;
        }

        /** CUDA's CU_MEMORYTYPE_* value. */
        public int code() {
            return code;
        }
    }
}
