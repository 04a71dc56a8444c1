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
    private static GreenMail server;

    private HostMail() {
    }

    /** Starts the server once; returns its IMAP port. */
    static synchronized int start() {
        if (server == null) {
            server = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP));
            server.start();
            server.setUser("support@it.example", USER, PASSWORD);
        }
        return server.getImap().getPort();
    }
}
