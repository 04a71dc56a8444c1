package com.dooneflow.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.dooneflow.api.Lease;
import com.dooneflow.api.LeaseService;

/**
 * One lease table in memory, with the real service's rules: a lease is taken when free, expired or already ours;
 * the fencing token grows with every change of holder; renewing fails once the lease expired; releasing expires it.
 * {@link #forNode} gives another node's view of the same table.
 */
public class InMemoryLeaseService implements LeaseService {

    private final Map<String, Lease> table;
    private final Clock clock;
    private final String nodeId;

    public InMemoryLeaseService(Clock clock, String nodeId) {
        this(new HashMap<>(), clock, nodeId);
    }

    private InMemoryLeaseService(Map<String, Lease> table, Clock clock, String nodeId) {
        this.table = table;
        this.clock = clock;
        this.nodeId = nodeId;
    }

    /** The same lease table as seen from another node. */
    public InMemoryLeaseService forNode(String otherNodeId) {
        return new InMemoryLeaseService(table, clock, otherNodeId);
    }

    @Override
    public Optional<Lease> tryAcquire(String name, String holder, Duration ttl) {
        synchronized (table) {
            Lease current = table.get(name);
            Instant now = clock.instant();
            if (current == null) {
                return Optional.of(put(new Lease(name, holder, 1, now.plus(ttl))));
            }
            boolean ours = current.holder().equals(holder);
            if (!ours && !current.expiresAt().isBefore(now)) {
                return Optional.empty();
            }
            long token = ours ? current.fencingToken() : current.fencingToken() + 1;
            return Optional.of(put(new Lease(name, holder, token, now.plus(ttl))));
        }
    }

    @Override
    public boolean renew(Lease lease, Duration ttl) {
        synchronized (table) {
            Lease current = table.get(lease.name());
            Instant now = clock.instant();
            if (!sameHolding(current, lease) || current.expiresAt().isBefore(now)) {
                return false;
            }
            put(new Lease(lease.name(), lease.holder(), lease.fencingToken(), now.plus(ttl)));
            return true;
        }
    }

    /** Expires rather than forgets the lease, so the next holder's fencing token is still higher. */
    @Override
    public void release(Lease lease) {
        synchronized (table) {
            if (sameHolding(table.get(lease.name()), lease)) {
                put(new Lease(lease.name(), lease.holder(), lease.fencingToken(), Instant.EPOCH));
            }
        }
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    /** The leases nobody has released and that have not expired. */
    public List<Lease> held() {
        synchronized (table) {
            Instant now = clock.instant();
            return table.values().stream().filter(l -> !l.expiresAt().isBefore(now)).toList();
        }
    }

    private Lease put(Lease lease) {
        table.put(lease.name(), lease);
        return lease;
    }

    private static boolean sameHolding(Lease current, Lease lease) {
        return current != null && current.holder().equals(lease.holder())
                && current.fencingToken() == lease.fencingToken();
    }
}
