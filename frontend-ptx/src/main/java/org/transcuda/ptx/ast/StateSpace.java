package org.transcuda.ptx.ast;

/** The state space of a declaration. */
public enum StateSpace {
    REG(".reg"),
    SREG(".sreg"),
    CONST(".const"),
    GLOBAL(".global"),
    LOCAL(".local"),
    PARAM(".param"),
    SHARED(".shared"),
    TEX(".tex");

    private final String directive;

    StateSpace(String directive) {
        this.directive = directive;
    }

    /** The PTX spelling, e.g. {@code ".shared"}. */
    public String directive() {
        return directive;
    }

    /** The state space for a directive such as {@code ".global"}, or {@code null}. */
    public static StateSpace fromDirective(String directive) {
        return switch (directive) {
            case ".reg" -> REG;
            case ".sreg" -> SREG;
            case ".const" -> CONST;
            case ".global" -> GLOBAL;
            case ".local" -> LOCAL;
            case ".param" -> PARAM;
            case ".shared" -> SHARED;
            case ".tex" -> TEX;
            default -> null;
        };
    }
}
