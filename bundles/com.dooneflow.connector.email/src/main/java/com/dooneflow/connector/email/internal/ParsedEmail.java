package com.dooneflow.connector.email.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a workflow learns of an email. {@code warnings} name what was read with a fallback (an unknown charset),
 * so it can be shown on the Events page.
 */
record ParsedEmail(String messageId, String fromAddress, String fromName, List<String> to, String subject,
                   String text, String html, String date, List<String> warnings) {

    /** The trigger data: the template variables of the guide plus a few more. */
    Map<String, Object> data(Inbox inbox) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("email_from", fromAddress == null ? "" : fromAddress);
        d.put("email_to", String.join(", ", to));
        d.put("email_subject", subject == null ? "" : subject);
        d.put("email_body", text == null ? "" : text);
        d.put("email_body_html", html == null ? "" : html);
        d.put("email_message_id", messageId == null ? "" : messageId);
        d.put("email_date", date == null ? "" : date);
        d.put("email_inbox_id", inbox.id());
        d.put("email_inbox_address", inbox.emailAddress());
        d.put("contact_email", fromAddress == null ? "" : fromAddress);
        d.put("contact_name", fromName == null ? "" : fromName);
        return d;
    }
}
