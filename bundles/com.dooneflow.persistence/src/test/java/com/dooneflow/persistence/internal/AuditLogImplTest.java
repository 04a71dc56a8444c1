package com.dooneflow.persistence.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;

import com.dooneflow.api.AccessService;
import com.dooneflow.api.ForbiddenException;
import com.dooneflow.api.NotFoundException;
import com.dooneflow.api.Page;
import com.dooneflow.api.Principal;
import com.dooneflow.api.Role;
import com.dooneflow.api.audit.AuditEntry;
import com.dooneflow.api.audit.AuditFilter;
import com.dooneflow.testing.InMemoryOrganizationService;
import com.dooneflow.testing.MutableClock;

/** The audit log on both databases: appended, scoped, filtered, paged, and kept for the retention period only. */
class AuditLogImplTest extends DatabaseTestBase {

    private static final Principal ADMIN = Principal.user("u-admin", "admin@example.com", "t-admin", null);
    private static final Principal MEMBER = Principal.user("u-member", "member@example.com", "t-member", null);
    private static final Principal STRANGER = Principal.user("u-x", "x@example.com", "t-x", null);

    private final MutableClock clock = new MutableClock();

    @BeforeEach
    void startOfTheTest() {
        clock.set(Instant.parse("2026-01-10T12:00:00Z"));
    }

    private AuditLogImpl log(DbKind kind, String orgId) {
        InMemoryOrganizationService organizations = new InMemoryOrganizationService()
                .grant(ADMIN, orgId, Role.ADMIN).grant(MEMBER, orgId, Role.MEMBER);
        AccessService access = (AccessService) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {AccessService.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("isInstallationAdmin")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    return ((Principal) args[0]).userId().equals(ADMIN.userId());
                });
        return new AuditLogImpl(db(kind), organizations, access, clock, Duration.ofDays(30), false);
    }

    @OnBothDatabases
    void keepsWhoWhatWhenAndWhereScopedToTheOrganization(DbKind kind) {
        String org = newId();
        String otherOrg = newId();
        AuditLogImpl log = log(kind, org);
        AuditEntry created = log.record(AuditEntry.of(org, ADMIN, "192.0.2.7", "workflow", "wf-1", "create",
                "fields: name, trigger, actions"));
        clock.advance(Duration.ofSeconds(1));
        log.record(AuditEntry.of(org, ADMIN, "192.0.2.7", "integration/twilio", null, "set",
                "fields: accountSid, phoneNumber; authToken changed"));
        log.record(AuditEntry.of(otherOrg, ADMIN, "192.0.2.8", "workflow", "wf-2", "delete", null));
        log.record(AuditEntry.of(null, null, "198.51.100.1", "session", null, "sign-in-failed", "wrong email or password"));

        Page<AuditEntry> page = log.list(ADMIN, org, AuditFilter.ALL, 50, null);
        assertThat(page.items()).extracting(AuditEntry::objectType).containsExactly("integration/twilio", "workflow");
        assertThat(page.items().get(1)).isEqualTo(created);
        assertThat(created.time()).isEqualTo(Instant.parse("2026-01-10T12:00:00Z"));
        assertThat(created).extracting(AuditEntry::actorUserId, AuditEntry::actorEmail, AuditEntry::actorTokenId,
                AuditEntry::clientAddress).containsExactly("u-admin", "admin@example.com", "t-admin", "192.0.2.7");
        assertThat(page.nextCursor()).isNull();

        assertThat(log.listInstallation(ADMIN, AuditFilter.ALL, 50, null).items())
                .extracting(AuditEntry::action).containsExactly("sign-in-failed");
        assertThatThrownBy(() -> log.list(MEMBER, org, AuditFilter.ALL, 50, null))
                .isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> log.list(STRANGER, org, AuditFilter.ALL, 50, null))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> log.listInstallation(MEMBER, AuditFilter.ALL, 50, null))
                .isInstanceOf(ForbiddenException.class);
    }

    @OnBothDatabases
    void filtersByActorObjectActionAndTimeAndPagesWithACursor(DbKind kind) {
        String org = newId();
        AuditLogImpl log = log(kind, org);
        for (int i = 0; i < 5; i++) {
            log.record(AuditEntry.of(org, i % 2 == 0 ? ADMIN : MEMBER, "192.0.2.1", "workflow", "wf-" + i,
                    i == 4 ? "delete" : "update", null));
            clock.advance(Duration.ofMinutes(1));
        }
        Instant start = Instant.parse("2026-01-10T12:00:00Z");

        assertThat(log.list(ADMIN, org, new AuditFilter("ADMIN@example.com", null, null, null, null, null), 50, null)
                .items()).extracting(AuditEntry::objectId).containsExactly("wf-4", "wf-2", "wf-0");
        assertThat(log.list(ADMIN, org, new AuditFilter("t-member", null, null, null, null, null), 50, null)
                .items()).extracting(AuditEntry::objectId).containsExactly("wf-3", "wf-1");
        assertThat(log.list(ADMIN, org, new AuditFilter(null, "workflow", "wf-3", null, null, null), 50, null)
                .items()).hasSize(1);
        assertThat(log.list(ADMIN, org, new AuditFilter(null, null, null, "delete", null, null), 50, null)
                .items()).extracting(AuditEntry::objectId).containsExactly("wf-4");
        assertThat(log.list(ADMIN, org, new AuditFilter(null, null, null, null, start.plusSeconds(60),
                start.plusSeconds(180)), 50, null).items()).extracting(AuditEntry::objectId)
                .containsExactly("wf-2", "wf-1");

        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            Page<AuditEntry> page = log.list(ADMIN, org, AuditFilter.ALL, 2, cursor);
            page.items().forEach(e -> seen.add(e.objectId()));
            cursor = page.nextCursor();
        } while (cursor != null);
        assertThat(seen).containsExactly("wf-4", "wf-3", "wf-2", "wf-1", "wf-0");
    }

    @OnBothDatabases
    void theRetentionCleanupDeletesOnlyEntriesOlderThanTheRetentionPeriod(DbKind kind) {
        String org = newId();
        AuditLogImpl log = log(kind, org);
        log.record(AuditEntry.of(org, ADMIN, "192.0.2.1", "workflow", "old", "update", null));
        clock.advance(Duration.ofDays(20));
        log.record(AuditEntry.of(org, ADMIN, "192.0.2.1", "workflow", "recent", "update", null));
        clock.advance(Duration.ofDays(11));

        if (kind == DbKind.POSTGRES) {
            assertThatThrownBy(() -> on(kind).update("update df_audit_log set summary = 'rewritten'"))
                    .as("append-only").hasStackTraceContaining("append-only");
        }
        assertThat(log.purge()).isGreaterThanOrEqualTo(1);
        assertThat(log.list(ADMIN, org, AuditFilter.ALL, 50, null).items()).extracting(AuditEntry::objectId)
                .containsExactly("recent");
    }

    @OnBothDatabases
    void overlongTextIsCutAndNulRemoved(DbKind kind) {
        String org = newId();
        AuditLogImpl log = log(kind, org);
        AuditEntry e = log.record(AuditEntry.of(org, ADMIN, "192.0.2.1", "workflow", "wf", "update",
                "x".repeat(3000) + "\0"));
        assertThat(e.summary()).hasSize(2000).doesNotContain("\0");
        assertThat(log.list(ADMIN, org, AuditFilter.ALL, 50, null).items().get(0).summary()).isEqualTo(e.summary());
    }
}
