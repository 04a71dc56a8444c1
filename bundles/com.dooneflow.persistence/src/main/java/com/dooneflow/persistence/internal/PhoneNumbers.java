package com.dooneflow.persistence.internal;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

/**
 * Phone numbers as E.164 ({@code +15551234567}) with libphonenumber. There is no default country: a number
 * without its country code could belong to any, so it is refused with a message that says so.
 */
final class PhoneNumbers {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    private PhoneNumbers() {
    }

    /** The number in E.164, or why it is not acceptable. */
    static Result e164(String raw) {
        if (raw == null || raw.isBlank()) {
            return Result.error("is required, in international form such as +15551234567");
        }
        String s = raw.strip();
        String shown = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        if (!s.startsWith("+")) {
            return Result.error("'" + shown + "' has no country code: write it with + and the country code, "
                    + "such as +15551234567 or +442071838750");
        }
        try {
            PhoneNumber number = UTIL.parse(s, "ZZ");
            if (!UTIL.isValidNumber(number)) {
                return Result.error("'" + shown + "' is not a valid phone number for country code +"
                        + number.getCountryCode());
            }
            return new Result(UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164), null);
        } catch (NumberParseException e) {
            return Result.error("'" + shown + "' is not a phone number (" + describe(e) + ")");
        }
    }

    private static String describe(NumberParseException e) {
        return switch (e.getErrorType()) {
            case INVALID_COUNTRY_CODE -> "unknown country code";
            case TOO_SHORT_NSN, TOO_SHORT_AFTER_IDD -> "too short";
            case TOO_LONG -> "too long";
            default -> "not a number";
        };
    }

    record Result(String number, String error) {
        static Result error(String message) {
            return new Result(null, message);
        }
    }
}
