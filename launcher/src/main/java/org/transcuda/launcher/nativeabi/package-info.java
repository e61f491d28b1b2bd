/**
 * The native ABI: what the drop-in libraries (libcudart.so.13, libcuda.so.1, built from native/) call.
 * {@link org.transcuda.launcher.nativeabi.NativeBridge} runs outside the framework, in the JVM the libraries
 * start, and boots the platform; {@link org.transcuda.launcher.nativeabi.Dispatcher} runs inside it and turns
 * each call's argument block into calls of the Java CUDA API. Function ids: {@link
 * org.transcuda.launcher.nativeabi.Fn}, generated from native/functions.txt. Not exported.
 */
package org.transcuda.launcher.nativeabi;
