/**
 * The Twilio SMS connector: the {@code twilio.sms.send} action, the organization's Twilio settings
 * ({@code /v1/organizations/{orgId}/integrations/twilio}) and the signed delivery-status callback. Nothing here is
 * exported: the bundle has no public API of its own.
 */
package com.dooneflow.connector.twilio;
