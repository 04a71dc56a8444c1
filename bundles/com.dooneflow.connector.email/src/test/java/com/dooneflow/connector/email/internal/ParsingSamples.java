package com.dooneflow.connector.email.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Raw emails as mail servers store them (ISO-8859-1 here stands for "bytes as they are"). */
final class ParsingSamples {

    private ParsingSamples() {
    }

    private static String base64(String text) {
        return Base64.getMimeEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** multipart/alternative: ISO-8859-1 quoted-printable text, UTF-8 base64 HTML, RFC 2047 encoded headers. */
    static final String ALTERNATIVE = "From: =?UTF-8?Q?Jos=C3=A9_M=C3=BCller?= <jose@example.org>\r\n"
            + "To: Support <support@example.com>\r\n"
            + "Subject: =?UTF-8?B?" + Base64.getEncoder().encodeToString("Grüße aus Köln – Anfrage"
            .getBytes(StandardCharsets.UTF_8)) + "?=\r\n"
            + "Message-ID: <alt-1@example.org>\r\n"
            + "Date: Fri, 27 Nov 2026 10:00:00 +0100\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: multipart/alternative; boundary=\"b1\"\r\n\r\n"
            + "--b1\r\n"
            + "Content-Type: text/plain; charset=ISO-8859-1\r\n"
            + "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
            + "Gr=FC=DFe, die Stra=DFe\r\n"
            + "--b1\r\n"
            + "Content-Type: text/html; charset=UTF-8\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\n"
            + base64("<p><b>Grüße</b> aus Köln</p>") + "\r\n"
            + "--b1--\r\n";

    /** HTML only, in a mixed multipart with an attachment that is not the body. */
    static final String HTML_ONLY_WITH_ATTACHMENT = "From: shop@example.com\r\n"
            + "To: a@example.com, b@example.com\r\n"
            + "Subject: Order\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: multipart/mixed; boundary=\"m\"\r\n\r\n"
            + "--m\r\n"
            + "Content-Type: text/html; charset=windows-1252\r\n\r\n"
            + "<html><head><style>p{}</style></head><body><p>Thanks &amp; bye</p><p>Line\u00e9</p></body></html>\r\n"
            + "--m\r\n"
            + "Content-Type: text/plain; name=\"notes.txt\"\r\n"
            + "Content-Disposition: attachment; filename=\"notes.txt\"\r\n\r\n"
            + "not the body\r\n"
            + "--m--\r\n";

    /** A charset no JVM knows. */
    static final String UNKNOWN_CHARSET = "From: x@example.com\r\n"
            + "Subject: Odd\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=x-klingon-42\r\n\r\n"
            + "plain words\r\n";

    /** A multipart whose boundary never appears. */
    static final String BROKEN_MULTIPART = "From: a@example.org\r\n"
            + "Subject: Broken\r\n"
            + "Message-ID: <broken@example.org>\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: multipart/mixed; boundary=\"nope\"\r\n\r\n"
            + "this has no boundary lines at all\r\n";
}
