package com.dooneflow.api.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class OAuthStateTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final Instant EXPIRES = NOW.plus(Duration.ofMinutes(10));

    @Test
    void theStateNamesItsSubjectAndOnlyItsHashIsKept() {
        OAuthState.Issued issued = OAuthState.issue("conn-1", "user-7", EXPIRES);

        assertThat(issued.value()).startsWith("conn-1.").hasSizeGreaterThan("conn-1.".length() + 40);
        assertThat(OAuthState.subjectId(issued.value())).contains("conn-1");
        assertThat(issued.pending()).containsOnlyKeys("stateHash", "userId", "expiresAt")
                .containsEntry("userId", "user-7").containsEntry("expiresAt", "2026-03-01T10:10:00Z");
        assertThat(issued.pending().values()).noneMatch(v -> String.valueOf(v).contains(issued.value()));
        assertThat(OAuthState.startedBy(issued.pending())).isEqualTo("user-7");
        assertThat(OAuthState.issue("conn-1", "user-7", EXPIRES).value()).isNotEqualTo(issued.value());
    }

    @Test
    void aStateIsAcceptedOnceThenUnknownOnceItsRecordIsRemoved() {
        // The connector's thing, as its settings keep it: the pending record goes at the first callback.
        Map<String, Object> data = new HashMap<>();
        OAuthState.Issued issued = OAuthState.issue("conn-1", "user-7", EXPIRES);
        data.put("pending", issued.pending());

        assertThat(OAuthState.check(issued.value(), data.get("pending"), NOW)).isEqualTo(OAuthState.Check.ACCEPTED);
        data.put("pending", null); // spent

        assertThat(OAuthState.check(issued.value(), data.get("pending"), NOW)).isEqualTo(OAuthState.Check.UNKNOWN);
    }

    @Test
    void aNewStateReplacesTheOldOne() {
        OAuthState.Issued old = OAuthState.issue("conn-1", null, EXPIRES);
        OAuthState.Issued fresh = OAuthState.issue("conn-1", null, EXPIRES);

        assertThat(OAuthState.check(old.value(), fresh.pending(), NOW)).isEqualTo(OAuthState.Check.UNKNOWN);
        assertThat(OAuthState.check(fresh.value(), fresh.pending(), NOW)).isEqualTo(OAuthState.Check.ACCEPTED);
        assertThat(OAuthState.startedBy(fresh.pending())).isNull();
    }

    @Test
    void aStateExpiresAtItsTimeAndAnUnreadableTimeCountsAsExpired() {
        OAuthState.Issued issued = OAuthState.issue("conn-1", "user-7", EXPIRES);

        assertThat(OAuthState.check(issued.value(), issued.pending(), EXPIRES.minusMillis(1)))
                .isEqualTo(OAuthState.Check.ACCEPTED);
        assertThat(OAuthState.check(issued.value(), issued.pending(), EXPIRES)).isEqualTo(OAuthState.Check.EXPIRED);

        Map<String, Object> garbled = new HashMap<>(issued.pending());
        garbled.put("expiresAt", "soon");
        assertThat(OAuthState.check(issued.value(), garbled, NOW)).isEqualTo(OAuthState.Check.EXPIRED);
    }

    @Test
    void foreignOrMalformedStatesMatchNothing() {
        OAuthState.Issued issued = OAuthState.issue("conn-1", "user-7", EXPIRES);

        assertThat(OAuthState.check(issued.value() + "x", issued.pending(), NOW)).isEqualTo(OAuthState.Check.UNKNOWN);
        assertThat(OAuthState.check(null, issued.pending(), NOW)).isEqualTo(OAuthState.Check.UNKNOWN);
        assertThat(OAuthState.check(issued.value(), "not a record", NOW)).isEqualTo(OAuthState.Check.UNKNOWN);
        assertThat(OAuthState.subjectId(".abc")).isEmpty();
        assertThat(OAuthState.subjectId("nodot")).isEmpty();
        assertThat(OAuthState.subjectId(null)).isEmpty();
        assertThatThrownBy(() -> OAuthState.issue("a.b", null, EXPIRES)).isInstanceOf(IllegalArgumentException.class);
    }
}
