package com.dooneflow.outbound;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.ProtocolException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.hc.client5.http.ClientProtocolException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.CloseableHttpResponse;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import com.dooneflow.api.outbound.HttpHeader;
import com.dooneflow.api.outbound.OutboundGuard;
import com.dooneflow.api.outbound.OutboundHttp;
import com.dooneflow.api.outbound.OutboundRequest;
import com.dooneflow.api.outbound.OutboundResponse;
import com.dooneflow.api.outbound.OutboundTimeoutException;

/**
 * {@link OutboundHttp} on Apache HttpClient 5: one pool of keep-alive connections, whose only DNS lookup is
 * {@link OutboundGuard#resolve} (the connection goes to exactly the addresses it approved, so a second, rebound
 * answer cannot slip in); no redirects, no automatic retries, no cookies; a deadline per exchange that aborts it from
 * a timer thread, since socket timeouts alone bound each read and not a server that drips bytes.
 * <p>
 * The distribution registers one as a service; the test kit builds one with a loopback allow-list.
 */
public final class ApacheOutboundHttp implements OutboundHttp, Closeable {

    public static final int DEFAULT_MAX_CONNECTIONS = 256;
    /** Many workflows often call one endpoint. */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_HOST = 32;
    /** A pooled connection keeps the address it was made to: renewed now and then, so DNS changes take effect. */
    static final TimeValue CONNECTION_TIME_TO_LIVE = TimeValue.ofMinutes(5);

    private final PoolingHttpClientConnectionManager pool;
    private final CloseableHttpClient client;
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dooneflow-outbound-deadlines");
        t.setDaemon(true);
        return t;
    });
    /** Read on every new connection, so a configuration change applies at once. */
    private volatile OutboundGuard guard;

    public ApacheOutboundHttp(OutboundGuard guard) {
        this(guard, DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS_PER_HOST);
    }

    public ApacheOutboundHttp(OutboundGuard guard, int maxConnections, int maxConnectionsPerHost) {
        this.guard = guard;
        this.pool = PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(new GuardedResolver())
                .setMaxConnTotal(maxConnections)
                .setMaxConnPerRoute(maxConnectionsPerHost)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setTimeToLive(CONNECTION_TIME_TO_LIVE)
                        .setValidateAfterInactivity(TimeValue.ofSeconds(2)).build())
                .setDefaultSocketConfig(SocketConfig.custom().setSoKeepAlive(true).build())
                .build();
        this.client = HttpClients.custom()
                .setConnectionManager(pool)
                .disableRedirectHandling()
                .disableAutomaticRetries() // the engine retries, with backoff and the same idempotency key
                .disableCookieManagement()
                .setUserAgent("DooneFlow")
                .evictExpiredConnections()
                .evictIdleConnections(TimeValue.ofSeconds(30))
                .build();
    }

    @Override
    public OutboundGuard guard() {
        return guard;
    }

    /**
     * Applies a new guard to connections made from now on, and closes the idle pooled ones, which were made under
     * the old guard (an address no longer allowed is not reached again through them).
     */
    public void guard(OutboundGuard newGuard) {
        this.guard = newGuard;
        pool.closeIdle(TimeValue.ZERO_MILLISECONDS);
    }

    public void poolSize(int maxConnections, int maxConnectionsPerHost) {
        pool.setMaxTotal(maxConnections);
        pool.setDefaultMaxPerRoute(maxConnectionsPerHost);
    }

    @Override
    public Call newCall(OutboundRequest request) {
        return new ApacheCall(request);
    }

    @Override
    public void close() {
        deadlines.shutdownNow();
        client.close(CloseMode.IMMEDIATE);
    }

    /** The guard as HttpClient's resolver: the one DNS lookup of every connection. */
    private final class GuardedResolver implements DnsResolver {
        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            return guard.resolve(host);
        }

        @Override
        public String resolveCanonicalHostname(String host) {
            return host; // only for SPNEGO/Kerberos, which outbound calls never use
        }
    }

    private final class ApacheCall implements Call {
        private final OutboundRequest spec;
        private final HttpUriRequestBase request;
        private final AtomicBoolean executed = new AtomicBoolean();
        private final AtomicBoolean cancelled = new AtomicBoolean();
        private final AtomicBoolean timedOut = new AtomicBoolean();

        ApacheCall(OutboundRequest spec) {
            this.spec = spec;
            this.request = new HttpUriRequestBase(spec.method(), spec.uri());
            request.setConfig(RequestConfig.custom()
                    .setConnectionRequestTimeout(timeout(spec.timeout())) // waiting for a pooled connection
                    .setConnectTimeout(timeout(spec.connectTimeout()))
                    .setResponseTimeout(timeout(spec.timeout()))
                    .setRedirectsEnabled(false)
                    .build());
            for (HttpHeader h : spec.headers()) {
                request.setHeader(h.name(), h.value());
            }
            if (spec.body() != null) {
                request.setEntity(new ByteArrayEntity(spec.body(), ContentType.parse(spec.contentType())));
            }
        }

        @Override
        public OutboundResponse execute() throws IOException {
            if (!executed.compareAndSet(false, true)) {
                throw new IllegalStateException("a call is executed once");
            }
            ScheduledFuture<?> deadline = deadlines.schedule(() -> {
                timedOut.set(true);
                request.cancel();
            }, spec.timeout().toMillis(), TimeUnit.MILLISECONDS);
            try {
                return read(client.execute(request));
            } catch (IOException | IllegalStateException e) {
                throw translate(e);
            } finally {
                deadline.cancel(false);
            }
        }

        @Override
        public void cancel() {
            cancelled.set(true);
            request.cancel();
        }

        /** Reads the answer and closes it: a complete one returns its connection to the pool, a cut one drops it. */
        private OutboundResponse read(CloseableHttpResponse response) throws IOException {
            boolean truncated = false;
            try {
                List<HttpHeader> headers = new ArrayList<>();
                for (Header h : response.getHeaders()) {
                    headers.add(new HttpHeader(h.getName(), h.getValue()));
                }
                byte[] body = new byte[0];
                HttpEntity entity = response.getEntity();
                if (entity != null) {
                    InputStream in = entity.getContent();
                    body = in.readNBytes(spec.maxResponseBytes());
                    truncated = in.read() != -1;
                }
                return new OutboundResponse(response.getCode(), headers, body, truncated);
            } finally {
                if (truncated) {
                    request.cancel(); // closing would read the rest to keep the connection: drop it instead
                    closeQuietly(response);
                } else {
                    response.close();
                }
            }
        }

        /** HttpClient's exceptions as the API documents them (see {@link OutboundHttp}). */
        private IOException translate(Exception e) {
            String host = spec.uri().getHost();
            if (e instanceof OutboundGuard.RefusedAddressException refused) {
                return refused;
            }
            if (cancelled.get()) {
                return new InterruptedIOException("the call to " + host + " was cancelled");
            }
            if (e instanceof ConnectTimeoutException) {
                return new OutboundTimeoutException("connecting to " + host + " timed out after "
                        + seconds(spec.connectTimeout()), true);
            }
            if (timedOut.get() || e instanceof java.net.SocketTimeoutException) {
                return new OutboundTimeoutException("the call to " + host + " timed out: no complete answer within "
                        + seconds(spec.timeout()), false);
            }
            if (e instanceof ClientProtocolException) {
                ProtocolException p = new ProtocolException(e.getMessage());
                p.initCause(e);
                return p;
            }
            if (e instanceof IOException io) {
                return io;
            }
            return new IOException(e.getMessage(), e); // HttpClient's "connection pool shut down" and such
        }
    }

    private static void closeQuietly(CloseableHttpResponse response) {
        try {
            response.close();
        } catch (IOException e) {
            // the connection was aborted on purpose
        }
    }

    private static Timeout timeout(Duration d) {
        return Timeout.ofMilliseconds(d.toMillis());
    }

    /** "15 s", or "1500 ms" when not whole seconds. */
    static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
