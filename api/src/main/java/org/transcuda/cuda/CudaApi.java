package org.transcuda.cuda;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The CUDA C functions a Java API method implements (with CUDA's semantics and error codes). The API
 * coverage table, docs/API-COVERAGE.md, is generated from these annotations.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface CudaApi {
    /** CUDA function names, e.g. {@code {"cuMemAlloc", "cuMemAlloc_v2"}}. */
    String[] value();
}
