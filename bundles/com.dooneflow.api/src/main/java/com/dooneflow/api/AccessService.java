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
}
