package com.dooneflow.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.LongSummaryStatistics;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.dooneflow.api.RetryPolicy;

class BackoffTest {

    private static final int SAMPLES = 5_000;

    /** Millisecond delays of many draws. */
    private static LongSummaryStatistics sample(IntFunction<Duration> draw) {
        return IntStream.range(0, SAMPLES).mapToLong(i -> draw.apply(i).toMillis()).summaryStatistics();
    }

    private static LongSummaryStatistics sample(RetryPolicy policy, int failedAttempts, Duration retryAfter) {
        return sample(i -> Backoff.delay(policy, failedAttempts, retryAfter));
    }

    /** Every draw within ±20 % of {@code nominal}, spread over most of that band, centred on it. */
    private static void assertJitteredAround(LongSummaryStatistics stats, long nominal) {
        assertThat(stats.getMin()).as("shortest").isGreaterThanOrEqualTo(Math.round(nominal * 0.8));
        assertThat(stats.getMax()).as("longest").isLessThanOrEqualTo(Math.round(nominal * 1.2));
        // jitter is really applied, both ways
        assertThat(stats.getMin()).as("shortest").isLessThan(Math.round(nominal * 0.85));
        assertThat(stats.getMax()).as("longest").isGreaterThan(Math.round(nominal * 1.15));
        assertThat(stats.getAverage()).as("mean").isCloseTo(nominal, within(nominal * 0.02));
    }

    @Test
    void firstRetryIsAboutOneSecondWithTheDefaultPolicy() {
        LongSummaryStatistics stats = sample(RetryPolicy.DEFAULT, 1, null);

        assertThat(stats.getMin()).isGreaterThanOrEqualTo(800);
        assertThat(stats.getMax()).isLessThanOrEqualTo(1200);
        assertJitteredAround(stats, 1000);
    }

    @Test
    void aPolicyWithoutValuesBehavesLikeTheDefault() {
        assertJitteredAround(sample(new RetryPolicy(null, null, null), 1, null), 1000);
        assertJitteredAround(sample(new RetryPolicy(null, null, null), 3, null), 4000);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void doublesPerFailedAttempt(int failedAttempts) {
        long nominal = 1000L << (failedAttempts - 1);

        assertJitteredAround(sample(RetryPolicy.DEFAULT, failedAttempts, null), nominal);
    }

    @Test
    void startsAtThePolicysInitialDelay() {
        RetryPolicy policy = new RetryPolicy(5, 250L, 60_000L);

        assertJitteredAround(sample(policy, 1, null), 250);
        assertJitteredAround(sample(policy, 2, null), 500);
        assertJitteredAround(sample(policy, 4, null), 2000);
    }

    @Test
    void zeroFailedAttemptsIsTreatedAsTheFirst() {
        assertJitteredAround(sample(RetryPolicy.DEFAULT, 0, null), 1000);
    }

    @Test
    void cappedAtMaxDelayWithTheJitterBound() {
        RetryPolicy policy = new RetryPolicy(20, 1000L, 5000L);

        assertJitteredAround(sample(policy, 3, null), 4000);
        assertJitteredAround(sample(policy, 4, null), 5000);
        assertJitteredAround(sample(policy, 10, null), 5000);
    }

    @Test
    void theDefaultCapIsFiveMinutes() {
        assertJitteredAround(sample(RetryPolicy.DEFAULT, 15, null), 300_000);
    }

    @Test
    void hugeAttemptCountsDoNotOverflow() {
        RetryPolicy policy = new RetryPolicy(20, 1000L, 5000L);

        assertJitteredAround(sample(policy, 1_000, null), 5000);
        assertJitteredAround(sample(policy, Integer.MAX_VALUE, null), 5000);
    }

    @Test
    void zeroDelaysGiveZero() {
        assertThat(Backoff.delay(new RetryPolicy(5, 0L, 0L), 3, null)).isZero();
    }

    @Test
    void aLongerRetryAfterWins() {
        Duration retryAfter = Duration.ofMinutes(10);

        for (int i = 0; i < 1000; i++) {
            assertThat(Backoff.delay(RetryPolicy.DEFAULT, 1, retryAfter)).isEqualTo(retryAfter);
        }
    }

    @Test
    void aRetryAfterJustAboveTheJitterBandWins() {
        Duration retryAfter = Duration.ofMillis(1201);

        for (int i = 0; i < 1000; i++) {
            assertThat(Backoff.delay(RetryPolicy.DEFAULT, 1, retryAfter)).isEqualTo(retryAfter);
        }
    }

    @Test
    void aRetryAfterBeyondOneHourIsCappedToOneHour() {
        assertThat(Backoff.delay(RetryPolicy.DEFAULT, 1, Duration.ofHours(2))).isEqualTo(Duration.ofHours(1));
        assertThat(Backoff.delay(RetryPolicy.DEFAULT, 1, Duration.ofDays(365))).isEqualTo(Duration.ofHours(1));
        assertThat(Backoff.delay(RetryPolicy.DEFAULT, 1, Duration.ofHours(1))).isEqualTo(Duration.ofHours(1));
        assertThat(Backoff.delay(RetryPolicy.DEFAULT, 1, Duration.ofMinutes(59))).isEqualTo(Duration.ofMinutes(59));
    }

    @Test
    void theRetryAfterCapDoesNotShortenALongerComputedDelay() {
        RetryPolicy daily = new RetryPolicy(20, 3_600_000L, 86_400_000L);

        Duration delay = Backoff.delay(daily, 10, Duration.ofHours(2));

        assertThat(delay).isBetween(Duration.ofMillis(Math.round(86_400_000 * 0.8)),
                Duration.ofMillis(Math.round(86_400_000 * 1.2)));
    }

    @Test
    void aShorterRetryAfterIsIgnored() {
        assertJitteredAround(sample(RetryPolicy.DEFAULT, 1, Duration.ofMillis(100)), 1000);
        assertJitteredAround(sample(RetryPolicy.DEFAULT, 3, Duration.ofSeconds(1)), 4000);
    }

    @Test
    void aZeroOrNegativeRetryAfterIsIgnored() {
        assertJitteredAround(sample(RetryPolicy.DEFAULT, 1, Duration.ZERO), 1000);
        assertJitteredAround(sample(RetryPolicy.DEFAULT, 1, Duration.ofSeconds(-30)), 1000);
    }
}
