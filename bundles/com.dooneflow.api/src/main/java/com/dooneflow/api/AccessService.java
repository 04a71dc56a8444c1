package com.dooneflow.api;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** Users and their API tokens. */
@ProviderType
public interface AccessService {

    /** The principal a bearer token stands for, if the token exists and is not revoked. Constant-time by hash lookup. */
    Optional<Principal> authenticate(String bearerToken);

    User me(Principal caller);

    IssuedToken createToken(Principal caller, String name);

    List<ApiToken> listTokens(Principal caller);

    /** Revokes one of the caller's own tokens; another user's token is reported as not found. */
    void revokeToken(Principal caller, String tokenId);

    /** Console: tokens of any user, by email. */
    IssuedToken createTokenFor(String email, String name);

    /** Console: revokes any token by id. */
    void revokeAnyToken(String tokenId);

    List<User> listUsers();

    /**
     * Whether the caller may act as an installation administrator: the console always; a user with the flag through
     * a token that is not scoped to one organization (such a token acts in that organization only).
     */
    boolean isInstallationAdmin(Principal caller);

    /**
     * Console: makes the user with this email an installation administrator or no longer one. Refuses (409) to
     * revoke the last installation administrator, so the installation is never left without one.
     */
    User setInstallationAdmin(String email, boolean installationAdmin);
}
