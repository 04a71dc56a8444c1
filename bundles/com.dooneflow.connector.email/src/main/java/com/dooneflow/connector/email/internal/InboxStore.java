package com.dooneflow.connector.email.internal;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.dooneflow.api.ConflictException;
import com.dooneflow.api.ConnectorSettings;
import com.dooneflow.api.NotFoundException;

/**
 * Inboxes in the settings store. Entries are named by a random id (the e-mail address may change); every
 * read-modify-write happens under the entry's row lock, so a status update by the poller and an edit through the
 * API never overwrite each other, on any node.
 */
public final class InboxStore {

    /** Stored beside lastError: "idle" when the IDLE connection, not a poll, put it there. */
    private static final String ERROR_SOURCE = "lastErrorSource";
    private static final String IDLE_ERROR = "idle";

    private final ConnectorSettings settings;

    public InboxStore(ConnectorSettings settings) {
        this.settings = settings;
    }

    /** The connector's settings store, which also keeps the organizations' OAuth apps. */
    ConnectorSettings settings() {
        return settings;
    }

    public Inbox create(String orgId, Map<String, Object> body) {
        Inbox inbox = InboxRequest.create(null, orgId, body);
        requireUnique(orgId, null, inbox);
        var entry = settings.save(orgId, UUID.randomUUID().toString(), inbox.data(),
                inbox.oauth2() ? Map.of() : Map.of(Inbox.PASSWORD, InboxRequest.password(body)));
        return Inbox.from(entry);
    }

    public Optional<Inbox> get(String orgId, String id) {
        if (id == null || orgId == null) {
            return Optional.empty();
        }
        return settings.get(orgId, id).filter(e -> !OAuthApp.isApp(e)).map(Inbox::from);
    }

    public Inbox require(String orgId, String id) {
        return get(orgId, id).orElseThrow(() -> new NotFoundException("no email inbox " + id));
    }

    public List<Inbox> list(String orgId) {
        return settings.list(orgId).stream().filter(e -> !OAuthApp.isApp(e)).map(Inbox::from)
                .sorted(Comparator.comparing(Inbox::createdAt, Comparator.nullsLast(Comparator.naturalOrder())))
                .toList();
    }

    /** Every inbox of every organization (the pollers). */
    public List<Inbox> listAll() {
        return settings.listAll().stream().filter(e -> !OAuthApp.isApp(e)).map(Inbox::from).toList();
    }

    public Inbox update(String orgId, String id, Map<String, Object> body) {
        Inbox current = require(orgId, id);
        Inbox checked = InboxRequest.patch(current, body); // validate before taking the lock
        requireUnique(orgId, id, checked);
        return settings.withLock(orgId, id, locked -> {
            Inbox latest = Inbox.from(locked.entry());
            Inbox next = InboxRequest.patch(latest, body);
            Map<String, String> secrets = new HashMap<>();
            if (body.containsKey("password")) {
                secrets.put(Inbox.PASSWORD, InboxRequest.password(body));
            }
            if (!next.auth().equals(latest.auth()) && !Inbox.CONNECTED.equals(next.auth().status())) {
                // Another way to sign in: the old one's credentials go (tokens of another provider, the password).
                secrets.put(Inbox.ACCESS_TOKEN, "");
                secrets.put(Inbox.REFRESH_TOKEN, "");
                if (next.oauth2()) {
                    secrets.put(Inbox.PASSWORD, "");
                }
            }
            // Merged, so status the record does not carry (where lastError came from) survives an edit.
            Map<String, Object> data = new HashMap<>(locked.entry().data());
            data.putAll(next.data());
            locked.update(data, secrets);
            return next;
        });
    }

    public boolean delete(String orgId, String id) {
        return settings.delete(orgId, id);
    }

    public Optional<String> password(Inbox inbox) {
        return settings.get(inbox.organizationId(), inbox.id())
                .flatMap(e -> settings.secret(e, Inbox.PASSWORD));
    }

    /**
     * Records the outcome of one poll: when it ran, the error (null: it worked), how many emails it handed to
     * workflows and the inbox's mode on the polling node. While the IDLE connection keeps failing
     * ({@code idleFailing}), a poll that worked leaves its error in place. Returns the poll error recorded before
     * (null: none, or the IDLE connection's); does nothing if the inbox was deleted meanwhile.
     */
    public String recordPoll(Inbox inbox, Instant at, String error, int processed, String mode, boolean idleFailing) {
        return update(inbox, data -> {
            Object before = data.get("lastError");
            boolean idleError = IDLE_ERROR.equals(data.get(ERROR_SOURCE));
            data.put("lastPolledAt", at.toString());
            if (error != null || !(idleError && idleFailing)) {
                data.put("lastError", error);
                data.put(ERROR_SOURCE, null);
            }
            Object count = data.get("messagesProcessed");
            data.put("messagesProcessed", (count instanceof Number n ? n.longValue() : 0) + processed);
            data.put("mode", mode);
            return before == null || idleError ? null : before.toString();
        });
    }

    /**
     * Records the state of the inbox's IDLE connection: the mode (null: unchanged), an error when it falls back to
     * polling (shown as lastError unless a poll error is there), when the server last announced new mail (null:
     * unchanged). Going back to IDLE clears the connection's error.
     */
    public void recordIdle(Inbox inbox, String mode, String error, Instant eventAt) {
        update(inbox, data -> {
            boolean idleError = IDLE_ERROR.equals(data.get(ERROR_SOURCE));
            if (mode != null) {
                data.put("mode", mode);
            }
            if (eventAt != null) {
                data.put("lastEventAt", eventAt.toString());
            }
            if (error != null && (data.get("lastError") == null || idleError)) {
                data.put("lastError", error);
                data.put(ERROR_SOURCE, IDLE_ERROR);
            } else if (Inbox.MODE_IDLE.equals(mode) && idleError) {
                data.put("lastError", null);
                data.put(ERROR_SOURCE, null);
            }
            return null;
        });
    }

    /** A read-modify-write of the inbox's stored data under its row lock; null if it was deleted meanwhile. */
    private <T> T update(Inbox inbox, java.util.function.Function<Map<String, Object>, T> change) {
        if (get(inbox.organizationId(), inbox.id()).isEmpty()) {
            return null;
        }
        return settings.withLock(inbox.organizationId(), inbox.id(), locked -> {
            Map<String, Object> data = new HashMap<>(locked.entry().data());
            T result = change.apply(data);
            locked.update(data, Map.of());
            return result;
        });
    }

    /** One inbox per mailbox and organization: two would process every email twice. */
    private void requireUnique(String orgId, String id, Inbox inbox) {
        for (Inbox other : list(orgId)) {
            if (!other.id().equals(id) && other.host().equalsIgnoreCase(inbox.host())
                    && other.username().equalsIgnoreCase(inbox.username())) {
                throw new ConflictException("username", "the organization already monitors this mailbox ("
                        + other.username() + " on " + other.host() + ") as inbox " + other.id());
            }
        }
    }
}
