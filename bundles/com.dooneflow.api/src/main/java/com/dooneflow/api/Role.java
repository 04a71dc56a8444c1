package com.dooneflow.api;

import java.util.Locale;

/** A user's role in one organization. Owners and admins manage; members read. */
public enum Role {
    OWNER, ADMIN, MEMBER;

    public boolean canManage() {
        return this != MEMBER;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code owner|admin|member}; throws a validation error naming {@code field} otherwise. */
    public static Role parse(String value, String field) {
        if (value != null) {
            for (Role r : values()) {
                if (r.id().equals(value)) {
                    return r;
                }
            }
        }
        throw ValidationException.of(field, "must be one of owner, admin, member");
    }
}
