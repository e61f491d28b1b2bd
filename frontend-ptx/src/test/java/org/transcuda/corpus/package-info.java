/**
 * End-to-end test data for the kernel corpus ({@code corpus/} at the repository root), shared by
 * every backend through frontend-ptx's test-jar. Depends only on the JDK (JUnit only in
 * {@code CorpusCasesTest}).
 *
 * <p>Entry point: {@link org.transcuda.corpus.CorpusCases#all()}, a list of
 * {@link org.transcuda.corpus.KernelCase}s (at least one per kernel of {@code corpus/kernels.tsv}),
 * each with its PTX file ({@link org.transcuda.corpus.CorpusCases#ptx}), launch configuration,
 * arguments in {@code .param} order ({@link org.transcuda.corpus.Arg.Scalar} by value,
 * {@link org.transcuda.corpus.Arg.Buffer} as a device pointer to its own allocation), and the
 * expected outputs as {@link org.transcuda.corpus.Expect}s per buffer, an
 * {@link org.transcuda.corpus.ExpectedStdout} for printf kernels and an
 * {@link org.transcuda.corpus.ExpectedError} for launches that must fail. A runner never needs to
 * interpret expectations: {@link org.transcuda.corpus.Arg.Buffer#mismatch(byte[])} returns null or a
 * message.
 *
 * <p>The expected values are computed here by Java references written from the CUDA sources in
 * {@code corpus/src} and the PTX ISA (never by a backend): {@link org.transcuda.corpus.Ieee} does
 * IEEE 754 arithmetic with exact rational intermediates for every rounding mode and format (f16,
 * bf16, f32, f64), and the per-file classes ({@code ArithIntCases}, {@code WarpCases}, ...) model
 * each kernel. Inputs are fixed (seeded {@link java.util.Random}) and include edge values.
 *
 * <p>Output buffers start filled with {@code 0xA5} bytes, so elements a kernel must not write are
 * expected to keep that pattern. Floating-point results use per-element {@link org.transcuda.corpus.Tol}
 * tolerances: exact bits for IEEE-exact operations (any NaN matching any NaN), the documented maximum
 * error for {@code .approx} instructions and libdevice functions.
 */
package org.transcuda.corpus;
