package com.dooneflow.api;

/**
 * A stored secret that this node cannot read: the data key that encrypted it is unknown here or this node's master
 * key cannot unwrap it, or the stored value was altered. The message says which, and never holds secret or key
 * material. It is the node's condition, not the caller's fault: REST answers 503, a step is retried.
 */
public class SecretUnavailableException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public SecretUnavailableException(String message) {
        super(message);
    }
}
