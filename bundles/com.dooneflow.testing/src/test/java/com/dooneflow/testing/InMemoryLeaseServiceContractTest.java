package com.dooneflow.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import com.dooneflow.api.Lease;
import com.dooneflow.api.LeaseService;
import com.dooneflow.testing.contract.LeaseServiceContract;

class InMemoryLeaseServiceContractTest extends LeaseServiceContract {

    private final InMemoryLeaseService table = new InMemoryLeaseService(Clock.systemUTC(), "first-node");

    @Override
    protected LeaseService node(String nodeId) {
        return table.forNode(nodeId);
    }

    @Test
    void heldListsTheLiveLeasesAndAMutableClockExpiresThem() {
        MutableClock clock = new MutableClock();
        InMemoryLeaseService nodeA = new InMemoryLeaseService(clock, "node-a");
        InMemoryLeaseService nodeB = nodeA.forNode("node-b");
        Lease a = nodeA.tryAcquire("inbox-1", "node-a", Duration.ofSeconds(30)).orElseThrow();
        Lease other = nodeB.tryAcquire("inbox-2", "node-b", Duration.ofSeconds(60)).orElseThrow();

        assertThat(nodeB.held()).containsExactlyInAnyOrder(a, other);
        clock.advance(Duration.ofSeconds(31));
        assertThat(nodeA.held()).containsExactly(other);
        assertThat(nodeB.tryAcquire("inbox-1", "node-b", Duration.ofSeconds(30))).isPresent();
        nodeB.release(other);
        assertThat(nodeA.held()).extracting(Lease::name).containsExactly("inbox-1");
    }
}
