package com.dooneflow.api.rest;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Puts a JAX-RS resource component into DooneFlow's REST API: the whiteboard serves it in the one application, with
 * DooneFlow's JSON and behind its bearer-token authentication. The resource deploys only once both are there, so it
 * is never served without them. Methods marked {@code @PermitAll} are public; {@code AuthenticatedCaller} names the
 * caller of the others, and the API's exceptions become RFC 9457 problems.
 * <pre>
 * &#64;Component(service = MyResource.class)
 * &#64;DooneFlowResource
 * &#64;Path("v1/organizations/{orgId}/my-things")
 * public class MyResource { ... }
 * </pre>
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface DooneFlowResource {

    /** Makes the component properties {@code osgi.jaxrs.*}. */
    String PREFIX_ = "osgi.jaxrs.";

    /** The {@code osgi.jaxrs.name} of DooneFlow's JSON provider. */
    String JSON = "dooneflow.json";

    /** The {@code osgi.jaxrs.name} of DooneFlow's authentication filter. */
    String AUTHENTICATION = "dooneflow.auth";

    /** @return {@code osgi.jaxrs.resource}: this component is a JAX-RS resource */
    boolean resource() default true;

    /** @return {@code osgi.jaxrs.extension.select}: DooneFlow's JSON and authentication, without which it waits */
    String[] extension_select() default {"(osgi.jaxrs.name=" + JSON + ")", "(osgi.jaxrs.name=" + AUTHENTICATION + ")"};
}
