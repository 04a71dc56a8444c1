package com.dooneflow.engine.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Template variables from a trigger's data: every top-level field by its name, plus {@code contact_name},
 * {@code contact_phone} and {@code contact_email} derived from common field names (case-insensitive) unless the
 * data already has them. A contact variable with no source is left out, so a template using it reports it unknown.
 */
public final class TriggerVariables {

    public static final String CONTACT_NAME = "contact_name";
    public static final String CONTACT_PHONE = "contact_phone";
    public static final String CONTACT_EMAIL = "contact_email";

    private static final String[] NAME_FIELDS = {"name", "full_name", "fullName"};
    private static final String[] FIRST_NAME_FIELDS = {"first_name", "firstName"};
    private static final String[] LAST_NAME_FIELDS = {"last_name", "lastName"};
    private static final String[] PHONE_FIELDS = {"phone", "phone_number", "phoneNumber", "mobile"};
    private static final String[] EMAIL_FIELDS = {"email", "email_address", "emailAddress"};

    private TriggerVariables() {
    }

    /** A new, mutable map of variables; {@code triggerData} is not changed. Null data gives an empty map. */
    public static LinkedHashMap<String, Object> from(Map<String, Object> triggerData) {
        LinkedHashMap<String, Object> variables = new LinkedHashMap<>();
        if (triggerData == null) {
            return variables;
        }
        variables.putAll(triggerData);
        if (!variables.containsKey(CONTACT_NAME)) {
            String name = find(triggerData, NAME_FIELDS);
            if (name == null) {
                String first = find(triggerData, FIRST_NAME_FIELDS);
                String last = find(triggerData, LAST_NAME_FIELDS);
                if (first != null || last != null) {
                    name = ((first == null ? "" : first) + " " + (last == null ? "" : last)).trim();
                }
            }
            putIfPresent(variables, CONTACT_NAME, name);
        }
        if (!variables.containsKey(CONTACT_PHONE)) {
            putIfPresent(variables, CONTACT_PHONE, find(triggerData, PHONE_FIELDS));
        }
        if (!variables.containsKey(CONTACT_EMAIL)) {
            putIfPresent(variables, CONTACT_EMAIL, find(triggerData, EMAIL_FIELDS));
        }
        return variables;
    }

    private static void putIfPresent(Map<String, Object> variables, String key, String value) {
        if (value != null) {
            variables.put(key, value);
        }
    }

    /**
     * The first usable value among the candidate field names, in their order; per name an exact-case key wins over
     * other spellings. Usable: a non-blank string or a number (by toString), trimmed. Maps, lists, booleans and
     * null are skipped.
     */
    private static String find(Map<String, Object> data, String[] candidates) {
        for (String candidate : candidates) {
            String value = usable(data.get(candidate));
            if (value != null) {
                return value;
            }
            for (Map.Entry<String, Object> e : data.entrySet()) {
                if (candidate.equalsIgnoreCase(e.getKey())) {
                    value = usable(e.getValue());
                    if (value != null) {
                        return value;
                    }
                }
            }
        }
        return null;
    }

    private static String usable(Object value) {
        if (value instanceof CharSequence || value instanceof Number) {
            String s = value.toString().trim();
            return s.isEmpty() ? null : s;
        }
        return null;
    }
}
