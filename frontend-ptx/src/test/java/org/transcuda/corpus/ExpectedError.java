package org.transcuda.corpus;

/**
 * The launch of the case under test must fail: {@code cuResult} is the {@code CUresult} name the
 * launch (or the synchronisation after it) reports, e.g. {@code CUDA_ERROR_ASSERT}. When
 * {@code messageFragment} is not null, a backend that reports a diagnostic (the device-side assertion
 * message CUDA prints on stderr) should include it. After such a failure the context is unusable
 * (CUDA errors of this kind are sticky), so no buffer is checked.
 */
public record ExpectedError(String cuResult, String messageFragment) {
}
