package com.dooneflow.engine.internal;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A step's recorded error in plain language, saying whether anything left DooneFlow. Connectors record their
 * failures as text (the engine keeps the reason of an ok/retry/fail result); this reads what kind of failure that
 * text reports — the request never left (unknown host, connection refused), it left and no answer came (timeout),
 * or the peer answered and refused — and who the peer was. Text it does not recognise gets no explanation, so the
 * console shows the recorded error as it is rather than guessing.
 */
final class StepErrorExplainer {

    /** Why no request left: the peer's name could not be resolved or nobody listened. */
    private static final Pattern UNKNOWN_HOST = Pattern.compile(
            "UnknownHostException(?::\\s*([^\\s)(;,:]+))?|(?:the )?host ([^\\s]+) cannot be resolved"
                    + "|unknown host ([^\\s)(;,:]+)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern REFUSED = Pattern.compile(
            "ConnectException|Connection refused|NoRouteToHostException", Pattern.CASE_INSENSITIVE);
    /** The request left and no (complete) answer came in time. */
    private static final Pattern TIMEOUT = Pattern.compile(
            "TimeoutException|timed out|did not answer in time|no complete answer|no readable answer",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern ANSWERED = Pattern.compile("answered (\\d{3})(?::\\s*(.*))?", Pattern.DOTALL);
    private static final Pattern REJECTED = Pattern.compile("\\b(?:refused|rejected)\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern OUTCOME_UNKNOWN = Pattern.compile("^outcome unknown\\W+(.*)", Pattern.DOTALL);
    private static final Pattern GAVE_UP = Pattern.compile("\\s*\\(gave up after (\\d+) attempts\\)\\s*$");
    /** "Twilio could not be reached...", "Salesforce refused the create...": the peer named first. */
    private static final Pattern LEADING_PEER = Pattern.compile(
            "^([A-Z][\\w.-]*)\\s+(?:could not|answered|refused|rejected|did not|is not)");
    /** "the endpoint answered 500", "calling hooks.example.com failed", "no complete answer from h within 30 s". */
    private static final Pattern HOST_IN_TEXT = Pattern.compile(
            "(?:calling|from|to|with|reach|host) ([a-z0-9][a-z0-9.-]*\\.[a-z]{2,}|\\d{1,3}(?:\\.\\d{1,3}){3})");

    private StepErrorExplainer() {
    }

    /** The explanation of a recorded step error, or null when there is none or it is not recognised. */
    static String explain(String error) {
        if (error == null || error.isBlank()) {
            return null;
        }
        String text = error.strip();
        String gaveUp = "";
        Matcher g = GAVE_UP.matcher(text);
        if (g.find()) {
            gaveUp = " DooneFlow gave up after " + g.group(1) + ("1".equals(g.group(1)) ? " attempt." : " attempts.");
            text = text.substring(0, g.start());
        }
        String peer = peer(text);
        Matcher unknownHost = UNKNOWN_HOST.matcher(text);
        if (unknownHost.find()) {
            String host = firstNonNull(unknownHost.group(1), unknownHost.group(2), unknownHost.group(3));
            String which = host == null || host.equalsIgnoreCase(peer) ? "unknown host" : "unknown host " + host;
            return "DooneFlow could not reach " + (peer == null ? host == null ? "the service" : host : peer)
                    + " (" + which + "); nothing was sent." + gaveUp;
        }
        if (REFUSED.matcher(text).find()) {
            return "DooneFlow could not reach " + orService(peer) + " (connection refused); nothing was sent." + gaveUp;
        }
        Matcher unknown = OUTCOME_UNKNOWN.matcher(text);
        if (unknown.find()) {
            return "It is not known whether " + orService(peer) + " received this step's request, so DooneFlow did "
                    + "not send it again: " + unknown.group(1).strip() + gaveUp;
        }
        if (TIMEOUT.matcher(text).find()) {
            return "DooneFlow sent the request but " + orService(peer) + " did not answer in time; it may have "
                    + "arrived." + gaveUp;
        }
        Matcher answered = ANSWERED.matcher(text);
        if (answered.find()) {
            String detail = answered.group(2) == null || answered.group(2).isBlank() ? ""
                    : ": " + answered.group(2).strip();
            return capitalized(orService(peer)) + " received the request and answered " + answered.group(1) + detail
                    + sentenceEnd(detail) + gaveUp;
        }
        if (peer != null && REJECTED.matcher(text).find()) {
            return peer + " received the request and refused it: " + text + sentenceEnd(text) + gaveUp;
        }
        return null;
    }

    private static String peer(String text) {
        Matcher leading = LEADING_PEER.matcher(text);
        if (leading.find() && !"The".equals(leading.group(1))) {
            return leading.group(1);
        }
        Matcher host = HOST_IN_TEXT.matcher(text.toLowerCase(Locale.ROOT));
        return host.find() ? host.group(1) : null;
    }

    private static String orService(String peer) {
        return peer == null ? "the service" : peer;
    }

    private static String capitalized(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static String sentenceEnd(String text) {
        return text.endsWith(".") ? "" : ".";
    }

    private static String firstNonNull(String... values) {
        for (String v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }
}
