package com.dooneflow.rest.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a REST request changed, read from its path template: the organization, the object's type and id, and the
 * action. {@code v1/organizations/{orgId}/workflows/{id}/webhook-key} is the organization {@code orgId}, type
 * {@code workflow}, id {@code id}, action {@code webhook-key}; {@code POST .../team-members} is type
 * {@code team-member}, action {@code create} (its id comes from the answer); {@code PUT .../integrations/twilio} is
 * type {@code integration/twilio}, action {@code set}. Literal segments after an id, or a known verb at the end,
 * name the action; otherwise the method does.
 */
record AuditSubject(String organizationId, String objectType, String objectId, String action) {

    /** Last segments that are actions on what comes before them, not collections. */
    static final Set<String> VERBS = Set.of("install", "uninstall", "import", "test", "connect", "accept", "decline",
            "retry", "cancel", "rotate", "revoke");

    static AuditSubject of(String method, String template, Map<String, String> pathParameters) {
        List<String> segments = new ArrayList<>();
        for (String s : template.split("/")) {
            if (!s.isEmpty()) {
                segments.add(s);
            }
        }
        if (!segments.isEmpty() && segments.get(0).equals("v1")) {
            segments.remove(0);
        }
        String orgId = template.contains("{orgId") ? pathParameters.get("orgId") : null;
        if (segments.size() >= 2 && segments.get(0).equals("organizations") && isParameter(segments.get(1))) {
            if (segments.size() == 2) {
                return new AuditSubject(orgId, "organization", orgId, byMethod(method));
            }
            segments = segments.subList(2, segments.size());
        }
        if (segments.size() >= 2 && segments.get(0).equals("connectors") && segments.get(1).equals("install")) {
            // a connector installed cluster-wide is named by its feature, as the console names it: the install's
            // feature comes from the answer, the uninstall's from the path
            return method.equals("DELETE") && segments.size() == 3
                    ? new AuditSubject(null, "connector", pathParameters.get(name(segments.get(2))), "uninstall")
                    : new AuditSubject(null, "connector", null, "install");
        }
        int lastParameter = -1;
        for (int i = 0; i < segments.size(); i++) {
            if (isParameter(segments.get(i))) {
                lastParameter = i;
            }
        }
        String last = segments.isEmpty() ? "" : segments.get(segments.size() - 1);
        if (lastParameter >= 0) {
            String id = pathParameters.get(name(segments.get(lastParameter)));
            String type = type(segments, previousParameter(segments, lastParameter) + 1, lastParameter);
            if (lastParameter == segments.size() - 1) {
                return new AuditSubject(orgId, type, id, byMethod(method));
            }
            String action = String.join("/", segments.subList(lastParameter + 1, segments.size()));
            return new AuditSubject(orgId, type, id, method.equals("POST") ? action : action + " " + byMethod(method));
        }
        if (method.equals("POST") && VERBS.contains(last) && segments.size() > 1) {
            return new AuditSubject(orgId, type(segments, 0, segments.size() - 1), null, last);
        }
        return new AuditSubject(orgId, type(segments, 0, segments.size()), null, byMethod(method));
    }

    private static int previousParameter(List<String> segments, int before) {
        for (int i = before - 1; i >= 0; i--) {
            if (isParameter(segments.get(i))) {
                return i;
            }
        }
        return -1;
    }

    /** The literal segments from {@code from} to {@code to}, each in the singular: {@code integration/twilio}. */
    private static String type(List<String> segments, int from, int to) {
        List<String> words = new ArrayList<>();
        for (String s : segments.subList(Math.max(0, from), Math.max(from, to))) {
            words.add(singular(s));
        }
        return words.isEmpty() ? "installation" : String.join("/", words);
    }

    static String singular(String word) {
        if (word.endsWith("ies")) {
            return word.substring(0, word.length() - 3) + "y";
        }
        if (word.endsWith("xes") || word.endsWith("sses") || word.endsWith("ches")) {
            return word.substring(0, word.length() - 2);
        }
        if (word.endsWith("s") && !word.endsWith("ss") && word.length() > 3) {
            return word.substring(0, word.length() - 1);
        }
        return word;
    }

    private static String byMethod(String method) {
        return switch (method.toUpperCase(Locale.ROOT)) {
            case "POST" -> "create";
            case "PUT" -> "set";
            case "PATCH" -> "update";
            case "DELETE" -> "delete";
            default -> method.toLowerCase(Locale.ROOT);
        };
    }

    private static boolean isParameter(String segment) {
        return segment.startsWith("{") && segment.endsWith("}");
    }

    /** {@code {id}} or {@code {id: [0-9]+}} → {@code id}. */
    private static String name(String parameter) {
        String inner = parameter.substring(1, parameter.length() - 1);
        int colon = inner.indexOf(':');
        return (colon < 0 ? inner : inner.substring(0, colon)).trim();
    }

    AuditSubject withOrganization(String orgId) {
        return new AuditSubject(orgId, objectType, objectId, action);
    }

    AuditSubject withObjectId(String id) {
        return new AuditSubject(organizationId, objectType, id, action);
    }
}
