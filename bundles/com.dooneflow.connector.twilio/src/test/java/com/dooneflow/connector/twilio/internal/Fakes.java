package com.dooneflow.connector.twilio.internal;

import java.security.Principal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import javax.ws.rs.core.SecurityContext;

import com.dooneflow.api.AddedMember;
import com.dooneflow.api.AuthenticatedCaller;
import com.dooneflow.api.Event;
import com.dooneflow.api.EventLog;
import com.dooneflow.api.ForbiddenException;
import com.dooneflow.api.Member;
import com.dooneflow.api.NotFoundException;
import com.dooneflow.api.Organization;
import com.dooneflow.api.OrganizationService;
import com.dooneflow.api.Page;
import com.dooneflow.api.Role;
import com.dooneflow.api.SettingsEntry;
import com.dooneflow.api.SettingsStore;
import com.dooneflow.api.spi.ActionContext;
import com.dooneflow.api.spi.StepJournal;

/** Hand-written stand-ins for the platform services the connector uses (Twilio itself is WireMock). */
final class Fakes {

    static final String ORG = "org-1";
    static final String ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef";
    static final String TOKEN = "9f8e7d6c5b4a39281706f5e4d3c2b1a0";
    static final String FROM = "+14155552671";
    static final String SERVICE_SID = "MG0123456789abcdef0123456789abcdef";

    private Fakes() {
    }

    /** Entries in memory; secrets beside them, as the vault would keep them. */
    static final class Settings implements SettingsStore {
        final Map<String, SettingsEntry> entries = new ConcurrentHashMap<>();
        final Map<String, String> secrets = new ConcurrentHashMap<>();
        int saves;

        @Override
        public synchronized SettingsEntry save(String orgId, String connector, String name, Map<String, Object> data,
                                               Map<String, String> newSecrets) {
            saves++;
            Optional<SettingsEntry> old = findByName(orgId, connector, name);
            String id = old.map(SettingsEntry::id).orElse(UUID.randomUUID().toString());
            newSecrets.forEach((field, value) -> {
                if (value != null && value.isEmpty()) {
                    secrets.remove(id + "/" + field);
                } else if (value != null) {
                    secrets.put(id + "/" + field, value);
                }
            });
            Set<String> set = new java.util.TreeSet<>();
            secrets.keySet().stream().filter(k -> k.startsWith(id + "/")).forEach(k -> set.add(k.substring(id.length() + 1)));
            Instant now = Instant.now();
            SettingsEntry e = new SettingsEntry(id, orgId, connector, name, Map.copyOf(data), set,
                    old.map(o -> o.version() + 1).orElse(1L), old.map(SettingsEntry::createdAt).orElse(now), now);
            entries.put(id, e);
            return e;
        }

        @Override
        public Optional<SettingsEntry> get(String orgId, String connector, String id) {
            return Optional.ofNullable(entries.get(id)).filter(e -> e.organizationId().equals(orgId)
                    && e.connector().equals(connector));
        }

        @Override
        public Optional<SettingsEntry> findByName(String orgId, String connector, String name) {
            return entries.values().stream().filter(e -> e.organizationId().equals(orgId)
                    && e.connector().equals(connector) && e.name().equals(name)).findFirst();
        }

        @Override
        public List<SettingsEntry> list(String orgId, String connector) {
            return entries.values().stream().filter(e -> e.organizationId().equals(orgId)).toList();
        }

        @Override
        public List<SettingsEntry> listAll(String connector) {
            return List.copyOf(entries.values());
        }

        @Override
        public boolean delete(String orgId, String connector, String id) {
            if (get(orgId, connector, id).isEmpty()) {
                return false;
            }
            entries.remove(id);
            secrets.keySet().removeIf(k -> k.startsWith(id + "/"));
            return true;
        }

        @Override
        public Optional<String> secret(SettingsEntry entry, String field) {
            return Optional.ofNullable(secrets.get(entry.id() + "/" + field));
        }

        @Override
        public <T> T withLock(String orgId, String connector, String id, Function<LockedEntry, T> work) {
            throw new UnsupportedOperationException();
        }

        @Override
        public synchronized SettingsEntry create(String orgId, String connector, String name,
                                                 Map<String, Object> data, Map<String, String> secrets) {
            if (findByName(orgId, connector, name).isPresent()) {
                throw new com.dooneflow.api.ConflictException("name", "'" + name + "' is already taken");
            }
            return save(orgId, connector, name, data, secrets);
        }
    }

    /** Notes by execution, step and key, as the engine's journal keeps them. */
    static final class Journal implements StepJournal {
        final Map<String, Map<String, Object>> notes = new ConcurrentHashMap<>();
        final List<String> puts = new CopyOnWriteArrayList<>();

        @Override
        public void put(String executionId, int stepIndex, String key, Map<String, Object> value) {
            puts.add(key + "=" + value.get("state") + value.get("status"));
            // A deep copy through JSON-like values, as a database round trip would give.
            notes.put(executionId + "/" + stepIndex + "/" + key, copy(value));
        }

        @Override
        public Optional<Map<String, Object>> get(String executionId, int stepIndex, String key) {
            return Optional.ofNullable(notes.get(executionId + "/" + stepIndex + "/" + key)).map(Fakes::copy);
        }

        @Override
        public Map<Integer, Map<String, Map<String, Object>>> notes(String executionId) {
            Map<Integer, Map<String, Map<String, Object>>> all = new java.util.TreeMap<>();
            notes.forEach((k, v) -> {
                String[] parts = k.split("/", 3);
                if (parts[0].equals(executionId)) {
                    all.computeIfAbsent(Integer.parseInt(parts[1]), i -> new java.util.TreeMap<>()).put(parts[2], copy(v));
                }
            });
            return all;
        }
    }

    static final class Events implements EventLog {
        final List<Event> recorded = new CopyOnWriteArrayList<>();

        @Override
        public Event record(String orgId, Event.Level level, String source, String message, Map<String, Object> details) {
            Event e = new Event(UUID.randomUUID().toString(), orgId, Instant.now(), level, source, message, details);
            recorded.add(e);
            return e;
        }

        @Override
        public Page<Event> list(String orgId, Instant from, Instant to, int limit, String cursor) {
            throw new UnsupportedOperationException();
        }
    }

    /** Roles by user and organization; like the real service, a stranger's organization does not exist. */
    static final class Organizations implements OrganizationService {
        final Map<String, Role> roles = new HashMap<>();

        Organizations with(String userId, String orgId, Role role) {
            roles.put(userId + "@" + orgId, role);
            return this;
        }

        @Override
        public Role requireRole(com.dooneflow.api.Principal caller, String orgId, boolean manage) {
            Role role = roles.get(caller.userId() + "@" + orgId);
            if (role == null) {
                throw new NotFoundException("No organization " + orgId);
            }
            if (manage && !role.canManage()) {
                throw new ForbiddenException("Only owners and admins may do this.");
            }
            return role;
        }

        @Override
        public List<Organization> list(com.dooneflow.api.Principal caller) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Organization create(com.dooneflow.api.Principal caller, String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Organization get(com.dooneflow.api.Principal caller, String orgId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Organization rename(com.dooneflow.api.Principal caller, String orgId, String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Member> members(com.dooneflow.api.Principal caller, String orgId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public AddedMember addMember(com.dooneflow.api.Principal caller, String orgId, String email, Role role) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Member changeRole(com.dooneflow.api.Principal caller, String orgId, String userId, Role role) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void removeMember(com.dooneflow.api.Principal caller, String orgId, String userId) {
            throw new UnsupportedOperationException();
        }
    }

    /** The SecurityContext the core's AuthFilter sets for a caller. */
    static SecurityContext caller(String userId) {
        com.dooneflow.api.Principal principal = com.dooneflow.api.Principal.user(userId, userId + "@example.com", "t", null);
        AuthenticatedCaller user = new AuthenticatedCaller() {
            @Override
            public com.dooneflow.api.Principal principal() {
                return principal;
            }

            @Override
            public String getName() {
                return principal.email();
            }
        };
        return new SecurityContext() {
            @Override
            public Principal getUserPrincipal() {
                return user;
            }

            @Override
            public boolean isUserInRole(String role) {
                return false;
            }

            @Override
            public boolean isSecure() {
                return false;
            }

            @Override
            public String getAuthenticationScheme() {
                return "Bearer";
            }
        };
    }

    record Context(String organizationId, String executionId, int stepIndex, int attempt, Map<String, Object> params,
                   Map<String, Object> variables) implements ActionContext {
        @Override
        public String idempotencyKey() {
            return executionId + ":" + stepIndex;
        }
    }

    static Context context(String executionId, int attempt, Map<String, Object> params, Map<String, Object> variables) {
        return new Context(ORG, executionId, 0, attempt, params, variables);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> copy(Map<String, Object> value) {
        Map<String, Object> out = new LinkedHashMap<>();
        value.forEach((k, v) -> out.put(k, v instanceof Map<?, ?> m ? copy((Map<String, Object>) m)
                : v instanceof List<?> l ? new ArrayList<>(l) : v));
        return out;
    }
}
