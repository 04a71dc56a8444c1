package com.dooneflow.rest.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.ws.rs.Consumes;
import javax.ws.rs.Produces;
import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.MultivaluedMap;
import javax.ws.rs.ext.MessageBodyReader;
import javax.ws.rs.ext.MessageBodyWriter;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsMediaType;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;
import org.osgi.service.metatype.annotations.Designate;

import com.dooneflow.api.FieldError;
import com.dooneflow.api.json.JsonLimits;
import com.dooneflow.api.rest.DooneFlowResource;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * JSON in and out with {@link Json#MAPPER}. Bodies over the size limit get 413; over another {@link JsonLimits}
 * limit, malformed JSON, unknown fields and wrong types get 400 naming the field; a NUL character in any string
 * (which PostgreSQL cannot store) gets 422 naming it; all before any resource method runs.
 */
@Component(service = {MessageBodyReader.class, MessageBodyWriter.class}, configurationPid = RestConfig.PID)
@Designate(ocd = RestConfig.class)
@JaxrsExtension
@JaxrsName(JsonProvider.NAME)
@JaxrsMediaType(MediaType.APPLICATION_JSON)
@Consumes({MediaType.APPLICATION_JSON, "application/*+json"})
@Produces({MediaType.APPLICATION_JSON, "application/*+json"})
public class JsonProvider implements MessageBodyReader<Object>, MessageBodyWriter<Object> {

    public static final String NAME = DooneFlowResource.JSON;
    public static final String REQUIRE = "(osgi.jaxrs.name=" + NAME + ")";

    private final JsonLimits limits;
    /** {@link Json#MAPPER} held to {@link #limits}. */
    private final ObjectMapper mapper;

    @Activate
    public JsonProvider(RestConfig config) {
        this(new JsonLimits(config.maxBodyBytes(), config.maxNestingDepth(), config.maxStringLength(),
                config.maxNameLength(), config.maxNumberLength()));
    }

    JsonProvider(int maxBodyBytes) {
        this(JsonLimits.DEFAULTS.withMaxBodyBytes(maxBodyBytes));
    }

    JsonProvider(JsonLimits limits) {
        this.limits = limits;
        this.mapper = limits.applyTo(Json.MAPPER);
    }

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return isJson(mediaType) && type != String.class && !InputStream.class.isAssignableFrom(type);
    }

    @Override
    public Object readFrom(Class<Object> type, Type genericType, Annotation[] annotations, MediaType mediaType,
                           MultivaluedMap<String, String> headers, InputStream in) throws IOException {
        byte[] body = readLimited(in);
        if (body.length == 0) {
            throw new WebApplicationException(Problem.invalid(400, "A JSON body is required.", "body", "is required"));
        }
        scan(body);
        try {
            Object value = mapper.readValue(body, mapper.constructType(genericType));
            if (value == null) {
                throw new WebApplicationException(Problem.invalid(400, "A JSON body is required.", "body", "is required"));
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw new WebApplicationException(Problem.invalid(400, "Unknown field " + path(e) + ".", path(e),
                    "is not a known field"));
        } catch (JsonParseException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
            throw new WebApplicationException(Problem.invalid(400, "The body is not valid JSON" + where + ".", "body",
                    "is not valid JSON"));
        } catch (MismatchedInputException e) {
            String field = path(e).isEmpty() ? "body" : path(e);
            throw new WebApplicationException(Problem.invalid(400, "Wrong type for " + field + ".", field,
                    "expected " + describe(e.getTargetType())));
        } catch (JsonProcessingException e) {
            String field = e instanceof JsonMappingException m && !path(m).isEmpty() ? path(m) : "body";
            throw new WebApplicationException(Problem.invalid(400, "The body cannot be read.", field, "is invalid"));
        }
    }

    /**
     * One streaming pass before binding, because it knows the path of what it reads (binding may not): a limit
     * gets 400 and a NUL character 422, each naming where. Malformed JSON is left to binding to report.
     */
    private void scan(byte[] body) throws IOException {
        JsonParser p = mapper.getFactory().createParser(body);
        try (p) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if ((t == JsonToken.VALUE_STRING || t == JsonToken.FIELD_NAME) && p.getText().indexOf('\0') >= 0) {
                    String field = orBody(path(p.getParsingContext()));
                    String message = "must not contain the NUL character (\\u0000)";
                    throw new WebApplicationException(Problem.response(422, "validation", "Validation failed",
                            field + ": " + message, List.of(new FieldError(field, message))));
                }
            }
        } catch (StreamConstraintsException e) {
            String field = orBody(path(p.getParsingContext()));
            String message = limits.overLimit(e);
            throw new WebApplicationException(Problem.invalid(400, "The body is over a limit: " + field + " "
                    + message + ".", field, message));
        } catch (JsonProcessingException e) {
            // malformed: binding reports it the same way it always has
        }
    }

    /** The path of the parser's position in the style of {@link #path(JsonMappingException)}. */
    private static String path(JsonStreamContext context) {
        List<JsonStreamContext> chain = new ArrayList<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            chain.add(0, c);
        }
        StringBuilder sb = new StringBuilder();
        for (JsonStreamContext c : chain) {
            if (c.inArray() && c.getCurrentIndex() >= 0) {
                sb.append('[').append(c.getCurrentIndex()).append(']');
            } else if (c.inObject() && c.getCurrentName() != null) {
                sb.append(sb.length() > 0 ? "." : "").append(c.getCurrentName());
            }
        }
        return sb.toString();
    }

    private static String orBody(String path) {
        return path.isEmpty() ? "body" : path;
    }

    private byte[] readLimited(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) > 0) {
            if (out.size() + n > limits.maxBodyBytes()) {
                throw new WebApplicationException(Problem.response(413, "body-too-large", "Request body too large",
                        "The body is larger than the limit of " + limits.maxBodyBytes() + " bytes (maxBodyBytes)."));
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    /** The JSON path of the failing field: {@code actions[1].params.url}. */
    static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "another type";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "a whole number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "an object";
        }
        return type.isRecord() ? "an object" : "a " + type.getSimpleName();
    }

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return isJson(mediaType) && type != String.class && !byte[].class.equals(type);
    }

    @Override
    public void writeTo(Object value, Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType,
                        MultivaluedMap<String, Object> headers, OutputStream out) throws IOException {
        // Written in full before a byte is sent: a value that cannot be written fails while the status can still
        // become a 500 problem, never a 200 whose JSON stops in the middle. It costs one copy of the response.
        out.write(Json.MAPPER.writeValueAsBytes(value));
    }

    private static boolean isJson(MediaType mediaType) {
        return mediaType != null && ("json".equalsIgnoreCase(mediaType.getSubtype())
                || mediaType.getSubtype().toLowerCase().endsWith("+json"));
    }
}
