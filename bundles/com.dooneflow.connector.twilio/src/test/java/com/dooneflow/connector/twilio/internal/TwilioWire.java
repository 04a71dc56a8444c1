package com.dooneflow.connector.twilio.internal;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;

/** Twilio's REST answers as the API sends them (JSON bodies from Twilio's API reference). */
final class TwilioWire {

    static final String MESSAGES = "/2010-04-01/Accounts/" + Fakes.ACCOUNT_SID + "/Messages.json";
    static final String ACCOUNT = "/2010-04-01/Accounts/" + Fakes.ACCOUNT_SID + ".json";
    static final String SID = "SM1f0e8ae6ade43cb3c0ce4525424e404f";

    private TwilioWire() {
    }

    static ResponseDefinitionBuilder created(String to, String body, String numSegments, String price) {
        String json = """
                {"account_sid": "%1$s", "api_version": "2010-04-01", "body": %2$s,
                 "date_created": "Fri, 27 Nov 2026 16:00:00 +0000", "date_sent": null,
                 "date_updated": "Fri, 27 Nov 2026 16:00:00 +0000", "direction": "outbound-api",
                 "error_code": null, "error_message": null, "from": "%3$s", "messaging_service_sid": null,
                 "num_media": "0", "num_segments": "%4$s", "price": %5$s, "price_unit": "USD",
                 "sid": "%6$s", "status": "queued", "subresource_uris": {"media":
                 "/2010-04-01/Accounts/%1$s/Messages/%6$s/Media.json"}, "to": "%7$s",
                 "uri": "/2010-04-01/Accounts/%1$s/Messages/%6$s.json"}
                """.formatted(Fakes.ACCOUNT_SID, quote(body), Fakes.FROM, numSegments,
                price == null ? "null" : "\"" + price + "\"", SID, to);
        return aResponse().withStatus(201).withHeader("Content-Type", "application/json").withBody(json);
    }

    /** A page of Twilio's message list (GET .../Messages.json?To=...) holding one message, or none. */
    static ResponseDefinitionBuilder list(String to, String body) {
        String message = body == null ? "" : """
                {"account_sid": "%1$s", "api_version": "2010-04-01", "body": %2$s,
                 "date_created": "%3$s", "date_sent": null, "date_updated": "%3$s", "direction": "outbound-api",
                 "error_code": null, "error_message": null, "from": "%4$s", "messaging_service_sid": null,
                 "num_media": "0", "num_segments": "1", "price": null, "price_unit": "USD", "sid": "%5$s",
                 "status": "sent", "subresource_uris": {}, "to": "%6$s",
                 "uri": "/2010-04-01/Accounts/%1$s/Messages/%5$s.json"}
                """.formatted(Fakes.ACCOUNT_SID, quote(body), java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
                .format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC)), Fakes.FROM, SID, to);
        String json = """
                {"end": 0, "first_page_uri": "%1$s?To=%2$s&PageSize=20&Page=0", "messages": [%3$s],
                 "next_page_uri": null, "page": 0, "page_size": 20, "previous_page_uri": null, "start": 0,
                 "uri": "%1$s?To=%2$s&PageSize=20&Page=0"}
                """.formatted(MESSAGES, to.replace("+", "%2B"), message);
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(json);
    }

    static ResponseDefinitionBuilder error(int httpStatus, int code, String message) {
        String json = """
                {"code": %d, "message": %s, "more_info": "https://www.twilio.com/docs/errors/%d", "status": %d}
                """.formatted(code, quote(message), code, httpStatus);
        return aResponse().withStatus(httpStatus).withHeader("Content-Type", "application/json").withBody(json);
    }

    static ResponseDefinitionBuilder account(String status) {
        String json = """
                {"auth_token": "redacted", "date_created": "Thu, 01 Jan 2026 00:00:00 +0000",
                 "date_updated": "Thu, 01 Jan 2026 00:00:00 +0000", "friendly_name": "Acme Sales",
                 "owner_account_sid": "%1$s", "sid": "%1$s", "status": "%2$s", "subresource_uris": {},
                 "type": "Full", "uri": "/2010-04-01/Accounts/%1$s.json"}
                """.formatted(Fakes.ACCOUNT_SID, status);
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(json);
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
