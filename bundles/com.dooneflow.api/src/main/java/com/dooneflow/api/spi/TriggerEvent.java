package com.dooneflow.api.spi;

import java.util.Map;

/**
 * Something that happened, handed to the {@link TriggerSink}.
 *
 * @param organizationId the organization it belongs to
 * @param type           the trigger type id ({@code webhook}, {@code email.imap})
 * @param workflowIds    the workflows it fires (the source routed it); empty = every enabled workflow of the type
 * @param dedupeKey      a key that makes a second delivery of the same thing a no-op (null: none)
 * @param data           the trigger data that templates read
 * @param test           a sample sent by a person setting the workflow up: its executions are marked as test runs
 * @param workflowVersions the version of each routed workflow as the source read it, when the source authenticated
 *                       the caller against that version's trigger: should another version be stored by the time the
 *                       event is committed, nothing is committed and the acceptance is {@code stale}. Empty: not checked
 */
public record TriggerEvent(String organizationId, String type, java.util.List<String> workflowIds, String dedupeKey,
                           Map<String, Object> data, boolean test, Map<String, Integer> workflowVersions) {

    public TriggerEvent {
        workflowVersions = workflowVersions == null ? Map.of() : Map.copyOf(workflowVersions);
    }

    /** An event whose routing is not checked against the stored workflow versions. */
    public TriggerEvent(String organizationId, String type, java.util.List<String> workflowIds, String dedupeKey,
                        Map<String, Object> data, boolean test) {
        this(organizationId, type, workflowIds, dedupeKey, data, test, Map.of());
    }

    /** A real event (not a test run). */
    public TriggerEvent(String organizationId, String type, java.util.List<String> workflowIds, String dedupeKey,
                        Map<String, Object> data) {
        this(organizationId, type, workflowIds, dedupeKey, data, false);
    }
}
