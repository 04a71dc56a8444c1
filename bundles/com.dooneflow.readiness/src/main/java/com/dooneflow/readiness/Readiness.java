package com.dooneflow.readiness;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Whether DooneFlow has started: the database is migrated and answers, and every component has started with its
 * routes served. {@code GET /v1/health} answers with {@link #body(String)}; the start gate asks {@link #components()}.
 */
@ProviderType
public interface Readiness {

    String UP = "UP";
    /** The liveness answer ({@code GET /v1/health/live}). */
    Map<String, String> LIVE = Map.of("status", UP);

    /** The components check alone: "UP", "failed: …", or what the start still waits for. */
    String components();

    /**
     * The readiness answer with this components check: {@code status} UP (200) or DOWN (503), the {@code checks},
     * the database's facts, the node and its roles, and the connectors that do not run.
     */
    Map<String, Object> body(String componentsCheck);
}
