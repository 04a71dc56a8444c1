package com.dooneflow.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.AbstractHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS from PEM files and from a PKCS#12 keystore on a real Jetty, with HSTS and the redirect of plain HTTP. */
class HttpsTest {

    private static final String PASSWORD = "test-keystore-password";
    @TempDir
    static Path dir;
    private static Path p12;
    private static Path certPem;
    private static Path keyPem;
    private static SSLContext trusting;
    private Server server;

    /** A self-signed certificate for localhost and 127.0.0.1, made with the JDK's keytool, also written as PEM. */
    @BeforeAll
    static void certificate() throws Exception {
        p12 = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", p12.toString(), "-storepass", PASSWORD).inheritIO().start();
        assertThat(keytool.waitFor()).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(p12)) {
            store.load(in, PASSWORD.toCharArray());
        }
        certPem = dir.resolve("cert.pem");
        Files.writeString(certPem, pem("CERTIFICATE", store.getCertificate("server").getEncoded()));
        keyPem = dir.resolve("key.pem");
        Files.writeString(keyPem, pem("PRIVATE KEY", store.getKey("server", PASSWORD.toCharArray()).getEncoded()));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", store.getCertificate("server"));
        tmf.init(trust);
        trusting = SSLContext.getInstance("TLS");
        trusting.init(null, tmf.getTrustManagers(), null);
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A server with a plain connector (as pax-web adds it) answering whether the request came over TLS. */
    private ServerConnector start(Map<String, String> env) throws Exception {
        server = new Server();
        Https.configure(server, env::get, new Properties());
        ServerConnector plain = new ServerConnector(server);
        plain.setHost("127.0.0.1");
        server.addConnector(plain);
        server.setHandler(new AbstractHandler() {
            @Override
            public void handle(String target, Request base, HttpServletRequest req, HttpServletResponse resp)
                    throws IOException {
                resp.setStatus(200);
                resp.getWriter().print("secure=" + req.isSecure());
                base.setHandled(true);
            }
        });
        server.start();
        return plain;
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    private Map<String, String> env(int port) {
        Map<String, String> env = new HashMap<>();
        env.put("DOONEFLOW_HTTPS_PORT", String.valueOf(port));
        env.put("DOONEFLOW_HTTP_HOST", "127.0.0.1");
        return env;
    }

    @Test
    void servesHttpsFromPemFilesWithHstsAndRedirectsPlainHttp() throws Exception {
        int port = freePort();
        Map<String, String> env = env(port);
        env.put("DOONEFLOW_TLS_CERT", certPem.toString());
        env.put("DOONEFLOW_TLS_KEY", keyPem.toString());
        env.put("DOONEFLOW_HTTPS_REDIRECT", "true");
        ServerConnector plain = start(env);

        HttpClient https = HttpClient.newBuilder().sslContext(trusting).build();
        HttpResponse<String> r = https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/v1/me"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("secure=true");
        assertThat(r.headers().firstValue("Strict-Transport-Security")).hasValue("max-age=31536000");
        assertThat(r.sslSession()).hasValueSatisfying(s -> assertThat(s.getProtocol()).isIn("TLSv1.3", "TLSv1.2"));

        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + plain.getLocalPort();
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(base + "/ui/x?a=1&b=2")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(301);
        assertThat(get.headers().firstValue("Location")).hasValue("https://127.0.0.1:" + port + "/ui/x?a=1&b=2");
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(base + "/webhook/orders"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).as("a POST keeps its method and body").isEqualTo(308);
        assertThat(post.headers().firstValue("Strict-Transport-Security")).as("never over plain HTTP").isEmpty();
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/health/live")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("secure=false");
    }

    @Test
    void servesHttpsFromAPkcs12KeystoreWithModernProtocolsAndCiphersOnly() throws Exception {
        int port = freePort();
        Map<String, String> env = env(port);
        env.put("DOONEFLOW_TLS_KEYSTORE", p12.toString());
        env.put("DOONEFLOW_TLS_KEYSTORE_PASSWORD", PASSWORD);
        env.put("DOONEFLOW_HSTS_MAX_AGE", "0");
        ServerConnector plain = start(env);

        HttpResponse<String> r = HttpClient.newBuilder().sslContext(trusting).build().send(
                HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.body()).isEqualTo("secure=true");
        assertThat(r.headers().firstValue("Strict-Transport-Security")).as("0 turns HSTS off").isEmpty();
        HttpResponse<String> notRedirected = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + plain.getLocalPort() + "/ui/x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(notRedirected.statusCode()).as("no redirect unless asked for").isEqualTo(200);

        ServerConnector https = (ServerConnector) Arrays.stream(server.getConnectors())
                .filter(c -> Https.CONNECTOR.equals(c.getName())).findFirst().orElseThrow();
        var tls = https.getConnectionFactory(SslConnectionFactory.class).getSslContextFactory();
        assertThat(tls.getSelectedProtocols()).isNotEmpty().allMatch(p -> p.equals("TLSv1.3") || p.equals("TLSv1.2"));
        assertThat(tls.getSelectedCipherSuites()).isNotEmpty()
                .allMatch(c -> c.startsWith("TLS_AES_") || c.startsWith("TLS_CHACHA20_") || c.startsWith("TLS_ECDHE_"))
                .noneMatch(c -> c.contains("CBC") || c.contains("_SHA") && c.endsWith("_SHA"));
    }

    @Test
    void readsPkcs1RsaKeysAndExplainsWhatItCannotRead() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(p12)) {
            store.load(in, PASSWORD.toCharArray());
        }
        byte[] pkcs8 = store.getKey("server", PASSWORD.toCharArray()).getEncoded();
        byte[] pkcs1 = Arrays.copyOfRange(pkcs8, 26, pkcs8.length); // the RSAPrivateKey inside PrivateKeyInfo
        assertThat(PemKeyStore.wrapRsa(pkcs1)).isEqualTo(pkcs8);
        PrivateKey key = PemKeyStore.privateKey(pem("RSA PRIVATE KEY", pkcs1), keyPem);
        assertThat(key.getEncoded()).isEqualTo(pkcs8);

        assertThatThrownBy(() -> PemKeyStore.privateKey(pem("ENCRYPTED PRIVATE KEY", new byte[] {1, 2}), keyPem))
                .hasMessageContaining("encrypted").hasMessageContaining("openssl");
        assertThatThrownBy(() -> PemKeyStore.privateKey("nothing here", keyPem)).hasMessageContaining("no PEM private key");
    }

    @Test
    void settingsNameWhatIsMissing() {
        assertThat(TlsSettings.read(v -> null, new Properties())).as("no port: no HTTPS").isNull();
        assertThatThrownBy(() -> TlsSettings.read(v -> v.equals("DOONEFLOW_HTTPS_PORT") ? "8443" : null, new Properties()))
                .hasMessageContaining("DOONEFLOW_TLS_CERT");
        Properties file = new Properties();
        file.setProperty("https.port", "8443");
        file.setProperty("tls.keystore", "/x.p12");
        file.setProperty("https.redirect", "maybe");
        assertThatThrownBy(() -> TlsSettings.read(v -> null, file)).hasMessageContaining("DOONEFLOW_HTTPS_REDIRECT");
        file.setProperty("https.redirect", "TRUE");
        TlsSettings s = TlsSettings.read(v -> null, file);
        assertThat(s.redirect()).isTrue();
        assertThat(s.hstsMaxAge()).isEqualTo(TlsSettings.DEFAULT_HSTS_MAX_AGE);
        assertThatThrownBy(() -> TlsSettings.read(v -> v.equals("DOONEFLOW_HTTPS_PORT") ? "http" : null, file))
                .hasMessageContaining("DOONEFLOW_HTTPS_PORT");
    }
}
