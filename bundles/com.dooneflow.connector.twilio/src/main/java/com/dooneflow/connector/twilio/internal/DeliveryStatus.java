package com.dooneflow.connector.twilio.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
    private DeliveryStatus() {
    }

    static boolean isKnown(String status) {
        return rank(status) >= 0;
    }

    /**
     * Adds a reported status; returns the step's status afterwards. The journal applies it under the note's row
     * lock, so callbacks for one message handled at once on different nodes cannot lose each other's history.
     */
    static String record(StepJournal journal, String executionId, int stepIndex, String status, String errorCode,
                         Instant at) {
        String reported = status.toLowerCase(Locale.ROOT);
        Map<String, Object> updated = journal.update(executionId, stepIndex, SendSmsAction.DELIVERY_NOTE,
                note -> withReport(note, reported, errorCode, at));
        return String.valueOf(updated.get("status"));
    }

    private static Map<String, Object> withReport(Map<String, Object> note, String reported, String errorCode,
                                                  Instant at) {
        String current = note == null ? null : String.valueOf(note.get("status"));
        List<Object> history = new ArrayList<>();
        if (note != null && note.get("history") instanceof List<?> earlier) {
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
        } else if (!forward && note.get("errorCode") != null) {
            updated.put("errorCode", note.get("errorCode"));
        }
        updated.put("history", history);
        return updated;
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
