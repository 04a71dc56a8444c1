package com.dooneflow.itests;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

/**
 * A WireMock server in the test JVM (outside the distribution), on loopback. The tests inside the
 * distribution stub and verify it through its HTTP admin API, like any remote endpoint.
 * Only the configuration methods (test JVM) touch this class.
 */
final class HostSink {

    private static WireMockServer server;

    private HostSink() {
    }

    static synchronized int start() {
        if (server == null) {
            server = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
            server.start();
        }
        return server.port();
    }
}
