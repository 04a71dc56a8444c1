package com.dooneflow.connector.email.internal;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;

import javax.mail.AuthenticationFailedException;
import javax.net.ssl.SSLException;

import com.dooneflow.api.outbound.OutboundGuard;

/** Turns what javax.mail throws into words a person can act on, in one table. */
final class MailErrors {

    /** A kind of failure and its sentence. */
    record Described(String code, String message) {
    }

    private MailErrors() {
    }

    static Described describe(Throwable error, Inbox inbox) {
        String where = inbox.host() + ":" + inbox.port();
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof InboxSignIn.Unavailable) {
                return new Described("oauth_sign_in", t.getMessage());
            }
            if (t instanceof AuthenticationFailedException && inbox.oauth2()) {
                return new Described("authentication_failed", "Authentication failed: " + where + " refused the "
                        + "OAuth 2.0 access token of " + inbox.username() + " (XOAUTH2). Check that the account may use"
                        + " IMAP and the app has the IMAP scope, then choose Connect again.");
            }
            if (t instanceof AuthenticationFailedException) {
                return new Described("authentication_failed", "Authentication failed: " + where
                        + " refused the username or password (for Gmail and Yahoo use an app password).");
            }
            if (t instanceof OutboundGuard.RefusedAddressException) {
                // The guard's words say why: the address, or a host written in an unclear form.
                return new Described("host_not_allowed", "Host not allowed: " + t.getMessage() + ".");
            }
            if (t instanceof UnknownHostException) {
                return new Described("host_unreachable", "Host unreachable: " + inbox.host()
                        + " is not a known host name.");
            }
            if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
                return new Described("host_unreachable", "Host unreachable: nothing accepts connections at " + where
                        + " (check the server and port).");
            }
            if (t instanceof SocketTimeoutException) {
                return new Described("host_unreachable", "Host unreachable: " + where + " did not answer in time.");
            }
            if ((t instanceof SSLException || t instanceof GeneralSecurityException) && namesAnotherHost(t)) {
                return new Described("tls_problem", "TLS problem: the certificate of " + where + " does not name "
                        + inbox.host() + " (" + firstLine(t) + "). Enter the host name (or address) the server's "
                        + "certificate was issued for.");
            }
            if (t instanceof SSLException || t instanceof GeneralSecurityException) {
                return new Described("tls_problem", "TLS problem: a secure connection to " + where
                        + " could not be set up (" + firstLine(t) + "). Check the security setting and port "
                        + "(993 for ssl, 143 for starttls) and the server's certificate.");
            }
            if (t instanceof javax.mail.MessagingException m && m.getMessage() != null
                    && m.getMessage().contains("STARTTLS")) {
                return new Described("tls_problem", "TLS problem: " + where + " does not offer STARTTLS; "
                        + "choose ssl (port 993) or ask the provider.");
            }
        }
        return new Described("imap_error", "IMAP error at " + where + ": " + firstLine(error));
    }

    /** The JDK's name check in the handshake (TlsTrust) failed: the certificate is for other names. */
    private static boolean namesAnotherHost(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof CertificateException && t.getMessage() != null
                    && (t.getMessage().startsWith("No subject alternative") || t.getMessage().startsWith("No name"))) {
                return true;
            }
        }
        return false;
    }

    private static String firstLine(Throwable t) {
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int nl = m.indexOf('\n');
        m = nl < 0 ? m : m.substring(0, nl);
        return m.length() > 300 ? m.substring(0, 300) + "…" : m;
    }
}
