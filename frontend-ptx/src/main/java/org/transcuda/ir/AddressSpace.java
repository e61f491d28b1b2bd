package org.transcuda.ir;

/** PTX state spaces as explicit address spaces. */
public enum AddressSpace {
    GENERIC, GLOBAL, SHARED, LOCAL, CONST, PARAM
}
