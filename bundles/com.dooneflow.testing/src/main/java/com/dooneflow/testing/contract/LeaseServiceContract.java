package com.dooneflow.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.dooneflow.api.Lease;
import com.dooneflow.api.LeaseService;

/**
 * The contract of {@link LeaseService}: at most one live holder per name, across nodes; a lease is taken when it
 * is free, expired or already the caller's (then it is extended and keeps its fencing token); the fencing token
 * grows with every new holder; renewing fails once another holder took the lease; releasing frees it for others
 * and only the holding lease can release it.
 */
public abstract class LeaseServiceContract {

    /** Long enough to outlive any test. */
    protected static final Duration LIVE = Duration.ofMinutes(5);
    /** A lease that is over when it is written: expiry without waiting or moving a clock. */
    protected static final Duration ALREADY_EXPIRED = Duration.ofSeconds(-1);

    /** The service as seen from node {@code nodeId}; every node shares one lease table. */
    protected abstract LeaseService node(String nodeId);

    @Test
    public void aLiveLeaseHasOneHolderAcrossNodes() {
        String name = newName();
        Instant before = Instant.now();
        Lease a = node("node-a").tryAcquire(name, "holder-a", LIVE).orElseThrow();

        assertThat(a.name()).isEqualTo(name);
        assertThat(a.holder()).isEqualTo("holder-a");
        assertThat(a.fencingToken()).isPositive();
        assertThat(a.expiresAt()).isBetween(before.plus(LIVE).minusSeconds(1), Instant.now().plus(LIVE).plusSeconds(1));
        assertThat(node("node-b").tryAcquire(name, "holder-b", LIVE)).isEmpty();
    }

    @Test
    public void theHolderTakingItAgainExtendsItWithTheSameFencingToken() {
        LeaseService leases = node("node-a");
        String name = newName();
        Lease first = leases.tryAcquire(name, "holder-a", Duration.ofMinutes(1)).orElseThrow();

        Lease again = leases.tryAcquire(name, "holder-a", Duration.ofMinutes(10)).orElseThrow();

        assertThat(again.fencingToken()).isEqualTo(first.fencingToken());
        assertThat(again.expiresAt()).isAfter(first.expiresAt().plus(Duration.ofMinutes(8)));
        assertThat(node("node-b").tryAcquire(name, "holder-b", LIVE)).as("still held after the extension").isEmpty();
    }

    @Test
    public void anExpiredLeaseGoesToTheNextHolderWithAHigherFencingToken() {
        String name = newName();
        Lease old = node("node-a").tryAcquire(name, "holder-a", ALREADY_EXPIRED).orElseThrow();

        Lease taken = node("node-b").tryAcquire(name, "holder-b", LIVE).orElseThrow();

        assertThat(taken.holder()).isEqualTo("holder-b");
        assertThat(taken.fencingToken()).isGreaterThan(old.fencingToken());
    }

    @Test
    public void renewingFailsForTheOldHolderOnceAnotherTookTheLease() {
        LeaseService a = node("node-a");
        LeaseService b = node("node-b");
        String name = newName();
        Lease old = a.tryAcquire(name, "holder-a", ALREADY_EXPIRED).orElseThrow();
        Lease taken = b.tryAcquire(name, "holder-b", LIVE).orElseThrow();

        assertThat(a.renew(old, LIVE)).isFalse();
        assertThat(b.renew(taken, LIVE)).isTrue();
        assertThat(a.tryAcquire(name, "holder-a", LIVE)).as("the old holder did not get it back").isEmpty();
    }

    @Test
    public void renewingSetsANewExpiryCountedFromNow() {
        LeaseService a = node("node-a");
        String name = newName();
        Lease lease = a.tryAcquire(name, "holder-a", LIVE).orElseThrow();

        assertThat(a.renew(lease, LIVE)).isTrue();
        assertThat(node("node-b").tryAcquire(name, "holder-b", LIVE)).as("held after renewing").isEmpty();

        assertThat(a.renew(lease, ALREADY_EXPIRED)).as("the lease was still ours").isTrue();
        assertThat(node("node-b").tryAcquire(name, "holder-b", LIVE)).as("renewed into the past").isPresent();
    }

    @Test
    public void releasingFreesTheLeaseAndOnlyTheHoldingLeaseCanReleaseIt() {
        LeaseService a = node("node-a");
        LeaseService b = node("node-b");
        String name = newName();
        Lease held = a.tryAcquire(name, "holder-a", LIVE).orElseThrow();

        b.release(new Lease(name, "holder-b", held.fencingToken(), held.expiresAt()));
        a.release(new Lease(name, "holder-a", held.fencingToken() + 1, held.expiresAt()));
        assertThat(b.tryAcquire(name, "holder-b", LIVE)).as("released by someone else").isEmpty();

        a.release(held);

        Lease next = b.tryAcquire(name, "holder-b", LIVE).orElseThrow();
        assertThat(next.fencingToken()).isGreaterThan(held.fencingToken());
        assertThat(a.renew(held, LIVE)).as("a released lease cannot be renewed").isFalse();
    }

    @Test
    public void nodesRacingForAFreeLeaseLeaveOneHolder() throws Exception {
        assertThat(race(newName())).hasSize(1);
    }

    @Test
    public void nodesRacingForAnExpiredLeaseLeaveOneHolder() throws Exception {
        String name = newName();
        Lease expired = node("node-old").tryAcquire(name, "holder-old", ALREADY_EXPIRED).orElseThrow();

        List<Lease> winners = race(name);

        assertThat(winners).hasSize(1);
        assertThat(winners.get(0).fencingToken()).isGreaterThan(expired.fencingToken());
    }

    @Test
    public void eachNodeHasAStableId() {
        LeaseService a = node("node-a");
        assertThat(a.nodeId()).isNotBlank().isEqualTo(a.nodeId());
        assertThat(node("node-b").nodeId()).isNotEqualTo(a.nodeId());
    }

    /** Eight nodes try to take the lease at once; returns the leases they got. */
    private List<Lease> race(String name) throws Exception {
        int nodes = 8;
        CountDownLatch ready = new CountDownLatch(nodes);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(nodes);
        try {
            List<Future<Optional<Lease>>> attempts = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                LeaseService node = node("node-" + i);
                String holder = "holder-" + i;
                attempts.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return node.tryAcquire(name, holder, LIVE);
                }));
            }
            assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            List<Lease> won = new ArrayList<>();
            for (Future<Optional<Lease>> attempt : attempts) {
                attempt.get(30, TimeUnit.SECONDS).ifPresent(won::add);
            }
            return won;
        } finally {
            pool.shutdownNow();
        }
    }

    private static String newName() {
        return "inbox-" + UUID.randomUUID();
    }
}
