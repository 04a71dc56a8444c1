package com.dooneflow.persistence.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

class DedupeStoreImplTest extends DatabaseTestBase {

    private static final Duration TTL = Duration.ofHours(1);
    /** A key written already expired: expiry without waiting. */
    private static final Duration ALREADY_EXPIRED = Duration.ofSeconds(-1);

    @OnBothDatabases
    void aKeyIsFirstSeenOnlyOnce(DbKind kind) {
        DedupeStoreImpl dedupe = new DedupeStoreImpl(db(kind));
        String org = newId();

        assertThat(dedupe.seen(org, "webhook", "msg-1")).isFalse();
        assertThat(dedupe.firstSeen(org, "webhook", "msg-1", TTL)).isTrue();
        assertThat(dedupe.firstSeen(org, "webhook", "msg-1", TTL)).isFalse();
        assertThat(dedupe.seen(org, "webhook", "msg-1")).isTrue();
    }

    @OnBothDatabases
    void keysAreScopedByOrganizationAndScope(DbKind kind) {
        DedupeStoreImpl dedupe = new DedupeStoreImpl(db(kind));
        String orgA = newId();
        String orgB = newId();
        assertThat(dedupe.firstSeen(orgA, "imap", "uid-7", TTL)).isTrue();

        assertThat(dedupe.firstSeen(orgB, "imap", "uid-7", TTL)).as("same key, other organization").isTrue();
        assertThat(dedupe.firstSeen(orgA, "webhook", "uid-7", TTL)).as("same key, other scope").isTrue();
        assertThat(dedupe.seen(orgB, "smtp", "uid-7")).isFalse();
    }

    @OnBothDatabases
    void anExpiredKeyIsFirstSeenAgain(DbKind kind) {
        DedupeStoreImpl dedupe = new DedupeStoreImpl(db(kind));
        String org = newId();
        assertThat(dedupe.firstSeen(org, "webhook", "msg-1", ALREADY_EXPIRED)).isTrue();
        assertThat(dedupe.seen(org, "webhook", "msg-1")).isFalse();

        assertThat(dedupe.firstSeen(org, "webhook", "msg-1", TTL)).isTrue();
        assertThat(dedupe.firstSeen(org, "webhook", "msg-1", TTL)).as("live again after the takeover").isFalse();
    }

    @OnBothDatabases
    void purgeRemovesOnlyExpiredKeys(DbKind kind) {
        DedupeStoreImpl dedupe = new DedupeStoreImpl(db(kind));
        String org = newId();
        dedupe.firstSeen(org, "webhook", "old", ALREADY_EXPIRED);
        dedupe.firstSeen(org, "webhook", "live", TTL);

        assertThat(dedupe.purgeExpired()).isGreaterThanOrEqualTo(1);

        assertThat(on(kind).count("select count(*) from df_dedupe where org_id = ?", org)).isEqualTo(1);
        assertThat(dedupe.seen(org, "webhook", "live")).isTrue();
    }

    @OnBothDatabases
    void keysLongerThanTheColumnWorkAndStayDistinct(DbKind kind) {
        DedupeStoreImpl dedupe = new DedupeStoreImpl(db(kind));
        String org = newId();
        String common = "<" + "x".repeat(300);
        String longKey = common + "-a@example.com>";
        String otherLongKey = common + "-b@example.com>";

        assertThat(dedupe.firstSeen(org, "imap", longKey, TTL)).isTrue();
        assertThat(dedupe.firstSeen(org, "imap", longKey, TTL)).isFalse();
        assertThat(dedupe.seen(org, "imap", longKey)).isTrue();
        assertThat(dedupe.firstSeen(org, "imap", otherLongKey, TTL)).as("differs only after 300 characters").isTrue();
    }

    @OnBothDatabases
    void concurrentFirstSeenOfOneKeyIsTrueExactlyOnce(DbKind kind) throws Exception {
        DedupeStoreImpl dedupe = new DedupeStoreImpl(db(kind));
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
                    return dedupe.firstSeen(org, "webhook", "same-key", TTL);
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
}
