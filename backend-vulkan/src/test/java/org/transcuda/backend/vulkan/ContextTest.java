package org.transcuda.backend.vulkan;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A test with a fresh context on the first usable Vulkan device and a stream of it (skipped where there is none). */
abstract class ContextTest {
    VulkanContext ctx;
    VulkanStream stream;

    @BeforeEach
    void open() throws Exception {
        ctx = VulkanTestSupport.context();
        stream = ctx.createStream();
    }

    @AfterEach
    void close() {
        if (ctx != null) ctx.close();
    }
}
