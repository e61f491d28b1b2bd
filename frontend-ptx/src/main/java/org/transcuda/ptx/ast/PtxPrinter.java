package org.transcuda.ptx.ast;

import java.util.List;

/**
 * Writes a syntax tree back as PTX text. Parsing the output again gives an equal tree, apart from source
 * positions: constant expressions come back folded, comments and layout are not kept (section contents are, verbatim),
 * and {@code .loc} directives (with their inlining chain) are written before every instruction whose location
 * differs from the previous instruction's.
 */
public final class PtxPrinter {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PtxPrinter() {
    }

    /** The whole module as PTX. */
    public static String print(PtxModule module) {
        StringBuilder sb = new StringBuilder(4096);
        for (ModuleItem item : module.items()) {
            appendModuleItem(sb, item);
        }
        return sb.toString();
    }

    public static void appendModuleItem(StringBuilder sb, ModuleItem item) {
        switch (item) {
            case VersionDirective v -> sb.append(".version ").append(v.major()).append('.').append(v.minor()).append('\n');
            case TargetDirective t -> {
                sb.append(".target ");
                join(sb, t.targets());
                sb.append('\n');
            }
            case AddressSizeDirective a -> sb.append(".address_size ").append(a.bits()).append('\n');
            case FileDirective f -> {
                sb.append(".file ").append(f.index()).append(" \"").append(f.path()).append('"');
                for (Long e : f.extra()) {
                    sb.append(", ").append(e);
                }
                sb.append('\n');
            }
            case SectionDirective s -> sb.append(".section ").append(s.name()).append("\n{").append(s.contents()).append("}\n");
            case AliasDirective a -> sb.append(".alias ").append(a.alias()).append(", ").append(a.aliasee()).append(";\n");
            case Pragma p -> {
                appendPragma(sb, p);
                sb.append('\n');
            }
            case VariableDecl d -> {
                appendDecl(sb, d);
                sb.append(";\n");
            }
            case Function f -> appendFunction(sb, f);
        }
    }

    public static void appendFunction(StringBuilder sb, Function f) {
        sb.append('\n');
        if (f.linkage() != Linkage.NONE) {
            sb.append(f.linkage().directive()).append(' ');
        }
        sb.append(f.entry() ? ".entry " : ".func ");
        if (!f.returns().isEmpty()) {
            appendParamList(sb, f.returns(), false);
            sb.append(' ');
        }
        sb.append(f.name());
        appendParamList(sb, f.params(), true);
        if (f.noreturn()) {
            sb.append(" .noreturn");
        }
        sb.append('\n');
        for (FunctionDirective d : f.directives()) {
            switch (d) {
                case PerformanceDirective p -> {
                    sb.append(p.name());
                    for (int i = 0; i < p.values().size(); i++) {
                        sb.append(i == 0 ? " " : ", ").append(p.values().get(i));
                    }
                }
                case Pragma p -> appendPragma(sb, p);
            }
            sb.append('\n');
        }
        if (!f.hasBody()) {
            sb.append(";\n");
            return;
        }
        sb.append("{\n");
        Loc[] last = {null};
        appendStatements(sb, f.body(), 1, last);
        sb.append("}\n");
    }

    private static void appendParamList(StringBuilder sb, List<VariableDecl> params, boolean multiline) {
        sb.append('(');
        for (int i = 0; i < params.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            if (multiline) {
                sb.append("\n\t");
            } else if (i > 0) {
                sb.append(' ');
            }
            appendDecl(sb, params.get(i));
        }
        if (multiline && !params.isEmpty()) {
            sb.append('\n');
        }
        sb.append(')');
    }

    private static void appendStatements(StringBuilder sb, List<Statement> statements, int indent, Loc[] last) {
        for (Statement s : statements) {
            switch (s) {
                case Label l -> sb.append(l.name()).append(":\n");
                case Instruction in -> {
                    if (in.loc() != null && !in.loc().equals(last[0])) {
                        // Outermost call site first: ptxas wants each inlined_at position in a preceding .loc.
                        java.util.ArrayList<Loc> chain = new java.util.ArrayList<>();
                        for (Loc l = in.loc(); l != null; l = l.inlinedAt()) {
                            chain.add(l);
                        }
                        for (int i = chain.size() - 1; i >= 0; i--) {
                            indent(sb, indent);
                            appendLoc(sb, chain.get(i));
                            sb.append('\n');
                        }
                        last[0] = in.loc();
                    }
                    indent(sb, indent);
                    appendInstruction(sb, in);
                    sb.append('\n');
                }
                case VariableDecl d -> {
                    indent(sb, indent);
                    appendDecl(sb, d);
                    sb.append(";\n");
                }
                case Block b -> {
                    indent(sb, indent);
                    sb.append("{\n");
                    appendStatements(sb, b.statements(), indent + 1, last);
                    indent(sb, indent);
                    sb.append("}\n");
                }
                case Pragma p -> {
                    indent(sb, indent);
                    appendPragma(sb, p);
                    sb.append('\n');
                }
                case BranchTargets bt -> {
                    sb.append(bt.name()).append(": .branchtargets ");
                    join(sb, bt.targets());
                    sb.append(";\n");
                }
                case CallPrototype cp -> {
                    indent(sb, indent);
                    sb.append(cp.name()).append(": .callprototype ");
                    if (!cp.returns().isEmpty()) {
                        appendParamList(sb, cp.returns(), false);
                        sb.append(' ');
                    }
                    sb.append("_ ");
                    appendParamList(sb, cp.params(), false);
                    if (cp.noreturn()) {
                        sb.append(" .noreturn");
                    }
                    sb.append(";\n");
                }
            }
        }
    }

    private static void indent(StringBuilder sb, int indent) {
        for (int i = 0; i < indent; i++) {
            sb.append('\t');
        }
    }

    public static void appendLoc(StringBuilder sb, Loc loc) {
        sb.append(".loc ").append(loc.file()).append(' ').append(loc.line()).append(' ').append(loc.column());
        if (loc.functionName() != null) {
            sb.append(", function_name ").append(loc.functionName());
        }
        if (loc.inlinedAt() != null) {
            Loc at = loc.inlinedAt();
            sb.append(", inlined_at ").append(at.file()).append(' ').append(at.line()).append(' ').append(at.column());
        }
    }

    private static void appendPragma(StringBuilder sb, Pragma p) {
        sb.append(".pragma ");
        for (int i = 0; i < p.values().size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append('"').append(p.values().get(i)).append('"');
        }
        sb.append(';');
    }

    /** A declaration without the trailing semicolon. */
    public static void appendDecl(StringBuilder sb, VariableDecl d) {
        if (d.linkage() != Linkage.NONE) {
            sb.append(d.linkage().directive()).append(' ');
        }
        sb.append(d.space().directive());
        if (!d.attributes().isEmpty()) {
            sb.append(" .attribute(");
            join(sb, d.attributes());
            sb.append(')');
        }
        if (d.align() != 0) {
            sb.append(" .align ").append(d.align());
        }
        if (d.vectorWidth() != 1) {
            sb.append(" .v").append(d.vectorWidth());
        }
        sb.append(' ').append(d.type().ptxName());
        if (d.ptr() != null) {
            sb.append(" .ptr");
            if (d.ptr().space() != null) {
                sb.append(d.ptr().space().directive());
            }
            if (d.ptr().align() != 0) {
                sb.append(".align ").append(d.ptr().align());
            }
        }
        sb.append(' ').append(d.name());
        if (d.rangeCount() >= 0) {
            sb.append('<').append(d.rangeCount()).append('>');
        }
        for (Long dim : d.dims()) {
            sb.append('[');
            if (dim != VariableDecl.UNSIZED) {
                sb.append(dim);
            }
            sb.append(']');
        }
        if (d.init() != null) {
            sb.append(" = ");
            appendInitializer(sb, d.init());
        }
    }

    public static void appendInitializer(StringBuilder sb, Initializer init) {
        switch (init) {
            case Initializer.Value v -> appendOperand(sb, v.value());
            case Initializer.Braced b -> {
                sb.append('{');
                for (int i = 0; i < b.items().size(); i++) {
                    if (i > 0) {
                        sb.append(", ");
                    }
                    appendInitializer(sb, b.items().get(i));
                }
                sb.append('}');
            }
        }
    }

    /** An instruction without {@code .loc}, with its trailing semicolon. */
    public static void appendInstruction(StringBuilder sb, Instruction in) {
        if (in.guard() != null) {
            sb.append(in.guard()).append(' ');
        }
        sb.append(in.opcode());
        for (String m : in.modifiers()) {
            sb.append(m);
        }
        List<Operand> ops = in.operands();
        for (int i = 0; i < ops.size(); i++) {
            sb.append(i == 0 ? " " : ", ");
            appendOperand(sb, ops.get(i));
        }
        sb.append(';');
    }

    public static String operand(Operand op) {
        StringBuilder sb = new StringBuilder();
        appendOperand(sb, op);
        return sb.toString();
    }

    public static void appendOperand(StringBuilder sb, Operand op) {
        switch (op) {
            case Operand.Ident id -> sb.append(id.name());
            case Operand.IntImm imm -> {
                if (imm.unsigned()) {
                    sb.append(Long.toUnsignedString(imm.value())).append('U');
                } else {
                    sb.append(imm.value());
                }
            }
            case Operand.FloatImm f -> appendFloat(sb, f);
            case Operand.SymbolRef s -> {
                if (s.generic()) {
                    sb.append("generic(").append(s.name()).append(')');
                } else {
                    sb.append(s.name());
                }
                if (s.offset() != 0) {
                    sb.append('+').append(s.offset());
                }
            }
            case Operand.Address a -> {
                sb.append('[');
                appendOperand(sb, a.base());
                if (a.offset() != 0) {
                    sb.append('+').append(a.offset());
                }
                sb.append(']');
            }
            case Operand.AddressList l -> {
                sb.append('[');
                appendList(sb, l.elements());
                sb.append(']');
            }
            case Operand.Vector v -> {
                sb.append('{');
                appendList(sb, v.elements());
                sb.append('}');
            }
            case Operand.Sink s -> sb.append('_');
            case Operand.Not n -> {
                sb.append('!');
                appendOperand(sb, n.operand());
            }
            case Operand.Pair p -> {
                appendOperand(sb, p.first());
                sb.append('|');
                appendOperand(sb, p.second());
            }
            case Operand.ParenList p -> {
                sb.append('(');
                appendList(sb, p.elements());
                sb.append(')');
            }
        }
    }

    private static void appendList(StringBuilder sb, List<Operand> ops) {
        for (int i = 0; i < ops.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            appendOperand(sb, ops.get(i));
        }
    }

    /** {@code 0f3F800000} or {@code 0d3FF0000000000000}. */
    public static String floatLiteral(Operand.FloatImm f) {
        StringBuilder sb = new StringBuilder(18);
        appendFloat(sb, f);
        return sb.toString();
    }

    private static void appendFloat(StringBuilder sb, Operand.FloatImm f) {
        int digits = f.single() ? 8 : 16;
        sb.append(f.single() ? "0f" : "0d");
        for (int i = digits - 1; i >= 0; i--) {
            sb.append(HEX[(int) (f.bits() >>> (i * 4)) & 0xF]);
        }
    }

    private static void join(StringBuilder sb, List<String> items) {
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(items.get(i));
        }
    }
}
