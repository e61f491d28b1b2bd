/** The front end's implementation: backend tracking and selection, and the CUDA objects. Not exported. */
package org.transcuda.internal;
