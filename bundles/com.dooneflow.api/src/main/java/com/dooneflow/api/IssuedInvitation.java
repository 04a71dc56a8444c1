package com.dooneflow.api;

/**
 * A new invitation with its accept token, which is shown once and stored only as a hash. The inviter passes the
 * token on to the invited person. The same answer whether or not the email already has an account.
 */
public record IssuedInvitation(Invitation invitation, String acceptToken) {
    @Override
    public String toString() {
        return "IssuedInvitation[" + invitation + ", acceptToken=***]";
    }
}
