package com.dooneflow.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.dooneflow.api.ConflictException;
import com.dooneflow.api.NotFoundException;
import com.dooneflow.api.SettingsEntry;
import com.dooneflow.api.ValidationException;

class InMemorySettingsStoreTest {

    final InMemorySettingsStore store = new InMemorySettingsStore();

    @Test
    void saveCreatesThenUpdatesByNameAndBumpsTheVersion() {
        SettingsEntry first = store.save("org-1", "twilio", "default", Map.of("a", 1), Map.of("token", "t1"));
        SettingsEntry second = store.save("org-1", "twilio", "default", Map.of("a", 2), new HashMap<>());

        assertThat(second.id()).isEqualTo(first.id());
        assertThat(first.version()).isEqualTo(1);
        assertThat(second.version()).isEqualTo(2);
        assertThat(second.data()).containsExactly(Map.entry("a", 2));
        assertThat(second.secretsSet()).containsExactly("token"); // a missing secret stays as it was
        assertThat(store.secret(second, "token")).contains("t1");
        assertThat(store.writes()).isEqualTo(2);
    }

    @Test
    void anEmptySecretRemovesItAndANullOneLeavesItAlone() {
        Map<String, String> keep = new HashMap<>();
        keep.put("token", null);
        store.save("org-1", "c", "n", Map.of(), Map.of("token", "t1", "other", "o"));
        SettingsEntry kept = store.save("org-1", "c", "n", Map.of(), keep);
        SettingsEntry removed = store.save("org-1", "c", "n", Map.of(), Map.of("token", ""));

        assertThat(kept.secretsSet()).containsExactly("other", "token");
        assertThat(removed.secretsSet()).containsExactly("other");
        assertThat(store.secret(removed.id(), "token")).isEmpty();
    }

    @Test
    void createRefusesATakenNameWithAConflictOnName() {
        store.create("org-1", "c", "Production", Map.of(), Map.of());
        store.create("org-2", "c", "Production", Map.of(), Map.of()); // another organization
        store.create("org-1", "other", "Production", Map.of(), Map.of()); // another connector

        assertThatThrownBy(() -> store.create("org-1", "c", "Production", Map.of(), Map.of()))
                .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.field()).isEqualTo("name"));
        assertThatThrownBy(() -> store.create("org-1", "c", " ", Map.of(), Map.of()))
                .isInstanceOf(ValidationException.class);
        assertThat(store.entries()).hasSize(3);
    }

    @Test
    void ofManyRacingCreatesOfOneNameExactlyOneWins() throws Exception {
        Callable<Boolean> create = () -> {
            try {
                return store.create("org-1", "c", "same", Map.of(), Map.of()) != null;
            } catch (ConflictException e) {
                return false;
            }
        };
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Boolean> won = new ArrayList<>();
            for (Future<Boolean> f : pool.invokeAll(Collections.nCopies(8, create), 10, TimeUnit.SECONDS)) {
                won.add(f.get());
            }
            assertThat(won).containsOnlyOnce(true);
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.list("org-1", "c")).hasSize(1);
    }

    @Test
    void lookupsAreScopedToOrganizationAndConnectorAndListsOrdered() {
        SettingsEntry b = store.save("org-1", "c", "b", Map.of(), Map.of());
        store.save("org-1", "c", "a", Map.of(), Map.of());
        store.save("org-2", "c", "c", Map.of(), Map.of());

        assertThat(store.get("org-2", "c", b.id())).isEmpty();
        assertThat(store.get("org-1", "other", b.id())).isEmpty();
        assertThat(store.get("org-1", "c", null)).isEmpty();
        assertThat(store.findByName("org-1", "c", "b")).get().extracting(SettingsEntry::id).isEqualTo(b.id());
        assertThat(store.list("org-1", "c")).extracting(SettingsEntry::name).containsExactly("a", "b");
        assertThat(store.listAll("c")).extracting(SettingsEntry::name).containsExactly("b", "a", "c");
        assertThat(store.delete("org-2", "c", b.id())).isFalse();
    }

    @Test
    void dataGoesThroughJsonAndDeleteTakesTheSecretsAlong() {
        Map<String, Object> data = new HashMap<>(Map.of("list", List.of(1, 2)));
        SettingsEntry e = store.save("org-1", "c", "n", data, Map.of("password", "p"));
        data.put("later", true);

        assertThat(store.get("org-1", "c", e.id()).orElseThrow().data()).doesNotContainKey("later");
        assertThatThrownBy(() -> store.save("org-1", "c", "n", Map.of("x", new Object()), Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.delete("org-1", "c", e.id())).isTrue();
        assertThat(store.vault().all()).isEmpty();
        assertThat(store.entries()).isEmpty();
    }

    @Test
    void withLockSerialisesWorkOnOneEntryAndSaveWaitsForIt() throws Exception {
        SettingsEntry e = store.save("org-1", "c", "n", Map.of("count", 0), Map.of());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        try {
            List<Future<?>> all = new java.util.ArrayList<>();
            for (int i = 0; i < 20; i++) {
                all.add(pool.submit(() -> store.withLock("org-1", "c", e.id(), locked -> {
                    maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    int count = (Integer) locked.entry().data().get("count");
                    Thread.yield();
                    locked.update(Map.of("count", count + 1), Map.of());
                    inside.decrementAndGet();
                    return null;
                })));
            }
            for (Future<?> f : all) {
                f.get(10, TimeUnit.SECONDS);
            }

            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Future<?> holder = pool.submit(() -> store.withLock("org-1", "c", e.id(), locked -> {
                holding.countDown();
                try {
                    release.await();
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                return null;
            }));
            holding.await();
            Future<SettingsEntry> save = pool.submit(() -> store.save("org-1", "c", "n", Map.of("count", -1), Map.of()));
            assertThat(store.isLocked(e.id())).isTrue();
            await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> !save.isDone());
            release.countDown();
            holder.get(10, TimeUnit.SECONDS);
            assertThat(save.get(10, TimeUnit.SECONDS).data()).containsEntry("count", -1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(maxInside).hasValue(1);
    }

    @Test
    void lockedChangesAreUndoneWhenTheWorkFailsAndRenameKeepsNamesUnique() {
        SettingsEntry a = store.save("org-1", "c", "a", Map.of("v", 1), Map.of("token", "old"));
        store.save("org-1", "c", "b", Map.of(), Map.of());

        assertThatThrownBy(() -> store.withLock("org-1", "c", a.id(), locked -> {
            locked.update(Map.of("v", 2), Map.of("token", "new"));
            assertThat(locked.entry().data()).containsEntry("v", 2);
            assertThat(locked.secret("token")).contains("new");
            throw new IllegalStateException("refresh failed");
        })).hasMessage("refresh failed");
        assertThat(store.get("org-1", "c", a.id()).orElseThrow().data()).containsEntry("v", 1);
        assertThat(store.secret(a.id(), "token")).contains("old");

        assertThatThrownBy(() -> store.withLock("org-1", "c", a.id(), locked -> {
            locked.rename("b");
            return null;
        })).isInstanceOf(ConflictException.class);
        SettingsEntry renamed = store.withLock("org-1", "c", a.id(), locked -> {
            locked.rename("c");
            return locked.entry();
        });
        assertThat(renamed.name()).isEqualTo("c");
        assertThat(renamed.version()).isEqualTo(a.version() + 1);
        assertThatThrownBy(() -> store.withLock("org-2", "c", a.id(), locked -> null))
                .isInstanceOf(NotFoundException.class);
    }
}
