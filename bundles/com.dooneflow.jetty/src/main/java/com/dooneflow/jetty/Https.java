package com.dooneflow.jetty;

import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;
import java.util.function.UnaryOperator;

import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.log.Log;
import org.eclipse.jetty.util.log.Logger;

/**
 * Called from {@code jetty.xml} on the server pax-web creates: when {@code DOONEFLOW_HTTPS_PORT} is set, adds an
 * HTTPS connector (TLS 1.2 and 1.3 only, forward-secret AEAD ciphers, HSTS on its answers) and, when asked, makes the
 * plain HTTP port redirect to it. Pax-web keeps configuring its own HTTP connector as before.
 */
public final class Https {

    static final String CONNECTOR = "dooneflow-https";
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    /** TLS 1.3's suites, and TLS 1.2's with ECDHE key exchange and an AEAD cipher (Mozilla's "intermediate" set). */
    static final String[] CIPHERS = {"TLS_AES_.*", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_(ECDSA|RSA)_WITH_AES_(128|256)_GCM_SHA(256|384)",
            "TLS_ECDHE_(ECDSA|RSA)_WITH_CHACHA20_POLY1305_SHA256"};

    private static final Logger LOG = Log.getLogger(Https.class);

    private Https() {
    }

    /** The entry point of {@code jetty.xml}: the environment and {@code etc/com.dooneflow.cfg}. */
    public static void configure(Server server) throws Exception {
        configure(server, System::getenv, TlsSettings.configFile());
    }

    static void configure(Server server, UnaryOperator<String> env, Properties file) throws Exception {
        TlsSettings settings = TlsSettings.read(env, file);
        if (settings == null) {
            return;
        }
        ServerConnector https = connector(server, settings);
        server.addConnector(https);
        if (settings.redirect()) {
            // Pax-web adds its HTTP connector after this file: redirect on every other connector once they exist.
            server.addLifeCycleListener(new LifeCycle.Listener() {
                @Override
                public void lifeCycleStarting(LifeCycle event) {
                    for (Connector c : server.getConnectors()) {
                        HttpConnectionFactory http = c.getConnectionFactory(HttpConnectionFactory.class);
                        if (c != https && http != null && c.getConnectionFactory(SslConnectionFactory.class) == null) {
                            http.getHttpConfiguration().addCustomizer(new RedirectToHttps(settings.port()));
                        }
                    }
                }
            });
        }
        LOG.info("DooneFlow HTTPS on {}:{} ({}){}", settings.host(), settings.port(),
                settings.keystore() != null ? "PKCS#12 " + settings.keystore() : "PEM " + settings.cert(),
                settings.redirect() ? "; plain HTTP redirects to it" : "");
    }

    static ServerConnector connector(Server server, TlsSettings settings) throws Exception {
        SslContextFactory.Server tls = new SslContextFactory.Server();
        if (settings.keystore() != null) {
            tls.setKeyStorePath(settings.keystore().toString());
            tls.setKeyStoreType("PKCS12");
            tls.setKeyStorePassword(settings.keystorePassword());
        } else {
            // The PEM files live in memory only, under a random password nobody needs to know.
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            String password = Base64.getEncoder().encodeToString(random);
            KeyStore store = PemKeyStore.load(settings.cert(), settings.key(), password.toCharArray());
            tls.setKeyStore(store);
            tls.setKeyStorePassword(password);
            tls.setKeyManagerPassword(password);
        }
        tls.setIncludeProtocols(PROTOCOLS);
        tls.setIncludeCipherSuites(CIPHERS);
        tls.setRenegotiationAllowed(false);

        HttpConfiguration config = new HttpConfiguration();
        config.setSecureScheme("https");
        config.setSecurePort(settings.port());
        config.setSendServerVersion(false);
        config.setSendXPoweredBy(false);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        // One certificate: the client checks the name; a host name it lacks must not turn into a 400 here.
        secure.setSniHostCheck(false);
        if (settings.hstsMaxAge() > 0) {
            secure.setStsMaxAge(settings.hstsMaxAge());
        }
        config.addCustomizer(secure);

        ServerConnector connector = new ServerConnector(server,
                new SslConnectionFactory(tls, HttpVersion.HTTP_1_1.asString()), new HttpConnectionFactory(config));
        connector.setName(CONNECTOR);
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        return connector;
    }
}
