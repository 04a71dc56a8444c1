package com.dooneflow.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import com.dooneflow.api.Lease;

class InMemoryLeaseServiceTest {

    static final Duration TTL = Duration.ofSeconds(30);

    final MutableClock clock = new MutableClock();
    final InMemoryLeaseService nodeA = new InMemoryLeaseService(clock, "node-a");
    final InMemoryLeaseService nodeB = nodeA.forNode("node-b");

    @Test
    void oneHolderAtATimeUntilTheLeaseExpiresThenTheFencingTokenGrows() {
        Lease a = nodeA.tryAcquire("inbox-1", "node-a", TTL).orElseThrow();
        assertThat(nodeB.tryAcquire("inbox-1", "node-b", TTL)).isEmpty();
        assertThat(nodeA.tryAcquire("inbox-1", "node-a", TTL)).get().extracting(Lease::fencingToken)
                .isEqualTo(a.fencingToken());

        clock.advance(TTL.plusSeconds(1));
        Lease b = nodeB.tryAcquire("inbox-1", "node-b", TTL).orElseThrow();
        assertThat(b.fencingToken()).isGreaterThan(a.fencingToken());
        assertThat(nodeA.renew(a, TTL)).isFalse(); // lost
        assertThat(nodeB.renew(b, TTL)).isTrue();
        assertThat(nodeA.nodeId()).isEqualTo("node-a");
        assertThat(nodeB.nodeId()).isEqualTo("node-b");
    }

    @Test
    void releasingFreesTheLeaseForAnotherNodeAndOnlyTheHolderCanRelease() {
        Lease a = nodeA.tryAcquire("inbox-1", "node-a", TTL).orElseThrow();
        nodeB.release(new Lease("inbox-1", "node-b", a.fencingToken(), a.expiresAt()));
        assertThat(nodeA.held()).containsExactly(a);

        nodeA.release(a);
        assertThat(nodeA.held()).isEmpty();
        assertThat(nodeA.renew(a, TTL)).isFalse();
        assertThat(nodeB.tryAcquire("inbox-1", "node-b", TTL)).get().extracting(Lease::fencingToken)
                .isEqualTo(a.fencingToken() + 1);
    }
}
