package com.dooneflow.connector.twilio.internal;

/**
 * How many SMS segments a body takes, as carriers count them: GSM-7 when every character is in the GSM 03.38
 * alphabet (160 septets in one segment, 153 per segment when split; extension characters such as {@code €} and
 * {@code [} take two septets and are never split), otherwise UCS-2 (70 UTF-16 units, 67 when split; a surrogate
 * pair is never split). Twilio bills per segment, so the step output shows it.
 */
record SmsSegments(String encoding, int segments) {

    static final String GSM_7 = "GSM-7";
    static final String UCS_2 = "UCS-2";

    private static final String GSM_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private static final String GSM_EXTENSION = "\f^{}\\[~]|€";

    static SmsSegments of(String body) {
        boolean gsm = body.chars().allMatch(c -> GSM_BASIC.indexOf(c) >= 0 || GSM_EXTENSION.indexOf(c) >= 0);
        return gsm ? new SmsSegments(GSM_7, gsm7(body)) : new SmsSegments(UCS_2, ucs2(body));
    }

    private static int gsm7(String body) {
        int septets = 0;
        for (int i = 0; i < body.length(); i++) {
            septets += GSM_EXTENSION.indexOf(body.charAt(i)) >= 0 ? 2 : 1;
        }
        if (septets <= 160) {
            return body.isEmpty() ? 0 : 1;
        }
        int segments = 1;
        int used = 0;
        for (int i = 0; i < body.length(); i++) {
            int size = GSM_EXTENSION.indexOf(body.charAt(i)) >= 0 ? 2 : 1;
            if (used + size > 153) {
                segments++;
                used = 0;
            }
            used += size;
        }
        return segments;
    }

    private static int ucs2(String body) {
        if (body.length() <= 70) {
            return 1;
        }
        int segments = 1;
        int used = 0;
        for (int i = 0; i < body.length(); i++) {
            int size = Character.isHighSurrogate(body.charAt(i)) && i + 1 < body.length() ? 2 : 1;
            if (used + size > 67) {
                segments++;
                used = 0;
            }
            used += size;
            i += size - 1;
        }
        return segments;
    }
}
