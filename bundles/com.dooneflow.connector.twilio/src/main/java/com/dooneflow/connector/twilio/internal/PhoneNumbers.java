package com.dooneflow.connector.twilio.internal;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

/** E.164 numbers, checked by libphonenumber (length, country code and number plan, not just the shape). */
final class PhoneNumbers {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    private PhoneNumbers() {
    }

    /**
     * The number in E.164 ({@code +14155552671}). Spaces, dashes, dots and parentheses are tolerated
     * ({@code +1 (415) 555-2671}); the country code is not optional.
     *
     * @throws IllegalArgumentException with a sentence a person understands when it is not a valid number
     */
    static String toE164(String text) {
        String value = text == null ? "" : text.trim();
        if (value.isEmpty()) {
            throw new IllegalArgumentException("is empty; give a phone number in E.164 format, e.g. +14155552671");
        }
        if (!value.startsWith("+")) {
            throw new IllegalArgumentException("'" + value + "' has no country code; give it in E.164 format, "
                    + "starting with + and the country code, e.g. +14155552671");
        }
        if (!value.matches("\\+[0-9 ().\\-]+")) {
            throw new IllegalArgumentException("'" + value + "' is not a phone number; give it in E.164 format, "
                    + "e.g. +14155552671");
        }
        try {
            PhoneNumber number = UTIL.parse(value, null);
            if (!UTIL.isValidNumber(number)) {
                throw new IllegalArgumentException("'" + value + "' is not a valid phone number for its country code");
            }
            return UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
        } catch (NumberParseException e) {
            throw new IllegalArgumentException("'" + value + "' is not a valid phone number; give it in E.164 format, "
                    + "e.g. +14155552671");
        }
    }
}
