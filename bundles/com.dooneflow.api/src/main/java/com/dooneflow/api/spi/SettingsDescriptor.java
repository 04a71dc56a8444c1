package com.dooneflow.api.spi;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A connector's organization-level settings page, as data: what a console needs to render it without knowing the
 * connector — the REST resource holding the settings, its fields with their constraints, the read-only values worth
 * showing, and the actions (Test, Connect for OAuth). Shipped as {@code OSGI-INF/dooneflow/settings/<id>.json}
 * beside the type descriptors, and listed by {@code GET /v1/connectors} under {@code settings}.
 *
 * @param id          the connector's settings id ({@code twilio}), unique in the distribution
 * @param resource    the REST path of the settings, relative to {@code /}, with {@code {orgId}}
 *                    ({@code v1/organizations/{orgId}/integrations/twilio})
 * @param entries     {@link Entries#SINGLE}: one object per organization (GET, PUT, DELETE on the resource);
 *                    {@link Entries#MANY}: a list of named entries (GET lists {@code items}, POST creates, GET, PATCH
 *                    and DELETE on {@code resource/{id}})
 * @param fields      what a person writes, with the same kinds and constraints as action parameters (secret fields
 *                    are write-only: the resource answers {@code <name>Set})
 * @param shows       read-only values the resource answers that a person should see (a connection's status, an
 *                    inbox's last poll and last error)
 * @param actions     buttons: a POST to a path relative to the resource, or to the entry for {@link Entries#MANY}
 */
public record SettingsDescriptor(String id, String label, String description, String resource, Entries entries,
                                 List<ParameterDescriptor> fields, List<OutputDescriptor> shows,
                                 List<Action> actions) {

    /** One settings object per organization, or a list of named entries. */
    public enum Entries {
        SINGLE, MANY
    }

    /**
     * A button on the settings page.
     *
     * @param path the POST's path relative to the resource (SINGLE) or to the entry (MANY): {@code test},
     *             {@code connect}
     * @param kind {@link Kind#TEST} shows the answer's {@code message}; {@link Kind#OAUTH} opens the answer's
     *             {@code authorizeUrl} for the person to sign in at the provider
     */
    public record Action(String id, String label, String path, Kind kind, String description) {

        public enum Kind {
            TEST, OAUTH
        }

        public Action {
            if (id == null || label == null || path == null || kind == null) {
                throw new IllegalArgumentException("a settings action needs an id, a label, a path and a kind");
            }
        }
    }

    public SettingsDescriptor {
        if (id == null || label == null || resource == null || entries == null) {
            throw new IllegalArgumentException("settings need an id, a label, a resource and entries");
        }
        if (!resource.contains("{orgId}") || resource.startsWith("/")) {
            throw new IllegalArgumentException(id + ": resource must be a path relative to / with {orgId}");
        }
        fields = fields == null ? List.of() : List.copyOf(fields);
        shows = shows == null ? List.of() : List.copyOf(shows);
        actions = actions == null ? List.of() : List.copyOf(actions);
        Set<String> names = new HashSet<>();
        for (ParameterDescriptor f : fields) {
            if (!names.add(f.name())) {
                throw new IllegalArgumentException(id + ": the field " + f.name() + " is declared twice");
            }
        }
    }
}
