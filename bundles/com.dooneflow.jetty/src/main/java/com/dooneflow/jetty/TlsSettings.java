package com.dooneflow.jetty;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;
import java.util.function.UnaryOperator;

/**
 * HTTPS settings: each an environment variable, else a key of {@code etc/com.dooneflow.cfg} (the variable wins).
 * HTTPS is on when {@code DOONEFLOW_HTTPS_PORT} is set, with either a PEM certificate chain and key or a PKCS#12
 * keystore.
 */
record TlsSettings(int port, String host, Path cert, Path key, Path keystore, String keystorePassword,
                   boolean redirect, long hstsMaxAge) {

    /** A year, as the HSTS preload list asks for. */
    static final long DEFAULT_HSTS_MAX_AGE = 31_536_000L;

    static TlsSettings read(UnaryOperator<String> env, Properties file) {
        Source s = new Source(env, file);
        String port = s.get("DOONEFLOW_HTTPS_PORT", "https.port");
        if (port == null) {
            return null;
        }
        int p = integer("DOONEFLOW_HTTPS_PORT", port, 1, 65535);
        String host = s.get("DOONEFLOW_HTTP_HOST", "http.host");
        String cert = s.get("DOONEFLOW_TLS_CERT", "tls.cert");
        String key = s.get("DOONEFLOW_TLS_KEY", "tls.key");
        String keystore = s.get("DOONEFLOW_TLS_KEYSTORE", "tls.keystore");
        String password = s.get("DOONEFLOW_TLS_KEYSTORE_PASSWORD", ".tls.keystorePassword");
        if (keystore == null && (cert == null || key == null)) {
            throw new IllegalArgumentException("DOONEFLOW_HTTPS_PORT is set, so HTTPS needs a certificate: "
                    + "DOONEFLOW_TLS_CERT and DOONEFLOW_TLS_KEY (PEM files) or DOONEFLOW_TLS_KEYSTORE (a PKCS#12 file)");
        }
        if (keystore != null && cert != null) {
            throw new IllegalArgumentException("Set either DOONEFLOW_TLS_CERT and DOONEFLOW_TLS_KEY or "
                    + "DOONEFLOW_TLS_KEYSTORE, not both");
        }
        String redirect = s.get("DOONEFLOW_HTTPS_REDIRECT", "https.redirect");
        if (redirect != null && !redirect.equalsIgnoreCase("true") && !redirect.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException("DOONEFLOW_HTTPS_REDIRECT must be true or false, not '" + redirect + "'");
        }
        String hsts = s.get("DOONEFLOW_HSTS_MAX_AGE", "https.hstsMaxAge");
        return new TlsSettings(p, host == null ? "0.0.0.0" : host,
                cert == null ? null : Path.of(cert), key == null ? null : Path.of(key),
                keystore == null ? null : Path.of(keystore), password == null ? "" : password,
                Boolean.parseBoolean(redirect == null ? "false" : redirect.toLowerCase(Locale.ROOT)),
                hsts == null ? DEFAULT_HSTS_MAX_AGE : integer("DOONEFLOW_HSTS_MAX_AGE", hsts, 0, Integer.MAX_VALUE));
    }

    /** {@code etc/com.dooneflow.cfg} of this installation, empty when there is none. */
    static Properties configFile() {
        Properties p = new Properties();
        String etc = System.getProperty("karaf.etc");
        if (etc != null) {
            Path file = Path.of(etc, "com.dooneflow.cfg");
            if (Files.isReadable(file)) {
                try (InputStream in = Files.newInputStream(file)) {
                    p.load(in);
                } catch (IOException e) {
                    throw new IllegalStateException("Cannot read " + file + ": " + e.getMessage(), e);
                }
            }
        }
        return p;
    }

    private static int integer(String name, String value, int min, int max) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a whole number from " + min + " to " + max
                + ", not '" + value + "'");
    }

    @Override
    public String toString() {
        return "TlsSettings[port=" + port + ", host=" + host + ", cert=" + cert + ", key=" + key + ", keystore=" + keystore
                + ", redirect=" + redirect + ", hstsMaxAge=" + hstsMaxAge + "]";
    }

    private record Source(UnaryOperator<String> env, Properties file) {
        String get(String variable, String key) {
            String v = env.apply(variable);
            if (v == null || v.isBlank()) {
                v = file == null ? null : file.getProperty(key);
            }
            return v == null || v.isBlank() ? null : v.trim();
        }
    }
}
