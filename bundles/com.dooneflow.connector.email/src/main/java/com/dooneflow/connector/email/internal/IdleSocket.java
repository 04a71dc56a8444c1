package com.dooneflow.connector.email.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;

import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;

/**
 * The socket of one IDLE connection, kept by the factories javax.mail makes it with: the watcher gives it a long
 * read timeout only while in IDLE (a server that hangs anywhere else is given up after the usual 20 s), and closes
 * it to stop at once, even when the server no longer answers.
 */
final class IdleSocket {

    private volatile Socket socket;
    private volatile boolean closed;

    void readTimeout(long millis) throws IOException {
        Socket s = socket;
        if (s != null) {
            s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, millis));
        }
    }

    void close() {
        closed = true;
        closeQuietly(socket);
    }

    private Socket keep(Socket s) {
        socket = s;
        if (closed) {
            closeQuietly(s); // closed before it was made: the connection fails at once
        }
        return s;
    }

    private static void closeQuietly(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // closed is closed
            }
        }
    }

    /** For plain IMAP and the connection STARTTLS upgrades (the TLS layer reads through it). */
    SocketFactory plain() {
        return new SocketFactory() {
            @Override
            public Socket createSocket() {
                return keep(new Socket());
            }

            @Override
            public Socket createSocket(String host, int port) throws IOException {
                return keep(new Socket(host, port));
            }

            @Override
            public Socket createSocket(String host, int port, InetAddress local, int localPort) throws IOException {
                return keep(new Socket(host, port, local, localPort));
            }

            @Override
            public Socket createSocket(InetAddress host, int port) throws IOException {
                return keep(new Socket(host, port));
            }

            @Override
            public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort)
                    throws IOException {
                return keep(new Socket(host, port, local, localPort));
            }
        };
    }

    /** For IMAPS: TLS from the first byte, with the same trust as every other connection. */
    SSLSocketFactory tls(SSLSocketFactory trust) {
        return new SocketWrappingFactory(trust, this::keep);
    }
}
