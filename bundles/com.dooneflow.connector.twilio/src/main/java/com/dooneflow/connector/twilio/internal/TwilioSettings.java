package com.dooneflow.connector.twilio.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.dooneflow.api.ConnectorSettings;
import com.dooneflow.api.FieldError;
import com.dooneflow.api.SettingsEntry;
import com.dooneflow.api.ValidationException;
import com.dooneflow.api.phone.PhoneNumbers;

/**
 * The organization's one Twilio account, kept in the platform's settings store: SIDs and sender as data, the auth
 * token as a secret field (encrypted in the vault, never returned). Validation lives here so every writer agrees.
 */
@Component(service = TwilioSettings.class)
public class TwilioSettings {

    /** The single entry's name: one Twilio account per organization. */
    static final String ENTRY = "account";
    static final String AUTH_TOKEN = "authToken";

    private static final Pattern ACCOUNT_SID = Pattern.compile("AC[0-9a-fA-F]{32}");
    private static final Pattern SERVICE_SID = Pattern.compile("MG[0-9a-fA-F]{32}");
    private static final int MAX_TOKEN = 200;

    private final ConnectorSettings store;

    @Activate
    public TwilioSettings(@Reference ConnectorSettings store) {
        this.store = store;
    }

    /** The account a send can use, or empty when the organization has not configured Twilio (completely). */
    Optional<TwilioAccount> account(String orgId) {
        return entry(orgId).flatMap(e -> store.secret(e, AUTH_TOKEN).map(token -> new TwilioAccount(
                text(e.data().get("accountSid")), token, text(e.data().get("phoneNumber")),
                text(e.data().get("messagingServiceSid")))));
    }

    Optional<SettingsEntry> entry(String orgId) {
        return store.findByName(orgId, ENTRY);
    }

    /** Validates everything first (every bad field named at once), then writes: never a half-written account. */
    SettingsEntry save(String orgId, TwilioSettingsInput input) {
        if (input == null) {
            throw ValidationException.of("body", "is required");
        }
        Optional<SettingsEntry> existing = entry(orgId);
        List<FieldError> errors = new ArrayList<>();
        String accountSid = trim(input.accountSid());
        if (accountSid == null) {
            errors.add(new FieldError("accountSid", "is required"));
        } else if (!ACCOUNT_SID.matcher(accountSid).matches()) {
            errors.add(new FieldError("accountSid", "must be 'AC' followed by 32 hexadecimal characters, as shown on "
                    + "the Twilio console dashboard"));
        }
        String token = input.authToken() == null ? null : input.authToken().trim();
        boolean sameAccount = existing.isPresent() && accountSid != null
                && accountSid.equals(existing.get().data().get("accountSid"));
        if (token == null) {
            if (!sameAccount || !existing.get().secretsSet().contains(AUTH_TOKEN)) {
                errors.add(new FieldError(AUTH_TOKEN, "is required the first time and whenever accountSid changes"));
            }
        } else if (token.isEmpty()) {
            errors.add(new FieldError(AUTH_TOKEN, "must not be empty; leave it out to keep the stored token"));
        } else if (token.length() > MAX_TOKEN || !token.matches("[\\x21-\\x7e]+")) {
            errors.add(new FieldError(AUTH_TOKEN, "is not an Auth Token: it must be the token shown on the Twilio "
                    + "console dashboard, without spaces"));
        }
        String phone = trim(input.phoneNumber());
        String service = trim(input.messagingServiceSid());
        if ((phone == null) == (service == null)) {
            String message = "give exactly one of phoneNumber and messagingServiceSid";
            errors.add(new FieldError(phone == null ? "phoneNumber" : "messagingServiceSid", message));
        } else if (phone != null) {
            try {
                phone = PhoneNumbers.toE164(phone);
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("phoneNumber", e.getMessage()));
            }
        } else if (!SERVICE_SID.matcher(service).matches()) {
            errors.add(new FieldError("messagingServiceSid", "must be 'MG' followed by 32 hexadecimal characters"));
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("accountSid", accountSid);
        if (phone != null) {
            data.put("phoneNumber", phone);
        } else {
            data.put("messagingServiceSid", service);
        }
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put(AUTH_TOKEN, token); // null keeps the stored token
        return store.save(orgId, ENTRY, data, secrets);
    }

    /**
     * Notes what the last Test said of the stored credentials ({@code verification}: verified, wrong credentials, …,
     * and when), so the dashboard can tell a verified account from a merely configured one. Saving the account
     * again forgets it: new credentials are not verified yet.
     */
    void recordCheck(String orgId, String result, java.time.Instant at) {
        entry(orgId).ifPresent(e -> {
            Map<String, Object> data = new LinkedHashMap<>(e.data());
            data.put("verification", "ok".equals(result) ? "verified" : result.replace('_', ' '));
            data.put("checkedAt", at.toString());
            Map<String, String> keep = new LinkedHashMap<>();
            keep.put(AUTH_TOKEN, null); // null keeps the stored token
            store.save(orgId, ENTRY, data, keep);
        });
    }

    boolean delete(String orgId) {
        return entry(orgId).map(e -> store.delete(orgId, e.id())).orElse(false);
    }

    /** The entry as the API shows it: the token only as {@code authTokenSet}. */
    static Map<String, Object> view(SettingsEntry e) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("accountSid", e.data().get("accountSid"));
        view.put("authTokenSet", e.secretsSet().contains(AUTH_TOKEN));
        if (e.data().get("phoneNumber") != null) {
            view.put("phoneNumber", e.data().get("phoneNumber"));
        }
        if (e.data().get("messagingServiceSid") != null) {
            view.put("messagingServiceSid", e.data().get("messagingServiceSid"));
        }
        if (e.data().get("verification") != null) {
            view.put("verification", e.data().get("verification"));
            view.put("checkedAt", e.data().get("checkedAt"));
        }
        view.put("createdAt", e.createdAt() == null ? null : e.createdAt().toString());
        view.put("updatedAt", e.updatedAt() == null ? null : e.updatedAt().toString());
        return view;
    }

    private static String trim(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static String text(Object o) {
        return o == null ? null : o.toString();
    }
}
