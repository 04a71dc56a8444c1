package com.dooneflow.connector.email.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.function.UnaryOperator;

import javax.net.ssl.SSLSocketFactory;

/** A TLS socket factory that hands every socket it makes to {@code each} before javax.mail uses it. */
final class SocketWrappingFactory extends SSLSocketFactory {

    private final SSLSocketFactory delegate;
    private final UnaryOperator<Socket> each;

    SocketWrappingFactory(SSLSocketFactory delegate, UnaryOperator<Socket> each) {
        this.delegate = delegate;
        this.each = each;
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return delegate.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return delegate.getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket() throws IOException {
        return each.apply(delegate.createSocket());
    }

    @Override
    public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
        return each.apply(delegate.createSocket(s, host, port, autoClose));
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return each.apply(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress local, int localPort) throws IOException {
        return each.apply(delegate.createSocket(host, port, local, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return each.apply(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort) throws IOException {
        return each.apply(delegate.createSocket(host, port, local, localPort));
    }
}
