package org.transcuda.backend.vulkan.spirv;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a SPIR-V module. Instructions go into the sections of SPIR-V's logical layout (capabilities,
 * extensions, imports, memory model, entry points, execution modes, debug, annotations, types/constants/
 * globals, functions) in whatever order the caller emits them, so a code generator can declare a type or a
 * decoration when it first needs it. Ids come from {@link #id()}; every instruction's first word holds its
 * word count. Scalar, vector, pointer and function types and all constants are deduplicated (SPIR-V forbids
 * duplicate non-aggregate types); arrays and structs are not, because each may carry its own decorations.
 *
 * <p>Not thread-safe: one writer per module.
 */
public final class SpirvModule {
    private final int version;
    private int bound = 1;
    private int generator;

    private final Set<Integer> capabilities = new LinkedHashSet<>();
    private final Set<String> extensions = new LinkedHashSet<>();
    private final Map<String, Integer> imports = new HashMap<>();
    private final Words importWords = new Words();
    private final Words memoryModel = new Words();
    private final Words entryPoints = new Words();
    private final Words executionModes = new Words();
    private final Words debugStrings = new Words();
    private final Words debugNames = new Words();
    private final Words annotations = new Words();
    private final Words globals = new Words();
    private final Words functions = new Words();

    private final Map<String, Integer> dedup = new HashMap<>();
    private final List<Integer> globalVariables = new ArrayList<>();
    private SpirvFunction openFunction;

    /** A module of SPIR-V {@code version} ({@link Spv#VERSION_1_5} for Vulkan 1.2). */
    public SpirvModule(int version) {
        this.version = version;
    }

    /** A new result id. */
    public int id() {
        return bound++;
    }

    /** One more than the largest id used. */
    public int bound() {
        return bound;
    }

    public int version() {
        return version;
    }

    /** The generator magic number in the header (0: unregistered). */
    public void generator(int magic) {
        this.generator = magic;
    }

    // ------------------------------------------------------------ module-level sections

    public SpirvModule capability(int capability) {
        capabilities.add(capability);
        return this;
    }

    public SpirvModule extension(String name) {
        extensions.add(name);
        return this;
    }

    /** {@code OpExtInstImport}, once per name. */
    public int extInstImport(String name) {
        Integer id = imports.get(name);
        if (id == null) {
            id = id();
            importWords.instruction(Op.ExtInstImport, Words.concat(Words.of(id), Words.string(name)));
            imports.put(name, id);
        }
        return id;
    }

    public SpirvModule memoryModel(int addressingModel, int memoryModelKind) {
        if (memoryModel.size() != 0) throw new IllegalStateException("OpMemoryModel already set");
        memoryModel.instruction(Op.MemoryModel, Words.of(addressingModel, memoryModelKind));
        return this;
    }

    /**
     * {@code OpEntryPoint}; from SPIR-V 1.4 on, {@code interfaceIds} must list every global variable the
     * entry point uses ({@link #globalVariables()} lists all of them).
     */
    public SpirvModule entryPoint(int executionModel, int function, String name, int... interfaceIds) {
        entryPoints.instruction(Op.EntryPoint,
                Words.concat(Words.of(executionModel, function), Words.string(name), interfaceIds));
        return this;
    }

    public SpirvModule executionMode(int function, int mode, int... literals) {
        executionModes.instruction(Op.ExecutionMode, Words.concat(Words.of(function, mode), literals));
        return this;
    }

    public SpirvModule executionModeId(int function, int mode, int... ids) {
        executionModes.instruction(Op.ExecutionModeId, Words.concat(Words.of(function, mode), ids));
        return this;
    }

    public SpirvModule source(int language, int languageVersion) {
        debugStrings.instruction(Op.Source, Words.of(language, languageVersion));
        return this;
    }

    /** {@code OpString}: a file name for {@code OpLine}. */
    public int string(String text) {
        int id = id();
        debugStrings.instruction(Op.String, Words.concat(Words.of(id), Words.string(text)));
        return id;
    }

    public SpirvModule name(int target, String name) {
        debugNames.instruction(Op.Name, Words.concat(Words.of(target), Words.string(name)));
        return this;
    }

    public SpirvModule memberName(int structType, int member, String name) {
        debugNames.instruction(Op.MemberName, Words.concat(Words.of(structType, member), Words.string(name)));
        return this;
    }

    public SpirvModule decorate(int target, int decoration, int... literals) {
        annotations.instruction(Op.Decorate, Words.concat(Words.of(target, decoration), literals));
        return this;
    }

    public SpirvModule memberDecorate(int structType, int member, int decoration, int... literals) {
        annotations.instruction(Op.MemberDecorate, Words.concat(Words.of(structType, member, decoration), literals));
        return this;
    }

    // ------------------------------------------------------------ types

    private int once(String key, int opcode, int... operands) {
        Integer id = dedup.get(key);
        if (id == null) {
            id = id();
            globals.instruction(opcode, Words.concat(Words.of(id), operands));
            dedup.put(key, id);
        }
        return id;
    }

    /** Like {@link #once} for instructions with a result type: {@code opcode type %id operands}. */
    private int onceTyped(String key, int opcode, int type, int... operands) {
        Integer id = dedup.get(key);
        if (id == null) {
            id = id();
            globals.instruction(opcode, Words.concat(Words.of(type, id), operands));
            dedup.put(key, id);
        }
        return id;
    }

    public int typeVoid() {
        return once("void", Op.TypeVoid);
    }

    public int typeBool() {
        return once("bool", Op.TypeBool);
    }

    /** {@code OpTypeInt}; Vulkan wants signedness 0 for unsigned, 1 for signed (arithmetic ignores it). */
    public int typeInt(int width, boolean signed) {
        return once("int" + width + (signed ? "s" : "u"), Op.TypeInt, width, signed ? 1 : 0);
    }

    public int typeFloat(int width) {
        return once("float" + width, Op.TypeFloat, width);
    }

    public int typeVector(int component, int count) {
        return once("vec" + component + "x" + count, Op.TypeVector, component, count);
    }

    public int typePointer(int storageClass, int type) {
        return once("ptr" + storageClass + ":" + type, Op.TypePointer, storageClass, type);
    }

    public int typeFunction(int returnType, int... parameterTypes) {
        return once("fn" + returnType + Arrays.toString(parameterTypes), Op.TypeFunction,
                Words.concat(Words.of(returnType), parameterTypes));
    }

    /** A new array type of {@code lengthId} (a constant or specialization constant) elements. */
    public int typeArray(int elementType, int lengthId) {
        int id = id();
        globals.instruction(Op.TypeArray, Words.of(id, elementType, lengthId));
        return id;
    }

    public int typeRuntimeArray(int elementType) {
        int id = id();
        globals.instruction(Op.TypeRuntimeArray, Words.of(id, elementType));
        return id;
    }

    public int typeStruct(int... memberTypes) {
        int id = id();
        globals.instruction(Op.TypeStruct, Words.concat(Words.of(id), memberTypes));
        return id;
    }

    /** {@code OpTypeForwardPointer}: declares a pointer type that a struct can use before its pointee exists. */
    public int typeForwardPointer(int storageClass) {
        int id = id();
        globals.instruction(Op.TypeForwardPointer, Words.of(id, storageClass));
        return id;
    }

    /** Completes a forward pointer: {@code OpTypePointer} with the id {@link #typeForwardPointer} returned. */
    public void typePointerFor(int forwardId, int storageClass, int type) {
        globals.instruction(Op.TypePointer, Words.of(forwardId, storageClass, type));
        dedup.put("ptr" + storageClass + ":" + type, forwardId);
    }

    // ------------------------------------------------------------ constants

    /** {@code OpConstant} of {@code type} with its literal words (low word first). */
    public int constant(int type, int... literal) {
        return onceTyped("c" + type + Arrays.toString(literal), Op.Constant, type, literal);
    }

    public int constantU32(int value) {
        return constant(typeInt(32, false), value);
    }

    public int constantI32(int value) {
        return constant(typeInt(32, true), value);
    }

    public int constantU64(long value) {
        return constant(typeInt(64, false), (int) value, (int) (value >>> 32));
    }

    public int constantF32(float value) {
        return constant(typeFloat(32), Float.floatToRawIntBits(value));
    }

    public int constantF64(double value) {
        long bits = Double.doubleToRawLongBits(value);
        return constant(typeFloat(64), (int) bits, (int) (bits >>> 32));
    }

    public int constantBool(boolean value) {
        return value ? onceTyped("true", Op.ConstantTrue, typeBool()) : onceTyped("false", Op.ConstantFalse, typeBool());
    }

    public int constantNull(int type) {
        return onceTyped("null" + type, Op.ConstantNull, type);
    }

    public int constantComposite(int type, int... constituents) {
        return onceTyped("cc" + type + Arrays.toString(constituents), Op.ConstantComposite, type, constituents);
    }

    /** {@code OpSpecConstant} (never deduplicated); decorate it with {@code SpecId}. */
    public int specConstant(int type, int... defaultLiteral) {
        int id = id();
        globals.instruction(Op.SpecConstant, Words.concat(Words.of(type, id), defaultLiteral));
        return id;
    }

    public int specConstantComposite(int type, int... constituents) {
        int id = id();
        globals.instruction(Op.SpecConstantComposite, Words.concat(Words.of(type, id), constituents));
        return id;
    }

    /** {@code OpSpecConstantOp}: {@code opcode} applied to constant operands when the pipeline is created. */
    public int specConstantOp(int type, int opcode, int... operands) {
        int id = id();
        globals.instruction(Op.SpecConstantOp, Words.concat(Words.of(type, id, opcode), operands));
        return id;
    }

    // ------------------------------------------------------------ globals and functions

    /** A module-scope {@code OpVariable}; it is listed by {@link #globalVariables()}. */
    /**
     * Module-scope variable with an initializer ({@code Private} storage: per invocation).
     */
    public int globalVariable(int pointerType, int storageClass, int initializer) {
        int id = id();
        globals.instruction(Op.Variable, Words.of(pointerType, id, storageClass, initializer));
        globalVariables.add(id);
        return id;
    }

    private int loopCutVar;
    private int loopOpaqueZero;

    /**
     * Makes every function of this module written from now on watch its loops ({@link SpirvFunction}): a thread that
     * arrives at a loop's merge block without having taken a branch to it (an exit the driver forced, such as
     * lavapipe's loop limiter) sets the {@code Private} bool variable {@code cutVar}. The flags are set with
     * "and {@code opaqueZero} is 0" ({@code opaqueZero}: a {@code Private} u32 variable holding a 0 the driver cannot
     * fold): without it the driver's optimizer proved them true at every merge (which they are, by SPIR-V's rules)
     * and dropped the check (seen on lavapipe).
     */
    public void watchLoopExits(int cutVar, int opaqueZero) {
        loopCutVar = cutVar;
        loopOpaqueZero = opaqueZero;
    }

    int loopOpaqueZero() {
        return loopOpaqueZero;
    }

    int loopCutVar() {
        return loopCutVar;
    }

    public int globalVariable(int pointerType, int storageClass) {
        int id = id();
        globals.instruction(Op.Variable, Words.of(pointerType, id, storageClass));
        globalVariables.add(id);
        return id;
    }

    /** Every module-scope variable, for entry-point interfaces. */
    public int[] globalVariables() {
        return globalVariables.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Any other type-section instruction, written as given (the caller supplies result ids). */
    public void typeSection(int opcode, int... operands) {
        globals.instruction(opcode, operands);
    }

    /** Starts a function; it must be {@link SpirvFunction#end() ended} before the next one starts. */
    public SpirvFunction function(int returnType, int functionType, int control) {
        if (openFunction != null) throw new IllegalStateException("function %" + openFunction.id() + " is not ended");
        openFunction = new SpirvFunction(this, id(), returnType, functionType, control);
        return openFunction;
    }

    /**
     * Starts a function whose result id was allocated earlier with {@link #id()} (so that calls can name a
     * function written later); it must be ended before the next one starts.
     */
    public SpirvFunction function(int id, int returnType, int functionType, int control) {
        if (openFunction != null) throw new IllegalStateException("function %" + openFunction.id() + " is not ended");
        openFunction = new SpirvFunction(this, id, returnType, functionType, control);
        return openFunction;
    }

    void functionEnded(SpirvFunction f, Words body) {
        if (openFunction != f) throw new IllegalStateException("not the open function");
        functions.addAll(body);
        openFunction = null;
    }

    Set<Integer> capabilities() {
        return Collections.unmodifiableSet(capabilities);
    }

    // ------------------------------------------------------------ output

    /** The module's words, header first. */
    public int[] words() {
        if (openFunction != null) throw new IllegalStateException("function %" + openFunction.id() + " is not ended");
        if (memoryModel.size() == 0) throw new IllegalStateException("no OpMemoryModel");
        Words w = new Words();
        w.add(Spv.MAGIC);
        w.add(version);
        w.add(generator);
        w.add(bound);
        w.add(0);
        for (int c : capabilities) w.instruction(Op.Capability, Words.of(c));
        for (String e : extensions) w.instruction(Op.Extension, Words.string(e));
        w.addAll(importWords);
        w.addAll(memoryModel);
        w.addAll(entryPoints);
        w.addAll(executionModes);
        w.addAll(debugStrings);
        w.addAll(debugNames);
        w.addAll(annotations);
        w.addAll(globals);
        w.addAll(functions);
        return w.toArray();
    }

    /** The module as little-endian bytes (a {@code .spv} file). */
    public byte[] bytes() {
        return toBytes(words());
    }

    public static byte[] toBytes(int[] words) {
        byte[] b = new byte[words.length * 4];
        for (int i = 0; i < words.length; i++) {
            b[4 * i] = (byte) words[i];
            b[4 * i + 1] = (byte) (words[i] >>> 8);
            b[4 * i + 2] = (byte) (words[i] >>> 16);
            b[4 * i + 3] = (byte) (words[i] >>> 24);
        }
        return b;
    }
}
