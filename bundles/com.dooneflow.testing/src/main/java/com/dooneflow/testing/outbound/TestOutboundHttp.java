package com.dooneflow.testing.outbound;

import com.dooneflow.api.outbound.OutboundGuard;
import com.dooneflow.api.outbound.OutboundHttp;
import com.dooneflow.api.outbound.OutboundRequest;
import com.dooneflow.outbound.ApacheOutboundHttp;

/**
 * The {@link OutboundHttp} the distribution runs, for unit tests: the same client, SSRF guard, timeouts and limits,
 * with an allow-list the test chooses. {@link #loopback()} reaches servers on this machine (WireMock, a fake), as an
 * administrator allows a local endpoint; {@link #allowing(String) allowing("")} is an installation that allows no
 * private address at all, to test what users see when the guard refuses. Close it after the test.
 */
public final class TestOutboundHttp implements OutboundHttp, AutoCloseable {

    /** The loopback addresses, IPv4 and IPv6, and the name {@code localhost}. */
    public static final String LOOPBACK = "127.0.0.0/8, ::1/128, localhost";

    private final ApacheOutboundHttp http;

    private TestOutboundHttp(OutboundGuard guard) {
        this.http = new ApacheOutboundHttp(guard);
    }

    /** Calls may go to public addresses and to this machine. */
    public static TestOutboundHttp loopback() {
        return allowing(LOOPBACK);
    }

    /** Calls may go where an installation with {@code DOONEFLOW_OUTBOUND_ALLOWLIST=allowlist} lets them. */
    public static TestOutboundHttp allowing(String allowlist) {
        return new TestOutboundHttp(new OutboundGuard(allowlist));
    }

    /** With a guard of the test's own, e.g. one whose resolver maps test host names to loopback. */
    public static TestOutboundHttp guardedBy(OutboundGuard guard) {
        return new TestOutboundHttp(guard);
    }

    @Override
    public Call newCall(OutboundRequest request) {
        return http.newCall(request);
    }

    @Override
    public OutboundGuard guard() {
        return http.guard();
    }

    @Override
    public void close() {
        http.close();
    }
}
