package com.dooneflow.engine.internal;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.dooneflow.api.spi.ParameterType;

/**
 * Renders {@code {variable}} placeholders into parameter values, by the parameter's {@link ParameterType}.
 *
 * <p>A placeholder is {@code {name}} with name {@code [A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*}; anything else in
 * braces ({@code {"a":1}}, <code>{ }</code>, {@code {1abc}}) is literal text. A dotted name first looks for an exact
 * key, otherwise it walks nested maps by key and lists by index ({@code {items.0.sku}}). An unknown variable stays in
 * the output literally and is reported; a variable whose value is null is known and renders as "" in text.
 *
 * <p>Variable values are inserted once and never rendered again (no recursive expansion). Into a JSON template they go
 * as JSON values in a new tree, never spliced into JSON text, so a value cannot add keys; into OBJECT values
 * (headers) line breaks are rejected. Into a URL they go percent-encoded, and only after its origin (see
 * {@link #URL_ORIGIN_RULE}). Pure and stateless: no I/O, no logging, templates are never mutated.
 */
public final class Templates {

    private static final String NAME = "[A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z0-9_]+)*";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(" + NAME + ")\\}");
    private static final Object MISSING = new Object();
    private static final String DEFAULT_LABEL = "template";
    /** Kept as written in a URL: RFC 3986 unreserved characters; everything else of a value is percent-encoded. */
    private static final String UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /**
     * Variables may not choose where a URL goes: its scheme, host and port are written out, and variables fill only
     * its path, query and fragment (a whole-URL variable such as {@code {callback_url}} is refused too).
     */
    static final String URL_ORIGIN_RULE =
            "the URL's scheme and host must be written out; variables may fill its path and query";

    private Templates() {
    }

    /**
     * The result of rendering.
     *
     * @param value            the rendered value (a new object; the template is left as it was)
     * @param unknownVariables placeholder names that had no variable, in order of first appearance
     */
    public record Rendered(Object value, Set<String> unknownVariables) {

        public Rendered {
            unknownVariables = unknownVariables == null ? Set.of()
                    : Collections.unmodifiableSet(new LinkedHashSet<>(unknownVariables));
        }
    }

    /** A template could not be rendered into a valid value. The message never contains a variable's value. */
    public static final class TemplateException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        public TemplateException(String message) {
            super(message);
        }
    }

    /** Renders a template; error messages name it "template". */
    public static Rendered render(Object template, ParameterType type, Map<String, Object> variables) {
        return render(DEFAULT_LABEL, template, type, variables);
    }

    /**
     * Renders a template for the parameter {@code parameterName}, which error messages name
     * (e.g. {@code headers value 'X-Name' contains a line break}).
     *
     * @throws TemplateException when an OBJECT value contains CR/LF after rendering, an INTEGER/BOOLEAN template
     *                           does not render to an integer/boolean, or a URL template has a variable in its
     *                           scheme, host or port
     */
    public static Rendered render(String parameterName, Object template, ParameterType type,
                                  Map<String, Object> variables) {
        Objects.requireNonNull(type, "type");
        if (template == null) {
            return new Rendered(null, Set.of());
        }
        Context ctx = new Context(parameterName == null ? DEFAULT_LABEL : parameterName,
                variables == null ? Map.of() : variables);
        Object value = switch (type) {
            case STRING, TEXT, SELECT -> template instanceof String s ? interpolate(s, ctx) : template;
            case URL -> template instanceof String s ? renderUrl(s, ctx) : template;
            case STRING_LIST -> renderStringList(template, ctx);
            case OBJECT -> renderObject(template, "", ctx);
            case JSON -> renderJson(template, ctx);
            case INTEGER, BOOLEAN -> renderScalar(template, type, ctx);
        };
        return new Rendered(value, ctx.unknown);
    }

    /** Placeholder names in a template (strings anywhere in it; map keys are not templates), in order. */
    public static Set<String> variablesIn(Object template) {
        Set<String> names = new LinkedHashSet<>();
        collectVariables(template, names);
        return names;
    }

    /** The text written around the placeholders: what a rendered value holds at least. */
    static String withoutPlaceholders(String template) {
        return withPlaceholdersAs(template, "");
    }

    /** The template with every placeholder replaced by {@code text} (to check the shape of what it renders to). */
    static String withPlaceholdersAs(String template, String text) {
        return PLACEHOLDER.matcher(template).replaceAll(Matcher.quoteReplacement(text));
    }

    private static void collectVariables(Object node, Set<String> names) {
        if (node instanceof String s) {
            Matcher m = PLACEHOLDER.matcher(s);
            while (m.find()) {
                names.add(m.group(1));
            }
        } else if (node instanceof Map<?, ?> map) {
            for (Object value : map.values()) {
                collectVariables(value, names);
            }
        } else if (node instanceof Collection<?> list) {
            for (Object item : list) {
                collectVariables(item, names);
            }
        }
    }

    // --- per type ---------------------------------------------------------------------------------------------

    private static Object renderStringList(Object template, Context ctx) {
        if (template instanceof String s) {
            return interpolate(s, ctx);
        }
        if (!(template instanceof Collection<?> list)) {
            return template;
        }
        List<Object> out = new ArrayList<>(list.size());
        for (Object item : list) {
            out.add(item instanceof String s ? interpolate(s, ctx) : item);
        }
        return out;
    }

    private static Object renderObject(Object node, String path, Context ctx) {
        if (node instanceof String s) {
            String text = interpolate(s, ctx);
            if (text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0) {
                throw new TemplateException(path.isEmpty() ? ctx.label + " value contains a line break"
                        : ctx.label + " value '" + path + "' contains a line break");
            }
            return text;
        }
        if (node instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String key = String.valueOf(e.getKey());
                out.put(e.getKey(), renderObject(e.getValue(), path.isEmpty() ? key : path + "." + key, ctx));
            }
            return out;
        }
        if (node instanceof Collection<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            int i = 0;
            for (Object item : list) {
                out.add(renderObject(item, path + "[" + i++ + "]", ctx));
            }
            return out;
        }
        return node;
    }

    private static Object renderJson(Object node, Context ctx) {
        if (node instanceof String s) {
            Matcher m = PLACEHOLDER.matcher(s);
            if (m.matches()) {
                Object value = lookup(ctx.variables, m.group(1));
                if (value == MISSING) {
                    ctx.unknown.add(m.group(1));
                    return s;
                }
                return toJsonTree(value);
            }
            return interpolate(s, ctx);
        }
        if (node instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.put(e.getKey(), renderJson(e.getValue(), ctx));
            }
            return out;
        }
        if (node instanceof Collection<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object item : list) {
                out.add(renderJson(item, ctx));
            }
            return out;
        }
        return node;
    }

    /**
     * A URL with its variables percent-encoded: in the path each value stays inside one segment ({@code /} becomes
     * {@code %2F}, and a value that would make a segment {@code .} or {@code ..} has its dots encoded), in the query
     * and fragment it stays one value ({@code &}, {@code =}, {@code #}, {@code +} encoded). The text written around
     * the variables is kept as it is.
     */
    private static String renderUrl(String template, Context ctx) {
        if (!PLACEHOLDER.matcher(template).find()) {
            return template;
        }
        int pathStart = urlPathStart(template);
        if (pathStart < 0) {
            throw new TemplateException(ctx.label + ": " + URL_ORIGIN_RULE);
        }
        // Placeholder names hold no '/', '?' or '#': these split the template without cutting a placeholder.
        int pathEnd = indexOfAny(template, "?#", pathStart);
        String path = template.substring(pathStart, pathEnd);
        return template.substring(0, pathStart)
                + withoutDotSegments(path, interpolate(path, ctx, true))
                + interpolate(template.substring(pathEnd), ctx, true);
    }

    /**
     * Where a URL template's path (or query, or fragment) starts, after {@code scheme://host:port}; -1 when a
     * variable stands before that point, or when there is a variable and no {@code ://} before it.
     */
    static int urlPathStart(String template) {
        Matcher m = PLACEHOLDER.matcher(template);
        int scheme = template.indexOf("://");
        int pathStart = scheme < 0 ? template.length() : indexOfAny(template, "/?#", scheme + 3);
        boolean variableInOrigin = m.find() && (scheme < 0 || m.start() < pathStart);
        return variableInOrigin ? -1 : pathStart;
    }

    private static int indexOfAny(String s, String chars, int from) {
        for (int i = from; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return s.length();
    }

    /** Segments that became "." or ".." only through a variable get their dots encoded, so they name no parent. */
    private static String withoutDotSegments(String templatePath, String renderedPath) {
        String[] written = templatePath.split("/", -1);
        String[] rendered = renderedPath.split("/", -1);
        if (written.length != rendered.length) {
            return renderedPath; // cannot happen: values are encoded, so every '/' is the template's own
        }
        for (int i = 0; i < rendered.length; i++) {
            if ((rendered[i].equals(".") || rendered[i].equals("..")) && !rendered[i].equals(written[i])) {
                rendered[i] = "%2E".repeat(rendered[i].length());
            }
        }
        return String.join("/", rendered);
    }

    private static String percentEncode(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            if (b >= 0 && UNRESERVED.indexOf(b) >= 0) {
                out.append((char) b);
            } else {
                out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
            }
        }
        return out.toString();
    }

    private static Object renderScalar(Object template, ParameterType type, Context ctx) {
        if (!(template instanceof String s)) {
            return template;
        }
        Matcher m = PLACEHOLDER.matcher(s);
        if (m.matches()) {
            String name = m.group(1);
            Object value = lookup(ctx.variables, name);
            if (value == MISSING) {
                ctx.unknown.add(name);
                throw unknownVariables(ctx);
            }
            if (value == null) {
                return null;
            }
            return convert(value, type, ctx.label + ": variable '" + name + "'");
        }
        String text = interpolate(s, ctx);
        if (!ctx.unknown.isEmpty()) {
            throw unknownVariables(ctx);
        }
        return convert(text, type, ctx.label + ": rendered text");
    }

    private static TemplateException unknownVariables(Context ctx) {
        return new TemplateException(ctx.label + ": unknown variable"
                + (ctx.unknown.size() > 1 ? "s " : " ") + "'" + String.join("', '", ctx.unknown) + "'");
    }

    private static Object convert(Object value, ParameterType type, String what) {
        if (type == ParameterType.INTEGER) {
            Integer result = toInteger(value);
            if (result == null) {
                throw new TemplateException(what + " is not an integer");
            }
            return result;
        }
        Boolean result = toBoolean(value);
        if (result == null) {
            throw new TemplateException(what + " is not true or false");
        }
        return result;
    }

    private static Integer toInteger(Object value) {
        try {
            if (value instanceof Number n) {
                return new BigDecimal(n.toString()).stripTrailingZeros().intValueExact();
            }
            if (value instanceof CharSequence cs) {
                return Integer.parseInt(cs.toString().trim());
            }
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
        return null;
    }

    private static Boolean toBoolean(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof CharSequence cs) {
            String s = cs.toString().trim();
            if (s.equalsIgnoreCase("true")) {
                return Boolean.TRUE;
            }
            if (s.equalsIgnoreCase("false")) {
                return Boolean.FALSE;
            }
        }
        return null;
    }

    // --- text ---------------------------------------------------------------------------------------------------

    private static String interpolate(String template, Context ctx) {
        return interpolate(template, ctx, false);
    }

    /** The template with its variables' text filled in, percent-encoded when {@code encode} (for URLs). */
    private static String interpolate(String template, Context ctx, boolean encode) {
        Matcher m = PLACEHOLDER.matcher(template);
        if (!m.find()) {
            return template;
        }
        StringBuilder out = new StringBuilder(template.length() + 16);
        int last = 0;
        do {
            out.append(template, last, m.start());
            String name = m.group(1);
            Object value = lookup(ctx.variables, name);
            if (value == MISSING) {
                ctx.unknown.add(name);
                out.append(m.group());
            } else if (encode) {
                StringBuilder text = new StringBuilder();
                appendText(value, text);
                out.append(percentEncode(text.toString()));
            } else {
                appendText(value, out);
            }
            last = m.end();
        } while (m.find());
        out.append(template, last, template.length());
        return out.toString();
    }

    private static void appendText(Object value, StringBuilder out) {
        if (value == null) {
            return;
        }
        if (value instanceof Map<?, ?> || value instanceof Collection<?>) {
            writeJson(value, out);
        } else {
            out.append(value);
        }
    }

    // --- variable lookup ----------------------------------------------------------------------------------------

    /** The variable's value (possibly null), or {@link #MISSING}. */
    private static Object lookup(Map<String, Object> variables, String name) {
        if (variables.containsKey(name)) {
            return variables.get(name);
        }
        if (name.indexOf('.') < 0) {
            return MISSING;
        }
        return walk(variables, name.split("\\."), 0);
    }

    /** Resolves segments[from..] in node; in a map the longest dotted key wins, backtracking to shorter ones. */
    private static Object walk(Object node, String[] segments, int from) {
        if (from == segments.length) {
            return node;
        }
        if (node instanceof Map<?, ?> map) {
            for (int end = segments.length; end > from; end--) {
                String key = String.join(".", Arrays.asList(segments).subList(from, end));
                if (map.containsKey(key)) {
                    Object found = walk(map.get(key), segments, end);
                    if (found != MISSING) {
                        return found;
                    }
                }
            }
            return MISSING;
        }
        if (node instanceof List<?> list) {
            String segment = segments[from];
            if (!segment.chars().allMatch(c -> c >= '0' && c <= '9') || segment.length() > 9) {
                return MISSING;
            }
            int index = Integer.parseInt(segment);
            return index < list.size() ? walk(list.get(index), segments, from + 1) : MISSING;
        }
        return MISSING;
    }

    // --- JSON values --------------------------------------------------------------------------------------------

    /** A copy of a variable's value as a JSON tree: maps, lists, strings, numbers, booleans and null. */
    private static Object toJsonTree(Object value) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.put(String.valueOf(e.getKey()), toJsonTree(e.getValue()));
            }
            return out;
        }
        if (value instanceof Collection<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object item : list) {
                out.add(toJsonTree(item));
            }
            return out;
        }
        return value.toString();
    }

    /** Compact JSON text of maps, collections, strings, numbers, booleans and null (anything else as a string). */
    static String toJson(Object value) {
        StringBuilder out = new StringBuilder();
        writeJson(value, out);
        return out.toString();
    }

    private static void writeJson(Object value, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Number n) {
            boolean finite = !(n instanceof Double d && !Double.isFinite(d)) && !(n instanceof Float f && !Float.isFinite(f));
            if (finite) {
                out.append(n);
            } else {
                writeString(n.toString(), out);
            }
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                writeString(String.valueOf(e.getKey()), out);
                out.append(':');
                writeJson(e.getValue(), out);
            }
            out.append('}');
        } else if (value instanceof Collection<?> list) {
            out.append('[');
            boolean first = true;
            for (Object item : list) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                writeJson(item, out);
            }
            out.append(']');
        } else {
            writeString(value.toString(), out);
        }
    }

    private static void writeString(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static final class Context {
        final String label;
        final Map<String, Object> variables;
        final Set<String> unknown = new LinkedHashSet<>();

        Context(String label, Map<String, Object> variables) {
            this.label = label;
            this.variables = variables;
        }
    }
}
