package com.dooneflow.rest.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** {@code etc/com.dooneflow.rest.cfg}, read by {@link JsonProvider} and {@link AuthFilter}. */
@ObjectClassDefinition(name = "DooneFlow REST")
public @interface RestConfig {

    String PID = "com.dooneflow.rest";

    @AttributeDefinition(description = "Largest accepted JSON request body, in bytes")
    int maxBodyBytes() default 1024 * 1024;

    @AttributeDefinition(description = "Failed bearer-token authentications per minute, per client address and per "
            + "token prefix, after which further failures are answered 429; 0 turns the limit off")
    int authFailuresPerMinute() default 20;
}
