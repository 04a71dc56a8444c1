package com.dooneflow.persistence.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Set;

/**
 * The address a node advertises in the nodes list: {@code DOONEFLOW_PUBLIC_URL} when set (what callers reach it
 * by); else {@code http://} the interface it listens on ({@code DOONEFLOW_HTTP_HOST}) or, when it listens on every
 * interface, its host name, and its HTTP port ({@code DOONEFLOW_HTTP_PORT}, default 8181).
 */
final class NodeAddress {

    private static final Set<String> EVERY_INTERFACE = Set.of("0.0.0.0", "::", "[::]", "*");

    private NodeAddress() {
    }

    static String resolve(Settings settings, String portProperty) {
        String publicUrl = settings.get("publicUrl", "DOONEFLOW_PUBLIC_URL");
        if (publicUrl != null) {
            return publicUrl.replaceAll("/+$", "");
        }
        String host = settings.get("httpHost", "DOONEFLOW_HTTP_HOST");
        if (host == null || EVERY_INTERFACE.contains(host)) {
            host = hostName();
        }
        if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]"; // an IPv6 literal
        }
        String port = settings.get("httpPort", "DOONEFLOW_HTTP_PORT");
        if (port == null) {
            port = portProperty == null || portProperty.isBlank() ? "8181" : portProperty.trim();
        }
        return "http://" + host + ":" + port;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
