package com.dooneflow.connector.twilio.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.dooneflow.api.spi.StepJournal;

/**
 * A message's delivery status on its step ({@code notes."twilio.delivery"}): the latest status and every status
 * reported, in arrival order. Twilio's callbacks may arrive out of order, so the status only moves forward
 * (queued → sending → sent → delivered / undelivered / failed); a late "sent" after "delivered" is kept in the
 * history but does not turn the status back.
 */
final class DeliveryStatus {

    private static final List<List<String>> ORDER = List.of(
            List.of("accepted", "scheduled"), List.of("queued"), List.of("sending"), List.of("sent"),
            List.of("delivered", "undelivered", "failed", "canceled"), List.of("read"));
    /** Serialises read-modify-write of one step's note on this node (callbacks for one message seldom overlap). */
    private static final Object[] LOCKS = new Object[64];

    static {
        for (int i = 0; i < LOCKS.length; i++) {
            LOCKS[i] = new Object();
        }
    }

    private DeliveryStatus() {
    }

    static boolean isKnown(String status) {
        return rank(status) >= 0;
    }

    /** Adds a reported status; returns the step's status afterwards. */
    static String record(StepJournal journal, String executionId, int stepIndex, String status, String errorCode,
                         Instant at) {
        String reported = status.toLowerCase(Locale.ROOT);
        synchronized (LOCKS[Math.floorMod((executionId + ":" + stepIndex).hashCode(), LOCKS.length)]) {
            Optional<Map<String, Object>> note = journal.get(executionId, stepIndex, SendSmsAction.DELIVERY_NOTE);
            String current = note.map(n -> String.valueOf(n.get("status"))).orElse(null);
            List<Object> history = new ArrayList<>();
            if (note.isPresent() && note.get().get("history") instanceof List<?> earlier) {
                history.addAll(earlier);
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("status", reported);
            entry.put("at", at.toString());
            if (errorCode != null && !errorCode.isBlank()) {
                entry.put("errorCode", errorCode);
            }
            history.add(entry);
            Map<String, Object> updated = new LinkedHashMap<>();
            boolean forward = current == null || rank(reported) > rank(current);
            updated.put("status", forward ? reported : current);
            updated.put("updatedAt", at.toString());
            if (forward && entry.containsKey("errorCode")) {
                updated.put("errorCode", errorCode);
            } else if (!forward && note.get().get("errorCode") != null) {
                updated.put("errorCode", note.get().get("errorCode"));
            }
            updated.put("history", history);
            journal.put(executionId, stepIndex, SendSmsAction.DELIVERY_NOTE, updated);
            return String.valueOf(updated.get("status"));
        }
    }

    private static int rank(String status) {
        for (int i = 0; i < ORDER.size(); i++) {
            if (ORDER.get(i).contains(status)) {
                return i;
            }
        }
        return -1;
    }
}
