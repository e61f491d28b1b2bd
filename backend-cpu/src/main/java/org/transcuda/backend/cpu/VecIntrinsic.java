package org.transcuda.backend.cpu;

import static java.lang.constant.ConstantDescs.CD_float;
import static java.lang.constant.ConstantDescs.CD_int;
import static java.lang.constant.ConstantDescs.CD_void;

import java.lang.classfile.ClassBuilder;
import java.lang.classfile.ClassFile;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.classfile.TypeKind;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.util.List;

/**
 * Lockstep engine: {@link ArmVec}'s vector loop (reduce's tree steps) as a small static method of its own in the
 * kernel class ({@code avK_N(int[] shared, int base, int tx, int hi)}, returning the first thread it did not run),
 * called from the segment method, instead of inline in the segment method ({@code -Dtranscuda.cpu.vecIntrinsic=false}:
 * inline, the old shape).
 *
 * <p>Why: the vector API's calls are intrinsics only in C2-compiled code. A segment method is large (reduce's tree
 * step segments 1.1–1.7 kB of bytecode) and runs interpreted or C1-compiled for the first second or so of a kernel's
 * launches (and again after each deoptimization until C2 has recompiled it); there every vector call is the API's
 * Java fallback: boxed payloads, lambdas per lane, {@code reinterpretAsFloats/Ints} as a round trip through a heap
 * byte segment — tens of times slower than the scalar loop it replaces. In steady state (the segment method in C2)
 * no fallback runs (docs/benchmarks.md, this change's subsection). A helper of about 150 bytes is invoked once per
 * block and arm, reaches C2 within the first launch, and from then on runs intrinsified whether its caller is
 * interpreted, C1- or C2-compiled; once its caller is in C2, C2 inlines it (a hot callee under C2's size limit), so
 * the steady state is the old shape's code.
 *
 * <p>The helper's statements are exactly the inline loop's: per group of VL threads {@code tx .. tx+VL-1} while
 * {@code tx + VL <= hi}, each load {@code IntVector.fromArray(I, shared, base + d + tx).reinterpretAsFloats()}, each
 * {@code add/sub/mul} lane-wise with its NaN lanes blended to {@link Fp#CANON_F32} (unless Java's NaNs are asked for),
 * each store {@code reinterpretAsInts().intoArray(shared, base + d + tx)}; the caller counts the threads and runs the
 * scalar loop from the returned thread, as before. Bit for bit the same results. Counted in
 * {@link Exec#vecHelperCalls} (helper calls).
 */
final class VecIntrinsic {
    /** On unless {@code -Dtranscuda.cpu.vecIntrinsic=false}. */
    static final boolean ENABLED = !"false".equals(System.getProperty("transcuda.cpu.vecIntrinsic"));

    /** The helper's descriptor: {@code (int[] shared, int base, int tx, int hi) -> tx}. */
    static final MethodTypeDesc ARM_DESC = MethodTypeDesc.of(CD_int, CD_int.arrayType(), CD_int, CD_int, CD_int);

    /** One statement of an arm loop: a load ({@code a} the word offset), an f32 op, or a store of local {@code a}. */
    record Op(char kind, int delta, int dst, int a, int b) {
        static Op load(int delta, int dst) {
            return new Op('l', delta, dst, -1, -1);
        }

        static Op store(int delta, int src) {
            return new Op('s', delta, -1, src, -1);
        }

        /** {@code kind}: '+', '-' or '*'. */
        static Op op(char kind, int dst, int a, int b) {
            return new Op(kind, 0, dst, a, b);
        }
    }

    private static final ClassDesc CD_FVEC = ClassDesc.of("jdk.incubator.vector.FloatVector");
    private static final ClassDesc CD_IVEC = ClassDesc.of("jdk.incubator.vector.IntVector");
    private static final ClassDesc CD_VEC = ClassDesc.of("jdk.incubator.vector.Vector");
    private static final ClassDesc CD_VMASK = ClassDesc.of("jdk.incubator.vector.VectorMask");
    private static final ClassDesc CD_VSPEC = ClassDesc.of("jdk.incubator.vector.VectorSpecies");
    private static final ClassDesc CD_VTEST = ClassDesc.of("jdk.incubator.vector.VectorOperators$Test");
    private static final ClassDesc CD_VOPS = ClassDesc.of("org.transcuda.backend.cpu.LaneVecOps");

    private VecIntrinsic() {
    }

    /**
     * Adds the static helper {@code name} to {@code clb}: {@link ArmVec}'s loop over {@code ops} ({@code dst}/{@code a}/
     * {@code b} number the loop's vector values 0..nvec-1), VL {@code vl}, NaN lanes canonicalized when
     * {@code canonical}.
     */
    static void armHelper(ClassBuilder clb, String name, List<Op> ops, int nvec, int vl, boolean canonical) {
        clb.withMethodBody(name, ARM_DESC, ClassFile.ACC_STATIC | ClassFile.ACC_PRIVATE, cb -> {
            int sh = 0, base = 1, tx = 2, hi = 3;
            int[] slot = new int[nvec];
            for (int i = 0; i < nvec; i++) slot[i] = cb.allocateLocal(TypeKind.REFERENCE);
            Label loop = cb.newBoundLabel();
            Label done = cb.newLabel();
            cb.iload(tx).loadConstant(vl).iadd().iload(hi).if_icmpgt(done);
            for (Op op : ops) {
                switch (op.kind()) {
                    case 'l' -> {
                        cb.getstatic(CD_VOPS, "I", CD_VSPEC).aload(sh);
                        index(cb, base, op.delta(), tx);
                        cb.invokestatic(CD_IVEC, "fromArray", MethodTypeDesc.of(CD_IVEC, CD_VSPEC, CD_int.arrayType(),
                                CD_int));
                        cb.invokevirtual(CD_IVEC, "reinterpretAsFloats", MethodTypeDesc.of(CD_FVEC));
                        cb.astore(slot[op.dst()]);
                    }
                    case 's' -> {
                        cb.aload(slot[op.a()]);
                        cb.invokevirtual(CD_FVEC, "reinterpretAsInts", MethodTypeDesc.of(CD_IVEC));
                        cb.aload(sh);
                        index(cb, base, op.delta(), tx);
                        cb.invokevirtual(CD_IVEC, "intoArray", MethodTypeDesc.of(CD_void, CD_int.arrayType(), CD_int));
                    }
                    default -> {
                        cb.aload(slot[op.a()]).aload(slot[op.b()]);
                        String m = switch (op.kind()) {
                            case '+' -> "add";
                            case '-' -> "sub";
                            default -> "mul";
                        };
                        cb.invokevirtual(CD_FVEC, m, MethodTypeDesc.of(CD_FVEC, CD_VEC));
                        int v = slot[op.dst()];
                        cb.astore(v);
                        if (canonical) {
                            // NaN lanes to the canonical NaN: v.blend(NaN, v.test(IS_NAN))
                            cb.aload(v).loadConstant(Fp.CANON_F32);
                            cb.invokestatic(ClassDesc.of("java.lang.Float"), "intBitsToFloat",
                                    MethodTypeDesc.of(CD_float, CD_int));
                            cb.aload(v).getstatic(ClassDesc.of("jdk.incubator.vector.VectorOperators"), "IS_NAN",
                                    CD_VTEST);
                            cb.invokevirtual(CD_FVEC, "test", MethodTypeDesc.of(CD_VMASK, CD_VTEST));
                            cb.invokevirtual(CD_FVEC, "blend", MethodTypeDesc.of(CD_FVEC, CD_float, CD_VMASK));
                            cb.astore(v);
                        }
                    }
                }
            }
            cb.iinc(tx, vl).goto_(loop);
            cb.labelBinding(done);
            cb.iload(tx).ireturn();
        });
    }

    /** Pushes {@code base + delta + tx}: the word of thread {@code tx}'s access (a one-dimensional block). */
    private static void index(CodeBuilder cb, int base, int delta, int tx) {
        cb.iload(base);
        if (delta != 0) cb.loadConstant(delta).iadd();
        cb.iload(tx).iadd();
    }
}
