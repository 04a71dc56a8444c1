package com.dooneflow.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.ws.rs.core.Response;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.dooneflow.api.Invitation;
import com.dooneflow.api.InvitationService;
import com.dooneflow.api.InvitationStatus;
import com.dooneflow.api.IssuedInvitation;
import com.dooneflow.api.OrganizationService;
import com.dooneflow.api.PasswordResetService;
import com.dooneflow.api.Principal;
import com.dooneflow.api.Role;
import com.dooneflow.api.ValidationException;
import com.dooneflow.testing.MutableClock;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;

import jakarta.mail.internet.MimeMessage;

/**
 * Invitation and password reset links by email, through javax.mail to GreenMail's SMTP server (a real one in the
 * JVM, with authentication): what arrives, when nothing is sent, and that "Forgot password?" answers alike for every
 * address.
 */
class MailDeliveryTest {

    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
    private static final Principal BOB = Principal.user("bob-id", "bob@example.com", "bob-token-id", null);
    private static final String PUBLIC_URL = "https://flow.example.com";

    private GreenMail smtp;
    private Mailer mailer;
    private final RecordingResets resets = new RecordingResets();

    @BeforeEach
    void start() {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
                .withConfiguration(GreenMailConfiguration.aConfig().withUser("dooneflow", "smtp secret"));
        smtp.start();
        mailer = new Mailer(MailSettings.of(Map.of("smtp.host", "127.0.0.1",
                "smtp.port", String.valueOf(smtp.getSmtp().getPort()), "smtp.user", "dooneflow",
                ".smtp.password", "smtp secret", "smtp.from", "DooneFlow <flow@example.com>", "smtp.starttls", "false",
                "publicUrl", PUBLIC_URL + "/"), Map.of()));
    }

    @AfterEach
    void stop() {
        mailer.close();
        smtp.stop();
    }

    @Test
    void settingsComeFromTheEnvironmentFirstAndMailNeedsAServerASenderAndThePublicUrl() {
        MailSettings s = MailSettings.of(Map.of("smtp.host", "mail.internal", "smtp.from", "a@b.c", "publicUrl", "x"),
                Map.of("DOONEFLOW_SMTP_HOST", "smtp.example.com", "DOONEFLOW_SMTP_PASSWORD", "pw"));
        assertThat(s.host()).isEqualTo("smtp.example.com");
        assertThat(s.port()).isEqualTo(587);
        assertThat(s.startTls()).as("on unless turned off").isTrue();
        assertThat(s.password()).isEqualTo("pw");
        assertThat(s.toString()).doesNotContain("pw");
        assertThat(s.enabled()).isTrue();
        assertThat(MailSettings.of(Map.of("smtp.host", "h", "smtp.from", "a@b.c"), Map.of()).enabled())
                .as("no public URL: the links would point nowhere").isFalse();
        assertThat(MailSettings.of(Map.of("publicUrl", "x"), Map.of()).enabled()).isFalse();
        assertThatThrownBy(() -> MailSettings.of(Map.of("smtp.port", "25x"), Map.of()))
                .hasMessageContaining("DOONEFLOW_SMTP_PORT");
        assertThat(new Mailer(MailSettings.of(Map.of(), Map.of())).send("ann@example.com", "s", "t"))
                .as("nothing is sent without a server").isFalse();
    }

    @Test
    void anInvitationIsEmailedWithItsLinkAndTheAnswerSaysSo() throws Exception {
        OrganizationResource resource = new OrganizationResource(managing(), invitations(), resets, mailer);

        Response response = resource.addMember(new Caller(BOB), "org-1", new Dto.AddMemberBody("ann@example.com", "admin"));

        assertThat(response.getStatus()).isEqualTo(201);
        assertThat(((Dto.NewInvitation) response.getEntity()).emailed()).isTrue();
        MimeMessage mail = only();
        assertThat(mail.getAllRecipients()[0].toString()).isEqualTo("ann@example.com");
        assertThat(mail.getFrom()[0].toString()).contains("flow@example.com");
        assertThat(mail.getSubject()).isEqualTo("You are invited to Acme on DooneFlow");
        assertThat(GreenMailUtil.getBody(mail)).contains("bob@example.com invited you to join Acme on DooneFlow as admin")
                .contains(PUBLIC_URL + "/sign-in#invitation=dfi_secret");
    }

    @Test
    void anAdminsResetLinkIsEmailedToTheMember() throws Exception {
        OrganizationResource resource = new OrganizationResource(managing(), invitations(), resets, mailer);

        Response response = resource.resetPassword(new Caller(BOB), "org-1", "ann-id");

        Dto.NewPasswordReset answer = (Dto.NewPasswordReset) response.getEntity();
        assertThat(response.getStatus()).isEqualTo(201);
        assertThat(answer.emailed()).isTrue();
        assertThat(answer.resetToken()).isEqualTo("dfr_for_ann-id");
        assertThat(answer.toString()).doesNotContain(answer.resetToken());
        assertThat(resets.calls).containsExactly("create bob@example.com org-1 ann-id");
        MimeMessage mail = only();
        assertThat(mail.getSubject()).isEqualTo("Reset your DooneFlow password");
        assertThat(GreenMailUtil.getBody(mail)).contains(PUBLIC_URL + "/sign-in#reset=dfr_for_ann-id");
    }

    @Test
    void withoutMailTheLinksAreOnlyInTheAnswer() {
        Mailer off = new Mailer(MailSettings.of(Map.of(), Map.of()));
        OrganizationResource resource = new OrganizationResource(managing(), invitations(), resets, off);

        Response invited = resource.addMember(new Caller(BOB), "org-1", new Dto.AddMemberBody("ann@example.com", "member"));
        Response reset = resource.resetPassword(new Caller(BOB), "org-1", "ann-id");

        assertThat(((Dto.NewInvitation) invited.getEntity()).emailed()).isFalse();
        assertThat(((Dto.NewPasswordReset) reset.getEntity()).emailed()).isFalse();
        assertThat(((Dto.NewPasswordReset) reset.getEntity()).resetToken()).isEqualTo("dfr_for_ann-id");
        assertThat(smtp.getReceivedMessages()).isEmpty();
        assertThat(new PasswordResetResource(resets, off).request(new Dto.PasswordResetRequestBody("ann@example.com"))
                .getStatus()).as("\"Forgot password?\" cannot send anything").isEqualTo(409);
    }

    @Test
    void forgotPasswordAnswersAlikeForEveryAddressAndMailsOnlyAnAccountsOwner() throws Exception {
        PasswordResetResource resource = new PasswordResetResource(resets, mailer, new MutableClock(NOW));

        Response unknown = resource.request(new Dto.PasswordResetRequestBody("nobody@example.com"));
        Response known = resource.request(new Dto.PasswordResetRequestBody(" Ann@Example.com "));

        assertThat(unknown.getStatus()).isEqualTo(202);
        assertThat(known.getStatus()).isEqualTo(202);
        assertThat(unknown.getEntity()).isEqualTo(known.getEntity());
        MimeMessage mail = only(); // the one-thread sender took the unknown address first: it sent nothing
        assertThat(mail.getAllRecipients()[0].toString()).isEqualTo("ann@example.com");
        assertThat(GreenMailUtil.getBody(mail)).contains(PUBLIC_URL + "/sign-in#reset=dfr_for_ann@example.com");
        assertThat(resource.settings()).isEqualTo(Map.of("emailEnabled", true));
    }

    @Test
    void forgotPasswordSendsAtMostThreeMailsPerAddressIn15Minutes() throws Exception {
        PasswordResetResource resource = new PasswordResetResource(resets, mailer, new MutableClock(NOW));

        for (int i = 0; i < 5; i++) {
            assertThat(resource.request(new Dto.PasswordResetRequestBody("ann@example.com")).getStatus()).isEqualTo(202);
        }
        resource.request(new Dto.PasswordResetRequestBody("zed@example.com")); // a marker: sent once the others were

        assertThat(smtp.waitForIncomingEmail(10_000, 4)).isTrue();
        assertThat(smtp.getReceivedMessages()).extracting(m -> m.getAllRecipients()[0].toString())
                .containsExactly("ann@example.com", "ann@example.com", "ann@example.com", "zed@example.com");
    }

    @Test
    void settingTheNewPasswordPassesTheSecretOnAndNeedsOne() {
        PasswordResetResource resource = new PasswordResetResource(resets, mailer, new MutableClock(NOW));

        assertThat(resource.reset(new Dto.PasswordResetBody(" dfr_abc ", "a new long password")).getStatus())
                .isEqualTo(204);
        assertThat(resets.calls).containsExactly("reset dfr_abc");
        assertThatThrownBy(() -> resource.reset(new Dto.PasswordResetBody(null, "x")))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> resource.request(new Dto.PasswordResetRequestBody(" ")))
                .isInstanceOf(ValidationException.class);
    }

    private MimeMessage only() {
        assertThat(smtp.waitForIncomingEmail(10_000, 1)).as("a mail arrived").isTrue();
        assertThat(smtp.getReceivedMessages()).hasSize(1);
        return smtp.getReceivedMessages()[0];
    }

    private static OrganizationService managing() {
        return (OrganizationService) Proxy.newProxyInstance(MailDeliveryTest.class.getClassLoader(),
                new Class<?>[] {OrganizationService.class}, (p, m, args) -> {
                    if (m.getName().equals("requireRole")) {
                        return Role.OWNER;
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }

    private static InvitationService invitations() {
        return (InvitationService) Proxy.newProxyInstance(MailDeliveryTest.class.getClassLoader(),
                new Class<?>[] {InvitationService.class}, (p, m, args) -> {
                    if (m.getName().equals("invite")) {
                        return new IssuedInvitation(new Invitation("inv-1", "org-1", "Acme", (String) args[2],
                                (Role) args[3], InvitationStatus.PENDING, "bob@example.com", NOW,
                                NOW.plusSeconds(7 * 24 * 3600)), "dfi_secret");
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }

    /** Known accounts: ann and zed; every call recorded. */
    private static final class RecordingResets implements PasswordResetService {
        final List<String> calls = new ArrayList<>();

        @Override
        public IssuedReset create(Principal caller, String orgId, String userId) {
            calls.add("create " + caller.email() + " " + orgId + " " + userId);
            return new IssuedReset(userId, "ann@example.com", "dfr_for_" + userId, NOW.plus(VALIDITY));
        }

        @Override
        public Optional<IssuedReset> createForEmail(String email) {
            return List.of("ann@example.com", "zed@example.com").contains(email)
                    ? Optional.of(new IssuedReset("id", email, "dfr_for_" + email, NOW.plus(VALIDITY)))
                    : Optional.empty();
        }

        @Override
        public void reset(String token, String newPassword) {
            calls.add("reset " + token);
        }
    }
}
