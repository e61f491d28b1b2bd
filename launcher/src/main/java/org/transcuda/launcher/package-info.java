/** The embedded launcher: runs outside the OSGi framework it starts. Not exported. */
package org.transcuda.launcher;
