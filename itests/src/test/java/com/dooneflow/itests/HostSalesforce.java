package com.dooneflow.itests;

import java.util.HashMap;
import java.util.Map;

import com.dooneflow.connector.salesforce.internal.SalesforceFake;

/**
 * Salesforce fakes (OAuth + REST, from the connector's test sources) in the test JVM, outside the distribution,
 * one per name. The tests inside the distribution reach them over HTTP like the real thing and inspect them
 * through their {@code /__fake/...} endpoints. Only the configuration methods (test JVM) touch this class.
 */
final class HostSalesforce {

    private static final Map<String, SalesforceFake> FAKES = new HashMap<>();

    private HostSalesforce() {
    }

    static synchronized String start(String name) {
        return FAKES.computeIfAbsent(name, n -> SalesforceFake.start()).baseUrl();
    }

    static String clientId() {
        return SalesforceFake.CLIENT_ID;
    }

    static String clientSecret() {
        return SalesforceFake.CLIENT_SECRET;
    }
}
