package com.dooneflow.connector.email.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;

class EmailParserTest {

    static MimeMessage message(String raw) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(raw.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void multipartAlternativeGivesBothBodiesInTheirCharsetsAndDecodedHeaders() throws Exception {
        ParsedEmail email = EmailParser.parse(message(ParsingSamples.ALTERNATIVE));

        assertThat(email.subject()).isEqualTo("Grüße aus Köln – Anfrage");
        assertThat(email.fromAddress()).isEqualTo("jose@example.org");
        assertThat(email.fromName()).isEqualTo("José Müller");
        assertThat(email.to()).containsExactly("support@example.com");
        assertThat(email.messageId()).isEqualTo("<alt-1@example.org>");
        assertThat(email.text()).isEqualTo("Grüße, die Straße");
        assertThat(email.html()).isEqualTo("<p><b>Grüße</b> aus Köln</p>");
        assertThat(email.date()).isEqualTo("2026-11-27T09:00:00Z");
        assertThat(email.warnings()).isEmpty();
    }

    @Test
    void anHtmlOnlyEmailGetsATextBodyAndAttachmentsAreNotTheBody() throws Exception {
        ParsedEmail email = EmailParser.parse(message(ParsingSamples.HTML_ONLY_WITH_ATTACHMENT));

        assertThat(email.html()).contains("<p>Thanks &amp; bye</p>");
        assertThat(email.text()).isEqualTo("Thanks & bye\nLineé");
        assertThat(email.to()).containsExactly("a@example.com", "b@example.com");
        assertThat(email.fromName()).isNull();
    }

    @Test
    void anUnknownCharsetIsReadAsUtf8WithAWarning() throws Exception {
        ParsedEmail email = EmailParser.parse(message(ParsingSamples.UNKNOWN_CHARSET));

        assertThat(email.text()).isEqualTo("plain words\r\n");
        assertThat(email.warnings()).singleElement().asString().contains("x-klingon-42").contains("UTF-8");
    }

    @Test
    void aMultipartWithoutItsBoundaryIsMalformed() throws Exception {
        assertThatThrownBy(() -> EmailParser.parse(message(ParsingSamples.BROKEN_MULTIPART)))
                .isInstanceOf(EmailParser.Malformed.class).hasMessageContaining("MIME structure is broken");
    }

    @Test
    void theTriggerDataHasEveryVariableOfTheGuide() throws Exception {
        Inbox inbox = new Inbox("i1", "o1", "support@example.com", "h", 993, Inbox.Security.SSL, "u", 60, true, true,
                1, null, null, 0, Inbox.MODE_POLL, null, true, null, null, Inbox.Auth.PASSWORD);
        var data = EmailParser.parse(message(ParsingSamples.ALTERNATIVE)).data(inbox);

        assertThat(data).containsKeys("email_from", "email_to", "email_subject", "email_body", "email_body_html",
                "contact_email", "contact_name");
        assertThat(data).containsEntry("contact_name", "José Müller").containsEntry("email_inbox_id", "i1");
    }
}
