package com.dooneflow.rest.internal;

import java.time.Instant;
import java.util.List;

import com.dooneflow.api.AcceptedInvitation;
import com.dooneflow.api.ApiToken;
import com.dooneflow.api.Invitation;
import com.dooneflow.api.IssuedInvitation;
import com.dooneflow.api.IssuedToken;
import com.dooneflow.api.Member;
import com.dooneflow.api.Organization;

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

    /** The accept token and, for someone without an account, the password the new account signs in with. */
    record AcceptInvitationBody(String token, String password) {
        AcceptInvitationBody(String token) {
            this(token, null);
        }

        @Override
        public String toString() {
            return "AcceptInvitationBody[password hidden]";
        }
    }

    record SignInBody(String email, String password) {
        @Override
        public String toString() {
            return "SignInBody[" + email + ", password hidden]";
        }
    }

    /** {@code PUT /v1/me/password}: the current password (none for the first one) and the new one. */
    record PasswordBody(String currentPassword, String password) {
        @Override
        public String toString() {
            return "PasswordBody[hidden]";
        }
    }

    /** A new console session: who signed in, the CSRF token to repeat in {@code X-CSRF-Token}, its latest end. */
    record SessionBody(com.dooneflow.api.User user, String csrfToken, Instant expiresAt) {
    }

    /**
     * A new invitation and its accept token, shown this once: the answer to adding a member, alike whether or not
     * the email has an account.
     */
    record NewInvitation(Invitation invitation, String acceptToken, boolean emailed) {
        static NewInvitation of(IssuedInvitation issued) {
            return of(issued, false);
        }

        static NewInvitation of(IssuedInvitation issued, boolean emailed) {
            return new NewInvitation(issued.invitation(), issued.acceptToken(), emailed);
        }
    }

    /** A new password reset: its secret, shown this once, and whether it was emailed to the member. */
    record NewPasswordReset(String userId, String email, String resetToken, Instant expiresAt, boolean emailed) {
        @Override
        public String toString() {
            return "NewPasswordReset[" + userId + ", secret hidden]";
        }
    }

    /** Setting a new password with a reset secret. */
    record PasswordResetBody(String token, String password) {
        @Override
        public String toString() {
            return "PasswordResetBody[hidden]";
        }
    }

    /** "Forgot password?": the email to send a reset link to. */
    record PasswordResetRequestBody(String email) {
    }

    /** An accepted invitation; {@code token} is set only when a token was issued (see {@link AcceptedInvitation}). */
    record AcceptedInvitationBody(Organization organization, Member member, NewToken token) {
        static AcceptedInvitationBody of(AcceptedInvitation accepted) {
            return new AcceptedInvitationBody(accepted.organization(), accepted.member(),
                    accepted.token() == null ? null : NewToken.of(accepted.token()));
        }
    }
}
