package com.dooneflow.api.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import com.dooneflow.api.security.AuthFailureLimiter.Verdict;

class AuthFailureLimiterTest {

    /** A clock the test moves by hand. */
    static final class TestClock extends Clock {
        Instant now = Instant.parse("2026-03-01T10:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private final TestClock clock = new TestClock();
    private final AuthFailureLimiter limiter = new AuthFailureLimiter(3, Duration.ofMinutes(1), 100, clock);

    @Test
    void failuresOverTheLimitAreLimitedUntilTheWindowEnds() {
        Verdict first = limiter.fail("a");
        assertThat(first.first()).isTrue();
        assertThat(first.limited()).isFalse();
        assertThat(limiter.fail("a").first()).isFalse();
        clock.advance(Duration.ofSeconds(20));
        assertThat(limiter.fail("a").limited()).as("the third is still within the limit").isFalse();

        Verdict fourth = limiter.fail("a");
        assertThat(fourth.limited()).isTrue();
        assertThat(fourth.tripped()).isTrue();
        assertThat(fourth.failures()).isEqualTo(4);
        assertThat(fourth.retryAfterSeconds()).as("until the window that began 20 s ago ends").isEqualTo(40);

        clock.advance(Duration.ofMillis(39_500));
        Verdict fifth = limiter.fail("a");
        assertThat(fifth.limited()).isTrue();
        assertThat(fifth.tripped()).as("tripped once per window").isFalse();
        assertThat(fifth.retryAfterSeconds()).as("rounded up, never 0").isEqualTo(1);

        clock.advance(Duration.ofMillis(500));
        Verdict next = limiter.fail("a");
        assertThat(next.limited()).isFalse();
        assertThat(next.first()).isTrue();
        assertThat(next.failures()).isEqualTo(1);
    }

    @Test
    void keysAreCountedApart() {
        for (int i = 0; i < 4; i++) {
            limiter.fail("a");
        }
        assertThat(limiter.fail("a").limited()).isTrue();
        assertThat(limiter.fail("b").limited()).isFalse();
        assertThat(limiter.fail("b").first()).isFalse();
    }

    @Test
    void aLimitOfZeroCountsButNeverLimits() {
        AuthFailureLimiter off = new AuthFailureLimiter(0, Duration.ofMinutes(1), 100, clock);
        assertThat(off.enabled()).isFalse();
        assertThat(off.fail("a").first()).isTrue();
        for (int i = 0; i < 1000; i++) {
            Verdict v = off.fail("a");
            assertThat(v.limited() || v.tripped() || v.first()).isFalse();
        }
    }

    @Test
    void aSprayOfKeysKeepsAtMostMaxKeysDroppingTheOldestWindows() {
        for (int i = 0; i < 4; i++) {
            limiter.fail("attacker");
        }
        for (int i = 0; i < 10_000; i++) {
            clock.advance(Duration.ofMillis(1));
            limiter.fail("10.0." + (i / 256) + "." + (i % 256));
            assertThat(limiter.size()).isLessThanOrEqualTo(100);
        }
        assertThat(limiter.size()).isEqualTo(100);
        assertThat(limiter.fail("attacker").first()).as("the oldest window made room").isTrue();
    }

    @Test
    void expiredWindowsAreDroppedWithoutPressure() {
        for (int i = 0; i < 50; i++) {
            limiter.fail("k" + i);
        }
        clock.advance(Duration.ofMinutes(1));
        limiter.fail("late");
        assertThat(limiter.size()).isEqualTo(1);
    }

    @Test
    void invalidSettingsAreRefused() {
        assertThatThrownBy(() -> new AuthFailureLimiter(-1, Duration.ofMinutes(1), 1, clock))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AuthFailureLimiter(1, Duration.ZERO, 1, clock))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AuthFailureLimiter(1, Duration.ofMinutes(1), 0, clock))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void addressesAreCountedByIpv4AddressOrIpv6Network() {
        assertThat(AuthFailureLimiter.addressKey("203.0.113.7")).isEqualTo("203.0.113.7");
        assertThat(AuthFailureLimiter.addressKey("2001:db8:1:2:aaaa::1"))
                .isEqualTo(AuthFailureLimiter.addressKey("[2001:0DB8:1:2:ffff:1:2:3]")).isEqualTo("2001:db8:1:2::/64");
        assertThat(AuthFailureLimiter.addressKey("2001:db8:1:3::1")).isEqualTo("2001:db8:1:3::/64");
        assertThat(AuthFailureLimiter.addressKey("fe80::1%eth0")).isEqualTo("fe80:0:0:0::/64");
        assertThat(AuthFailureLimiter.addressKey("::ffff:192.0.2.1")).isEqualTo("192.0.2.1");
        assertThat(AuthFailureLimiter.addressKey("0:0:0:0:0:0:0:1")).isEqualTo("0:0:0:0::/64");
        assertThat(AuthFailureLimiter.addressKey(null)).isEqualTo("unknown");
        assertThat(AuthFailureLimiter.addressKey("not:an:address")).isEqualTo("not:an:address");
    }

    @Test
    void limitedForSaysHowLongAKeyOverTheLimitWaitsWithoutCountingAFailure() {
        assertThat(limiter.limitedFor("10.0.0.1")).as("never failed").isZero();
        for (int i = 0; i < 3; i++) {
            limiter.fail("10.0.0.1");
        }
        assertThat(limiter.limitedFor("10.0.0.1")).as("at the limit, not over it").isZero();
        limiter.fail("10.0.0.1");
        clock.advance(Duration.ofSeconds(20));

        assertThat(limiter.limitedFor("10.0.0.1")).isEqualTo(40);
        assertThat(limiter.limitedFor("10.0.0.1")).as("asking counts nothing").isEqualTo(40);
        assertThat(limiter.limitedFor("10.0.0.2")).isZero();
        clock.advance(Duration.ofSeconds(40));
        assertThat(limiter.limitedFor("10.0.0.1")).as("the window is over").isZero();
        assertThat(new AuthFailureLimiter(0, Duration.ofMinutes(1), 100, clock).limitedFor("x")).isZero();
    }
}
