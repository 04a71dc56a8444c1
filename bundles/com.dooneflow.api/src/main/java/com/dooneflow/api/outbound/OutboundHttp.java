package com.dooneflow.api.outbound;

import java.io.IOException;
import java.io.InterruptedIOException;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The HTTP client connectors call other services with, as an OSGi service ({@code @Reference OutboundHttp http}).
 * Every request goes through the installation's {@link OutboundGuard}: http/https only, and the one DNS lookup of a
 * connection is checked, so private addresses are reached only when an administrator allow-listed them
 * ({@value OutboundGuard#ENV}). Redirects are never followed (a 3xx is an answer like any other), nothing is retried
 * (the engine retries steps, with backoff and the same idempotency key), cookies are not kept, every exchange has a
 * time bound and a bound on the bytes read. Connections are pooled and kept alive per host.
 * <p>
 * {@link #send} and {@link Call#execute} throw:
 * <ul>
 * <li>{@link OutboundGuard.RefusedAddressException} when the host is refused (nothing was sent);</li>
 * <li>{@link OutboundTimeoutException} when the exchange ran out of time ({@link OutboundTimeoutException#connecting()}
 * tells whether the request can have arrived);</li>
 * <li>{@link InterruptedIOException} when the call was {@linkplain Call#cancel() cancelled};</li>
 * <li>{@link java.net.ProtocolException} when the request cannot be made as given (not worth retrying);</li>
 * <li>{@link javax.net.ssl.SSLException} when TLS fails (an untrusted certificate, a wrong host name);</li>
 * <li>another {@link IOException} for network trouble (refused or reset connections, an unknown host).</li>
 * </ul>
 */
@ProviderType
public interface OutboundHttp {

    /** One exchange, prepared: nothing is sent before {@link #execute()}. */
    @ProviderType
    interface Call {

        /** Sends the request and reads the whole answer (up to the request's byte limit); once per call. */
        OutboundResponse execute() throws IOException;

        /**
         * Aborts the exchange from another thread (a connect or a read that waits is woken at once); {@link #execute()}
         * then throws {@link InterruptedIOException}. Hand it to {@code ActionContext.onStop}.
         */
        void cancel();
    }

    /** Prepares one exchange. */
    Call newCall(OutboundRequest request);

    /** Sends one request and reads its answer: {@code newCall(request).execute()}. */
    default OutboundResponse send(OutboundRequest request) throws IOException {
        return newCall(request).execute();
    }

    /**
     * The guard as the installation configures it now, for checks before a call (at save time, or whether a host is
     * reachable only because it was allow-listed).
     */
    OutboundGuard guard();
}
