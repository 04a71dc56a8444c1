package com.dooneflow.persistence.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PhoneNumbersTest {

    @Test
    void internationalNumbersAreNormalisedToE164() {
        assertThat(PhoneNumbers.e164("+1 (650) 253-0000").number()).isEqualTo("+16502530000");
        assertThat(PhoneNumbers.e164(" +44 20 7183 8750 ").number()).isEqualTo("+442071838750");
        assertThat(PhoneNumbers.e164("+49 30 901820").number()).isEqualTo("+4930901820");
        assertThat(PhoneNumbers.e164("+16502530000").error()).isNull();
    }

    @Test
    void aNumberWithoutCountryCodeIsRefusedSayingSo() {
        PhoneNumbers.Result r = PhoneNumbers.e164("(650) 253-0000");
        assertThat(r.number()).isNull();
        assertThat(r.error()).contains("no country code").contains("+");
    }

    @Test
    void invalidNumbersAreRefused() {
        assertThat(PhoneNumbers.e164("+1 555").error()).contains("not");
        assertThat(PhoneNumbers.e164("+999 1234567").error()).contains("not a phone number");
        assertThat(PhoneNumbers.e164("+hello").error()).contains("not a phone number");
        assertThat(PhoneNumbers.e164("").error()).contains("required");
        assertThat(PhoneNumbers.e164(null).error()).contains("required");
    }
}
