package com.dooneflow.connector.twilio.internal;

import java.util.Map;

/**
 * Twilio's answers in one table: which errors are worth retrying, and a hint a person can act on for the common
 * permanent ones. Twilio's own code and message always come first; the hint only adds what to do.
 */
final class TwilioErrors {

    /** What to do about an error, by Twilio error code (https://www.twilio.com/docs/api/errors). */
    private static final Map<Integer, String> HINTS = Map.ofEntries(
            Map.entry(20003, "Check the Account SID and Auth Token under Integrations > Twilio."),
            Map.entry(20404, "The account or resource does not exist; check the Account SID under Integrations > Twilio."),
            Map.entry(21211, "Check the recipient's phone number."),
            Map.entry(21408, "Enable SMS to this country in the Twilio console (Messaging > Geo permissions)."),
            Map.entry(21606, "The sender number cannot send SMS; check the phone number under Integrations > Twilio."),
            Map.entry(21610, "The recipient replied STOP; they must reply START before they can receive messages again."),
            Map.entry(21612, "Twilio cannot route a message between these two numbers."),
            Map.entry(21614, "The recipient's number cannot receive SMS (not a mobile number)."),
            Map.entry(21617, "Shorten the message body."),
            Map.entry(21659, "The sender is not a Twilio number of this account; check the phone number under Integrations > Twilio."),
            Map.entry(21660, "The sender number belongs to another Twilio account."),
            Map.entry(21701, "Check the Messaging Service SID under Integrations > Twilio."));

    private TwilioErrors() {
    }

    /** Too many requests or trouble on Twilio's side: another attempt later may succeed. */
    static boolean isTransient(Integer httpStatus) {
        return httpStatus != null && (httpStatus == 429 || httpStatus >= 500);
    }

    /** "Twilio error 21211: <Twilio's message> <hint>" — never our exception text. */
    static String describe(Integer code, String message) {
        StringBuilder text = new StringBuilder("Twilio error ");
        text.append(code == null ? "(no code)" : code).append(": ");
        text.append(message == null || message.isBlank() ? "no message" : message.trim());
        String hint = code == null ? null : HINTS.get(code);
        if (hint != null) {
            text.append(text.charAt(text.length() - 1) == '.' ? " " : ". ").append(hint);
        }
        return text.toString();
    }
}
