package org.transcuda.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.attribute.CodeAttribute;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.lang.invoke.MethodHandles;
import org.junit.jupiter.api.Test;
import org.transcuda.cuda.Dim3;

/**
 * {@link NoStackMaps}: kernel classes of version 49 without stack maps (off with {@code
 * -Dtranscuda.cpu.noStackMaps=false}). The suite's matmul (whose lockstep class holds unreachable code that uses a
 * local above the reachable code's count) on both engines, 1 and 2 workers, against a Java product of small integer
 * values (exact in float); the classes were generated without stack maps ({@link NoStackMaps#CLASSES}) and at least
 * one {@code max_locals} was raised ({@link NoStackMaps#FIXED}). A hand-built class whose dead code stores to local 7:
 * {@link NoStackMaps#fixMaxLocals} raises {@code max_locals} to 8, and the JVM then accepts and runs the class.
 */
class NoStackMapsTest {
    @Test
    void suiteMatmulMatchesJava() throws Exception {
        assertTrue(NoStackMaps.ENABLED, "run without -Dtranscuda.cpu.noStackMaps=false");
        int n = 48;
        float[] a = new float[n * n], b = new float[n * n];
        for (int i = 0; i < n * n; i++) {
            a[i] = (i * 7 + 3) % 5 - 2;
            b[i] = (i * 11 + 1) % 7 - 3;
        }
        float[] want = new float[n * n];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                int s = 0;
                for (int k = 0; k < n; k++) s += (int) a[r * n + k] * (int) b[k * n + c];
                want[r * n + c] = s;
            }
        }
        for (boolean lock : new boolean[] {true, false}) {
            for (int workers : new int[] {1, 2}) {
                long classes = NoStackMaps.CLASSES.get(), fixed = NoStackMaps.FIXED.get();
                try (Gpu gpu = lock ? Gpu.lockstep(workers) : new Gpu(workers)) {
                    long da = gpu.upload(a), db = gpu.upload(b), dc = gpu.alloc(4L * n * n);
                    gpu.launch(gpu.suite("matmul"), Dim3.of(n / 16, n / 16), Dim3.of(16, 16), 0, n, da, db, dc);
                    gpu.sync();
                    assertArrayEquals(want, gpu.floats(dc, n * n), (lock ? "lockstep, " : "thread, ") + workers);
                }
                assertTrue(NoStackMaps.CLASSES.get() > classes, "classes generated without stack maps");
                if (lock) assertTrue(NoStackMaps.FIXED.get() > fixed, "a max_locals raised (matmul's lockstep class)");
            }
        }
    }

    @Test
    void deadCodeLocalRaisesMaxLocals() throws Throwable {
        ClassDesc me = ClassDesc.of(NoStackMapsTest.class.getPackageName() + ".DeadLocal");
        byte[] bytes = NoStackMaps.context(null).build(me, clb -> {
            NoStackMaps.version(clb);
            clb.withFlags(ClassFile.ACC_PUBLIC | ClassFile.ACC_FINAL);
            clb.withMethodBody("f", MethodTypeDesc.of(ConstantDescs.CD_int), ClassFile.ACC_PUBLIC | ClassFile.ACC_STATIC,
                    cb -> cb.iconst_2().ireturn().iconst_1().istore(7).iload(7).ireturn());
        });
        ClassModel before = ClassFile.of().parse(bytes);
        assertEquals(ClassFile.JAVA_5_VERSION, before.majorVersion());
        CodeAttribute code = (CodeAttribute) before.methods().get(0).code().orElseThrow();
        assertFalse(code.findAttribute(java.lang.classfile.Attributes.stackMapTable()).isPresent());
        assertTrue(code.maxLocals() < 8, "the class-file API counts reachable code only: " + code.maxLocals());
        long fixed = NoStackMaps.FIXED.get();
        byte[] fixedBytes = NoStackMaps.fixMaxLocals(bytes);
        CodeAttribute after = (CodeAttribute) ClassFile.of().parse(fixedBytes).methods().get(0).code().orElseThrow();
        assertEquals(8, after.maxLocals());
        assertEquals(fixed + 1, NoStackMaps.FIXED.get());
        Class<?> c = MethodHandles.lookup().defineHiddenClass(fixedBytes, true).lookupClass();
        assertEquals(2, (int) c.getMethod("f").invoke(null));
    }
}
