package com.dooneflow.connector.email.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import javax.mail.Message;
import javax.mail.MessagingException;
import javax.mail.Multipart;
import javax.mail.Part;
import javax.mail.internet.AddressException;
import javax.mail.internet.ContentType;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeUtility;

/**
 * Reads the parts of an email a workflow uses: sender, recipients, subject (RFC 2047 encoded words decoded),
 * the text and HTML bodies of single-part or multipart (alternative, mixed, related) messages, in the charset each
 * part declares. An unknown charset is read as UTF-8 (or Windows-1252 when that fails) with a warning; a body that
 * cannot be taken apart at all is {@link Malformed}.
 */
final class EmailParser {

    /** The message cannot be read; {@code reason} says why, for the Events page. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String reason, Throwable cause) {
            super(reason, cause);
        }
    }

    /** Text kept per body: a workflow never needs more, and the trigger data stays a sensible size. */
    static final int MAX_BODY_CHARS = 512 * 1024;
    private static final int MAX_DEPTH = 10;
    private static final Pattern BLOCK_END = Pattern.compile("(?i)<br\\s*/?>|</p>|</div>|</tr>|</h[1-6]>|</li>");
    private static final Pattern INVISIBLE = Pattern.compile("(?is)<(script|style|head)[^>]*>.*?</\\1>");
    private static final Pattern TAG = Pattern.compile("(?s)<[^>]*>");

    private EmailParser() {
    }

    /** Sender, recipients, subject and Message-ID only: cheap, for filtering before the body is fetched. */
    static ParsedEmail headers(Message message) throws Malformed {
        try {
            InternetAddress from = first(header(message, "From"));
            List<String> to = new ArrayList<>();
            for (InternetAddress a : addresses(header(message, "To"))) {
                to.add(a.getAddress());
            }
            String subject = decode(header(message, "Subject"));
            String messageId = header(message, "Message-ID");
            Date sent = message.getSentDate();
            return new ParsedEmail(messageId == null ? null : messageId.trim(),
                    from == null ? null : from.getAddress(), from == null ? null : blankToNull(from.getPersonal()),
                    to, subject, null, null, sent == null ? null : sent.toInstant().toString(), List.of());
        } catch (MessagingException e) {
            throw new Malformed("its headers cannot be read: " + e.getMessage(), e);
        }
    }

    /** Headers plus bodies. */
    static ParsedEmail parse(Message message) throws Malformed {
        ParsedEmail head = headers(message);
        Bodies bodies = new Bodies();
        try {
            walk(message, bodies, 0);
        } catch (MessagingException | IOException e) {
            throw new Malformed("its MIME structure is broken (" + e.getMessage() + ")", e);
        }
        String text = bodies.text;
        if (text == null && bodies.html != null) {
            text = htmlToText(bodies.html);
        }
        return new ParsedEmail(head.messageId(), head.fromAddress(), head.fromName(), head.to(), head.subject(),
                cap(text), cap(bodies.html), head.date(), List.copyOf(bodies.warnings));
    }

    private static final class Bodies {
        String text;
        String html;
        final List<String> warnings = new ArrayList<>();
    }

    private static void walk(Part part, Bodies bodies, int depth) throws MessagingException, IOException {
        if (depth > MAX_DEPTH) {
            throw new MessagingException("parts nested more than " + MAX_DEPTH + " deep");
        }
        if (Part.ATTACHMENT.equalsIgnoreCase(disposition(part))) {
            return;
        }
        if (part.isMimeType("multipart/*")) {
            Object content = part.getContent();
            if (!(content instanceof Multipart multipart)) {
                throw new MessagingException("a multipart without parts");
            }
            for (int i = 0; i < multipart.getCount(); i++) {
                walk(multipart.getBodyPart(i), bodies, depth + 1);
            }
        } else if (part.isMimeType("text/plain") && bodies.text == null) {
            bodies.text = text(part, bodies.warnings);
        } else if (part.isMimeType("text/html") && bodies.html == null) {
            bodies.html = text(part, bodies.warnings);
        }
        // anything else (images, attachments, message/rfc822) is not part of the body
    }

    /** A text part in its declared charset; the transfer encoding is already undone by getInputStream. */
    private static String text(Part part, List<String> warnings) throws MessagingException, IOException {
        byte[] bytes;
        try (InputStream in = part.getInputStream()) {
            bytes = readCapped(in);
        }
        String declared = charset(part);
        if (declared == null) {
            return decodeStrict(bytes, StandardCharsets.UTF_8).orElseGet(
                    () -> new String(bytes, Charset.forName("windows-1252")));
        }
        String javaName = MimeUtility.javaCharset(declared);
        Charset charset = null;
        try {
            charset = Charset.forName(javaName);
        } catch (IllegalArgumentException e) {
            // unknown or illegal name: fall through to the fallback below
        }
        if (charset != null) {
            return new String(bytes, charset);
        }
        var utf8 = decodeStrict(bytes, StandardCharsets.UTF_8);
        String used = utf8.isPresent() ? "UTF-8" : "Windows-1252";
        warnings.add("unknown charset '" + declared + "': the body was read as " + used);
        return utf8.orElseGet(() -> new String(bytes, Charset.forName("windows-1252")));
    }

    private static java.util.Optional<String> decodeStrict(byte[] bytes, Charset charset) {
        try {
            return java.util.Optional.of(charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return java.util.Optional.empty();
        }
    }

    private static byte[] readCapped(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int limit = MAX_BODY_CHARS * 4;
        int n;
        while ((n = in.read(buffer)) > 0 && out.size() < limit) {
            out.write(buffer, 0, Math.min(n, limit - out.size()));
        }
        return out.toByteArray();
    }

    private static String charset(Part part) {
        try {
            String value = new ContentType(part.getContentType()).getParameter("charset");
            return value == null || value.isBlank() ? null : value.trim();
        } catch (MessagingException e) {
            return null; // a broken Content-Type: guess below
        }
    }

    private static String disposition(Part part) {
        try {
            return part.getDisposition();
        } catch (MessagingException e) {
            return null;
        }
    }

    private static String header(Message message, String name) throws MessagingException {
        String[] values = message.getHeader(name);
        return values == null || values.length == 0 ? null : values[0];
    }

    /** RFC 2047 encoded words decoded; left as they are when a charset is unknown. */
    static String decode(String raw) {
        if (raw == null) {
            return null;
        }
        String unfolded = MimeUtility.unfold(raw);
        try {
            return MimeUtility.decodeText(unfolded);
        } catch (java.io.UnsupportedEncodingException e) {
            return unfolded;
        }
    }

    private static InternetAddress first(String raw) {
        List<InternetAddress> list = addresses(raw);
        return list.isEmpty() ? null : list.get(0);
    }

    /** Addresses parsed leniently: a sloppy header yields what can be read rather than nothing. */
    private static List<InternetAddress> addresses(String raw) {
        if (raw == null || raw.isBlank()) {
            return List.of();
        }
        try {
            List<InternetAddress> result = new ArrayList<>();
            for (InternetAddress a : InternetAddress.parseHeader(MimeUtility.unfold(raw), false)) {
                if (a.getAddress() != null && !a.getAddress().isBlank()) {
                    result.add(a);
                }
            }
            return result;
        } catch (AddressException e) {
            return List.of();
        }
    }

    static String htmlToText(String html) {
        String s = INVISIBLE.matcher(html).replaceAll("");
        s = BLOCK_END.matcher(s).replaceAll("\n");
        s = TAG.matcher(s).replaceAll("");
        s = s.replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&#39;", "'").replace("&amp;", "&");
        return s.replaceAll("[ \\t\\x0B\\f\\r]+", " ").replaceAll(" *\n *", "\n").replaceAll("\n{3,}", "\n\n").trim();
    }

    private static String cap(String s) {
        return s == null || s.length() <= MAX_BODY_CHARS ? s : s.substring(0, MAX_BODY_CHARS);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }
}
