package org.transcuda.backend.vulkan.spirv;

/**
 * SPIR-V operand enumerations (values of the SPIR-V 1.6 unified grammar) that compute shaders use. Each
 * nested class is one operand kind; {@code OpcodeTableTest} checks the values against {@code spirv-dis}.
 */
public final class Spv {
    private Spv() {
    }

    public static final int MAGIC = 0x07230203;

    /** {@code 0x00MMmm00}. */
    public static int version(int major, int minor) {
        return (major << 16) | (minor << 8);
    }

    public static final int VERSION_1_3 = version(1, 3);
    public static final int VERSION_1_5 = version(1, 5);
    public static final int VERSION_1_6 = version(1, 6);

    public static final class Capability {
        private Capability() {
        }

        public static final int Matrix = 0;
        public static final int Shader = 1;
        public static final int Addresses = 4;
        public static final int Linkage = 5;
        public static final int Kernel = 6;
        public static final int Float16 = 9;
        public static final int Float64 = 10;
        public static final int Int64 = 11;
        public static final int Int64Atomics = 12;
        public static final int Groups = 18;
        public static final int Int16 = 22;
        public static final int Int8 = 39;
        public static final int GroupNonUniform = 61;
        public static final int GroupNonUniformVote = 62;
        public static final int GroupNonUniformArithmetic = 63;
        public static final int GroupNonUniformBallot = 64;
        public static final int GroupNonUniformShuffle = 65;
        public static final int GroupNonUniformShuffleRelative = 66;
        public static final int GroupNonUniformClustered = 67;
        public static final int GroupNonUniformQuad = 68;
        public static final int SubgroupBallotKHR = 4423;
        public static final int WorkgroupMemoryExplicitLayoutKHR = 4428;
        public static final int WorkgroupMemoryExplicitLayout8BitAccessKHR = 4429;
        public static final int WorkgroupMemoryExplicitLayout16BitAccessKHR = 4430;
        public static final int StorageBuffer16BitAccess = 4433;
        public static final int UniformAndStorageBuffer16BitAccess = 4434;
        public static final int StoragePushConstant16 = 4435;
        public static final int VariablePointersStorageBuffer = 4441;
        public static final int VariablePointers = 4442;
        public static final int StorageBuffer8BitAccess = 4448;
        public static final int UniformAndStorageBuffer8BitAccess = 4449;
        public static final int StoragePushConstant8 = 4450;
        public static final int DenormPreserve = 4464;
        public static final int DenormFlushToZero = 4465;
        public static final int SignedZeroInfNanPreserve = 4466;
        public static final int RoundingModeRTE = 4467;
        public static final int RoundingModeRTZ = 4468;
        public static final int ShaderClockKHR = 5055;
        public static final int FMAKHR = 6030;
        public static final int VulkanMemoryModel = 5345;
        public static final int VulkanMemoryModelDeviceScope = 5346;
        public static final int PhysicalStorageBufferAddresses = 5347;
        public static final int DemoteToHelperInvocation = 5379;
        public static final int AtomicFloat32MinMaxEXT = 5612;
        public static final int AtomicFloat64MinMaxEXT = 5613;
        public static final int AtomicFloat32AddEXT = 6033;
        public static final int AtomicFloat64AddEXT = 6034;
    }

    public static final class AddressingModel {
        private AddressingModel() {
        }

        public static final int Logical = 0;
        public static final int Physical32 = 1;
        public static final int Physical64 = 2;
        public static final int PhysicalStorageBuffer64 = 5348;
    }

    public static final class MemoryModel {
        private MemoryModel() {
        }

        public static final int Simple = 0;
        public static final int GLSL450 = 1;
        public static final int OpenCL = 2;
        public static final int Vulkan = 3;
    }

    public static final class ExecutionModel {
        private ExecutionModel() {
        }

        public static final int GLCompute = 5;
        public static final int Kernel = 6;
    }

    public static final class ExecutionMode {
        private ExecutionMode() {
        }

        public static final int LocalSize = 17;
        public static final int LocalSizeHint = 18;
        public static final int SubgroupSize = 35;
        public static final int LocalSizeId = 38;
        public static final int DenormPreserve = 4459;
        public static final int DenormFlushToZero = 4460;
        public static final int SignedZeroInfNanPreserve = 4461;
        public static final int RoundingModeRTE = 4462;
        public static final int RoundingModeRTZ = 4463;
    }

    public static final class StorageClass {
        private StorageClass() {
        }

        public static final int UniformConstant = 0;
        public static final int Input = 1;
        public static final int Uniform = 2;
        public static final int Output = 3;
        public static final int Workgroup = 4;
        public static final int CrossWorkgroup = 5;
        public static final int Private = 6;
        public static final int Function = 7;
        public static final int Generic = 8;
        public static final int PushConstant = 9;
        public static final int StorageBuffer = 12;
        public static final int PhysicalStorageBuffer = 5349;
    }

    public static final class Decoration {
        private Decoration() {
        }

        public static final int RelaxedPrecision = 0;
        public static final int SpecId = 1;
        public static final int Block = 2;
        public static final int ArrayStride = 6;
        public static final int BuiltIn = 11;
        public static final int Restrict = 19;
        public static final int Aliased = 20;
        public static final int Volatile = 21;
        public static final int Coherent = 23;
        public static final int NonWritable = 24;
        public static final int NonReadable = 25;
        public static final int Binding = 33;
        public static final int DescriptorSet = 34;
        public static final int Offset = 35;
        public static final int FPRoundingMode = 39;
        public static final int NoContraction = 42;
        public static final int Alignment = 44;
        public static final int NoSignedWrap = 4469;
        public static final int NoUnsignedWrap = 4470;
        public static final int RestrictPointer = 5355;
        public static final int AliasedPointer = 5356;
    }

    public static final class BuiltIn {
        private BuiltIn() {
        }

        public static final int NumWorkgroups = 24;
        public static final int WorkgroupSize = 25;
        public static final int WorkgroupId = 26;
        public static final int LocalInvocationId = 27;
        public static final int GlobalInvocationId = 28;
        public static final int LocalInvocationIndex = 29;
        public static final int SubgroupSize = 36;
        public static final int NumSubgroups = 38;
        public static final int SubgroupId = 40;
        public static final int SubgroupLocalInvocationId = 41;
        public static final int SubgroupEqMask = 4416;
        public static final int SubgroupGeMask = 4417;
        public static final int SubgroupGtMask = 4418;
        public static final int SubgroupLeMask = 4419;
        public static final int SubgroupLtMask = 4420;
    }

    public static final class Scope {
        private Scope() {
        }

        public static final int CrossDevice = 0;
        public static final int Device = 1;
        public static final int Workgroup = 2;
        public static final int Subgroup = 3;
        public static final int Invocation = 4;
        public static final int QueueFamily = 5;
    }

    /** Bit masks. */
    public static final class MemorySemantics {
        private MemorySemantics() {
        }

        public static final int None = 0;
        public static final int Acquire = 0x2;
        public static final int Release = 0x4;
        public static final int AcquireRelease = 0x8;
        public static final int SequentiallyConsistent = 0x10;
        public static final int UniformMemory = 0x40;
        public static final int SubgroupMemory = 0x80;
        public static final int WorkgroupMemory = 0x100;
        public static final int CrossWorkgroupMemory = 0x200;
        public static final int ImageMemory = 0x800;
        public static final int MakeAvailable = 0x2000;
        public static final int MakeVisible = 0x4000;
        public static final int Volatile = 0x8000;
    }

    /** Bit masks; {@code Aligned} is followed by a literal alignment. */
    public static final class MemoryAccess {
        private MemoryAccess() {
        }

        public static final int None = 0;
        public static final int Volatile = 0x1;
        public static final int Aligned = 0x2;
        public static final int Nontemporal = 0x4;
        public static final int MakePointerAvailable = 0x8;
        public static final int MakePointerVisible = 0x10;
        public static final int NonPrivatePointer = 0x20;
    }

    public static final class FunctionControl {
        private FunctionControl() {
        }

        public static final int None = 0;
        public static final int Inline = 0x1;
        public static final int DontInline = 0x2;
        public static final int Pure = 0x4;
        public static final int Const = 0x8;
    }

    public static final class SelectionControl {
        private SelectionControl() {
        }

        public static final int None = 0;
        public static final int Flatten = 0x1;
        public static final int DontFlatten = 0x2;
    }

    public static final class LoopControl {
        private LoopControl() {
        }

        public static final int None = 0;
        public static final int Unroll = 0x1;
        public static final int DontUnroll = 0x2;
    }

    public static final class GroupOperation {
        private GroupOperation() {
        }

        public static final int Reduce = 0;
        public static final int InclusiveScan = 1;
        public static final int ExclusiveScan = 2;
        public static final int ClusteredReduce = 3;
    }

    public static final class FPRoundingMode {
        private FPRoundingMode() {
        }

        public static final int RTE = 0;
        public static final int RTZ = 1;
        public static final int RTP = 2;
        public static final int RTN = 3;
    }

    public static final class SourceLanguage {
        private SourceLanguage() {
        }

        public static final int Unknown = 0;
        public static final int GLSL = 2;
        public static final int OpenCL_C = 3;
    }

    /** Instruction numbers of the {@code GLSL.std.450} extended instruction set. */
    public static final class GLSLstd450 {
        private GLSLstd450() {
        }

        public static final String NAME = "GLSL.std.450";
        public static final int Round = 1;
        public static final int RoundEven = 2;
        public static final int Trunc = 3;
        public static final int FAbs = 4;
        public static final int SAbs = 5;
        public static final int FSign = 6;
        public static final int SSign = 7;
        public static final int Floor = 8;
        public static final int Ceil = 9;
        public static final int Fract = 10;
        public static final int Sin = 13;
        public static final int Cos = 14;
        public static final int Tan = 15;
        public static final int Asin = 16;
        public static final int Acos = 17;
        public static final int Atan = 18;
        public static final int Sinh = 19;
        public static final int Cosh = 20;
        public static final int Tanh = 21;
        public static final int Atan2 = 25;
        public static final int Pow = 26;
        public static final int Exp = 27;
        public static final int Log = 28;
        public static final int Exp2 = 29;
        public static final int Log2 = 30;
        public static final int Sqrt = 31;
        public static final int InverseSqrt = 32;
        public static final int FMin = 37;
        public static final int UMin = 38;
        public static final int SMin = 39;
        public static final int FMax = 40;
        public static final int UMax = 41;
        public static final int SMax = 42;
        public static final int FClamp = 43;
        public static final int UClamp = 44;
        public static final int SClamp = 45;
        public static final int FMix = 46;
        public static final int Fma = 50;
        public static final int Frexp = 51;
        public static final int Ldexp = 53;
        public static final int FindILsb = 73;
        public static final int FindSMsb = 74;
        public static final int FindUMsb = 75;
        public static final int NMin = 79;
        public static final int NMax = 80;
        public static final int NClamp = 81;
    }
}
