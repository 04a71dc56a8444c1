package com.dooneflow.connector.salesforce.internal;

/**
 * The JSON a client sends to create or change a connection. On PATCH an absent (null) field stays as it is;
 * an empty {@code loginUrl} or {@code redirectUri} goes back to the default. {@code clientSecret} is write-only.
 */
public record ConnectionBody(String name, String environment, String loginUrl, String clientId, String clientSecret,
                             String redirectUri) {
}
