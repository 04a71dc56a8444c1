package com.dooneflow.api;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/** Readiness of the core: present once the schema is migrated; {@link #check()} pings the database. */
@ProviderType
public interface Health {

    /** Component name → "UP" or a reason it is down. */
    Map<String, String> check();

    /** Facts worth showing beside the status, such as the kind of database. */
    Map<String, String> info();
}
