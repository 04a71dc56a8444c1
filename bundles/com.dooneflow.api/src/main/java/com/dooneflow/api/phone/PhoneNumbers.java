package com.dooneflow.api.phone;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

/**
 * Phone numbers as E.164 ({@code +15551234567}), checked by libphonenumber (country code, length and number plan,
 * not just the shape). Spaces, dashes, dots and parentheses are tolerated ({@code +1 (415) 555-2671}). There is
 * no default country: a number without its country code could belong to any, so it is refused saying so.
 */
public final class PhoneNumbers {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    private PhoneNumbers() {
    }

    /**
     * The number in E.164.
     *
     * @throws IllegalArgumentException with a sentence a person understands when it is not a valid number
     */
    public static String toE164(String text) {
        String value = text == null ? "" : text.strip();
        if (value.isEmpty()) {
            throw new IllegalArgumentException("is empty: a phone number is required, in international form such as"
                    + " +15551234567");
        }
        String shown = value.length() > 40 ? value.substring(0, 40) + "..." : value;
        if (!value.startsWith("+")) {
            throw new IllegalArgumentException("'" + shown + "' has no country code: write it with + and the country"
                    + " code, such as +15551234567 or +442071838750");
        }
        if (!value.matches("\\+[0-9 ().\\-]+")) {
            throw new IllegalArgumentException("'" + shown + "' is not a phone number; give it in international form"
                    + " such as +15551234567");
        }
        try {
            PhoneNumber number = UTIL.parse(value, "ZZ");
            if (!UTIL.isValidNumber(number)) {
                throw new IllegalArgumentException("'" + shown + "' is not a valid phone number for country code +"
                        + number.getCountryCode());
            }
            return UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
        } catch (NumberParseException e) {
            throw new IllegalArgumentException(switch (e.getErrorType()) {
                case INVALID_COUNTRY_CODE -> "'" + shown + "' is not a phone number (unknown country code)";
                case TOO_SHORT_NSN, TOO_SHORT_AFTER_IDD -> "'" + shown + "' is not a valid phone number (too short)";
                case TOO_LONG -> "'" + shown + "' is not a valid phone number (too long)";
                default -> "'" + shown + "' is not a phone number";
            });
        }
    }
}
