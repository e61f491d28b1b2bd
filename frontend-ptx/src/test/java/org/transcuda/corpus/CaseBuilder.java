package org.transcuda.corpus;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Fluent construction of {@link KernelCase}s and {@link Launch}es for the per-file case classes. */
final class CaseBuilder {

    /** Byte pattern that output buffers start with, so that unwritten elements are detectable. */
    static final byte SENTINEL = (byte) 0xA5;
    static final short SENT16 = (short) 0xA5A5;
    static final int SENT32 = 0xA5A5A5A5;
    static final long SENT64 = 0xA5A5A5A5A5A5A5A5L;
    static final float SENTF = Float.intBitsToFloat(SENT32);
    static final double SENTD = Double.longBitsToDouble(SENT64);

    private final String ptx;
    private final String kernel;
    private final String id;
    private Dim3 grid = Dim3.of(1);
    private Dim3 block = Dim3.of(1);
    private int shared;
    private final List<Arg> args = new ArrayList<>();
    private final List<SymbolInit> symbols = new ArrayList<>();
    private final List<Launch> before = new ArrayList<>();
    private final List<Launch> after = new ArrayList<>();
    private ExpectedStdout stdout;
    private ExpectedError error;

    CaseBuilder(String ptx, String kernel, String variant) {
        this.ptx = ptx;
        this.kernel = kernel;
        this.id = variant == null || variant.isEmpty() ? kernel : kernel + "." + variant;
    }

    /** 1D launch of enough blocks of {@code block} threads to cover {@code n} elements. */
    CaseBuilder cover(int n, int block) {
        this.block = Dim3.of(block);
        this.grid = Dim3.of(Math.max(1, (n + block - 1) / block));
        return this;
    }

    CaseBuilder grid(Dim3 g) {
        grid = g;
        return this;
    }

    CaseBuilder block(Dim3 b) {
        block = b;
        return this;
    }

    CaseBuilder shared(int bytes) {
        shared = bytes;
        return this;
    }

    Dim3 grid() {
        return grid;
    }

    Dim3 block() {
        return block;
    }

    // ------------------------------------------------------------------ inputs

    CaseBuilder in(String name, byte[] data, int elementSize) {
        args.add(new Arg.Buffer(name, data, new Expect.Unchanged(elementSize)));
        return this;
    }

    CaseBuilder in(String name, int[] v) {
        return in(name, Le.i32(v), 4);
    }

    CaseBuilder in(String name, long[] v) {
        return in(name, Le.i64(v), 8);
    }

    CaseBuilder in(String name, float[] v) {
        return in(name, Le.f32(v), 4);
    }

    CaseBuilder in(String name, double[] v) {
        return in(name, Le.f64(v), 8);
    }

    CaseBuilder in(String name, short[] v) {
        return in(name, Le.i16(v), 2);
    }

    // ------------------------------------------------------------------ outputs / in-out

    /** A buffer with explicit initial bytes and expectation (slots, counters, in-out data). */
    CaseBuilder buf(String name, byte[] initial, Expect expect) {
        args.add(new Arg.Buffer(name, initial, expect));
        return this;
    }

    /** An output buffer starting as {@link #SENTINEL} bytes whose final bytes must be {@code expected}. */
    CaseBuilder out(String name, byte[] expected, int elementSize) {
        return buf(name, Le.fill(expected.length, SENTINEL), new Expect.Exact(expected, elementSize));
    }

    CaseBuilder out(String name, int[] expected) {
        return out(name, Le.i32(expected), 4);
    }

    CaseBuilder out(String name, long[] expected) {
        return out(name, Le.i64(expected), 8);
    }

    CaseBuilder out(String name, short[] expected) {
        return out(name, Le.i16(expected), 2);
    }

    /** Output compared as floating point with per-element tolerances (any NaN matches any NaN). */
    CaseBuilder outFp(String name, FpFormat f, long[] bits, Tol[] tol) {
        return buf(name, Le.fill(bits.length * f.bytes, SENTINEL), new Expect.Fp(f, bits, tol));
    }

    /** As {@link #outFp(String, FpFormat, long[], Tol[])} where element k may also equal {@code alt[k]}. */
    CaseBuilder outFp(String name, FpFormat f, long[] bits, long[] alt, Tol[] tol) {
        return buf(name, Le.fill(bits.length * f.bytes, SENTINEL), new Expect.Fp(f, bits, alt, tol));
    }

    CaseBuilder outFp(String name, FpFormat f, long[] bits) {
        return outFp(name, f, bits, exact(bits.length));
    }

    CaseBuilder out(String name, float[] expected) {
        return outFp(name, FpFormat.F32, bitsOf(expected));
    }

    CaseBuilder out(String name, float[] expected, Tol[] tol) {
        return outFp(name, FpFormat.F32, bitsOf(expected), tol);
    }

    CaseBuilder out(String name, double[] expected) {
        return outFp(name, FpFormat.F64, bitsOf(expected));
    }

    CaseBuilder out(String name, double[] expected, Tol[] tol) {
        return outFp(name, FpFormat.F64, bitsOf(expected), tol);
    }

    /** A buffer whose content is unspecified after the launch. */
    CaseBuilder any(String name, int bytes, int elementSize) {
        return buf(name, Le.fill(bytes, SENTINEL), new Expect.Anything(elementSize));
    }

    // ------------------------------------------------------------------ scalars

    CaseBuilder u32(String name, int v) {
        args.add(new Arg.Scalar(name, Le.i32(v)));
        return this;
    }

    // ------------------------------------------------------------------ other parts

    CaseBuilder symbol(String name, byte[] bytes) {
        symbols.add(new SymbolInit(name, bytes));
        return this;
    }

    CaseBuilder before(Launch l) {
        before.add(l);
        return this;
    }

    CaseBuilder after(Launch l) {
        after.add(l);
        return this;
    }

    CaseBuilder stdout(List<String> lines) {
        stdout = new ExpectedStdout(lines, false);
        return this;
    }

    CaseBuilder error(String cuResult, String fragment) {
        error = new ExpectedError(cuResult, fragment);
        return this;
    }

    /** The configured launch, for use as a before/after launch of another case. */
    Launch launch() {
        return new Launch(kernel, grid, block, shared, args);
    }

    KernelCase build() {
        return new KernelCase(id, ptx, kernel, grid, block, shared, args, symbols, before, after, stdout, error);
    }

    // ------------------------------------------------------------------ helpers

    static Tol[] exact(int n) {
        return fill(n, Tol.EXACT);
    }

    static Tol[] fill(int n, Tol t) {
        Tol[] a = new Tol[n];
        Arrays.fill(a, t);
        return a;
    }

    static long[] bitsOf(float[] v) {
        long[] b = new long[v.length];
        for (int k = 0; k < v.length; k++) {
            b[k] = Float.floatToRawIntBits(v[k]) & 0xffffffffL;
        }
        return b;
    }

    static long[] bitsOf(double[] v) {
        long[] b = new long[v.length];
        for (int k = 0; k < v.length; k++) {
            b[k] = Double.doubleToRawLongBits(v[k]);
        }
        return b;
    }

    static int[] sentinel32(int n) {
        int[] a = new int[n];
        Arrays.fill(a, SENT32);
        return a;
    }

    static long[] sentinel64(int n) {
        long[] a = new long[n];
        Arrays.fill(a, SENT64);
        return a;
    }

    static short[] sentinel16(int n) {
        short[] a = new short[n];
        Arrays.fill(a, SENT16);
        return a;
    }

    static float[] sentinelF(int n) {
        float[] a = new float[n];
        Arrays.fill(a, SENTF);
        return a;
    }

    static double[] sentinelD(int n) {
        double[] a = new double[n];
        Arrays.fill(a, SENTD);
        return a;
    }

    static long[] sentinelBits(int n, FpFormat f) {
        long[] a = new long[n];
        Arrays.fill(a, f.bytes == 8 ? SENT64 : SENT64 & ((1L << (8 * f.bytes)) - 1));
        return a;
    }
}
