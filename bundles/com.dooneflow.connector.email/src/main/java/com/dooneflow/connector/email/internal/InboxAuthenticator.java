package com.dooneflow.connector.email.internal;

import java.util.function.Supplier;

import javax.mail.PasswordAuthentication;

import org.apache.camel.component.mail.MailAuthenticator;

/**
 * The credentials of an inbox's Camel route, asked at every (re)connection, so a refreshed OAuth 2.0 token is used as
 * soon as the server wants one. camel-mail also asks once while it creates the route, for the user name only: until
 * {@link #arm} no password is fetched, so a sign-in problem shows at the poll (as the inbox's last error), not as a
 * route that cannot start.
 */
final class InboxAuthenticator extends MailAuthenticator {

    private final String username;
    private final Supplier<String> credential;
    private volatile boolean armed;

    InboxAuthenticator(String username, Supplier<String> credential) {
        this.username = username;
        this.credential = credential;
    }

    void arm() {
        armed = true;
    }

    @Override
    public PasswordAuthentication getPasswordAuthentication() {
        return new PasswordAuthentication(username, armed ? credential.get() : "");
    }
}
