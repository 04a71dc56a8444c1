package com.dooneflow.api;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** Users, their passwords and their API tokens. */
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

    /** Whether the caller's user has a console password (a user made by a token or an invitation may not yet). */
    boolean hasPassword(Principal caller);

    /**
     * Sets the caller's console password. A user who has one must give it as {@code currentPassword} (missing or
     * wrong: {@link ValidationException} on {@code currentPassword}); a user who has none sets the first one signed
     * in by their API token, with no current password. The new one must follow the password policy (at least 12
     * characters, not the email): {@link ValidationException} on {@code password}. Ends all the user's console
     * sessions (a console signs in again with the new password).
     */
    void setPassword(Principal caller, String currentPassword, String newPassword);
}
