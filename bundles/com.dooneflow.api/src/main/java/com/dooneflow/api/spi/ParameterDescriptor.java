package com.dooneflow.api.spi;

import java.util.List;

/**
 * One parameter of a trigger or action type.
 *
 * @param templatable whether {@code {variable}} placeholders are rendered in its value
 * @param secret      write-only: stored through the vault, never returned
 * @param options     allowed values of a {@link ParameterType#SELECT}
 */
public record ParameterDescriptor(String name, String label, ParameterType type, boolean required, boolean secret,
                                  boolean templatable, List<String> options, Object defaultValue,
                                  String description) {

    public ParameterDescriptor {
        options = options == null ? List.of() : List.copyOf(options);
    }

    public static ParameterDescriptor of(String name, String label, ParameterType type) {
        return new ParameterDescriptor(name, label, type, false, false, false, List.of(), null, null);
    }

    public ParameterDescriptor asRequired() {
        return new ParameterDescriptor(name, label, type, true, secret, templatable, options, defaultValue, description);
    }

    public ParameterDescriptor asSecret() {
        return new ParameterDescriptor(name, label, type, required, true, templatable, options, defaultValue, description);
    }

    public ParameterDescriptor asTemplatable() {
        return new ParameterDescriptor(name, label, type, required, secret, true, options, defaultValue, description);
    }

    public ParameterDescriptor withOptions(String... values) {
        return new ParameterDescriptor(name, label, type, required, secret, templatable, List.of(values), defaultValue,
                description);
    }

    public ParameterDescriptor withDefault(Object value) {
        return new ParameterDescriptor(name, label, type, required, secret, templatable, options, value, description);
    }

    public ParameterDescriptor withDescription(String text) {
        return new ParameterDescriptor(name, label, type, required, secret, templatable, options, defaultValue, text);
    }
}
