package com.dooneflow.api;

import java.time.Duration;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** Cluster-wide leases in the database: at most one live holder per name (one poller per inbox). */
@ProviderType
public interface LeaseService {

    /** Takes the lease if it is free or expired (or already ours, then it is extended). */
    Optional<Lease> tryAcquire(String name, String holder, Duration ttl);

    /** Extends a lease we hold; false when it was lost (expired and taken by another holder). */
    boolean renew(Lease lease, Duration ttl);

    void release(Lease lease);

    /** A stable id of this node, for holders. */
    String nodeId();
}
