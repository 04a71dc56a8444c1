package com.dooneflow.connector.twilio.internal;

import java.time.Duration;

import com.twilio.exception.ApiException;
import com.twilio.exception.RestException;

/**
 * Twilio's 429 or 5xx answer that said when to come back ({@code Retry-After}). The SDK's own exception drops the
 * response headers, so {@link BaseUrlHttpClient} raises this one instead: Twilio's error as the SDK reads it, plus
 * the wait, which the engine honours before the next attempt.
 */
final class TwilioBusyException extends ApiException {

    private static final long serialVersionUID = 1L;

    private final transient Duration retryAfter;

    TwilioBusyException(RestException error, Duration retryAfter) {
        super(error);
        this.retryAfter = retryAfter;
    }

    Duration retryAfter() {
        return retryAfter;
    }
}
