package com.dooneflow.connector.webhook.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.dooneflow.api.SecretVault;
import com.dooneflow.api.spi.ActionContext;
import com.dooneflow.api.spi.TriggerBinding;
import com.dooneflow.api.spi.TriggerEvent;
import com.dooneflow.api.spi.TriggerSink;

/** Hand-written stand-ins for the engine's sink, the vault and an action context. */
final class Fakes {

    private Fakes() {
    }

    /** Records events; one new execution per workflow, unless the dedupe key was seen or the workflow is off. */
    static final class Sink implements TriggerSink {
        final List<TriggerBinding> bindings = new CopyOnWriteArrayList<>();
        final List<TriggerEvent> accepted = new CopyOnWriteArrayList<>();
        final List<String> disabled = new CopyOnWriteArrayList<>();
        final Map<String, List<String>> byDedupeKey = new HashMap<>();
        final AtomicInteger bindingCalls = new AtomicInteger();

        @Override
        public synchronized Acceptance accept(TriggerEvent event) {
            accepted.add(event);
            if (event.dedupeKey() != null && byDedupeKey.containsKey(event.dedupeKey())) {
                return new Acceptance(byDedupeKey.get(event.dedupeKey()), true);
            }
            List<String> ids = new ArrayList<>();
            for (String workflowId : event.workflowIds()) {
                if (!disabled.contains(workflowId)) {
                    ids.add(UUID.randomUUID().toString());
                }
            }
            if (event.dedupeKey() != null) {
                byDedupeKey.put(event.dedupeKey(), ids);
            }
            return new Acceptance(ids, false);
        }

        @Override
        public List<TriggerBinding> bindings() {
            bindingCalls.incrementAndGet();
            return List.copyOf(bindings);
        }

        @Override
        public Optional<Map<String, Object>> awaitExecution(String executionId, Duration timeout) {
            return Optional.of(Map.of("id", executionId, "status", "succeeded"));
        }
    }

    static final class Vault implements SecretVault {
        final Map<String, String> secrets = new HashMap<>();

        @Override
        public void put(String orgId, String ownerId, String field, String plaintext) {
            secrets.put(orgId + "/" + ownerId + "/" + field, plaintext);
        }

        @Override
        public Optional<String> get(String orgId, String ownerId, String field) {
            return Optional.ofNullable(secrets.get(orgId + "/" + ownerId + "/" + field));
        }

        @Override
        public boolean isSet(String orgId, String ownerId, String field) {
            return get(orgId, ownerId, field).isPresent();
        }

        @Override
        public void deleteAll(String orgId, String ownerId) {
            secrets.keySet().removeIf(k -> k.startsWith(orgId + "/" + ownerId + "/"));
        }

        @Override
        public String activeKeyId() {
            return "test";
        }

        @Override
        public RotationResult rotate(byte[] newKey) {
            throw new UnsupportedOperationException();
        }
    }

    record Context(Map<String, Object> params, String idempotencyKey) implements ActionContext {
        @Override
        public String organizationId() {
            return "org-1";
        }

        @Override
        public String executionId() {
            return "exec-1";
        }

        @Override
        public int stepIndex() {
            return 0;
        }

        @Override
        public int attempt() {
            return 1;
        }

        @Override
        public Map<String, Object> variables() {
            return Map.of();
        }
    }
}
