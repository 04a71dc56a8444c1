package com.dooneflow.connector.twilio.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import com.dooneflow.api.phone.PhoneNumbers;

/** Segment counting and phone number checks. */
class SmsRulesTest {

    @Test
    void gsm7BodiesTake160SeptetsInOneSegmentAnd153WhenSplit() {
        assertThat(SmsSegments.of("x".repeat(160))).isEqualTo(new SmsSegments("GSM-7", 1));
        assertThat(SmsSegments.of("x".repeat(161))).isEqualTo(new SmsSegments("GSM-7", 2));
        assertThat(SmsSegments.of("x".repeat(306))).isEqualTo(new SmsSegments("GSM-7", 2));
        assertThat(SmsSegments.of("x".repeat(307))).isEqualTo(new SmsSegments("GSM-7", 3));
        assertThat(SmsSegments.of("Hi Ann, new contact: Bo (+14155550123). Çà @£$¥").encoding()).isEqualTo("GSM-7");
    }

    @Test
    void extensionCharactersTakeTwoSeptetsAndAreNeverSplit() {
        assertThat(SmsSegments.of("€".repeat(80))).isEqualTo(new SmsSegments("GSM-7", 1));
        assertThat(SmsSegments.of("€".repeat(81))).isEqualTo(new SmsSegments("GSM-7", 2));
        // 152 plain + one € would need 154 septets in the first segment: the € moves to the second.
        assertThat(SmsSegments.of("x".repeat(152) + "€" + "x".repeat(152))).isEqualTo(new SmsSegments("GSM-7", 3));
    }

    @Test
    void anythingOutsideGsm7IsUcs2With70And67UnitsPerSegment() {
        assertThat(SmsSegments.of("ж".repeat(70))).isEqualTo(new SmsSegments("UCS-2", 1));
        assertThat(SmsSegments.of("ж".repeat(71))).isEqualTo(new SmsSegments("UCS-2", 2));
        assertThat(SmsSegments.of("ж".repeat(134))).isEqualTo(new SmsSegments("UCS-2", 2));
        assertThat(SmsSegments.of("ж".repeat(135))).isEqualTo(new SmsSegments("UCS-2", 3));
        assertThat(SmsSegments.of("x".repeat(150) + "😀")).isEqualTo(new SmsSegments("UCS-2", 3));
        // 66 units then an emoji (2 units): the pair is not split across segments.
        assertThat(SmsSegments.of("x".repeat(66) + "😀" + "x".repeat(5))).isEqualTo(new SmsSegments("UCS-2", 2));
    }

    @Test
    void phoneNumbersMustBeValidWithTheirCountryCode() {
        assertThat(PhoneNumbers.toE164("+14155552671")).isEqualTo("+14155552671");
        assertThat(PhoneNumbers.toE164(" +1 (415) 555-2671 ")).isEqualTo("+14155552671");
        assertThat(PhoneNumbers.toE164("+44 20 7183 8750")).isEqualTo("+442071838750");
        assertThatThrownBy(() -> PhoneNumbers.toE164("4155552671")).hasMessageContaining("no country code");
        assertThatThrownBy(() -> PhoneNumbers.toE164("+1415")).hasMessageContaining("not a valid phone number");
        assertThatThrownBy(() -> PhoneNumbers.toE164("+1 415 CALL NOW")).hasMessageContaining("not a phone number");
        assertThatThrownBy(() -> PhoneNumbers.toE164("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> PhoneNumbers.toE164(null)).hasMessageContaining("empty");
    }
}
