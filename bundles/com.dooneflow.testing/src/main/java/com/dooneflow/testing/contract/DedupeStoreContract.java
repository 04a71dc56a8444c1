package com.dooneflow.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.dooneflow.api.DedupeStore;

/**
 * The contract of {@link DedupeStore}: a key is "first seen" exactly once while it lives, even when callers race;
 * keys belong to one organization and one scope; an expired key counts as unseen and can be taken again; purging
 * removes expired keys only; keys of any length stay distinct.
 */
public abstract class DedupeStoreContract {

    /** Long enough to outlive any test. */
    protected static final Duration LIVE = Duration.ofHours(1);
    /** A key written already expired: expiry without waiting or moving a clock. */
    protected static final Duration ALREADY_EXPIRED = Duration.ofSeconds(-1);

    /** The store under test. It may be shared by the tests: each works in organizations of its own. */
    protected abstract DedupeStore store();

    @Test
    public void aKeyIsFirstSeenOnlyOnceWhileItLives() {
        DedupeStore dedupe = store();
        String org = newId();

        assertThat(dedupe.seen(org, "webhook", "msg-1")).isFalse();
        assertThat(dedupe.firstSeen(org, "webhook", "msg-1", LIVE)).isTrue();
        assertThat(dedupe.firstSeen(org, "webhook", "msg-1", LIVE)).isFalse();
        assertThat(dedupe.seen(org, "webhook", "msg-1")).isTrue();
    }

    @Test
    public void keysBelongToOneOrganizationAndOneScope() {
        DedupeStore dedupe = store();
        String orgA = newId();
        String orgB = newId();
        assertThat(dedupe.firstSeen(orgA, "imap", "uid-7", LIVE)).isTrue();

        assertThat(dedupe.firstSeen(orgB, "imap", "uid-7", LIVE)).as("same key, other organization").isTrue();
        assertThat(dedupe.firstSeen(orgA, "webhook", "uid-7", LIVE)).as("same key, other scope").isTrue();
        assertThat(dedupe.seen(orgB, "smtp", "uid-7")).isFalse();
    }

    @Test
    public void anExpiredKeyIsUnseenAndFirstSeenAgain() {
        DedupeStore dedupe = store();
        String org = newId();
        assertThat(dedupe.firstSeen(org, "webhook", "msg-1", ALREADY_EXPIRED)).isTrue();
        assertThat(dedupe.seen(org, "webhook", "msg-1")).isFalse();

        assertThat(dedupe.firstSeen(org, "webhook", "msg-1", LIVE)).isTrue();
        assertThat(dedupe.firstSeen(org, "webhook", "msg-1", LIVE)).as("live again after the takeover").isFalse();
    }

    @Test
    public void purgingRemovesExpiredKeysOnly() {
        DedupeStore dedupe = store();
        String org = newId();
        dedupe.firstSeen(org, "webhook", "old", ALREADY_EXPIRED);
        dedupe.firstSeen(org, "webhook", "live", LIVE);

        assertThat(dedupe.purgeExpired()).as("keys removed, of every organization").isGreaterThanOrEqualTo(1);

        assertThat(dedupe.seen(org, "webhook", "live")).isTrue();
        assertThat(dedupe.firstSeen(org, "webhook", "live", LIVE)).isFalse();
        assertThat(dedupe.firstSeen(org, "webhook", "old", LIVE)).isTrue();
    }

    @Test
    public void longKeysWorkAndStayDistinct() {
        DedupeStore dedupe = store();
        String org = newId();
        String common = "<" + "x".repeat(300);
        String longKey = common + "-a@example.com>";
        String otherLongKey = common + "-b@example.com>";

        assertThat(dedupe.firstSeen(org, "imap", longKey, LIVE)).isTrue();
        assertThat(dedupe.firstSeen(org, "imap", longKey, LIVE)).isFalse();
        assertThat(dedupe.seen(org, "imap", longKey)).isTrue();
        assertThat(dedupe.firstSeen(org, "imap", otherLongKey, LIVE)).as("differs only after 300 characters").isTrue();
    }

    @Test
    public void callersRacingForOneKeySeeItFirstExactlyOnce() throws Exception {
        DedupeStore dedupe = store();
        String org = newId();
        int threads = 8;
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return dedupe.firstSeen(org, "webhook", "same-key", LIVE);
                }));
            }
            assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            int firsts = 0;
            for (Future<Boolean> result : results) {
                firsts += result.get(30, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(firsts).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }
}
