package com.dooneflow.rest.internal;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.mail.Message;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.Transport;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the console's emails (invitation links, password reset links) through the installation's SMTP server
 * ({@link MailSettings}). Without one configured nothing is sent and the console shows the link to pass on instead.
 * Plain-text mails only; the recipient and the link are never logged.
 */
@Component(service = Mailer.class, configurationPid = "com.dooneflow", configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class Mailer {

    private static final Logger LOG = LoggerFactory.getLogger(Mailer.class);
    private static final String TIMEOUT_MILLIS = "15000";

    private final MailSettings settings;
    /** For mails whose sending must not show in the answer's timing ("Forgot password?"). */
    private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "dooneflow-mail");
        t.setDaemon(true);
        return t;
    });

    @Activate
    public Mailer(Map<String, Object> config) {
        this(MailSettings.of(config, System.getenv()));
        if (settings.host() != null && settings.publicUrl() == null) {
            LOG.warn("An SMTP server is configured but DOONEFLOW_PUBLIC_URL (publicUrl) is not: mails would carry "
                    + "links to nowhere, so none are sent");
        }
    }

    Mailer(MailSettings settings) {
        this.settings = settings;
    }

    @Deactivate
    void close() {
        background.shutdownNow();
    }

    boolean enabled() {
        return settings.enabled();
    }

    /** A console link under the public URL, e.g. {@code /sign-in#reset=…}. */
    String link(String path) {
        return settings.publicUrl() + path;
    }

    /** Sends now; false (the reason logged) when it could not. */
    boolean send(String to, String subject, String text) {
        if (!enabled()) {
            return false;
        }
        // javax.mail and javax.activation find their providers and handlers through the context class loader.
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(Session.class.getClassLoader());
        try {
            Session session = Session.getInstance(properties());
            MimeMessage message = new MimeMessage(session);
            message.setFrom(new InternetAddress(settings.from()));
            message.setRecipient(Message.RecipientType.TO, new InternetAddress(to, true));
            message.setSubject(subject, "UTF-8");
            message.setText(text, "UTF-8");
            if (settings.user() != null) {
                Transport.send(message, settings.user(), settings.password());
            } else {
                Transport.send(message);
            }
            return true;
        } catch (MessagingException | RuntimeException e) {
            LOG.warn("A mail could not be sent through {}:{}: {}", settings.host(), settings.port(), e.getMessage());
            return false;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** Runs mail work in the background: the caller answers the same whether or not, and however long, it takes. */
    void later(Runnable work) {
        if (enabled()) {
            background.execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    LOG.warn("Mail work failed: {}", e.getMessage());
                }
            });
        }
    }

    private Properties properties() {
        Properties p = new Properties();
        p.put("mail.transport.protocol", "smtp");
        p.put("mail.smtp.host", settings.host());
        p.put("mail.smtp.port", String.valueOf(settings.port()));
        p.put("mail.smtp.auth", String.valueOf(settings.user() != null));
        p.put("mail.smtp.starttls.enable", String.valueOf(settings.startTls()));
        p.put("mail.smtp.starttls.required", String.valueOf(settings.startTls()));
        p.put("mail.smtp.ssl.checkserveridentity", "true");
        p.put("mail.smtp.connectiontimeout", TIMEOUT_MILLIS);
        p.put("mail.smtp.timeout", TIMEOUT_MILLIS);
        p.put("mail.smtp.writetimeout", TIMEOUT_MILLIS);
        return p;
    }
}
