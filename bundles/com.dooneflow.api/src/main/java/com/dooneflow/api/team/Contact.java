package com.dooneflow.api.team;

/** The contact an execution assigns (from its {@code contact_*} variables); any part may be null. */
public record Contact(String name, String phone, String email) {

    public static final Contact NONE = new Contact(null, null, null);
}
