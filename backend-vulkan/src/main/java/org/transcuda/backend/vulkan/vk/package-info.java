/**
 * Bindings to the Vulkan C API through {@code java.lang.foreign}: {@link org.transcuda.backend.vulkan.vk.VkLoader}
 * (the loader library and global functions), {@link org.transcuda.backend.vulkan.vk.VkInstance},
 * {@link org.transcuda.backend.vulkan.vk.VkDevice} (the functions the backend uses, as downcall handles from
 * {@code vkGet*ProcAddr}), {@link org.transcuda.backend.vulkan.vk.Vk} (constants and struct layouts from
 * {@code vulkan_core.h}) and {@link org.transcuda.backend.vulkan.vk.Struct} (C layout rules, typed field
 * access). Only what the backend calls is bound; add functions to {@code VkDevice} and structs to {@code Vk}
 * (and to {@code Vk.ALL_STRUCTS}, which the layout test compiles against the header).
 */
package org.transcuda.backend.vulkan.vk;
