package org.transcuda.ptx.ast;

import java.util.Objects;

/**
 * {@code .section .debug_info { ... }}: debug information. The contents are not parsed, only kept verbatim so the
 * printer can write them back (they hold, e.g., the {@code $L__info_string} labels that {@code .loc} refers to).
 *
 * @param name     the section name, e.g. {@code ".debug_str"}
 * @param contents the source text between the braces, verbatim
 */
public record SectionDirective(SourcePos pos, String name, String contents) implements ModuleItem {
    public SectionDirective {
        Objects.requireNonNull(pos, "pos");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(contents, "contents");
    }
}
