package com.dooneflow.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** Workflows of an organization. Members read; owners and admins change. */
@ProviderType
public interface WorkflowService {

    Page<Workflow> list(Principal caller, String orgId, int limit, String cursor);

    /** Validates against the installed types (422 naming each bad path) and saves version 1. */
    Workflow create(Principal caller, String orgId, WorkflowDefinition definition);

    Workflow get(Principal caller, String orgId, String workflowId);

    /** Fields left null stay as they are; a changed trigger or actions make a new version. */
    Workflow update(Principal caller, String orgId, String workflowId, WorkflowDefinition changes);

    void delete(Principal caller, String orgId, String workflowId);

    /** Generates the webhook key (and Standard Webhooks signing secret), returning them this once. */
    Map<String, String> generateWebhookKey(Principal caller, String orgId, String workflowId);

    /**
     * Generates a new webhook key and signing secret, returning them this once, and keeps the ones they replace
     * valid for {@code grace} (zero: refused at once) so callers can switch without losing webhooks. The answer
     * also holds {@code previousKeyExpiresAt} (RFC 3339) when the old ones stay valid.
     */
    Map<String, String> rotateWebhookKey(Principal caller, String orgId, String workflowId, Duration grace);

    /** When the key and signing secret that the last rotation replaced stop being accepted; empty if they are not. */
    Optional<Instant> previousWebhookKeyExpiry(Principal caller, String orgId, String workflowId);

    /** The workflow as portable JSON-like data (no ids, no secrets), for import elsewhere. */
    WorkflowDefinition export(Principal caller, String orgId, String workflowId);
}
