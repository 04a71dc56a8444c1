package com.dooneflow.itests;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

/**
 * GreenMail (an IMAP server) in the test JVM, outside the distribution, on loopback, with one mailbox. Only the
 * configuration methods (test JVM) touch this class; the tests inside the distribution reach it over IMAP.
 */
final class HostMail {

    static final String USER = "support";
    static final String PASSWORD = "it-imap-secret";
    /** A second mailbox, watched with IDLE. */
    static final String IDLE_USER = "pushed";
    /** A third mailbox that signs in with OAuth 2.0: GreenMail takes the XOAUTH2 access token as the password. */
    static final String OAUTH_USER = "sales";
    static final String OAUTH_TOKEN = "it-oauth-access-token";
    private static GreenMail server;

    private HostMail() {
    }

    /** Starts the server once; returns its IMAP port. */
    static synchronized int start() {
        if (server == null) {
            server = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP));
            server.start();
            server.setUser("support@it.example", USER, PASSWORD);
            server.setUser("pushed@it.example", IDLE_USER, PASSWORD);
            server.setUser("sales@it.example", OAUTH_USER, OAUTH_TOKEN);
        }
        return server.getImap().getPort();
    }
}
