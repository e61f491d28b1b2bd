package org.transcuda.ptx.parse;

import static org.transcuda.ptx.parse.Lexer.ANDAND;
import static org.transcuda.ptx.parse.Lexer.DOTWORD;
import static org.transcuda.ptx.parse.Lexer.EOF;
import static org.transcuda.ptx.parse.Lexer.EQ;
import static org.transcuda.ptx.parse.Lexer.FLOAT;
import static org.transcuda.ptx.parse.Lexer.GE;
import static org.transcuda.ptx.parse.Lexer.IDENT;
import static org.transcuda.ptx.parse.Lexer.INT;
import static org.transcuda.ptx.parse.Lexer.LE;
import static org.transcuda.ptx.parse.Lexer.NE;
import static org.transcuda.ptx.parse.Lexer.OROR;
import static org.transcuda.ptx.parse.Lexer.SHL;
import static org.transcuda.ptx.parse.Lexer.SHR;
import static org.transcuda.ptx.parse.Lexer.STRING;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.transcuda.ptx.ast.AddressSizeDirective;
import org.transcuda.ptx.ast.AliasDirective;
import org.transcuda.ptx.ast.Block;
import org.transcuda.ptx.ast.BranchTargets;
import org.transcuda.ptx.ast.CallPrototype;
import org.transcuda.ptx.ast.Diagnostic;
import org.transcuda.ptx.ast.FileDirective;
import org.transcuda.ptx.ast.Function;
import org.transcuda.ptx.ast.FunctionDirective;
import org.transcuda.ptx.ast.Guard;
import org.transcuda.ptx.ast.Initializer;
import org.transcuda.ptx.ast.Instruction;
import org.transcuda.ptx.ast.Label;
import org.transcuda.ptx.ast.Linkage;
import org.transcuda.ptx.ast.Loc;
import org.transcuda.ptx.ast.ModuleItem;
import org.transcuda.ptx.ast.Operand;
import org.transcuda.ptx.ast.PerformanceDirective;
import org.transcuda.ptx.ast.Pragma;
import org.transcuda.ptx.ast.PtxModule;
import org.transcuda.ptx.ast.PtxType;
import org.transcuda.ptx.ast.SectionDirective;
import org.transcuda.ptx.ast.SourcePos;
import org.transcuda.ptx.ast.StateSpace;
import org.transcuda.ptx.ast.Statement;
import org.transcuda.ptx.ast.TargetDirective;
import org.transcuda.ptx.ast.VariableDecl;
import org.transcuda.ptx.ast.VersionDirective;

/**
 * A recursive-descent parser for PTX text, producing a {@link PtxModule}.
 *
 * <p>Instructions are parsed generically (opcode, dotted modifiers, operands), so any instruction parses; an
 * opcode outside {@link Opcodes} becomes a {@link Diagnostic} on its function. Malformed input raises
 * {@link PtxParseException} and nothing else; nesting depth is bounded, and every loop consumes input.
 *
 * <p>Not thread-safe per instance; the static entry points create one instance per call.
 */
public final class PtxParser {
    /** Maximum nesting of blocks, braces, brackets, parentheses and unary operators. */
    public static final int MAX_DEPTH = 200;

    /**
     * The newest PTX ISA version implemented, {@code NEWEST_ISA_MAJOR.NEWEST_ISA_MINOR}: 9.0, what CUDA 13.0 (nvcc
     * 13) writes. A newer {@code .version} is an {@link UnsupportedPtxVersionException}.
     */
    public static final int NEWEST_ISA_MAJOR = 9;

    /** See {@link #NEWEST_ISA_MAJOR}. */
    public static final int NEWEST_ISA_MINOR = 0;

    private static final Operand.Sink SINK = new Operand.Sink();

    private final String file;
    private final Lexer lx;
    private int depth;
    private Loc currentLoc;
    /** The latest .loc for each (file, line, column), for resolving inlined_at chains. */
    private final java.util.Map<Loc, Loc> locsByPosition = new java.util.HashMap<>();
    private static final int MAX_INLINE_DEPTH = 64;
    private List<Diagnostic> diagnostics;
    private boolean exprUnsigned;
    private final ArrayList<String> modifierScratch = new ArrayList<>(8);
    private final java.util.HashMap<List<String>, List<String>> modifierLists = new java.util.HashMap<>();
    private int lastLine = 1;
    private int lastCol = 1;

    private PtxParser(String file, char[] text) {
        this.file = file;
        this.lx = new Lexer(file, text);
    }

    /**
     * Parses a PTX module.
     *
     * @param fileName the name used in source positions and error messages
     * @param text     the PTX source
     * @return the syntax tree
     * @throws PtxParseException for malformed input, with {@code file:line:col} of the offending token
     */
    public static PtxModule parse(String fileName, CharSequence text) {
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(text, "text");
        char[] chars = text.toString().toCharArray();
        PtxParser parser = new PtxParser(fileName, chars);
        try {
            return parser.parseModule();
        } catch (PtxParseException e) {
            throw e;
        } catch (StackOverflowError e) {
            throw parser.errorAtLast("input nested too deeply for the parser's stack");
        } catch (RuntimeException e) {
            // Defensive: a bug in the parser must still surface as a parse error with a position.
            throw parser.errorAtLast("internal parser error: " + e);
        }
    }

    /** Reads a file as UTF-8 (malformed bytes replaced) and parses it, named by its file name. */
    public static PtxModule parse(Path path) throws IOException {
        byte[] bytes = Files.readAllBytes(path);
        Path name = path.getFileName();
        return parse(name == null ? path.toString() : name.toString(), new String(bytes, StandardCharsets.UTF_8));
    }

    // ------------------------------------------------------------------------------------------------
    // helpers

    private Lexer.Tok peek() {
        return lx.peek(0);
    }

    private Lexer.Tok peek(int k) {
        return lx.peek(k);
    }

    private Lexer.Tok next() {
        Lexer.Tok t = lx.next();
        lastLine = t.line;
        lastCol = t.col;
        return t;
    }

    private boolean at(int kind) {
        return lx.peek(0).kind == kind;
    }

    private boolean atWord(String word) {
        Lexer.Tok t = lx.peek(0);
        return t.kind == DOTWORD && t.text.equals(word);
    }

    private SourcePos pos(Lexer.Tok t) {
        return new SourcePos(file, t.line, t.col);
    }

    private PtxParseException errorAt(Lexer.Tok t, String detail) {
        return new PtxParseException(file, t.line, t.col, detail);
    }

    private PtxParseException errorAtLast(String detail) {
        return new PtxParseException(file, lastLine, lastCol, detail);
    }

    /** "expected WHAT, found TOKEN" at the next token. */
    private PtxParseException expected(String what) {
        Lexer.Tok t = peek();
        return errorAt(t, "expected " + what + ", found " + lx.describe(t));
    }

    private void expect(int kind, String what) {
        if (peek().kind != kind) {
            throw expected(what);
        }
        next();
    }

    private String expectIdent(String what) {
        Lexer.Tok t = peek();
        if (t.kind != IDENT) {
            throw expected(what);
        }
        next();
        return t.text;
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw errorAt(peek(), "nesting deeper than " + MAX_DEPTH + " levels");
        }
    }

    private void leave() {
        depth--;
    }

    /** An INT token as a non-negative int. */
    private int expectSmallInt(String what) {
        Lexer.Tok t = peek();
        if (t.kind != INT) {
            throw expected(what);
        }
        if (t.value < 0 || t.value > Integer.MAX_VALUE) {
            throw errorAt(t, what + " out of range: " + lx.text(t));
        }
        next();
        return (int) t.value;
    }

    // ------------------------------------------------------------------------------------------------
    // module level

    private PtxModule parseModule() {
        List<ModuleItem> items = new ArrayList<>();
        while (true) {
            Lexer.Tok t = peek();
            if (t.kind == EOF) {
                break;
            }
            if (t.kind != DOTWORD) {
                throw expected("a directive (.version, .target, .entry, .func, a variable declaration, ...)");
            }
            SourcePos pos = pos(t);
            switch (t.text) {
                case ".version" -> items.add(parseVersion(pos));
                case ".target" -> items.add(parseTarget(pos));
                case ".address_size" -> {
                    next();
                    items.add(new AddressSizeDirective(pos, expectSmallInt("address size after .address_size")));
                }
                case ".file" -> items.add(parseFile(pos));
                case ".section" -> items.add(parseSection(pos));
                case ".pragma" -> items.add(parsePragma());
                case ".alias" -> {
                    next();
                    String alias = expectIdent("alias name after .alias");
                    expect(',', "',' after alias name");
                    String aliasee = expectIdent("aliased function name");
                    expect(';', "';' after .alias");
                    items.add(new AliasDirective(pos, alias, aliasee));
                }
                case ".loc" -> parseLoc(); // outside functions it maps nothing; accepted and dropped
                default -> parseLinkedItem(pos, items);
            }
        }
        return new PtxModule(file, items);
    }

    private void parseLinkedItem(SourcePos pos, List<ModuleItem> items) {
        Lexer.Tok t = peek();
        Linkage linkage = Linkage.fromDirective(t.text);
        if (linkage != null) {
            next();
            t = peek();
            if (t.kind != DOTWORD) {
                throw expected(".entry, .func or a state space after " + linkage.directive());
            }
        } else {
            linkage = Linkage.NONE;
        }
        String word = t.text;
        if (word.equals(".entry") || word.equals(".func")) {
            items.add(parseFunction(pos, linkage));
            return;
        }
        StateSpace space = StateSpace.fromDirective(word);
        if (space == null) {
            throw expected(linkage == Linkage.NONE
                    ? "a directive (.version, .target, .entry, .func, a variable declaration, ...)"
                    : ".entry, .func or a state space after " + linkage.directive());
        }
        next();
        parseDeclarators(pos, linkage, space, true, items::add);
        expect(';', "';' after declaration");
    }

    private VersionDirective parseVersion(SourcePos pos) {
        next();
        Lexer.Tok t = peek();
        if (t.kind != FLOAT && t.kind != INT) {
            throw expected("version number (major.minor) after .version");
        }
        String text = lx.text(t);
        int dot = text.indexOf('.');
        String major = dot < 0 ? text : text.substring(0, dot);
        String minor = dot < 0 ? "0" : text.substring(dot + 1);
        if (!isDigits(major) || !isDigits(minor) || major.length() > 6 || minor.length() > 6) {
            throw errorAt(t, "expected version number (major.minor) after .version, found '" + text + "'");
        }
        int maj = Integer.parseInt(major);
        int min = Integer.parseInt(minor);
        if (maj > NEWEST_ISA_MAJOR || (maj == NEWEST_ISA_MAJOR && min > NEWEST_ISA_MINOR)) {
            throw new UnsupportedPtxVersionException(file, t.line, t.col, maj, min);
        }
        next();
        return new VersionDirective(pos, maj, min);
    }

    private static boolean isDigits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private TargetDirective parseTarget(SourcePos pos) {
        next();
        List<String> targets = new ArrayList<>(2);
        targets.add(expectIdent("target architecture after .target"));
        while (at(',')) {
            next();
            targets.add(expectIdent("target option after ','"));
        }
        return new TargetDirective(pos, targets);
    }

    private FileDirective parseFile(SourcePos pos) {
        next();
        int index = expectSmallInt("file index after .file");
        Lexer.Tok t = peek();
        if (t.kind != STRING) {
            throw expected("quoted file name after .file index");
        }
        next();
        String path = lx.stringContents(t);
        List<Long> extra = new ArrayList<>(2);
        while (at(',')) {
            next();
            Lexer.Tok v = peek();
            if (v.kind != INT) {
                throw expected("integer (timestamp or size) in .file");
            }
            next();
            extra.add(v.value);
        }
        return new FileDirective(pos, index, path, extra);
    }

    private SectionDirective parseSection(SourcePos pos) {
        next();
        Lexer.Tok t = peek();
        if (t.kind != DOTWORD && t.kind != IDENT) {
            throw expected("section name after .section");
        }
        next();
        String name = t.text;
        if (!at('{')) {
            throw expected("'{' to open section " + name);
        }
        int contentStart = next().end;
        int close = lx.skipBalancedBraces();
        if (close < 0) {
            throw new PtxParseException(file, lx.line(), lx.column(),
                    "expected '}' to close section " + name + ", found end of input");
        }
        return new SectionDirective(pos, name, lx.slice(contentStart, close));
    }

    private Pragma parsePragma() {
        Lexer.Tok start = next();
        SourcePos pos = pos(start);
        List<String> values = new ArrayList<>(1);
        while (true) {
            Lexer.Tok t = peek();
            if (t.kind != STRING) {
                throw expected("quoted string in .pragma");
            }
            next();
            values.add(lx.stringContents(t));
            if (!at(',')) {
                break;
            }
            next();
        }
        expect(';', "';' after .pragma");
        return new Pragma(pos, values);
    }

    private Loc parseLoc() {
        next();
        int fileIndex = expectSmallInt("file index after .loc");
        int line = expectSmallInt("line number in .loc");
        int column = at(INT) ? expectSmallInt("column in .loc") : 0;
        String functionName = null;
        Loc inlinedAt = null;
        while (at(',') && peek(1).kind == IDENT) {
            String key = peek(1).text;
            if (key.equals("function_name")) {
                next();
                next();
                functionName = expectIdent("label after function_name in .loc");
            } else if (key.equals("inlined_at")) {
                next();
                next();
                int f = expectSmallInt("file index after inlined_at");
                int l = expectSmallInt("line number after inlined_at");
                int c = expectSmallInt("column after inlined_at");
                Loc site = new Loc(f, l, c);
                // The call site is the most recent .loc with that position, with its own inlining chain.
                Loc prior = locsByPosition.get(site);
                inlinedAt = prior != null && inlineDepth(prior) < MAX_INLINE_DEPTH ? prior : site;
            } else {
                break;
            }
        }
        Loc loc = new Loc(fileIndex, line, column, functionName, inlinedAt);
        locsByPosition.put(new Loc(fileIndex, line, column), loc);
        return loc;
    }

    private static int inlineDepth(Loc loc) {
        int d = 0;
        for (Loc l = loc; l != null && d <= MAX_INLINE_DEPTH; l = l.inlinedAt()) {
            d++;
        }
        return d;
    }

    // ------------------------------------------------------------------------------------------------
    // functions

    private Function parseFunction(SourcePos pos, Linkage linkage) {
        boolean entry = next().text.equals(".entry");
        List<VariableDecl> returns = List.of();
        if (!entry && at('(')) {
            returns = parseParamList("return parameter");
        }
        String name = expectIdent(entry ? "kernel name after .entry" : "function name after .func");
        List<VariableDecl> params = List.of();
        if (at('(')) {
            params = parseParamList("parameter");
        }
        boolean noreturn = false;
        List<FunctionDirective> directives = new ArrayList<>(2);
        while (true) {
            Lexer.Tok t = peek();
            if (t.kind == DOTWORD) {
                String w = t.text;
                if (w.equals(".noreturn")) {
                    next();
                    noreturn = true;
                } else if (w.equals(".pragma")) {
                    directives.add(parsePragma());
                } else if (isModuleKeyword(w)) {
                    throw expected("'{' or ';' after function header");
                } else {
                    next();
                    List<Long> values = new ArrayList<>(3);
                    if (at(INT)) {
                        values.add(next().value);
                        while (at(',')) {
                            next();
                            Lexer.Tok v = peek();
                            if (v.kind != INT) {
                                throw expected("integer in " + w);
                            }
                            next();
                            values.add(v.value);
                        }
                    }
                    directives.add(new PerformanceDirective(pos(t), w, values));
                }
                continue;
            }
            if (t.kind == ';') {
                next();
                return new Function(pos, linkage, entry, name, returns, params, noreturn, directives, false,
                        List.of(), List.of());
            }
            if (t.kind == '{') {
                next();
                currentLoc = null;
                diagnostics = new ArrayList<>();
                List<Statement> body = new ArrayList<>();
                parseStatements(body);
                List<Diagnostic> diags = diagnostics;
                diagnostics = null;
                return new Function(pos, linkage, entry, name, returns, params, noreturn, directives, true,
                        body, diags);
            }
            throw expected("'{' or ';' after function header");
        }
    }

    private static boolean isModuleKeyword(String w) {
        return switch (w) {
            case ".entry", ".func", ".version", ".target", ".address_size", ".file", ".section", ".alias",
                 ".extern", ".visible", ".weak", ".common", ".global", ".const", ".shared", ".local", ".param",
                 ".reg", ".tex", ".loc" -> true;
            default -> false;
        };
    }

    private List<VariableDecl> parseParamList(String what) {
        expect('(', "'('");
        List<VariableDecl> params = new ArrayList<>();
        if (at(')')) {
            next();
            return params;
        }
        while (true) {
            Lexer.Tok t = peek();
            StateSpace space = t.kind == DOTWORD ? StateSpace.fromDirective(t.text) : null;
            if (space == null) {
                throw expected(what + " declaration (.param or .reg)");
            }
            next();
            DeclSpec spec = parseDeclSpec();
            params.add(parseDeclarator(pos(t), Linkage.NONE, space, spec, false));
            if (at(',')) {
                next();
                continue;
            }
            if (at(')')) {
                next();
                return params;
            }
            throw expected("',' or ')' in " + what + " list");
        }
    }

    // ------------------------------------------------------------------------------------------------
    // declarations

    private record DeclSpec(int align, int vectorWidth, PtxType type, VariableDecl.PtrAttribute ptr,
                            List<String> attributes) {
    }

    /** Everything between the state space and the name. */
    private DeclSpec parseDeclSpec() {
        int align = 0;
        int vector = 1;
        PtxType type = null;
        VariableDecl.PtrAttribute ptr = null;
        List<String> attributes = List.of();
        while (at(DOTWORD)) {
            Lexer.Tok t = peek();
            String w = t.text;
            if (w.equals(".align")) {
                next();
                align = expectAlignment();
            } else if (isVectorWord(w)) {
                next();
                vector = Integer.parseInt(w, 2, w.length(), 10);
            } else if (w.equals(".ptr")) {
                next();
                StateSpace ptrSpace = null;
                int ptrAlign = 0;
                while (at(DOTWORD)) {
                    String pw = peek().text;
                    StateSpace sp = StateSpace.fromDirective(pw);
                    if (sp != null) {
                        next();
                        ptrSpace = sp;
                    } else if (pw.equals(".align")) {
                        next();
                        ptrAlign = expectAlignment();
                    } else {
                        break;
                    }
                }
                ptr = new VariableDecl.PtrAttribute(ptrSpace, ptrAlign);
            } else if (w.equals(".attribute")) {
                next();
                attributes = parseAttributes();
            } else {
                PtxType pt = PtxType.fromName(w);
                if (pt == null || type != null) {
                    break;
                }
                next();
                type = pt;
            }
        }
        if (type == null) {
            throw expected("a type in declaration (.b32, .u64, .f32, .pred, ...)");
        }
        return new DeclSpec(align, vector, type, ptr, attributes);
    }

    private static boolean isVectorWord(String w) {
        if (w.length() < 3 || w.length() > 4 || w.charAt(1) != 'v') {
            return false;
        }
        return switch (w) {
            case ".v2", ".v4", ".v8", ".v16" -> true;
            default -> false;
        };
    }

    private int expectAlignment() {
        Lexer.Tok t = peek();
        int a = expectSmallInt("alignment after .align");
        if (a == 0 || (a & (a - 1)) != 0) {
            throw errorAt(t, "alignment must be a power of two, found " + a);
        }
        return a;
    }

    private List<String> parseAttributes() {
        expect('(', "'(' after .attribute");
        List<String> attrs = new ArrayList<>(1);
        while (true) {
            Lexer.Tok t = peek();
            if (t.kind != DOTWORD) {
                throw expected("attribute name (.managed, .unified, ...)");
            }
            next();
            String attr = t.text;
            if (at('(')) {
                next();
                StringBuilder sb = new StringBuilder(attr).append('(');
                while (true) {
                    Lexer.Tok v = peek();
                    if (v.kind != INT) {
                        throw expected("integer in attribute " + attr);
                    }
                    next();
                    sb.append(Long.toUnsignedString(v.value));
                    if (at(',')) {
                        next();
                        sb.append(',');
                        continue;
                    }
                    expect(')', "',' or ')' in attribute " + attr);
                    break;
                }
                attr = sb.append(')').toString();
            }
            attrs.add(attr);
            if (at(',')) {
                next();
                continue;
            }
            expect(')', "',' or ')' in .attribute");
            return attrs;
        }
    }

    /** After the state space: spec, one or more declarators separated by ','. Does not consume ';'. */
    private void parseDeclarators(SourcePos pos, Linkage linkage, StateSpace space, boolean allowInit,
                                  java.util.function.Consumer<VariableDecl> sink) {
        DeclSpec spec = parseDeclSpec();
        sink.accept(parseDeclarator(pos, linkage, space, spec, allowInit));
        while (at(',')) {
            next();
            sink.accept(parseDeclarator(pos, linkage, space, spec, allowInit));
        }
    }

    private VariableDecl parseDeclarator(SourcePos pos, Linkage linkage, StateSpace space, DeclSpec spec,
                                         boolean allowInit) {
        String name = expectIdent("variable name");
        int range = -1;
        if (at('<')) {
            next();
            range = expectSmallInt("register count in '<>'");
            expect('>', "'>' after register count");
        }
        List<Long> dims = List.of();
        if (at('[')) {
            dims = new ArrayList<>(1);
            while (at('[')) {
                next();
                if (at(']')) {
                    next();
                    dims.add(VariableDecl.UNSIZED);
                    continue;
                }
                Lexer.Tok t = peek();
                long dim = parseExpr();
                if (dim < 0) {
                    throw errorAt(t, "array dimension must not be negative, found " + dim);
                }
                dims.add(dim);
                expect(']', "']' after array dimension");
            }
        }
        Initializer init = null;
        if (allowInit && at('=')) {
            next();
            init = parseInitializer();
        }
        return new VariableDecl(pos, linkage, space, spec.align(), spec.vectorWidth(), spec.type(), spec.ptr(),
                spec.attributes(), name, range, dims, init);
    }

    private Initializer parseInitializer() {
        enter();
        try {
            if (!at('{')) {
                return new Initializer.Value(parseInitValue());
            }
            next();
            List<Initializer> items = new ArrayList<>();
            while (true) {
                items.add(parseInitializer());
                if (at(',')) {
                    next();
                    continue;
                }
                expect('}', "',' or '}' in initializer");
                return new Initializer.Braced(items);
            }
        } finally {
            leave();
        }
    }

    private Operand parseInitValue() {
        Lexer.Tok t = peek();
        if (t.kind == IDENT) {
            if (t.text.equals("generic") && peek(1).kind == '(') {
                next();
                next();
                String name = expectIdent("variable name in generic()");
                expect(')', "')' after generic(" + name);
                return new Operand.SymbolRef(name, parseOffsetTail(), true);
            }
            next();
            long offset = parseOffsetTail();
            return offset == 0 ? t.ident : new Operand.SymbolRef(t.text, offset, false);
        }
        Operand f = tryFloat();
        if (f != null) {
            return f;
        }
        if (isExprStart(t.kind)) {
            long v = parseExpr();
            return new Operand.IntImm(v, exprUnsigned);
        }
        throw expected("an initializer value");
    }

    // ------------------------------------------------------------------------------------------------
    // statements

    private void parseStatements(List<Statement> out) {
        while (true) {
            Lexer.Tok t = peek();
            switch (t.kind) {
                case '}' -> {
                    next();
                    return;
                }
                case EOF -> throw expected("'}' to close the function body");
                case '{' -> {
                    SourcePos pos = pos(t);
                    enter();
                    next();
                    List<Statement> inner = new ArrayList<>();
                    parseStatements(inner);
                    leave();
                    out.add(new Block(pos, inner));
                }
                case '@' -> out.add(parseInstruction());
                case IDENT -> {
                    if (peek(1).kind == ':') {
                        parseLabeled(out);
                    } else {
                        out.add(parseInstruction());
                    }
                }
                case DOTWORD -> parseBodyDirective(out);
                default -> throw expected("an instruction, label, declaration or '}'");
            }
        }
    }

    private void parseLabeled(List<Statement> out) {
        Lexer.Tok t = next();
        SourcePos pos = pos(t);
        String name = t.text;
        next(); // ':'
        if (atWord(".branchtargets")) {
            next();
            List<String> targets = new ArrayList<>();
            targets.add(expectIdent("label in .branchtargets"));
            while (at(',')) {
                next();
                targets.add(expectIdent("label in .branchtargets"));
            }
            expect(';', "';' after .branchtargets");
            out.add(new BranchTargets(pos, name, targets));
        } else if (atWord(".callprototype")) {
            next();
            List<VariableDecl> returns = List.of();
            if (at('(')) {
                returns = parseParamList("return parameter");
            }
            expectIdent("'_' (function name placeholder) in .callprototype");
            List<VariableDecl> params = List.of();
            if (at('(')) {
                params = parseParamList("parameter");
            }
            boolean noreturn = false;
            if (atWord(".noreturn")) {
                next();
                noreturn = true;
            }
            expect(';', "';' after .callprototype");
            out.add(new CallPrototype(pos, name, returns, params, noreturn));
        } else {
            out.add(new Label(pos, name));
        }
    }

    private void parseBodyDirective(List<Statement> out) {
        Lexer.Tok t = peek();
        String w = t.text;
        switch (w) {
            case ".loc" -> currentLoc = parseLoc();
            case ".pragma" -> out.add(parsePragma());
            default -> {
                SourcePos pos = pos(t);
                Linkage linkage = Linkage.fromDirective(w);
                if (linkage != null) {
                    next();
                    t = peek();
                } else {
                    linkage = Linkage.NONE;
                }
                StateSpace space = t.kind == DOTWORD ? StateSpace.fromDirective(t.text) : null;
                if (space == null) {
                    throw expected(linkage == Linkage.NONE
                            ? "an instruction, label, declaration or '}'"
                            : "a state space after " + linkage.directive());
                }
                next();
                parseDeclarators(pos, linkage, space, true, out::add);
                expect(';', "';' after declaration");
            }
        }
    }

    private Instruction parseInstruction() {
        Lexer.Tok first = peek();
        SourcePos pos = pos(first);
        Guard guard = null;
        if (first.kind == '@') {
            next();
            boolean negated = false;
            if (at('!')) {
                next();
                negated = true;
            }
            guard = new Guard(expectIdent("predicate after '@'"), negated);
        }
        Lexer.Tok opTok = peek();
        if (opTok.kind != IDENT) {
            throw expected("instruction opcode");
        }
        next();
        String opcode = opTok.text;
        int opLine = opTok.line;
        int opCol = opTok.col;
        List<String> modifiers;
        if (at(DOTWORD)) {
            // Modifier lists repeat endlessly (".param.f32"): share one immutable list per distinct sequence.
            List<String> scratch = modifierScratch;
            scratch.clear();
            while (at(DOTWORD)) {
                scratch.add(next().text);
            }
            modifiers = modifierLists.get(scratch);
            if (modifiers == null) {
                modifiers = List.copyOf(scratch);
                modifierLists.put(modifiers, modifiers);
            }
        } else {
            modifiers = List.of();
        }
        List<Operand> operands;
        if (at(';')) {
            operands = List.of();
        } else if (!canStartOperand(peek().kind)) {
            throw expected("';' after instruction");
        } else {
            boolean call = opcode.equals("call");
            operands = new ArrayList<>(4);
            operands.add(parseOperand(call));
            while (at(',')) {
                next();
                operands.add(parseOperand(call));
            }
        }
        expect(';', "';' after instruction");
        if (!Opcodes.isKnown(opcode)) {
            diagnostics.add(new Diagnostic(new SourcePos(file, opLine, opCol), "unknown instruction '" + opcode + "'"));
        }
        return new Instruction(pos, guard, opcode, modifiers, operands, currentLoc);
    }

    // ------------------------------------------------------------------------------------------------
    // operands

    private static boolean canStartOperand(int kind) {
        return kind == IDENT || kind == FLOAT || kind == '{' || kind == '[' || isExprStart(kind);
    }

    private Operand parseOperand(boolean call) {
        enter();
        try {
            Operand a = parsePrimaryOperand(call);
            if (at('|')) {
                next();
                a = new Operand.Pair(a, parsePrimaryOperand(call));
            }
            return a;
        } finally {
            leave();
        }
    }

    private Operand parsePrimaryOperand(boolean call) {
        Lexer.Tok t = peek();
        switch (t.kind) {
            case IDENT:
                return parseNameOperand();
            case '{': {
                next();
                List<Operand> elems = new ArrayList<>(4);
                while (true) {
                    elems.add(parseOperand(call));
                    if (at(',')) {
                        next();
                        continue;
                    }
                    expect('}', "',' or '}' in vector operand");
                    return new Operand.Vector(elems);
                }
            }
            case '[':
                return parseAddress();
            case '!':
                if (peek(1).kind == IDENT) {
                    next();
                    return new Operand.Not(parseNameOperand());
                }
                break;
            case '(':
                if (call) {
                    next();
                    List<Operand> elems = new ArrayList<>(4);
                    if (at(')')) {
                        next();
                        return new Operand.ParenList(elems);
                    }
                    while (true) {
                        elems.add(parseOperand(false));
                        if (at(',')) {
                            next();
                            continue;
                        }
                        expect(')', "',' or ')' in call argument list");
                        return new Operand.ParenList(elems);
                    }
                }
                break;
            default:
                break;
        }
        Operand f = tryFloat();
        if (f != null) {
            return f;
        }
        if (isExprStart(t.kind)) {
            long v = parseExpr();
            return new Operand.IntImm(v, exprUnsigned);
        }
        throw expected("an operand");
    }

    /** A name operand, with an adjacent vector component ({@code %tid.x}) and a {@code +offset}. */
    private Operand parseNameOperand() {
        Lexer.Tok t = next();
        int start = t.start;
        Operand.Ident ident = t.ident;
        if (ident.name().equals("_")) {
            return SINK;
        }
        Lexer.Tok c = peek();
        if (c.kind == DOTWORD && c.start == t.end && isComponent(c.text)) {
            next();
            ident = lx.name(start, c.end);
        }
        if (at('+') || at('-')) {
            long offset = parseOffsetTail();
            if (offset != 0) {
                return new Operand.SymbolRef(ident.name(), offset, false);
            }
        }
        return ident;
    }

    private static boolean isComponent(String w) {
        if (w.length() != 2) {
            return false;
        }
        return switch (w.charAt(1)) {
            case 'x', 'y', 'z', 'w', 'r', 'g', 'b', 'a' -> true;
            default -> false;
        };
    }

    private Operand parseAddress() {
        next(); // '['
        enter();
        try {
            Operand base;
            long offset = 0;
            Lexer.Tok t = peek();
            if (t.kind == IDENT) {
                base = parseNameOperand();
                if (base instanceof Operand.SymbolRef ref) {
                    base = new Operand.Ident(ref.name());
                    offset = ref.offset();
                }
            } else if (isExprStart(t.kind) && peek(1).kind != FLOAT) {
                long v = parseExpr();
                base = new Operand.IntImm(v, exprUnsigned);
            } else {
                base = parseOperand(false);
            }
            if (at(']')) {
                next();
                return new Operand.Address(base, offset);
            }
            if (!at(',')) {
                throw expected("']' to close address");
            }
            List<Operand> elems = new ArrayList<>(3);
            elems.add(offset == 0 ? base : new Operand.SymbolRef(((Operand.Ident) base).name(), offset, false));
            while (at(',')) {
                next();
                elems.add(parseOperand(false));
            }
            expect(']', "',' or ']' in address");
            return new Operand.AddressList(elems);
        } finally {
            leave();
        }
    }

    /** {@code (+|-) term ...} after a symbol; 0 when absent. */
    private long parseOffsetTail() {
        long offset = 0;
        while (at('+') || at('-')) {
            boolean minus = next().kind == '-';
            long v = parseBinary(PREC_MUL);
            offset = minus ? offset - v : offset + v;
        }
        return offset;
    }

    /** A float literal, optionally negated; {@code null} (nothing consumed) if the next token starts none. */
    private Operand tryFloat() {
        Lexer.Tok t = peek();
        if (t.kind == FLOAT) {
            next();
            return new Operand.FloatImm(t.value, t.flag);
        }
        if (t.kind == '-' && peek(1).kind == FLOAT) {
            next();
            Lexer.Tok f = next();
            long bits = f.flag ? (f.value ^ 0x8000_0000L) : (f.value ^ Long.MIN_VALUE);
            return new Operand.FloatImm(bits, f.flag);
        }
        return null;
    }

    // ------------------------------------------------------------------------------------------------
    // integer constant expressions (folded; 64-bit wrapping arithmetic)

    private static final int PREC_MUL = 10;

    private static boolean isExprStart(int kind) {
        return kind == INT || kind == '-' || kind == '+' || kind == '~' || kind == '!' || kind == '(';
    }

    private static int precedence(int kind) {
        return switch (kind) {
            case OROR -> 1;
            case ANDAND -> 2;
            case '|' -> 3;
            case '^' -> 4;
            case '&' -> 5;
            case EQ, NE -> 6;
            case '<', '>', LE, GE -> 7;
            case SHL, SHR -> 8;
            case '+', '-' -> 9;
            case '*', '/', '%' -> PREC_MUL;
            default -> 0;
        };
    }

    /** A full constant expression, including {@code ?:}; sets {@link #exprUnsigned}. */
    private long parseExpr() {
        enter();
        try {
            long cond = parseBinary(1);
            if (!at('?')) {
                return cond;
            }
            next();
            long a = parseExpr();
            boolean au = exprUnsigned;
            expect(':', "':' in conditional expression");
            long b = parseExpr();
            boolean bu = exprUnsigned;
            exprUnsigned = au || bu;
            return cond != 0 ? a : b;
        } finally {
            leave();
        }
    }

    private long parseBinary(int minPrec) {
        long left = parseUnary();
        boolean leftUnsigned = exprUnsigned;
        while (true) {
            Lexer.Tok op = peek();
            int kind = op.kind;
            int prec = precedence(kind);
            if (prec == 0 || prec < minPrec) {
                break;
            }
            int line = op.line;
            int col = op.col;
            next();
            long right = parseBinary(prec + 1);
            boolean u = leftUnsigned || exprUnsigned;
            switch (kind) {
                case '+' -> left = left + right;
                case '-' -> left = left - right;
                case '*' -> left = left * right;
                case '/', '%' -> {
                    if (right == 0) {
                        throw new PtxParseException(file, line, col, "division by zero in constant expression");
                    }
                    if (kind == '/') {
                        left = u ? Long.divideUnsigned(left, right) : left / right;
                    } else {
                        left = u ? Long.remainderUnsigned(left, right) : left % right;
                    }
                }
                case SHL -> left = left << right;
                case SHR -> left = u ? left >>> right : left >> right;
                case '&' -> left = left & right;
                case '^' -> left = left ^ right;
                case '|' -> left = left | right;
                case '<' -> left = bool(compare(left, right, u) < 0);
                case '>' -> left = bool(compare(left, right, u) > 0);
                case LE -> left = bool(compare(left, right, u) <= 0);
                case GE -> left = bool(compare(left, right, u) >= 0);
                case EQ -> left = bool(left == right);
                case NE -> left = bool(left != right);
                case ANDAND -> left = bool(left != 0 && right != 0);
                case OROR -> left = bool(left != 0 || right != 0);
                default -> throw errorAtLast("internal parser error: operator " + kind);
            }
            boolean logical = prec <= 2 || prec == 6 || prec == 7;
            leftUnsigned = !logical && u;
        }
        exprUnsigned = leftUnsigned;
        return left;
    }

    private static int compare(long a, long b, boolean unsigned) {
        return unsigned ? Long.compareUnsigned(a, b) : Long.compare(a, b);
    }

    private static long bool(boolean b) {
        return b ? 1 : 0;
    }

    private long parseUnary() {
        enter();
        try {
            Lexer.Tok t = peek();
            switch (t.kind) {
                case '-' -> {
                    next();
                    return -parseUnary();
                }
                case '+' -> {
                    next();
                    return parseUnary();
                }
                case '~' -> {
                    next();
                    return ~parseUnary();
                }
                case '!' -> {
                    next();
                    long v = parseUnary();
                    exprUnsigned = false;
                    return bool(v == 0);
                }
                case '(' -> {
                    next();
                    Lexer.Tok c = peek();
                    if (c.kind == DOTWORD && peek(1).kind == ')'
                            && (c.text.equals(".s64") || c.text.equals(".u64"))) {
                        boolean unsigned = c.text.equals(".u64");
                        next();
                        next();
                        long v = parseUnary();
                        exprUnsigned = unsigned;
                        return v;
                    }
                    long v = parseExpr();
                    expect(')', "')' in constant expression");
                    return v;
                }
                case INT -> {
                    next();
                    exprUnsigned = t.flag;
                    return t.value;
                }
                case FLOAT -> throw errorAt(t, "expected an integer constant, found floating-point literal "
                        + lx.describe(t));
                default -> throw expected("an integer constant");
            }
        } finally {
            leave();
        }
    }
}
