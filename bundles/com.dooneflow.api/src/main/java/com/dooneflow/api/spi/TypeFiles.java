package com.dooneflow.api.spi;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The descriptor files a connector bundle ships, one JSON file per type in {@value #FOLDER} (named after the type:
 * {@code twilio.sms.send.json}). Because they are data and not code, the engine knows a type — its workflows can be
 * saved, shown and validated — from the moment the bundle is installed, also while its handler is stopped or cannot
 * start. The file holds the fields of {@link TypeDescriptor} as {@code GET /v1/connectors} shows them; enum values
 * may be written in lower case and fields left out take their defaults (false, null, empty):
 *
 * <pre>{@code
 * { "type": "acme.echo", "kind": "action", "label": "Echo",
 *   "parameters": [ { "name": "text", "label": "Text", "type": "string", "required": true, "templatable": true,
 *                     "maxLength": 200 } ],
 *   "outputs": [ { "name": "echo", "type": "text", "description": "The text, as sent" } ] }
 * }</pre>
 */
public final class TypeFiles {

    /** Where in a bundle the engine looks for type descriptor files. */
    public static final String FOLDER = "OSGI-INF/dooneflow/types";

    /** Where in a bundle the engine looks for settings descriptor files ({@link SettingsDescriptor}). */
    public static final String SETTINGS_FOLDER = "OSGI-INF/dooneflow/settings";

    /**
     * Strict, so a misspelt field fails when the bundle is installed (and in the connector's own unit test). Not
     * {@code Json.mapper()}: hand-written files may spell enum values in any case, which only a builder can allow.
     */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    private TypeFiles() {
    }

    /**
     * Reads one descriptor file.
     *
     * @throws IllegalArgumentException naming the file and what is wrong in it (a field, a constraint), or when it
     *                                  describes another type than its name says
     */
    public static TypeDescriptor read(URL file) {
        String name = fileName(file);
        TypeDescriptor type = parse(file, TypeDescriptor.class);
        if (type.type() == null || type.kind() == null || type.label() == null) {
            throw new IllegalArgumentException(name + ": type, kind and label are required");
        }
        if (!name.equals(type.type() + ".json")) {
            throw new IllegalArgumentException(name + ": describes the type " + type.type()
                    + "; name the file " + type.type() + ".json");
        }
        return type;
    }

    /**
     * Reads one settings descriptor file ({@code <id>.json} in {@value #SETTINGS_FOLDER}).
     *
     * @throws IllegalArgumentException naming the file and what is wrong in it
     */
    public static SettingsDescriptor readSettings(URL file) {
        SettingsDescriptor settings = parse(file, SettingsDescriptor.class);
        if (!fileName(file).equals(settings.id() + ".json")) {
            throw new IllegalArgumentException(fileName(file) + ": describes the settings " + settings.id()
                    + "; name the file " + settings.id() + ".json");
        }
        return settings;
    }

    /** The settings descriptor {@code id} from the files beside {@code anchor}'s classes (a connector's unit test). */
    public static SettingsDescriptor readSettings(Class<?> anchor, String id) {
        URL file = anchor.getClassLoader().getResource(SETTINGS_FOLDER + "/" + id + ".json");
        if (file == null) {
            throw new IllegalArgumentException("no " + SETTINGS_FOLDER + "/" + id + ".json beside " + anchor.getName());
        }
        return readSettings(file);
    }

    private static <T> T parse(URL file, Class<T> type) {
        String name = fileName(file);
        try (InputStream in = file.openStream()) {
            return MAPPER.readValue(in, type);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalArgumentException(name + ": " + cause.getMessage(), e);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(name + ": " + e.getOriginalMessage() + " at " + path(e), e);
        } catch (IOException e) {
            throw new IllegalArgumentException(name + ": cannot be read: " + e.getMessage(), e);
        }
    }

    private static String fileName(URL file) {
        return file.getPath().substring(file.getPath().lastIndexOf('/') + 1);
    }

    /**
     * The descriptor of {@code type} from the files beside {@code anchor}'s classes: what a connector's unit test
     * uses to run its handler against the descriptor the engine will read.
     */
    public static TypeDescriptor read(Class<?> anchor, String type) {
        URL file = anchor.getClassLoader().getResource(FOLDER + "/" + type + ".json");
        if (file == null) {
            throw new IllegalArgumentException("no " + FOLDER + "/" + type + ".json beside " + anchor.getName());
        }
        return read(file);
    }

    /**
     * Binds parameters to a record or bean ({@link ActionContext#params(Class)}). Lenient about fields the class does
     * not declare: a connector's descriptor may gain a parameter before its code reads it.
     */
    static <T> T bind(Map<String, Object> values, Class<T> type) {
        return BINDER.convertValue(values, type);
    }

    /**
     * Checks that a connector's parameter record fits its type's descriptor: each component is named after a
     * declared parameter and has a Java type that can hold that parameter's values ({@code String} for text, select
     * and URL parameters, {@code Integer}/{@code Long} (or primitives) for integers, {@code Boolean} for booleans,
     * a {@code List} for string lists, a {@code Map} for objects, and anything a JSON value fits for JSON). A
     * connector's unit test calls it with {@link #read(Class, String)}, so a renamed parameter or a component of the
     * wrong type fails the connector's build, not a step at run time.
     *
     * @throws IllegalArgumentException naming every component that does not fit
     */
    public static void checkBinding(TypeDescriptor type, Class<? extends Record> params) {
        Map<String, ParameterDescriptor> declared = new java.util.LinkedHashMap<>();
        for (ParameterDescriptor p : type.parameters()) {
            declared.put(p.name(), p);
        }
        List<String> problems = new ArrayList<>();
        for (RecordComponent c : params.getRecordComponents()) {
            ParameterDescriptor p = declared.get(c.getName());
            if (p == null) {
                problems.add(c.getName() + " is not a parameter of " + type.type() + " (its parameters: "
                        + String.join(", ", declared.keySet()) + ")");
            } else if (!holds(p.type(), c.getType())) {
                problems.add(c.getName() + " is a " + c.getType().getSimpleName() + ", which cannot hold the "
                        + p.type().name().toLowerCase(java.util.Locale.ROOT) + " parameter " + p.name());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(params.getSimpleName() + " does not fit " + type.type() + ": "
                    + String.join("; ", problems));
        }
    }

    private static boolean holds(ParameterType kind, Class<?> java) {
        return switch (kind) {
            case STRING, TEXT, SELECT, URL -> java == String.class;
            case INTEGER -> java == Integer.class || java == int.class || java == Long.class || java == long.class;
            case BOOLEAN -> java == Boolean.class || java == boolean.class;
            case STRING_LIST -> List.class.isAssignableFrom(java);
            case OBJECT -> Map.class.isAssignableFrom(java);
            case JSON -> java == Object.class || Map.class.isAssignableFrom(java) || List.class.isAssignableFrom(java);
        };
    }

    private static final ObjectMapper BINDER = MAPPER.copy()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private static String path(JacksonException e) {
        if (e instanceof com.fasterxml.jackson.databind.JsonMappingException m && !m.getPath().isEmpty()) {
            StringBuilder path = new StringBuilder();
            for (var ref : m.getPath()) {
                path.append(ref.getFieldName() != null ? (path.isEmpty() ? "" : ".") + ref.getFieldName()
                        : "[" + ref.getIndex() + "]");
            }
            return path.toString();
        }
        return e.getLocation() == null ? "?" : "line " + e.getLocation().getLineNr();
    }
}
