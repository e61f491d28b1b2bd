package org.transcuda.ptx.ast;

/** Linkage of a module-level function or variable. */
public enum Linkage {
    /** No linkage directive: the symbol is private to the module. */
    NONE(""),
    EXTERN(".extern"),
    VISIBLE(".visible"),
    WEAK(".weak"),
    COMMON(".common");

    private final String directive;

    Linkage(String directive) {
        this.directive = directive;
    }

    /** The PTX spelling ({@code ".visible"}), empty for {@link #NONE}. */
    public String directive() {
        return directive;
    }

    /** The linkage for a directive such as {@code ".extern"}, or {@code null}. */
    public static Linkage fromDirective(String directive) {
        return switch (directive) {
            case ".extern" -> EXTERN;
            case ".visible" -> VISIBLE;
            case ".weak" -> WEAK;
            case ".common" -> COMMON;
            default -> null;
        };
    }
}
