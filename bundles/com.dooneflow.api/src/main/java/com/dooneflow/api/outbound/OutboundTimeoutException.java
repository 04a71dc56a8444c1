package com.dooneflow.api.outbound;

import java.net.SocketTimeoutException;

/**
 * An outbound exchange ran out of time. When it ran out while {@linkplain #connecting() connecting}, nothing was
 * sent; otherwise the other side may have received the request and acted on it.
 */
public class OutboundTimeoutException extends SocketTimeoutException {

    private static final long serialVersionUID = 1L;

    private final boolean connecting;

    public OutboundTimeoutException(String message, boolean connecting) {
        super(message);
        this.connecting = connecting;
    }

    /** True when no connection was made in time, so the request cannot have arrived. */
    public boolean connecting() {
        return connecting;
    }
}
