package com.dooneflow.persistence.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import com.dooneflow.api.Lease;

class LeaseServiceImplTest extends DatabaseTestBase {

    private static final Duration LIVE = Duration.ofMinutes(5);
    /** A lease that is already over when it is written: expiry without waiting. */
    private static final Duration ALREADY_EXPIRED = Duration.ofSeconds(-1);

    @OnBothDatabases
    void aLiveLeaseCannotBeTakenByAnotherHolder(DbKind kind) {
        LeaseServiceImpl leases = new LeaseServiceImpl(db(kind), "node-" + newId());
        String name = "inbox-" + newId();

        Lease a = leases.tryAcquire(name, "node-a", LIVE).orElseThrow();

        assertThat(a.holder()).isEqualTo("node-a");
        assertThat(a.fencingToken()).isEqualTo(1);
        assertThat(leases.tryAcquire(name, "node-b", LIVE)).isEmpty();
    }

    @OnBothDatabases
    void theHolderReacquiringExtendsWithTheSameFencingToken(DbKind kind) {
        LeaseServiceImpl leases = new LeaseServiceImpl(db(kind), "node-" + newId());
        String name = "inbox-" + newId();
        Lease first = leases.tryAcquire(name, "node-a", Duration.ofMinutes(1)).orElseThrow();

        Lease again = leases.tryAcquire(name, "node-a", Duration.ofMinutes(10)).orElseThrow();

        assertThat(again.fencingToken()).isEqualTo(first.fencingToken());
        assertThat(again.expiresAt()).isAfter(first.expiresAt().plus(Duration.ofMinutes(8)));
        assertThat(leases.tryAcquire(name, "node-b", LIVE)).as("still held after the extension").isEmpty();
    }

    @OnBothDatabases
    void anExpiredLeaseGoesToTheNextHolderWithAHigherFencingToken(DbKind kind) {
        LeaseServiceImpl leases = new LeaseServiceImpl(db(kind), "node-" + newId());
        String name = "inbox-" + newId();
        Lease old = leases.tryAcquire(name, "node-a", ALREADY_EXPIRED).orElseThrow();

        Lease taken = leases.tryAcquire(name, "node-b", LIVE).orElseThrow();

        assertThat(taken.holder()).isEqualTo("node-b");
        assertThat(taken.fencingToken()).isGreaterThan(old.fencingToken());
    }

    @OnBothDatabases
    void renewFailsForTheOldHolderAfterTakeover(DbKind kind) {
        LeaseServiceImpl leases = new LeaseServiceImpl(db(kind), "node-" + newId());
        String name = "inbox-" + newId();
        Lease old = leases.tryAcquire(name, "node-a", ALREADY_EXPIRED).orElseThrow();
        Lease taken = leases.tryAcquire(name, "node-b", LIVE).orElseThrow();

        assertThat(leases.renew(old, LIVE)).isFalse();
        assertThat(leases.renew(taken, LIVE)).isTrue();
        assertThat(leases.tryAcquire(name, "node-a", LIVE)).as("the old holder did not get it back").isEmpty();
    }

    @OnBothDatabases
    void renewExtendsALiveLease(DbKind kind) {
        LeaseServiceImpl leases = new LeaseServiceImpl(db(kind), "node-" + newId());
        String name = "inbox-" + newId();
        Lease lease = leases.tryAcquire(name, "node-a", Duration.ofMinutes(1)).orElseThrow();

        assertThat(leases.renew(lease, Duration.ofMinutes(10))).isTrue();
        Object expiresAt = on(kind).queryValue("select expires_at from df_lease where name = ?", name);
        assertThat(((java.sql.Timestamp) expiresAt).toInstant()).isAfter(lease.expiresAt().plus(Duration.ofMinutes(8)));
    }

    @OnBothDatabases
    void releaseLetsAnotherHolderAcquire(DbKind kind) {
        LeaseServiceImpl leases = new LeaseServiceImpl(db(kind), "node-" + newId());
        String name = "inbox-" + newId();
        Lease a = leases.tryAcquire(name, "node-a", LIVE).orElseThrow();
        assertThat(leases.tryAcquire(name, "node-b", LIVE)).isEmpty();

        leases.release(a);

        Lease b = leases.tryAcquire(name, "node-b", LIVE).orElseThrow();
        assertThat(b.fencingToken()).isGreaterThan(a.fencingToken());
        assertThat(leases.renew(a, LIVE)).as("a released lease cannot be renewed").isFalse();
    }
}
