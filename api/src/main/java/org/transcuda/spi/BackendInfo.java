package org.transcuda.spi;

import java.util.List;
import java.util.Objects;

/**
 * Identity of a backend.
 *
 * @param id          short stable id used for selection ({@code cpu}, {@code vulkan}, {@code hip}, ...)
 * @param name        human-readable name
 * @param vendor      who ships the backend
 * @param version     the backend's version
 * @param diagnostics why devices are missing or unusable (a missing vendor library, ...); empty when fine
 */
public record BackendInfo(String id, String name, String vendor, String version, List<String> diagnostics) {
    public BackendInfo {
        Objects.requireNonNull(id, "id");
        if (!id.matches("[a-z][a-z0-9_-]*")) {
            throw new IllegalArgumentException("backend id must be lower-case [a-z][a-z0-9_-]*: " + id);
        }
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(vendor, "vendor");
        Objects.requireNonNull(version, "version");
        diagnostics = List.copyOf(diagnostics);
    }
}
