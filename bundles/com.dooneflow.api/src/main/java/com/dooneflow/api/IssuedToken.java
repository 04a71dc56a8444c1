package com.dooneflow.api;

/** A freshly created token with its secret, which is shown once and stored only as a hash. */
public record IssuedToken(ApiToken token, String secret) {
    @Override
    public String toString() {
        return "IssuedToken[" + token + ", secret=***]";
    }
}
