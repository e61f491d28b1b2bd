package org.transcuda.backend.vulkan;

/** Run in a child JVM by {@link NativeAccessTest}: starts the backend and prints what it found. */
public final class NativeAccessProbe {
    private NativeAccessProbe() {
    }

    public static void main(String[] args) {
        VulkanBackend b = new VulkanBackend();
        b.start("probe");
        System.out.println("devices=" + b.devices().size());
        for (String d : b.info().diagnostics()) System.out.println("diagnostic=" + d);
        b.stop();
    }
}
