package com.dooneflow.api;

/**
 * The result of adding a member. {@code token} is a new API token for that user, shown this once; it is
 * issued only when the user did not exist before, and it is scoped to the organization that added them.
 */
public record AddedMember(Member member, IssuedToken token) {
}
