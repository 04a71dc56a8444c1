package com.dooneflow.api;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * One named settings entry of a connector in an organization (the Twilio account, the Salesforce
 * connection "Production", an IMAP inbox). {@code data} is plain JSON-like values; secret fields live in
 * the vault and only their names show here, in {@code secretsSet}.
 */
public record SettingsEntry(String id, String organizationId, String connector, String name,
                            Map<String, Object> data, Set<String> secretsSet, long version,
                            Instant createdAt, Instant updatedAt) {
}
