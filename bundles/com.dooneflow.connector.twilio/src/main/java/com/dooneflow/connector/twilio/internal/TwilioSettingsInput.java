package com.dooneflow.connector.twilio.internal;

/**
 * The body of {@code PUT /v1/organizations/{orgId}/integrations/twilio}. {@code authToken} is write-only: required
 * the first time and whenever {@code accountSid} changes, otherwise a null keeps the stored one.
 */
public record TwilioSettingsInput(String accountSid, String authToken, String phoneNumber, String messagingServiceSid) {

    @Override
    public String toString() {
        return "TwilioSettingsInput[" + accountSid + ", authToken " + (authToken == null ? "unchanged" : "given") + "]";
    }
}
