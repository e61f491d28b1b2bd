/**
 * Building blocks for backends whose device memory is host memory (the CPU backend, test backends):
 * {@link org.transcuda.spi.host.HostMemory} (off-heap allocations addressed by 64-bit device pointers, every
 * access bounds-checked) and {@link org.transcuda.spi.host.HostStream} (an in-order queue run by one
 * thread). GPU backends use their vendor's memory and queues instead. {@link org.transcuda.spi.host.DevicePrintf}
 * formats device {@code printf} output on the host, for every backend.
 */
@Export
@Version("0.4.0")
package org.transcuda.spi.host;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
