package com.dooneflow.connector.twilio.internal;

/**
 * An organization's Twilio account as a send needs it: exactly one of {@code phoneNumber} (E.164) and
 * {@code messagingServiceSid} is set. {@link #toString()} leaves the auth token out.
 */
record TwilioAccount(String accountSid, String authToken, String phoneNumber, String messagingServiceSid) {

    @Override
    public String toString() {
        return "TwilioAccount[" + accountSid + ", sender " + (phoneNumber != null ? phoneNumber : messagingServiceSid) + "]";
    }
}
