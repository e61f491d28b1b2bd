/**
 * Reading CUDA fat binaries: the images nvcc embeds in executables ({@code __cudaRegisterFatBinary}) and that
 * {@code cuModuleLoadData} accepts. {@link org.transcuda.ptx.fatbin.FatBinary} parses a fat binary wrapper,
 * container, bare PTX or cubin into {@link org.transcuda.ptx.fatbin.Entry entries}, decompresses PTX (LZ4, Zstd)
 * and chooses the PTX for a device ({@link org.transcuda.ptx.fatbin.PtxSelection}); problems raise
 * {@link org.transcuda.ptx.fatbin.FatBinaryException}, whose kind maps to a CUDA error. The layout, as verified on
 * nvcc 13 output, is documented on {@link org.transcuda.ptx.fatbin.FatBinary}.
 */
@Export
@Version("0.1.0")
package org.transcuda.ptx.fatbin;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
