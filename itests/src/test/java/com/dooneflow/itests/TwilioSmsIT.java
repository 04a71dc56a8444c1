package com.dooneflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import javax.inject.Inject;

import org.apache.karaf.features.FeaturesService;
import org.awaitility.Awaitility;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.MethodSorters;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;

import com.dooneflow.testing.karaf.DooneFlowTestSupport;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Twilio SMS on the real distribution (PostgreSQL): the embedded twilio-java SDK resolves and sends through a
 * WireMock Twilio in the test host (pointed at by the connector's apiUrl), workflows reach it with their templates
 * filled in, delivery statuses come back through the signed callback, and missing settings or a bad number fail
 * the step before anything is sent.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
// Reinstalling the connector redeploys the REST application for a moment, so that test runs last.
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class TwilioSmsIT extends DooneFlowTestSupport {

    @Inject
    FeaturesService features;

    private static final String PUBLIC_URL = "https://flows.it.example";
    private static final String FROM = "+14155552671";
    private static final String HEX = "0123456789abcdef0123456789abcdef";

    @Configuration
    public Option[] config() {
        String url = postgresDatabaseOfThisClass();
        String twilio = "http://127.0.0.1:" + HostSink.start();
        List<Option> options = ownerOnPostgres(url);
        options.add(editConfigurationFilePut("etc/com.dooneflow.cfg", "publicUrl", PUBLIC_URL));
        options.add(editConfigurationFilePut("etc/com.dooneflow.connector.twilio.cfg", "apiUrl", twilio));
        options.add(systemProperty("dooneflow.it.twilio").value(twilio));
        return distribution(options.toArray(new Option[0]));
    }

    private static String twilio() {
        return System.getProperty("dooneflow.it.twilio");
    }

    @Test
    public void aWebhookSendsAnSmsToTheContactWithTheBodyFilledInAndDeliveryComesBackSigned() throws Exception {
        assertTrue("the connector bundle with the embedded SDK is active", twilioBundle().getState() == Bundle.ACTIVE);
        Account account = newAccount("contact", "1");
        stubMessages(account, "SM" + HEX.replace('0', '1'));
        createWorkflow(account.org, "it-sms-contact", "[{\"type\":\"twilio.sms.send\",\"params\":{\"recipientType\":"
                + "\"contact\",\"body\":\"Hi {contact_name}, thanks for reaching out!\"}}]");

        Reply accepted = post("/webhook/it-sms-contact", null, "{\"name\":\"Ann Lee\",\"phone\":\"+1 415 555 0123\"}");
        assertEquals(accepted.body(), 202, accepted.status());
        String execution = accepted.json().path("executionIds").path(0).asText();
        JsonNode done = awaitStatus(account.org, execution, "succeeded");

        JsonNode step = done.path("steps").path(0);
        assertEquals("SM" + HEX.replace('0', '1'), step.path("output").path("sms_message_sid").asText());
        assertEquals("GSM-7", step.path("output").path("sms_encoding").asText());
        assertEquals("done", step.path("notes").path("twilio.send").path("state").asText());

        JsonNode request = onlyRequest(account.messagesPath());
        Map<String, String> form = form(request.path("body").asText());
        assertEquals("+14155550123", form.get("To"));
        assertEquals(FROM, form.get("From"));
        assertEquals("Hi Ann Lee, thanks for reaching out!", form.get("Body"));
        String callback = PUBLIC_URL + "/v1/twilio/status/" + account.org + "/" + execution + "/0";
        assertEquals(callback, form.get("StatusCallback"));
        assertEquals("Basic " + Base64.getEncoder().encodeToString((account.sid + ":" + account.token)
                .getBytes(StandardCharsets.US_ASCII)), header(request, "Authorization"));

        // Twilio reports the delivery: signed callbacks are recorded on the step, a forged one is refused.
        String sid = step.path("output").path("sms_message_sid").asText();
        for (String status : List.of("sent", "delivered")) {
            Map<String, String> params = statusParams(account, sid, status);
            assertEquals(204, statusCallback(callback, params, sign(account.token, callback, params)));
        }
        Map<String, String> forged = statusParams(account, sid, "failed");
        assertEquals(403, statusCallback(callback, forged, sign("not-the-token", callback, forged)));
        assertEquals(403, statusCallback(callback, forged, null));
        JsonNode delivery = get("/v1/organizations/" + account.org + "/executions/" + execution, OWNER_TOKEN).json()
                .path("steps").path(0).path("notes").path("twilio.delivery");
        assertEquals(delivery.toString(), "delivered", delivery.path("status").asText());
        assertEquals(3, delivery.path("history").size()); // queued (Twilio's answer), sent, delivered
    }

    @Test
    public void theSettingsApiKeepsTheTokenSecretValidatesAndTestsTheCredentials() {
        Account account = newAccount("settings", "2");
        String path = "/v1/organizations/" + account.org + "/integrations/twilio";
        Reply read = get(path, OWNER_TOKEN);
        assertEquals(read.body(), 200, read.status());
        assertTrue(read.json().path("authTokenSet").asBoolean());
        assertFalse(read.body().contains(account.token));

        // A member may read the settings but not change, test or delete them.
        String member = newMember(account.org, "reader-" + account.org + "@it.example", "member");
        assertEquals(200, get(path, member).status());
        assertEquals(403, call("PUT", path, member, "{\"accountSid\":\"" + account.sid + "\",\"phoneNumber\":\"" + FROM
                + "\"}").status());
        assertEquals(403, post(path + "/test", member, null).status());
        assertEquals(403, call("DELETE", path, member, null).status());

        Reply bad = call("PUT", path, OWNER_TOKEN, "{\"accountSid\":\"AC123\",\"authToken\":\"x\",\"phoneNumber\":\"+1555\"}");
        assertEquals(bad.body(), 422, bad.status());
        assertStartsWith(bad.contentType(), "application/problem+json");
        assertContains(bad.json().path("errors").toString(), "accountSid");
        assertContains(bad.json().path("errors").toString(), "phoneNumber");
        Reply unknownField = call("PUT", path, OWNER_TOKEN, "{\"accountSid\":\"" + account.sid + "\",\"sender\":\"x\"}");
        assertEquals(unknownField.body(), 400, unknownField.status());
        assertEquals(FROM, get(path, OWNER_TOKEN).json().path("phoneNumber").asText());

        stub("{\"request\":{\"method\":\"GET\",\"url\":\"/2010-04-01/Accounts/" + account.sid + ".json\"},\"response\":"
                + "{\"status\":200,\"headers\":{\"Content-Type\":\"application/json\"},\"jsonBody\":{\"sid\":\"" + account.sid
                + "\",\"friendly_name\":\"IT Account\",\"status\":\"active\",\"type\":\"Full\"}}}");
        Reply test = post(path + "/test", OWNER_TOKEN, null);
        assertEquals(test.body(), 200, test.status());
        assertEquals("ok", test.json().path("result").asText());

        // Another organization's settings do not exist for this one's owner token scope.
        assertEquals(401, get(path, null).status());
        assertEquals(404, get("/v1/organizations/" + java.util.UUID.randomUUID() + "/integrations/twilio", OWNER_TOKEN).status());

        assertContains(get("/v1/openapi.json", null).body(), "/v1/organizations/{orgId}/integrations/twilio");
        assertContains(get("/v1/connectors", OWNER_TOKEN).body(), "twilio.sms.send");

        assertEquals(204, call("DELETE", path, OWNER_TOKEN, null).status());
        assertEquals(404, get(path, OWNER_TOKEN).status());
    }

    @Test
    public void missingSettingsOrAnInvalidNumberFailTheStepWithoutSending() {
        Account account = newAccount("failures", "3");
        stubMessages(account, "SM" + HEX.replace('0', '3'));
        createWorkflow(account.org, "it-sms-failures", "[{\"type\":\"twilio.sms.send\",\"params\":{\"body\":\"Hi\"},"
                + "\"retry\":{\"maxAttempts\":1}}]");

        String badNumber = post("/webhook/it-sms-failures", null, "{\"name\":\"Bo\",\"phone\":\"12345\"}")
                .json().path("executionIds").path(0).asText();
        assertContains(awaitStatus(account.org, badNumber, "failed").path("error").asText(), "country code");

        assertEquals(204, call("DELETE", "/v1/organizations/" + account.org + "/integrations/twilio", OWNER_TOKEN, null).status());
        String unconfigured = post("/webhook/it-sms-failures", null, "{\"name\":\"Bo\",\"phone\":\"+14155550123\"}")
                .json().path("executionIds").path(0).asText();
        String error = awaitStatus(account.org, unconfigured, "failed").path("error").asText();
        assertContains(error, "Twilio is not configured for this organization");
        assertContains(get("/v1/organizations/" + account.org + "/events", OWNER_TOKEN).body(),
                "Twilio is not configured for this organization");
        assertEquals(0, requests(account.messagesPath()).size());
    }

    @Test
    public void aWebhookAssignsATeamMemberWhoGetsTheSmsWithTheGuideText() throws Exception {
        Account account = newAccount("team", "4");
        Reply member = post("/v1/organizations/" + account.org + "/team-members", OWNER_TOKEN,
                "{\"name\":\"Bea Chen\",\"phone\":\"+442071838750\"}");
        assertEquals(member.body(), 201, member.status());
        stubMessages(account, "SM" + HEX.replace('0', '4'));
        createWorkflow(account.org, "it-sms-team", "[{\"type\":\"team.assign\",\"params\":{}},{\"type\":"
                + "\"twilio.sms.send\",\"params\":{\"recipientType\":\"team_member\",\"body\":\"Hi {team_member_name}, "
                + "new contact assigned: {contact_name} ({contact_phone}).\"}}]");

        Reply accepted = post("/webhook/it-sms-team", null, "{\"name\":\"Ann Lee\",\"phone\":\"+14155550123\"}");
        assertEquals(accepted.body(), 202, accepted.status());
        String execution = accepted.json().path("executionIds").path(0).asText();
        JsonNode done = awaitStatus(account.org, execution, "succeeded");
        assertEquals("Bea Chen", done.path("steps").path(0).path("output").path("team_member_name").asText());
        assertEquals("team_member", done.path("steps").path(1).path("output").path("sms_recipient_type").asText());

        Map<String, String> form = form(onlyRequest(account.messagesPath()).path("body").asText());
        assertEquals("+442071838750", form.get("To"));
        assertEquals("Hi Bea Chen, new contact assigned: Ann Lee (+14155550123).", form.get("Body"));
        assertEquals(PUBLIC_URL + "/v1/twilio/status/" + account.org + "/" + execution + "/1", form.get("StatusCallback"));
    }

    @Test
    public void zTheConnectorFeatureInstallsAndUninstallsWithoutRefreshingAnythingElse() throws Exception {
        awaitHealthy();
        List<String> stopped = new CopyOnWriteArrayList<>();
        BundleListener listener = e -> {
            if (e.getType() == BundleEvent.STOPPED) {
                stopped.add(e.getBundle().getSymbolicName());
            }
        };
        bundleContext.addBundleListener(listener);
        try {
            features.uninstallFeature("dooneflow-connector-twilio");
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
                Reply connectors = get("/v1/connectors", OWNER_TOKEN);
                return connectors.status() == 200 && !connectors.body().contains("twilio.sms.send");
            });
            features.installFeature("dooneflow-connector-twilio");
            awaitHealthy();
            // health UP after a hot install means the connector is whole: its type and its routes, at once
            assertTrue(get("/v1/connectors", OWNER_TOKEN).body().contains("twilio.sms.send"));
            assertEquals("the route is served (401 without a token, 404 without the resource)", 401,
                    get("/v1/organizations/probe/integrations/twilio", null).status());
            assertTrue(get("/v1/openapi.json", null).body().contains("/v1/twilio/status/"));
        } finally {
            bundleContext.removeBundleListener(listener);
        }
        assertEquals("only the connector itself stopped", List.of("com.dooneflow.connector.twilio"), stopped);
        assertEquals(Bundle.ACTIVE, twilioBundle().getState());
    }

    // ---- helpers ----

    private Bundle twilioBundle() {
        for (Bundle b : bundleContext.getBundles()) {
            if ("com.dooneflow.connector.twilio".equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("the Twilio connector bundle is not installed");
    }

    /** An organization with a Twilio account of its own (its own SID, so its requests are told apart on the fake). */
    record Account(String org, String sid, String token) {
        String messagesPath() {
            return "/2010-04-01/Accounts/" + sid + "/Messages.json";
        }
    }

    static Account newAccount(String name, String digit) {
        awaitHealthy();
        Reply org = post("/v1/organizations", OWNER_TOKEN, "{\"name\":\"twilio " + name + "\"}");
        assertEquals(org.body(), 201, org.status());
        Account a = new Account(org.json().path("id").asText(), "AC" + HEX.replace("0", digit),
                "token" + digit + HEX.substring(6));
        Reply saved = call("PUT", "/v1/organizations/" + a.org + "/integrations/twilio", OWNER_TOKEN,
                "{\"accountSid\":\"" + a.sid + "\",\"authToken\":\"" + a.token + "\",\"phoneNumber\":\"" + FROM + "\"}");
        assertEquals(saved.body(), 200, saved.status());
        assertEquals(true, saved.json().path("authTokenSet").asBoolean());
        assertFalse(saved.body().contains(a.token));
        return a;
    }

    /** Twilio's 201 answer to a message create (as in Twilio's API reference, trimmed). */
    static void stubMessages(Account a, String messageSid) {
        stub("{\"request\":{\"method\":\"POST\",\"url\":\"" + a.messagesPath() + "\"},\"response\":{\"status\":201,"
                + "\"headers\":{\"Content-Type\":\"application/json\"},\"jsonBody\":{\"sid\":\"" + messageSid + "\","
                + "\"account_sid\":\"" + a.sid + "\",\"api_version\":\"2010-04-01\",\"status\":\"queued\","
                + "\"num_segments\":\"1\",\"num_media\":\"0\",\"price\":null,\"price_unit\":\"USD\",\"from\":\"" + FROM
                + "\",\"direction\":\"outbound-api\",\"error_code\":null,\"error_message\":null,"
                + "\"date_created\":\"Fri, 27 Nov 2026 16:00:00 +0000\"}}}");
    }

    static void createWorkflow(String org, String path, String actions) {
        Reply r = post("/v1/organizations/" + org + "/workflows", OWNER_TOKEN, "{\"name\":\"" + path + "\",\"trigger\":"
                + "{\"type\":\"webhook\",\"params\":{\"path\":\"" + path + "\"}},\"actions\":" + actions + "}");
        assertEquals(r.body(), 201, r.status());
    }

    static JsonNode awaitStatus(String org, String executionId, String status) {
        AtomicReference<JsonNode> last = new AtomicReference<>();
        Awaitility.await("execution " + executionId + " " + status).atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100)).until(() -> {
                    last.set(get("/v1/organizations/" + org + "/executions/" + executionId, OWNER_TOKEN).json());
                    return status.equals(last.get().path("status").asText());
                });
        return last.get();
    }

    static Map<String, String> statusParams(Account a, String messageSid, String status) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("AccountSid", a.sid);
        p.put("ApiVersion", "2010-04-01");
        p.put("From", FROM);
        p.put("MessageSid", messageSid);
        p.put("MessageStatus", status);
        p.put("SmsSid", messageSid);
        p.put("SmsStatus", status);
        p.put("To", "+14155550123");
        return p;
    }

    /** Twilio's documented signature: Base64(HMAC-SHA1(token, URL + the POST parameters sorted by name, name+value)). */
    static String sign(String token, String url, Map<String, String> params) throws Exception {
        StringBuilder data = new StringBuilder(url);
        new TreeMap<>(params).forEach((k, v) -> data.append(k).append(v));
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /** Posts a status callback as Twilio would, to this distribution (the public URL's path on the test port). */
    static int statusCallback(String callbackUrl, Map<String, String> params, String signature) throws Exception {
        StringBuilder body = new StringBuilder();
        params.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + URI.create(callbackUrl).getRawPath()))
                .header("Content-Type", "application/x-www-form-urlencoded").timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (signature != null) {
            b.header("X-Twilio-Signature", signature);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    static void stub(String mapping) {
        Reply r = callUrl("POST", twilio() + "/__admin/mappings", mapping);
        assertTrue(r.body(), r.status() == 201);
    }

    static List<JsonNode> requests(String url) {
        JsonNode all = callUrl("GET", twilio() + "/__admin/requests", null).json().path("requests");
        List<JsonNode> matching = new ArrayList<>();
        all.forEach(r -> {
            if (url.equals(r.path("request").path("url").asText())) {
                matching.add(r.path("request"));
            }
        });
        return matching;
    }

    static JsonNode onlyRequest(String url) {
        List<JsonNode> r = requests(url);
        assertEquals(r.toString(), 1, r.size());
        return r.get(0);
    }

    static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return form;
    }

    static String header(JsonNode request, String name) {
        var it = request.path("headers").fields();
        while (it.hasNext()) {
            var e = it.next();
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue().isArray() ? e.getValue().path(0).asText() : e.getValue().asText();
            }
        }
        return null;
    }
}
