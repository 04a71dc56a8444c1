package com.dooneflow.rest.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import javax.annotation.security.PermitAll;
import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.dooneflow.api.PasswordResetService;
import com.dooneflow.api.ValidationException;
import com.dooneflow.api.rest.DooneFlowResource;
import com.dooneflow.api.security.AuthFailureLimiter;

/**
 * {@code /v1/password-reset}: the person's side of a password reset. {@code POST} sets a new password with the reset
 * secret from the link; {@code POST .../request} ("Forgot password?") emails a link when mail is configured, and
 * answers the same whether or not the address has an account — the mail leaves in the background, so not even the
 * answer's timing tells. Requests are limited per address and per email (over the limit nothing is sent).
 * {@code GET} says whether reset links can be emailed. Owners and admins make reset links for members under
 * {@code /v1/organizations/{orgId}/members/{userId}/password-reset}.
 */
@Component(service = PasswordResetResource.class)
@DooneFlowResource
@Path("v1/password-reset")
@Produces(MediaType.APPLICATION_JSON)
public class PasswordResetResource {

    /** Reset mails per email and per client address in {@link #WINDOW}. */
    static final int PER_EMAIL = 3;
    static final int PER_ADDRESS = 10;
    static final Duration WINDOW = Duration.ofMinutes(15);

    private final PasswordResetService resets;
    private final Mailer mailer;
    final AuthFailureLimiter byEmail;
    final AuthFailureLimiter byAddress;

    /** CXF injects a proxy to the current request: the client address. */
    @Context
    HttpServletRequest servletRequest;

    @Activate
    public PasswordResetResource(@Reference PasswordResetService resets, @Reference Mailer mailer) {
        this(resets, mailer, Clock.systemUTC());
    }

    PasswordResetResource(PasswordResetService resets, Mailer mailer, Clock clock) {
        this.resets = resets;
        this.mailer = mailer;
        this.byEmail = new AuthFailureLimiter(PER_EMAIL, WINDOW, AuthFilter.MAX_KEYS, clock);
        this.byAddress = new AuthFailureLimiter(PER_ADDRESS, WINDOW, AuthFilter.MAX_KEYS, clock);
    }

    @GET
    @PermitAll
    public Map<String, Object> settings() {
        return Map.of("emailEnabled", mailer.enabled());
    }

    @POST
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    public Response reset(Dto.PasswordResetBody body) {
        if (body == null || body.token() == null || body.token().isBlank()) {
            throw ValidationException.of("token", "is required");
        }
        resets.reset(body.token().trim(), body.password());
        return Response.noContent().build();
    }

    @POST
    @PermitAll
    @Path("request")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response request(Dto.PasswordResetRequestBody body) {
        String email = body == null || body.email() == null ? "" : body.email().trim().toLowerCase(Locale.ROOT);
        if (email.isEmpty()) {
            throw ValidationException.of("email", "is required");
        }
        if (email.length() > SessionResource.MAX_EMAIL) {
            throw ValidationException.of("email", "is longer than any email address");
        }
        if (!mailer.enabled()) {
            return Problem.response(409, "mail-not-configured", "Conflict", "This installation sends no email: ask "
                    + "an owner or admin of your organization for a password reset link.");
        }
        boolean limited = byAddress.fail(AuthFailureLimiter.addressKey(AuthFilter.clientAddress(servletRequest)))
                .limited() | byEmail.fail(email).limited();
        if (!limited) {
            // Looked up and sent in the background: the answer is the same, and as quick, for any address.
            mailer.later(() -> resets.createForEmail(email).ifPresent(r -> {
                Mails.Mail mail = Mails.passwordReset(r.email(), mailer.link("/sign-in#reset=" + r.token()),
                        r.expiresAt());
                mailer.send(r.email(), mail.subject(), mail.text());
            }));
        }
        return Response.accepted(Map.of("detail", "If an account has this email, a link to reset its password is on "
                + "its way. It works once, for one hour.")).build();
    }
}
