/** Commands that run inside the framework: the CLI's commands and the Gogo shell's. Not exported. */
package org.transcuda.launcher.commands;
