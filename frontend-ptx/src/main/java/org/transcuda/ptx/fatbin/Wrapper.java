package org.transcuda.ptx.fatbin;

/**
 * A fat binary wrapper ({@code __fatBinC_Wrapper_t} in the {@code .nvFatBinSegment} section), as
 * {@code __cudaRegisterFatBinary} receives it, with the fat binary container it points to.
 *
 * @param address              where the wrapper was read
 * @param version              1 for a compiled unit; 2 for the device-link output ({@code *_dlink}), which nvcc 13
 *                             emits for every executable, with or without {@code -rdc}
 * @param dataAddress          the wrapper's pointer to the fat binary container
 * @param filenameOrFatbins    the wrapper's last field: 0 in version 1; in version 2 the address of the array of
 *                             prelinked fat binaries ({@code __cudaPrelinkedFatbins})
 * @param fatBinary            the container at {@code dataAddress}
 */
public record Wrapper(long address, int version, long dataAddress, long filenameOrFatbins, FatBinary fatBinary) {
}
