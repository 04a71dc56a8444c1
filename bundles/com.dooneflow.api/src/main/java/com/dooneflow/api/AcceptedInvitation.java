package com.dooneflow.api;

/**
 * An accepted invitation: the organization joined (with the new member's role) and the membership. {@code token}
 * is a new API token limited to that organization, shown this once; it is issued only when accepting created the
 * account, or when the accepting user's own token is limited to another organization. Otherwise null.
 */
public record AcceptedInvitation(Organization organization, Member member, IssuedToken token) {
}
