package com.dooneflow.connector.email.internal;

import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.dooneflow.api.ConnectorSettings;
import com.dooneflow.api.FieldError;

import com.dooneflow.api.spi.OutputDescriptor;
import com.dooneflow.api.spi.TriggerBinding;
import com.dooneflow.api.spi.TriggerSink;
import com.dooneflow.api.spi.TriggerSource;

/**
 * The {@code email.imap} trigger type. It only holds the engine's sink: the inbox pollers ({@link EmailPollers})
 * read the workflows' trigger parameters from it at every poll, so there is no routing cache to refresh.
 */
@Component(service = {TriggerSource.class, EmailTrigger.class}, property = TriggerSource.TYPE + "=" + EmailTrigger.TYPE)
public class EmailTrigger implements TriggerSource {

    public static final String TYPE = "email.imap";

    private static OutputDescriptor text(String name, String description) {
        return OutputDescriptor.of(name, OutputDescriptor.Type.TEXT, description);
    }

    private volatile TriggerSink sink;
    private volatile Runnable onBindingsChanged = () -> { };

    /** Where the inboxes are, to check a workflow's {@code inboxId} when it is saved. */
    @Reference
    private ConnectorSettings settings;

    public EmailTrigger() {
    }

    EmailTrigger(ConnectorSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(TriggerSink sink) {
        this.sink = sink;
    }

    @Override
    public void close() {
        this.sink = null;
    }

    /** The inbox must be one of the organization's: another organization's inbox id is reported like a typo. */
    @Override
    public List<FieldError> validate(String organizationId, Map<String, Object> params) {
        Object inboxId = params.get("inboxId");
        if (inboxId == null || settings == null
                || new InboxStore(settings).get(organizationId, inboxId.toString().trim()).isPresent()) {
            return List.of();
        }
        return List.of(new FieldError("inboxId", "'" + inboxId + "' is not an email inbox of this organization"
                + " (see GET /v1/organizations/" + organizationId + "/email-inboxes)"));
    }

    @Override
    public void bindingsChanged() {
        onBindingsChanged.run();
    }

    /** Who to tell when workflows with this trigger changed on this node (the pollers check their inbox ids). */
    void onBindingsChanged(Runnable listener) {
        onBindingsChanged = listener;
    }

    /** The engine's sink, or null while the engine is not there. */
    TriggerSink sink() {
        return sink;
    }

    /** What one workflow's trigger asks for, read leniently from its saved parameters. */
    record Filter(String workflowId, String inboxId, String subject, String from, boolean markAsRead) {

        static Filter of(TriggerBinding b) {
            Map<String, Object> p = b.params();
            return new Filter(b.workflowId(), string(p.get("inboxId")), string(p.get("subjectFilter")),
                    string(p.get("fromFilter")), !Boolean.FALSE.equals(p.get("markAsRead")));
        }

        boolean matches(ParsedEmail email) {
            return contains(email.subject(), subject)
                    && (contains(email.fromAddress(), from) || contains(email.fromName(), from));
        }

        private static boolean contains(String value, String wanted) {
            return wanted == null || wanted.isEmpty() || EmailParser.lower(value).contains(EmailParser.lower(wanted));
        }

        private static String string(Object value) {
            return value == null ? null : value.toString().trim();
        }
    }
}
