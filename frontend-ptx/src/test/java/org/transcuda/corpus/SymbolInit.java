package org.transcuda.corpus;

/**
 * Host initialisation of a module-scope variable ({@code cuModuleGetGlobal} + copy, i.e.
 * {@code cudaMemcpyToSymbol}) performed after loading the module and before the first launch.
 */
public record SymbolInit(String name, byte[] bytes) {
    public SymbolInit {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }
}
