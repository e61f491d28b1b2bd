package org.transcuda.backend.vulkan.spirv;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;

/**
 * SPIR-V opcodes (SPIR-V 1.6 unified grammar; the compute subset plus the extension instructions a CUDA
 * translator needs). Names are the grammar's without the {@code Op} prefix. {@code OpcodeTableTest}
 * checks every value against {@code spirv-dis}.
 */
public final class Op {
    private Op() {
    }

    public static final int Nop = 0;
    public static final int Undef = 1;
    public static final int SourceContinued = 2;
    public static final int Source = 3;
    public static final int SourceExtension = 4;
    public static final int Name = 5;
    public static final int MemberName = 6;
    public static final int String = 7;
    public static final int Line = 8;
    public static final int Extension = 10;
    public static final int ExtInstImport = 11;
    public static final int ExtInst = 12;
    public static final int MemoryModel = 14;
    public static final int EntryPoint = 15;
    public static final int ExecutionMode = 16;
    public static final int Capability = 17;
    public static final int TypeVoid = 19;
    public static final int TypeBool = 20;
    public static final int TypeInt = 21;
    public static final int TypeFloat = 22;
    public static final int TypeVector = 23;
    public static final int TypeMatrix = 24;
    public static final int TypeImage = 25;
    public static final int TypeSampler = 26;
    public static final int TypeSampledImage = 27;
    public static final int TypeArray = 28;
    public static final int TypeRuntimeArray = 29;
    public static final int TypeStruct = 30;
    public static final int TypeOpaque = 31;
    public static final int TypePointer = 32;
    public static final int TypeFunction = 33;
    public static final int TypeForwardPointer = 39;
    public static final int ConstantTrue = 41;
    public static final int ConstantFalse = 42;
    public static final int Constant = 43;
    public static final int ConstantComposite = 44;
    public static final int ConstantNull = 46;
    public static final int SpecConstantTrue = 48;
    public static final int SpecConstantFalse = 49;
    public static final int SpecConstant = 50;
    public static final int SpecConstantComposite = 51;
    public static final int SpecConstantOp = 52;
    public static final int Function = 54;
    public static final int FunctionParameter = 55;
    public static final int FunctionEnd = 56;
    public static final int FunctionCall = 57;
    public static final int Variable = 59;
    public static final int Load = 61;
    public static final int Store = 62;
    public static final int CopyMemory = 63;
    public static final int CopyMemorySized = 64;
    public static final int AccessChain = 65;
    public static final int InBoundsAccessChain = 66;
    public static final int PtrAccessChain = 67;
    public static final int ArrayLength = 68;
    public static final int InBoundsPtrAccessChain = 70;
    public static final int Decorate = 71;
    public static final int MemberDecorate = 72;
    public static final int VectorExtractDynamic = 77;
    public static final int VectorInsertDynamic = 78;
    public static final int VectorShuffle = 79;
    public static final int CompositeConstruct = 80;
    public static final int CompositeExtract = 81;
    public static final int CompositeInsert = 82;
    public static final int CopyObject = 83;
    public static final int ConvertFToU = 109;
    public static final int ConvertFToS = 110;
    public static final int ConvertSToF = 111;
    public static final int ConvertUToF = 112;
    public static final int UConvert = 113;
    public static final int SConvert = 114;
    public static final int FConvert = 115;
    public static final int QuantizeToF16 = 116;
    public static final int ConvertPtrToU = 117;
    public static final int SatConvertSToU = 118;
    public static final int SatConvertUToS = 119;
    public static final int ConvertUToPtr = 120;
    public static final int Bitcast = 124;
    public static final int SNegate = 126;
    public static final int FNegate = 127;
    public static final int IAdd = 128;
    public static final int FAdd = 129;
    public static final int ISub = 130;
    public static final int FSub = 131;
    public static final int IMul = 132;
    public static final int FMul = 133;
    public static final int UDiv = 134;
    public static final int SDiv = 135;
    public static final int FDiv = 136;
    public static final int UMod = 137;
    public static final int SRem = 138;
    public static final int SMod = 139;
    public static final int FRem = 140;
    public static final int FMod = 141;
    public static final int VectorTimesScalar = 142;
    public static final int Dot = 148;
    public static final int IAddCarry = 149;
    public static final int ISubBorrow = 150;
    public static final int UMulExtended = 151;
    public static final int SMulExtended = 152;
    public static final int Any = 154;
    public static final int All = 155;
    public static final int IsNan = 156;
    public static final int IsInf = 157;
    public static final int IsFinite = 158;
    public static final int IsNormal = 159;
    public static final int SignBitSet = 160;
    public static final int Ordered = 162;
    public static final int Unordered = 163;
    public static final int LogicalEqual = 164;
    public static final int LogicalNotEqual = 165;
    public static final int LogicalOr = 166;
    public static final int LogicalAnd = 167;
    public static final int LogicalNot = 168;
    public static final int Select = 169;
    public static final int IEqual = 170;
    public static final int INotEqual = 171;
    public static final int UGreaterThan = 172;
    public static final int SGreaterThan = 173;
    public static final int UGreaterThanEqual = 174;
    public static final int SGreaterThanEqual = 175;
    public static final int ULessThan = 176;
    public static final int SLessThan = 177;
    public static final int ULessThanEqual = 178;
    public static final int SLessThanEqual = 179;
    public static final int FOrdEqual = 180;
    public static final int FUnordEqual = 181;
    public static final int FOrdNotEqual = 182;
    public static final int FUnordNotEqual = 183;
    public static final int FOrdLessThan = 184;
    public static final int FUnordLessThan = 185;
    public static final int FOrdGreaterThan = 186;
    public static final int FUnordGreaterThan = 187;
    public static final int FOrdLessThanEqual = 188;
    public static final int FUnordLessThanEqual = 189;
    public static final int FOrdGreaterThanEqual = 190;
    public static final int FUnordGreaterThanEqual = 191;
    public static final int ShiftRightLogical = 194;
    public static final int ShiftRightArithmetic = 195;
    public static final int ShiftLeftLogical = 196;
    public static final int BitwiseOr = 197;
    public static final int BitwiseXor = 198;
    public static final int BitwiseAnd = 199;
    public static final int Not = 200;
    public static final int BitFieldInsert = 201;
    public static final int BitFieldSExtract = 202;
    public static final int BitFieldUExtract = 203;
    public static final int BitReverse = 204;
    public static final int BitCount = 205;
    public static final int ControlBarrier = 224;
    public static final int MemoryBarrier = 225;
    public static final int AtomicLoad = 227;
    public static final int AtomicStore = 228;
    public static final int AtomicExchange = 229;
    public static final int AtomicCompareExchange = 230;
    public static final int AtomicIIncrement = 232;
    public static final int AtomicIDecrement = 233;
    public static final int AtomicIAdd = 234;
    public static final int AtomicISub = 235;
    public static final int AtomicSMin = 236;
    public static final int AtomicUMin = 237;
    public static final int AtomicSMax = 238;
    public static final int AtomicUMax = 239;
    public static final int AtomicAnd = 240;
    public static final int AtomicOr = 241;
    public static final int AtomicXor = 242;
    public static final int Phi = 245;
    public static final int LoopMerge = 246;
    public static final int SelectionMerge = 247;
    public static final int Label = 248;
    public static final int Branch = 249;
    public static final int BranchConditional = 250;
    public static final int Switch = 251;
    public static final int Kill = 252;
    public static final int Return = 253;
    public static final int ReturnValue = 254;
    public static final int Unreachable = 255;
    public static final int NoLine = 317;
    public static final int ModuleProcessed = 330;
    public static final int ExecutionModeId = 331;
    public static final int DecorateId = 332;
    public static final int GroupNonUniformElect = 333;
    public static final int GroupNonUniformAll = 334;
    public static final int GroupNonUniformAny = 335;
    public static final int GroupNonUniformAllEqual = 336;
    public static final int GroupNonUniformBroadcast = 337;
    public static final int GroupNonUniformBroadcastFirst = 338;
    public static final int GroupNonUniformBallot = 339;
    public static final int GroupNonUniformInverseBallot = 340;
    public static final int GroupNonUniformBallotBitExtract = 341;
    public static final int GroupNonUniformBallotBitCount = 342;
    public static final int GroupNonUniformBallotFindLSB = 343;
    public static final int GroupNonUniformBallotFindMSB = 344;
    public static final int GroupNonUniformShuffle = 345;
    public static final int GroupNonUniformShuffleXor = 346;
    public static final int GroupNonUniformShuffleUp = 347;
    public static final int GroupNonUniformShuffleDown = 348;
    public static final int GroupNonUniformIAdd = 349;
    public static final int GroupNonUniformFAdd = 350;
    public static final int GroupNonUniformIMul = 351;
    public static final int GroupNonUniformFMul = 352;
    public static final int GroupNonUniformSMin = 353;
    public static final int GroupNonUniformUMin = 354;
    public static final int GroupNonUniformFMin = 355;
    public static final int GroupNonUniformSMax = 356;
    public static final int GroupNonUniformUMax = 357;
    public static final int GroupNonUniformFMax = 358;
    public static final int GroupNonUniformBitwiseAnd = 359;
    public static final int GroupNonUniformBitwiseOr = 360;
    public static final int GroupNonUniformBitwiseXor = 361;
    public static final int GroupNonUniformLogicalAnd = 362;
    public static final int GroupNonUniformLogicalOr = 363;
    public static final int GroupNonUniformLogicalXor = 364;
    public static final int GroupNonUniformQuadBroadcast = 365;
    public static final int GroupNonUniformQuadSwap = 366;
    public static final int CopyLogical = 400;
    public static final int PtrEqual = 401;
    public static final int PtrNotEqual = 402;
    public static final int PtrDiff = 403;
    public static final int TerminateInvocation = 4416;
    public static final int SDot = 4450;
    public static final int UDot = 4451;
    public static final int SUDot = 4452;
    public static final int ReadClockKHR = 5056;
    public static final int FmaKHR = 4427;
    public static final int DemoteToHelperInvocation = 5380;
    public static final int AtomicFMinEXT = 5614;
    public static final int AtomicFMaxEXT = 5615;
    public static final int DecorateString = 5632;
    public static final int MemberDecorateString = 5633;
    public static final int AtomicFAddEXT = 6035;

    private static final Map<Integer, String> NAMES = new HashMap<>();

    static {
        for (Field f : Op.class.getFields()) {
            if (f.getType() == int.class && Modifier.isStatic(f.getModifiers())) {
                try {
                    NAMES.put(f.getInt(null), "Op" + f.getName());
                } catch (IllegalAccessException e) {
                    throw new ExceptionInInitializerError(e);
                }
            }
        }
    }

    /** {@code OpName} for an opcode, or {@code Op#n} for one this table does not list. */
    public static String name(int opcode) {
        return NAMES.getOrDefault(opcode, "Op#" + opcode);
    }
}
