package org.transcuda.spi;

/** A module variable in device memory: its device address and size (cuModuleGetGlobal). */
public record GlobalSymbol(long address, long size) {
}
