package com.dooneflow.persistence.internal;

/** Team members' phone numbers: the API's E.164 check, as a value or the reason it is refused. */
final class PhoneNumbers {

    private PhoneNumbers() {
    }

    /** The number in E.164, or why it is not acceptable. */
    static Result e164(String raw) {
        try {
            return new Result(com.dooneflow.api.phone.PhoneNumbers.toE164(raw), null);
        } catch (IllegalArgumentException e) {
            return Result.error(e.getMessage());
        }
    }

    record Result(String number, String error) {
        static Result error(String message) {
            return new Result(null, message);
        }
    }
}
