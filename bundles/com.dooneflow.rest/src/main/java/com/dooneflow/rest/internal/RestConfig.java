package com.dooneflow.rest.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import com.dooneflow.api.json.JsonLimits;

/** {@code etc/com.dooneflow.rest.cfg}, read by {@link JsonProvider} and {@link AuthFilter}. */
@ObjectClassDefinition(name = "DooneFlow REST")
public @interface RestConfig {

    String PID = "com.dooneflow.rest";

    @AttributeDefinition(description = "Largest accepted JSON request body, in bytes")
    int maxBodyBytes() default JsonLimits.MAX_BODY_BYTES;

    @AttributeDefinition(description = "Deepest nesting of arrays and objects in a request body")
    int maxNestingDepth() default JsonLimits.MAX_NESTING_DEPTH;

    @AttributeDefinition(description = "Longest string value in a request body, in characters")
    int maxStringLength() default JsonLimits.MAX_STRING_LENGTH;

    @AttributeDefinition(description = "Longest field name in a request body, in characters")
    int maxNameLength() default JsonLimits.MAX_NAME_LENGTH;

    @AttributeDefinition(description = "Longest number in a request body, in digits")
    int maxNumberLength() default JsonLimits.MAX_NUMBER_LENGTH;

    @AttributeDefinition(description = "Failed bearer-token authentications per minute, per client address and per "
            + "token prefix, after which further failures are answered 429; 0 turns the limit off")
    int authFailuresPerMinute() default 20;
}
