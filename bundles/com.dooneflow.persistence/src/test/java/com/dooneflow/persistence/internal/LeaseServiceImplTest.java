package com.dooneflow.persistence.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;

import org.junit.jupiter.api.Nested;

import com.dooneflow.api.Lease;
import com.dooneflow.api.LeaseService;
import com.dooneflow.testing.contract.LeaseServiceContract;

/** The {@link LeaseServiceContract} on both databases (nodes sharing one table), and what the table keeps. */
class LeaseServiceImplTest extends DatabaseTestBase {

    @Nested
    class OnH2 extends LeaseServiceContract {
        @Override
        protected LeaseService node(String nodeId) {
            return new LeaseServiceImpl(db(DbKind.H2), nodeId);
        }
    }

    @Nested
    class OnPostgres extends LeaseServiceContract {
        @Override
        protected LeaseService node(String nodeId) {
            return new LeaseServiceImpl(db(DbKind.POSTGRES), nodeId);
        }
    }

    @OnBothDatabases
    void aNewNameStartsAtFencingTokenOneAndRenewingMovesTheStoredExpiry(DbKind kind) {
        LeaseServiceImpl leases = new LeaseServiceImpl(db(kind), "node-" + newId());
        String name = "inbox-" + newId();
        Lease lease = leases.tryAcquire(name, "node-a", Duration.ofMinutes(1)).orElseThrow();
        assertThat(lease.fencingToken()).isEqualTo(1);

        assertThat(leases.renew(lease, Duration.ofMinutes(10))).isTrue();

        Object expiresAt = on(kind).queryValue("select expires_at from df_lease where name = ?", name);
        assertThat(((Timestamp) expiresAt).toInstant()).isAfter(lease.expiresAt().plus(Duration.ofMinutes(8)));
    }
}
