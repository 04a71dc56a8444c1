package com.dooneflow.connector.email.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The certificates IMAP servers are checked against: the JVM's public CAs, plus (for self-hosted servers) the
 * certificates in a PEM file an administrator names. Never "trust everything".
 */
final class TlsTrust {

    private TlsTrust() {
    }

    static SSLSocketFactory socketFactory(String extraPemFile) {
        try {
            if (extraPemFile == null || extraPemFile.isBlank()) {
                return checkingServerIdentity(SSLContext.getDefault().getSocketFactory());
            }
            List<Certificate> extra = new ArrayList<>();
            try (InputStream in = Files.newInputStream(Path.of(extraPemFile))) {
                Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
                extra.addAll(certs);
            }
            return socketFactory(extra);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the trusted certificates file " + extraPemFile + ": "
                    + e.getMessage(), e);
        }
    }

    /** The JVM's trust plus {@code extra}. */
    static SSLSocketFactory socketFactory(List<Certificate> extra) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        TrustManagerFactory jvm = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        jvm.init((KeyStore) null);
        int i = 0;
        for (TrustManager tm : jvm.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                for (X509Certificate ca : x.getAcceptedIssuers()) {
                    store.setCertificateEntry("jvm-" + i++, ca);
                }
            }
        }
        for (Certificate c : extra) {
            store.setCertificateEntry("extra-" + i++, c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return checkingServerIdentity(context.getSocketFactory());
    }

    /**
     * Every handshake checks that the certificate names the host the inbox was given, the way HTTPS clients do
     * (RFC 2818: DNS names, or IP addresses for a host given as one). javax.mail 1.6's own check reads DNS names only,
     * so a server given by its IP address failed it even with that address in its certificate.
     */
    private static SSLSocketFactory checkingServerIdentity(SSLSocketFactory factory) {
        return new SocketWrappingFactory(factory, socket -> {
            if (socket instanceof SSLSocket tls) {
                SSLParameters parameters = tls.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                tls.setSSLParameters(parameters);
            }
            return socket;
        });
    }
}
