package com.dooneflow.persistence.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Nested;

import com.dooneflow.api.DedupeStore;
import com.dooneflow.testing.contract.DedupeStoreContract;

/** The {@link DedupeStoreContract} on both databases, and how the keys are kept. */
class DedupeStoreImplTest extends DatabaseTestBase {

    @Nested
    class OnH2 extends DedupeStoreContract {
        @Override
        protected DedupeStore store() {
            return new DedupeStoreImpl(db(DbKind.H2));
        }
    }

    @Nested
    class OnPostgres extends DedupeStoreContract {
        @Override
        protected DedupeStore store() {
            return new DedupeStoreImpl(db(DbKind.POSTGRES));
        }
    }

    @OnBothDatabases
    void purgingDeletesTheExpiredRowsAndKeysLongerThanTheColumnAreStoredAsTheirHash(DbKind kind) {
        DedupeStoreImpl dedupe = new DedupeStoreImpl(db(kind));
        String org = newId();
        String longKey = "<" + "x".repeat(300) + "@example.com>";
        dedupe.firstSeen(org, "webhook", "old", Duration.ofSeconds(-1));
        dedupe.firstSeen(org, "imap", longKey, Duration.ofHours(1));

        dedupe.purgeExpired();

        assertThat(on(kind).queryString("select dedupe_key from df_dedupe where org_id = ?", org))
                .isEqualTo("sha256:" + Ids.sha256Hex(longKey));
        assertThat(on(kind).count("select count(*) from df_dedupe where org_id = ?", org)).isEqualTo(1);
    }
}
