package com.dooneflow.api.spi;

import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One parameter of a trigger or action type, with the constraints its values must meet. The engine checks them
 * when a workflow is saved (a 422 names the parameter), REST lists them and the console shows them, so a
 * connector states each rule once, here.
 *
 * <p>A templatable value that holds a {@code {variable}} is only known at run time: the engine then skips
 * {@code min}/{@code max}, {@code minLength} and {@code pattern}, and checks {@code maxLength} against the text
 * written around the variables (the rendered value can only be longer).
 *
 * @param templatable   whether {@code {variable}} placeholders are rendered in its value
 * @param secret        write-only: stored through the vault, never returned
 * @param options       allowed values of a {@link ParameterType#SELECT}
 * @param min           smallest allowed value of an {@link ParameterType#INTEGER}, or null
 * @param max           largest allowed value of an {@link ParameterType#INTEGER}, or null
 * @param minLength     fewest characters (Unicode code points) of a string value, or null
 * @param maxLength     most characters (Unicode code points) of a string value, or null
 * @param pattern       a regular expression the whole string value must match, or null; keep to syntax that both
 *                      Java and JavaScript read, so the console can check it too
 * @param patternMessage what the error says when the pattern does not match ("must start with whsec_"); it never
 *                      repeats the value, which may be secret
 * @param optionSource  the id of the {@link OptionSource} whose options are this parameter's values (an inbox id, a
 *                      team member's id), or null; the console offers them as a pick-list
 */
public record ParameterDescriptor(String name, String label, ParameterType type, boolean required, boolean secret,
                                  boolean templatable, List<String> options, Object defaultValue,
                                  String description, Long min, Long max, Integer minLength, Integer maxLength,
                                  String pattern, String patternMessage, String optionSource) {

    public ParameterDescriptor {
        options = options == null ? List.of() : List.copyOf(options);
        boolean text = type == ParameterType.STRING || type == ParameterType.TEXT || type == ParameterType.URL;
        if ((min != null || max != null) && type != ParameterType.INTEGER) {
            throw new IllegalArgumentException(name + ": min and max apply to INTEGER parameters");
        }
        if (min != null && max != null && min > max) {
            throw new IllegalArgumentException(name + ": min " + min + " is above max " + max);
        }
        if ((minLength != null || maxLength != null || pattern != null) && !text) {
            throw new IllegalArgumentException(name + ": lengths and patterns apply to STRING, TEXT and URL "
                    + "parameters");
        }
        if ((minLength != null && minLength < 0) || (maxLength != null && maxLength < 0)
                || (minLength != null && maxLength != null && minLength > maxLength)) {
            throw new IllegalArgumentException(name + ": minLength and maxLength must be 0 or more, min <= max");
        }
        if (optionSource != null && optionSource.isBlank()) {
            throw new IllegalArgumentException(name + ": optionSource must name a source or be null");
        }
        if (pattern != null) {
            try {
                Pattern.compile(pattern);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(name + ": invalid pattern: " + e.getDescription(), e);
            }
        }
    }

    /** The descriptor without an option source (kept for connectors built against SPI 1.3). */
    public ParameterDescriptor(String name, String label, ParameterType type, boolean required, boolean secret,
                               boolean templatable, List<String> options, Object defaultValue, String description,
                               Long min, Long max, Integer minLength, Integer maxLength, String pattern,
                               String patternMessage) {
        this(name, label, type, required, secret, templatable, options, defaultValue, description, min, max, minLength,
                maxLength, pattern, patternMessage, null);
    }

    /** The descriptor without constraints, as before they existed (kept for connectors built against SPI 1.2). */
    public ParameterDescriptor(String name, String label, ParameterType type, boolean required, boolean secret,
                               boolean templatable, List<String> options, Object defaultValue, String description) {
        this(name, label, type, required, secret, templatable, options, defaultValue, description, null, null, null,
                null, null, null, null);
    }

    public static ParameterDescriptor of(String name, String label, ParameterType type) {
        return new ParameterDescriptor(name, label, type, false, false, false, List.of(), null, null);
    }

    public ParameterDescriptor asRequired() {
        return new ParameterDescriptor(name, label, type, true, secret, templatable, options, defaultValue, description,
                min, max, minLength, maxLength, pattern, patternMessage, optionSource);
    }

    public ParameterDescriptor asSecret() {
        return new ParameterDescriptor(name, label, type, required, true, templatable, options, defaultValue,
                description, min, max, minLength, maxLength, pattern, patternMessage, optionSource);
    }

    public ParameterDescriptor asTemplatable() {
        return new ParameterDescriptor(name, label, type, required, secret, true, options, defaultValue, description,
                min, max, minLength, maxLength, pattern, patternMessage, optionSource);
    }

    public ParameterDescriptor withOptions(String... values) {
        return new ParameterDescriptor(name, label, type, required, secret, templatable, List.of(values), defaultValue,
                description, min, max, minLength, maxLength, pattern, patternMessage, optionSource);
    }

    public ParameterDescriptor withDefault(Object value) {
        return new ParameterDescriptor(name, label, type, required, secret, templatable, options, value, description,
                min, max, minLength, maxLength, pattern, patternMessage, optionSource);
    }

    public ParameterDescriptor withDescription(String text) {
        return new ParameterDescriptor(name, label, type, required, secret, templatable, options, defaultValue, text,
                min, max, minLength, maxLength, pattern, patternMessage, optionSource);
    }

    /** Bounds of an INTEGER, inclusive; null leaves that side open. */
    public ParameterDescriptor withRange(Long min, Long max) {
        return new ParameterDescriptor(name, label, type, required, secret, templatable, options, defaultValue,
                description, min, max, minLength, maxLength, pattern, patternMessage, optionSource);
    }

    /** Bounds of a string's length in characters, inclusive; null leaves that side open. */
    public ParameterDescriptor withLength(Integer minLength, Integer maxLength) {
        return new ParameterDescriptor(name, label, type, required, secret, templatable, options, defaultValue,
                description, min, max, minLength, maxLength, pattern, patternMessage, optionSource);
    }

    /**
     * A regular expression the whole string must match, and what the error says otherwise (e.g.
     * {@code "must be a 15- or 18-character Salesforce id"}); a null message says "must match &lt;pattern&gt;".
     */
    public ParameterDescriptor withPattern(String regex, String message) {
        return new ParameterDescriptor(name, label, type, required, secret, templatable, options, defaultValue,
                description, min, max, minLength, maxLength, regex, message, optionSource);
    }

    /**
     * Where the values of this parameter come from: the id of an {@link OptionSource} ({@code email.inboxes}). For a
     * {@link ParameterType#STRING_LIST} each item is one of the options.
     */
    public ParameterDescriptor withOptionSource(String sourceId) {
        return new ParameterDescriptor(name, label, type, required, secret, templatable, options, defaultValue,
                description, min, max, minLength, maxLength, pattern, patternMessage, sourceId);
    }
}
