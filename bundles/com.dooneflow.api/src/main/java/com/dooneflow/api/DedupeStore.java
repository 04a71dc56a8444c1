package com.dooneflow.api;

import java.time.Duration;

import org.osgi.annotation.versioning.ProviderType;

/** Remembers keys (webhook-id, IMAP UID, Message-ID) for a while, atomically across nodes. */
@ProviderType
public interface DedupeStore {

    /** Records the key; true only the first time it is seen within its time to live. */
    boolean firstSeen(String orgId, String scope, String key, Duration ttl);

    boolean seen(String orgId, String scope, String key);

    /** Removes expired keys; returns how many. */
    int purgeExpired();
}
