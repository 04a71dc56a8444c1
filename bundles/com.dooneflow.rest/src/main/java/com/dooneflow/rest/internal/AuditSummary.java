package com.dooneflow.rest.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;

/**
 * The summary of a change from its JSON request body: the names of the fields it set, never their values — except
 * a few that are never secret and say what happened ({@code role=admin}, {@code enabled=false}). A secret field,
 * at any depth, is only named as changed: {@code authToken changed}, {@code actions[0].params.signingSecret changed}.
 * A field is secret when a connector's settings descriptor says so or its name says secret, password, token or key.
 * A body cut short (only its start is kept) gives the fields seen so far.
 */
final class AuditSummary {

    static final Set<String> SHOWN_VALUES = Set.of("role", "enabled", "active", "environment", "security");
    private static final String[] SECRET_WORDS = {"secret", "password", "token", "key"};

    private AuditSummary() {
    }

    static String of(byte[] body, int length, Set<String> secretFields) {
        if (body == null || length == 0) {
            return null;
        }
        Set<String> fields = new LinkedHashSet<>();
        Set<String> secrets = new LinkedHashSet<>();
        try (JsonParser p = Json.MAPPER.getFactory().createParser(body, 0, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t != JsonToken.FIELD_NAME) {
                    continue;
                }
                String name = p.currentName();
                boolean topLevel = p.getParsingContext().getParent().inRoot();
                if (isSecret(name, secretFields)) {
                    secrets.add(topLevel ? name : dotted(p.getParsingContext().pathAsPointer()));
                } else if (topLevel) {
                    JsonToken value = p.nextToken();
                    boolean shown = SHOWN_VALUES.contains(name) && value != null && value.isScalarValue()
                            && p.getTextLength() <= 40;
                    fields.add(shown ? name + "=" + p.getText() : name);
                }
            }
        } catch (IOException | RuntimeException cutShortOrNotJson) {
            // what was seen is the summary
        }
        List<String> parts = new ArrayList<>();
        if (!fields.isEmpty()) {
            parts.add("fields " + String.join(", ", fields));
        }
        for (String s : secrets) {
            parts.add(s + " changed");
        }
        return parts.isEmpty() ? null : String.join("; ", parts);
    }

    static boolean isSecret(String name, Set<String> secretFields) {
        if (secretFields.contains(name)) {
            return true;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        for (String word : SECRET_WORDS) {
            if (lower.contains(word)) {
                return true;
            }
        }
        return false;
    }

    /** {@code /actions/0/params/signingSecret} → {@code actions[0].params.signingSecret}. */
    static String dotted(JsonPointer pointer) {
        StringBuilder out = new StringBuilder();
        for (JsonPointer p = pointer; p != null && !p.matches(); p = p.tail()) {
            if (p.mayMatchElement()) {
                out.append('[').append(p.getMatchingIndex()).append(']');
            } else {
                out.append(out.length() == 0 ? "" : ".").append(p.getMatchingProperty());
            }
        }
        return out.toString();
    }
}
