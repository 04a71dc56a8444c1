package com.dooneflow.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import com.dooneflow.api.DedupeStore;
import com.dooneflow.testing.contract.DedupeStoreContract;

class InMemoryDedupeStoreContractTest extends DedupeStoreContract {

    private final InMemoryDedupeStore store = new InMemoryDedupeStore();

    @Override
    protected DedupeStore store() {
        return store;
    }

    @Test
    void withAMutableClockAKeyExpiresWhenTheTestSaysSo() {
        MutableClock clock = new MutableClock();
        InMemoryDedupeStore dedupe = new InMemoryDedupeStore(clock);
        assertThat(dedupe.firstSeen("o", "imap", "uid-1", Duration.ofMinutes(1))).isTrue();
        assertThat(dedupe.firstSeen("o2", "imap", "uid-1", Duration.ofMinutes(1))).isTrue();

        clock.advance(Duration.ofSeconds(60));
        assertThat(dedupe.seen("o", "imap", "uid-1")).as("alive to the last instant").isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(dedupe.seen("o", "imap", "uid-1")).isFalse();
        assertThat(dedupe.size()).isEqualTo(2);
        assertThat(dedupe.purgeExpired()).isEqualTo(2);
        assertThat(dedupe.size()).isZero();
    }
}
