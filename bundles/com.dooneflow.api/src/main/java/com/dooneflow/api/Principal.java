package com.dooneflow.api;

/**
 * Who is calling. A token-scoped principal ({@code scopeOrganizationId} set) may only act in that
 * organization. {@link #SYSTEM} is the console administrator, who may do everything.
 */
public record Principal(String userId, String email, String tokenId, String scopeOrganizationId, boolean system) {

    public static final Principal SYSTEM = new Principal(null, "system", null, null, true);

    public static Principal user(String userId, String email, String tokenId, String scopeOrganizationId) {
        return new Principal(userId, email, tokenId, scopeOrganizationId, false);
    }
}
