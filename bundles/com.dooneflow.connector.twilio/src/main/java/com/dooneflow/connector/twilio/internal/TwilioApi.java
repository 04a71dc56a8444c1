package com.dooneflow.connector.twilio.internal;

import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.twilio.http.TwilioRestClient;

/**
 * Where Twilio is and where Twilio reaches us: SDK clients for an organization's account, all sharing one HTTP
 * connection pool pointed at {@code DOONEFLOW_TWILIO_API_URL} (or {@code apiUrl}), and the status callback URLs
 * built on {@code DOONEFLOW_PUBLIC_URL} (or {@code publicUrl} of {@code com.dooneflow}). Environment variables win.
 * A configuration change re-creates this component, and with it the clients.
 */
@Component(service = TwilioApi.class, configurationPid = {"com.dooneflow", TwilioApi.PID},
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class TwilioApi {

    static final String PID = "com.dooneflow.connector.twilio";
    static final String API_URL_ENV = "DOONEFLOW_TWILIO_API_URL";
    static final String PUBLIC_URL_ENV = "DOONEFLOW_PUBLIC_URL";
    static final String DEFAULT_PUBLIC_URL = "http://localhost:8181";
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);
    private static final Logger LOG = LoggerFactory.getLogger(TwilioApi.class);

    /** {@code apiUrl} and {@code readTimeoutSeconds} in {@code etc/com.dooneflow.connector.twilio.cfg}; {@code publicUrl} in {@code etc/com.dooneflow.cfg}. */
    @ObjectClassDefinition(name = "DooneFlow Twilio connector")
    public @interface Config {
        @AttributeDefinition(description = "Twilio's REST API (DOONEFLOW_TWILIO_API_URL wins); a Twilio-compatible "
                + "endpoint or a local test double")
        String apiUrl() default BaseUrlHttpClient.DEFAULT_URL;

        @AttributeDefinition(description = "The base URL Twilio reaches DooneFlow on, for delivery status callbacks "
                + "(DOONEFLOW_PUBLIC_URL wins)")
        String publicUrl() default DEFAULT_PUBLIC_URL;

        @AttributeDefinition(description = "Seconds to wait for Twilio's answer before the attempt is retried")
        int readTimeoutSeconds() default 20;
    }

    private final BaseUrlHttpClient http;
    private final URI publicUrl;

    @Activate
    public TwilioApi(Config config) {
        this(firstSet(System.getenv(API_URL_ENV), config.apiUrl()),
                firstSet(System.getenv(PUBLIC_URL_ENV), config.publicUrl()),
                Duration.ofSeconds(Math.max(1, config.readTimeoutSeconds())));
    }

    TwilioApi(String apiUrl, String publicUrl, Duration readTimeout) {
        this(new BaseUrlHttpClient(apiUrl, readTimeout), publicUrl);
    }

    TwilioApi(BaseUrlHttpClient http, String publicUrl) {
        this.http = http;
        this.publicUrl = publicUrl(publicUrl);
        LOG.info("Twilio connector uses {} and receives delivery statuses on {}", http.baseUrl(), this.publicUrl);
    }

    @Deactivate
    void close() {
        try {
            http.close();
        } catch (java.io.IOException e) {
            LOG.debug("Closing the Twilio HTTP client", e);
        }
    }

    static String firstSet(String env, String config) {
        return env != null && !env.isBlank() ? env.trim() : config;
    }

    /** A client for one organization's account (cheap: the connection pool is shared). */
    TwilioRestClient client(TwilioAccount account) {
        return new TwilioRestClient.Builder(account.accountSid(), account.authToken()).httpClient(http).build();
    }

    URI apiUrl() {
        return http.baseUrl();
    }

    /**
     * The URL Twilio posts delivery statuses of one step's message to; empty when Twilio itself could not reach it
     * (the real Twilio with a loopback public URL: set DOONEFLOW_PUBLIC_URL).
     */
    Optional<String> statusCallbackUrl(String orgId, String executionId, int stepIndex) {
        if (http.baseUrl().toString().equals(BaseUrlHttpClient.DEFAULT_URL) && isLoopback(publicUrl.getHost())) {
            return Optional.empty();
        }
        return Optional.of(publicUrl + "/v1/twilio/status/" + segment(orgId) + "/" + segment(executionId) + "/"
                + stepIndex);
    }

    private static URI publicUrl(String text) {
        return BaseUrlHttpClient.parse(text == null || text.isBlank() ? DEFAULT_PUBLIC_URL : text, "the public URL");
    }

    private static boolean isLoopback(String host) {
        if ("localhost".equalsIgnoreCase(host)) {
            return true;
        }
        try {
            return host.matches("[0-9.]+|\\[[0-9a-fA-F:]+\\]") && InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
