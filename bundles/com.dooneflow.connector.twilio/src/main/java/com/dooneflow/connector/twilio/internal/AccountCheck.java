package com.dooneflow.connector.twilio.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.twilio.exception.ApiConnectionException;
import com.twilio.exception.ApiException;
import com.twilio.rest.api.v2010.Account;

/**
 * {@code POST .../integrations/twilio/test}: fetches the account through the SDK and says in plain words what
 * came of it. {@code result} is one of ok, wrong_credentials, unknown_account, account_inactive, unreachable,
 * twilio_error.
 */
final class AccountCheck {

    private AccountCheck() {
    }

    static Map<String, Object> run(TwilioApi api, TwilioAccount account) {
        Map<String, Object> answer = new LinkedHashMap<>();
        try {
            Account fetched = Account.fetcher(account.accountSid()).fetch(api.client(account));
            String status = fetched.getStatus() == null ? "active" : fetched.getStatus().toString();
            answer.put("accountName", fetched.getFriendlyName());
            answer.put("accountStatus", status);
            if ("active".equals(status)) {
                answer.put("result", "ok");
                answer.put("message", "Twilio accepted the credentials: account '" + fetched.getFriendlyName()
                        + "' is active and can send SMS.");
            } else {
                answer.put("result", "account_inactive");
                answer.put("message", "Twilio accepted the credentials, but the account is " + status
                        + "; it cannot send SMS until it is active again (see the Twilio console).");
            }
        } catch (ApiException e) {
            Integer status = e.getStatusCode();
            if (status == null && !(e.getCause() instanceof JsonProcessingException)
                    && e.getCause() instanceof java.io.IOException) {
                unreachable(answer, api, e.getCause().getClass().getSimpleName());
            } else if (status != null && status == 401) {
                answer.put("result", "wrong_credentials");
                answer.put("message", "Twilio refused the Auth Token for Account SID " + account.accountSid()
                        + ". Copy the current Auth Token from the Twilio console dashboard (it changes when it is "
                        + "rotated) and check the Account SID.");
            } else if (status != null && status == 404) {
                answer.put("result", "unknown_account");
                answer.put("message", "Twilio has no account with SID " + account.accountSid()
                        + ". Copy the Account SID from the Twilio console dashboard.");
            } else {
                answer.put("result", "twilio_error");
                answer.put("message", "Twilio answered " + (status == null ? "unreadably" : "with HTTP " + status)
                        + ": " + TwilioErrors.describe(e.getCode(), e.getMessage()));
            }
            if (e.getCode() != null) {
                answer.put("twilioCode", e.getCode());
            }
        } catch (ApiConnectionException e) {
            unreachable(answer, api, "no connection");
        }
        return answer;
    }

    private static void unreachable(Map<String, Object> answer, TwilioApi api, String why) {
        answer.put("result", "unreachable");
        answer.put("message", "Twilio could not be reached at " + api.apiUrl() + " (" + why + "). Check the server's "
                + "network access to Twilio; the credentials were not checked.");
    }
}
