package com.dooneflow.jetty;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PEM certificate chain and private key (as certbot and {@code openssl req} write them) as an in-memory keystore
 * for Jetty, so no conversion step is needed. Keys: PKCS#8 ({@code BEGIN PRIVATE KEY}; RSA, EC or Ed25519) and
 * PKCS#1 RSA ({@code BEGIN RSA PRIVATE KEY}). Encrypted keys are refused with the command that converts them.
 */
final class PemKeyStore {

    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]+)-----END \\1-----");

    private PemKeyStore() {
    }

    static KeyStore load(Path certFile, Path keyFile, char[] password) throws IOException, GeneralSecurityException {
        Certificate[] chain = CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(certFile))).toArray(new Certificate[0]);
        if (chain.length == 0) {
            throw new IllegalArgumentException("DOONEFLOW_TLS_CERT " + certFile + " holds no PEM certificate");
        }
        PrivateKey key = privateKey(Files.readString(keyFile), keyFile);
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("dooneflow", key, password, chain);
        return store;
    }

    static PrivateKey privateKey(String pem, Path file) throws GeneralSecurityException {
        Matcher m = BLOCK.matcher(pem);
        while (m.find()) {
            String type = m.group(1);
            byte[] der = Base64.getMimeDecoder().decode(m.group(2));
            switch (type) {
                case "PRIVATE KEY":
                    return pkcs8(der, file);
                case "RSA PRIVATE KEY":
                    return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(wrapRsa(der)));
                case "ENCRYPTED PRIVATE KEY":
                    throw new IllegalArgumentException("DOONEFLOW_TLS_KEY " + file + " is encrypted; write it "
                            + "unencrypted and readable by this user only: openssl pkey -in key.pem -out plain.pem");
                case "EC PRIVATE KEY":
                    throw new IllegalArgumentException("DOONEFLOW_TLS_KEY " + file + " is in the EC-only format; "
                            + "convert it to PKCS#8: openssl pkcs8 -topk8 -nocrypt -in key.pem -out pkcs8.pem");
                default:
                    // EC PARAMETERS and the like precede the key in some files
            }
        }
        throw new IllegalArgumentException("DOONEFLOW_TLS_KEY " + file + " holds no PEM private key");
    }

    private static PrivateKey pkcs8(byte[] der, Path file) throws GeneralSecurityException {
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "RSASSA-PSS"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException("DOONEFLOW_TLS_KEY " + file + " is not an RSA, EC or Ed25519 key");
    }

    /** A PKCS#1 RSAPrivateKey inside a PKCS#8 PrivateKeyInfo (version 0, rsaEncryption, the key as an octet string). */
    static byte[] wrapRsa(byte[] pkcs1) {
        byte[] algorithm = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01,
                0x01, 0x05, 0x00};
        byte[] version = {0x02, 0x01, 0x00};
        byte[] octets = der(0x04, pkcs1);
        byte[] body = new byte[version.length + algorithm.length + octets.length];
        System.arraycopy(version, 0, body, 0, version.length);
        System.arraycopy(algorithm, 0, body, version.length, algorithm.length);
        System.arraycopy(octets, 0, body, version.length + algorithm.length, octets.length);
        return der(0x30, body);
    }

    private static byte[] der(int tag, byte[] content) {
        int n = content.length;
        byte[] length = n < 0x80 ? new byte[] {(byte) n}
                : n < 0x100 ? new byte[] {(byte) 0x81, (byte) n}
                : n < 0x10000 ? new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n}
                : new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
        byte[] out = new byte[1 + length.length + n];
        out[0] = (byte) tag;
        System.arraycopy(length, 0, out, 1, length.length);
        System.arraycopy(content, 0, out, 1 + length.length, n);
        return out;
    }
}
