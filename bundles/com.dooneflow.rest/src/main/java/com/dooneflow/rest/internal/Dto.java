package com.dooneflow.rest.internal;

import java.time.Instant;
import java.util.List;

import com.dooneflow.api.ApiToken;
import com.dooneflow.api.IssuedToken;
import com.dooneflow.api.Member;
import com.dooneflow.api.Role;

/** Request and response bodies that differ from the API's own records. */
final class Dto {

    private Dto() {
    }

    record NameBody(String name) {
    }

    record AddMemberBody(String email, String role) {
    }

    record RoleBody(String role) {
    }

    record Items<T>(List<T> items, String nextCursor) {
        static <T> Items<T> of(List<T> items) {
            return new Items<>(items, null);
        }
    }

    /** A token with its secret in {@code token}: the only time it is shown. */
    record NewToken(String id, String name, String prefix, String organizationId, Instant createdAt, String token) {
        static NewToken of(IssuedToken t) {
            ApiToken a = t.token();
            return new NewToken(a.id(), a.name(), a.prefix(), a.organizationId(), a.createdAt(), t.secret());
        }
    }

    /** An added member; {@code token} is set only for a user who did not exist before. */
    record AddedMemberBody(String userId, String email, Role role, Instant addedAt, String token, String tokenId) {
        static AddedMemberBody of(Member m, IssuedToken t) {
            return new AddedMemberBody(m.userId(), m.email(), m.role(), m.addedAt(), t == null ? null : t.secret(),
                    t == null ? null : t.token().id());
        }
    }
}
