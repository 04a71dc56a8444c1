package com.dooneflow.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import com.dooneflow.api.SecretUnavailableException;

class SecretCacheTest {

    private final AtomicLong clock = new AtomicLong();
    private final SecretCache cache = new SecretCache(clock::get);
    private final AtomicInteger reads = new AtomicInteger();

    private Supplier<Optional<String>> vault(String value) {
        return () -> {
            reads.incrementAndGet();
            return Optional.ofNullable(value);
        };
    }

    @Test
    void aSecretIsReadOnceWithinTheTtlAndAgainAfterIt() {
        assertThat(cache.get("org", "wf", "actions[0].params.token", vault("s1"))).contains("s1");
        assertThat(cache.get("org", "wf", "actions[0].params.token", vault("s2"))).contains("s1");
        assertThat(reads).hasValue(1);

        clock.addAndGet(SecretCache.TTL.toNanos());
        assertThat(cache.get("org", "wf", "actions[0].params.token", vault("s2"))).contains("s2");
        assertThat(reads).hasValue(2);
    }

    @Test
    void anUnsetSecretIsRememberedAndEachFieldWorkflowAndOrganizationIsItsOwn() {
        assertThat(cache.get("org", "wf", "actions[0].params.signingSecret", vault(null))).isEmpty();
        assertThat(cache.get("org", "wf", "actions[0].params.signingSecret", vault("x"))).isEmpty();
        assertThat(cache.get("org", "wf", "actions[1].params.signingSecret", vault("b"))).contains("b");
        assertThat(cache.get("org", "wf2", "actions[0].params.signingSecret", vault("c"))).contains("c");
        assertThat(cache.get("org2", "wf", "actions[0].params.signingSecret", vault("d"))).contains("d");
        assertThat(reads).hasValue(4);
    }

    @Test
    void aWorkflowChangeForgetsEverythingAndKeepsNothingUntilItsSecretsHaveLanded() {
        cache.get("org", "wf", "f", vault("old"));
        cache.clear();
        // Another node wrote the workflow, its secrets follow: what is read now may still be the old value.
        assertThat(cache.get("org", "wf", "f", vault("old"))).contains("old");
        assertThat(cache.get("org", "wf", "f", vault("new"))).as("not kept during the settle time").contains("new");

        clock.addAndGet(SecretCache.SETTLE.toNanos());
        assertThat(cache.get("org", "wf", "f", vault("new"))).contains("new");
        assertThat(cache.get("org", "wf", "f", vault("newer"))).as("kept again").contains("new");
        assertThat(reads).hasValue(4);
    }

    @Test
    void aFailedReadIsNotKept() {
        assertThatThrownBy(() -> cache.get("org", "wf", "f", () -> {
            throw new SecretUnavailableException("the data key cannot be unwrapped on this node");
        })).isInstanceOf(SecretUnavailableException.class);
        assertThat(cache.get("org", "wf", "f", vault("v"))).contains("v");
        assertThat(reads).hasValue(1);
    }
}
