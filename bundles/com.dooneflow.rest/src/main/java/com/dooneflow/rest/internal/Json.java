package com.dooneflow.rest.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.EnumFeature;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;

/**
 * The ObjectMapper of the REST API: DooneFlow's ({@link com.dooneflow.api.json.Json}: one value per body, unknown
 * fields refused, RFC 3339 times) and, since request bodies bind to typed DTOs, stricter still: no silent coercion of
 * types, no null for primitives, enums as lower-case words.
 */
public final class Json {

    public static final ObjectMapper MAPPER = create();

    private Json() {
    }

    private static ObjectMapper create() {
        ObjectMapper m = com.dooneflow.api.json.Json.mapper();
        // owner, admin, member; action, trigger; string...: enums are lower-case words on the wire.
        m.configure(EnumFeature.WRITE_ENUMS_TO_LOWERCASE, true);
        m.getFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        m.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        // "name": 5 is a mistake, not a name: no silent scalar coercion into strings, numbers or booleans.
        for (LogicalType type : new LogicalType[] {LogicalType.Textual, LogicalType.Integer, LogicalType.Float,
                LogicalType.Boolean}) {
            m.coercionConfigFor(type)
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        }
        m.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.String, CoercionAction.TryConvert);
        return m;
    }
}
