package com.dooneflow.api.spi;

import java.util.regex.Pattern;

/**
 * One variable a trigger gives its workflow, or one output an action gives the steps after it (the keys of its
 * {@link ActionResult.Ok#outputs()}). Templates of later steps use it as {@code {name}}; an object's fields as
 * {@code {name.field}}.
 *
 * @param name        the variable's name, or {@value #ANY_FIELD}: "any name", for open-ended data such as a
 *                    webhook's body fields
 * @param type        what kind of value it holds
 * @param description what it is, for the console and the docs; may be null
 */
public record OutputDescriptor(String name, Type type, String description) {

    /** The name of a wildcard entry: the step may give variables of any name (the validator checks none). */
    public static final String ANY_FIELD = "*";

    /** A variable name as templates write it between braces. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z0-9_]+)*");

    /** The JSON kind of a value; {@code ANY} when it varies (a parsed response body). */
    public enum Type {
        TEXT, NUMBER, BOOLEAN, OBJECT, LIST, ANY
    }

    public OutputDescriptor {
        if (name == null || !(name.equals(ANY_FIELD) || NAME.matcher(name).matches())) {
            throw new IllegalArgumentException("output name '" + name + "' is not a template variable name");
        }
        if (type == null) {
            throw new IllegalArgumentException(name + ": an output needs a type");
        }
    }

    public static OutputDescriptor of(String name, Type type, String description) {
        return new OutputDescriptor(name, type, description);
    }

    /** The wildcard entry: variables of any name, described by {@code description}. */
    public static OutputDescriptor anyField(String description) {
        return new OutputDescriptor(ANY_FIELD, Type.ANY, description);
    }
}
