package com.dooneflow.rest.internal;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import javax.annotation.Priority;
import javax.annotation.security.PermitAll;
import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.Path;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerResponseContext;
import javax.ws.rs.container.ContainerResponseFilter;
import javax.ws.rs.container.ResourceInfo;
import javax.ws.rs.core.Context;
import javax.ws.rs.ext.ReaderInterceptor;
import javax.ws.rs.ext.ReaderInterceptorContext;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dooneflow.api.ConnectorRegistry;
import com.dooneflow.api.Principal;
import com.dooneflow.api.audit.AuditEntry;
import com.dooneflow.api.audit.AuditLog;
import com.dooneflow.api.spi.ParameterDescriptor;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Records every successful change made through the REST API — DooneFlow's resources and connectors' alike, since
 * this one extension applies to the whole application — in the audit log: each 2xx answer to POST, PUT, PATCH or
 * DELETE of a method that needs authentication. Who comes from the authenticated caller, where from the client
 * address, what from the path template ({@link AuditSubject}) and the answer's {@code id}, and the summary from
 * the request body's field names ({@link AuditSummary}), secret ones only named as changed.
 * <p>
 * The entry is written right after the change succeeded, in its own transaction: a crash between the two loses
 * the entry, never the change. A failure to write it is logged and does not fail the request, whose change is
 * already committed.
 */
@Component(service = {ContainerResponseFilter.class, ReaderInterceptor.class})
@JaxrsExtension
@JaxrsName("dooneflow.audit")
@Priority(Priorities.USER)
public class AuditFilter implements ContainerResponseFilter, ReaderInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(AuditFilter.class);
    static final Set<String> CHANGES = Set.of("POST", "PUT", "PATCH", "DELETE");
    /** How much of a request body is kept for its field names: any real change's fields are well within it. */
    static final int CAPTURE_BYTES = 64 * 1024;
    private static final String BODY = AuditFilter.class.getName() + ".body";

    private final AuditLog audit;
    private final ConnectorRegistry registry;

    @Context
    ResourceInfo resourceInfo;

    /** CXF injects a proxy to the current request: the client address. */
    @Context
    HttpServletRequest servletRequest;

    @Activate
    public AuditFilter(@Reference AuditLog audit, @Reference ConnectorRegistry registry) {
        this.audit = audit;
        this.registry = registry;
    }

    /** Keeps the start of the request body as the entity is read, without changing how it is read. */
    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        Capture capture = new Capture(context.getInputStream());
        context.setInputStream(capture);
        context.setProperty(BODY, capture);
        return context.proceed();
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        String method = request.getMethod();
        int status = response.getStatus();
        if (!CHANGES.contains(method) || status < 200 || status >= 300) {
            return;
        }
        Method resourceMethod = resourceInfo == null ? null : resourceInfo.getResourceMethod();
        if (resourceMethod == null || resourceMethod.isAnnotationPresent(PermitAll.class)
                || resourceInfo.getResourceClass().isAnnotationPresent(PermitAll.class)) {
            return; // public endpoints (sign-in, callbacks, webhooks) change nothing a person configured
        }
        try {
            Map<String, String> parameters = new HashMap<>();
            request.getUriInfo().getPathParameters().forEach((k, v) -> parameters.put(k, v.isEmpty() ? null : v.get(0)));
            AuditSubject subject = AuditSubject.of(method, template(resourceInfo.getResourceClass(), resourceMethod),
                    parameters);
            JsonNode answer = json(response.getEntity());
            subject = fromAnswer(subject, answer);
            Capture body = request.getProperty(BODY) instanceof Capture c ? c : null;
            String summary = withVersion(body == null ? null : AuditSummary.of(body.bytes(), body.size(),
                    secretFields()), answer);
            Principal actor = Caller.optional(request.getSecurityContext()).orElse(null);
            audit.record(AuditEntry.of(subject.organizationId(), actor, AuthFilter.clientAddress(servletRequest),
                    subject.objectType(), subject.objectId(), subject.action(), summary));
        } catch (RuntimeException e) {
            LOG.error("The audit log could not record {} {} (answered {}): {}", method,
                    request.getUriInfo().getPath(), status, e.toString());
        }
    }

    /**
     * The id of what a create made (the feature of a connector installed), and the organization a create or an
     * accepted invitation belongs to.
     */
    static AuditSubject fromAnswer(AuditSubject subject, JsonNode answer) {
        if (answer == null || !answer.isObject()
                || (subject.objectId() != null && subject.organizationId() != null)) {
            return subject;
        }
        AuditSubject s = subject;
        if (s.objectId() == null && s.action().equals("create")) {
            String id = text(answer.get("id"));
            if (id == null) {
                // e.g. an invitation answered as {"invitation": {...}, "acceptToken": ...}
                for (JsonNode field : answer) {
                    if (field.isObject() && text(field.get("id")) != null) {
                        id = text(field.get("id"));
                        break;
                    }
                }
            }
            s = s.withObjectId(id);
        }
        if (s.objectId() == null && s.objectType().equals("connector")) {
            s = s.withObjectId(text(answer.get("feature")));
        }
        if (s.organizationId() == null) {
            String org = s.objectType().equals("organization") ? s.objectId() : text(answer.get("organizationId"));
            if (org == null && answer.get("organization") != null) {
                org = text(answer.get("organization").get("id"));
            }
            s = s.withOrganization(org);
        }
        return s;
    }

    /** The answer as JSON, to read ids and versions from; null when there is none or it is not JSON. */
    static JsonNode json(Object entity) {
        if (entity == null) {
            return null;
        }
        try {
            return entity instanceof String s ? Json.MAPPER.readTree(s) : Json.MAPPER.valueToTree(entity);
        } catch (Exception notJson) {
            return null;
        }
    }

    /** A change that made a new version of its object (a workflow's trigger or actions) says which. */
    static String withVersion(String summary, JsonNode answer) {
        if (answer == null || !answer.path("version").isInt()) {
            return summary;
        }
        String version = "version " + answer.path("version").asInt();
        return summary == null ? version : summary + "; " + version;
    }

    private static String text(JsonNode node) {
        return node != null && node.isTextual() ? node.asText() : null;
    }

    private Set<String> secretFields() {
        Set<String> names = new HashSet<>();
        try {
            for (ConnectorRegistry.SettingsPage page : registry.settingsPages()) {
                for (ParameterDescriptor field : page.descriptor().fields()) {
                    if (field.secret()) {
                        names.add(field.name());
                    }
                }
            }
        } catch (RuntimeException e) {
            // the name-based rule still applies
        }
        return names;
    }

    /**
     * Records through {@code audit}, logging instead of throwing when it fails: an entry that cannot be written must
     * not turn an answer (a refused sign-in, a 429) into a 500.
     */
    static Consumer<AuditEntry> quietly(AuditLog audit) {
        return entry -> {
            try {
                audit.record(entry);
            } catch (RuntimeException e) {
                LOG.error("The audit log could not record {} {}: {}", entry.objectType(), entry.action(), e.toString());
            }
        };
    }

    static String template(Class<?> resource, Method method) {
        Path onClass = resource.getAnnotation(Path.class);
        Path onMethod = method.getAnnotation(Path.class);
        return (onClass == null ? "" : onClass.value()) + "/" + (onMethod == null ? "" : onMethod.value());
    }

    /** The first {@link #CAPTURE_BYTES} bytes read through it. */
    static final class Capture extends FilterInputStream {
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

        Capture(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && kept.size() < CAPTURE_BYTES) {
                kept.write(b);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0 && kept.size() < CAPTURE_BYTES) {
                kept.write(buffer, offset, Math.min(n, CAPTURE_BYTES - kept.size()));
            }
            return n;
        }

        byte[] bytes() {
            return kept.toByteArray();
        }

        int size() {
            return kept.size();
        }
    }
}
