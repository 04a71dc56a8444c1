package com.dooneflow.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The browser test of the console finds elements by these hooks; renaming one in the sources must fail
 * the build here, not there. Also keeps the sources free of the ways markup gets parsed from strings.
 */
class StaticSourcesTest {

    private static final Path SOURCES = Path.of("src/main/resources/webconsole");

    private static String all() throws IOException {
        try (Stream<Path> files = Files.list(SOURCES)) {
            return files.sorted().map(StaticSourcesTest::read).collect(Collectors.joining("\n"));
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest(name = "id {0}")
    @ValueSource(strings = {
            "token", "sign-in", "sign-out", "email", "password", "use-token", "sign-in-token", "org-settings",
            "set-password", "new-password", "new-password-again", "current-password", "set-password-submit",
            "invitation-password", "invite-link", "sign-in-sso", "api-tokens", "token-name", "token-create", "new-api-token",
            "member-name", "member-phone", "member-email", "member-add", "team-members",
            "integration-pages", "salesforce-callback-url", "salesforce-callback-copy",
            "workflow-new", "workflow-json", "workflow-save", "workflows",
            "workflow-tab-form", "workflow-tab-json", "workflow-name", "workflow-saved", "action-add",
            "webhook-url", "webhook-curl", "webhook-key", "webhook-key-generate", "workflow-test-body", "workflow-test-run",
            "workflow-test-result", "workflow-test-sample-source",
            "status-filter", "executions", "execution-detail", "execution-retry", "execution-cancel",
            "workflow-filter", "from-filter", "to-filter", "search-filter", "events-filter", "filter-apply", "filter-clear",
            "execution-steps", "execution-workflow", "integration-health", "health-not-installed", "test-filter",
            "forgot-password", "forgot-form", "forgot-email", "forgot-send", "forgot-status", "reset-form",
            "reset-password", "reset-password-again", "reset-submit", "reset-done", "reset-result", "reset-link",
            "nav-toggle", "site-nav", "main",
            "org-members", "invitations", "invite-email", "invite-role", "invite-send", "invite-result", "invite-token",
            "my-invitations", "invitation-token", "invitation-accept", "invitation-api-token", "invitation-continue"})
    void everyElementIdTheBrowserTestUsesIsInTheSources(String id) throws IOException {
        assertThat(all()).containsPattern("['\"]" + Pattern.quote(id) + "['\"]");
    }

    @ParameterizedTest(name = "nav {0}")
    @ValueSource(strings = {"dashboard", "workflows", "events", "integrations", "email-inboxes", "team-members",
            "members"})
    void everyNavigationLinkIsThere(String nav) throws IOException {
        String sources = all();
        assertThat(sources).contains("'data-nav': key").contains("['" + nav + "', ");
    }

    @Test
    void theOtherHooksAreThere() throws IOException {
        assertThat(all())
                .contains("class: 'problem', role: 'alert'")
                .contains("class: 'execution-link'")
                .contains("action: w.enabled ? 'disable' : 'enable'")
                .contains("action: 'edit'")
                // the browser test builds ids from these: trigger-param-path, action-1-param-body, …-vars, …-vars-list
                .contains("`${prefix}-type`").contains("`${prefix}-param-${p.name}`").contains("`action-${i}`")
                .contains("`${id}-vars`").contains("`${id}-vars-list`").contains("`${control.id}-error`")
                .contains("`${id}-warning`")
                .contains("`${id}-add`").contains("`${id}-key-${i}`").contains("`${id}-all`")
                .contains("dataset: { variable: o.name }")
                .contains("action: 'delete'")
                .contains("action: 'rename'")
                .contains("action: 'revoke'")
                .contains("action: 'remove'").contains("action: 'role'")
                .contains("action: 'accept'")
                .contains("action: 'decline'")
                .contains("h('h1'")
                .contains("class: 'skip-link', href: '#main'")
                .contains("'aria-invalid', 'true'")
                .contains("b.setAttribute('aria-label', `${b.textContent} ${name}`)");
    }

    @Test
    void theSettingsPagesBuildTheIdsTheBrowserTestUses() throws IOException {
        // twilio-accountSid, salesforce-create, email-edit-host, acme-result, …: built from the settings id and the
        // descriptor's field and action ids, so no connector is named in the sources but the extras
        assertThat(read(SOURCES.resolve("pages-integrations.js")))
                .contains("const id = `${prefix}-${p.name}`;")
                .contains("id: `${page.id}-status`").contains("id: `${page.id}-save`").contains("id: `${page.id}-delete`")
                .contains("id: `${page.id}-${a.id}`").contains("id: `${page.id}-result`")
                .contains("id: `${page.id}-create`").contains("table(`${page.id}-entries`")
                .contains("const prefix = `${page.id}-edit`;").contains("id: `${prefix}-save`")
                .contains("id: `${page.id}-not-running`").contains("id: 'settings-not-installed'")
                .contains("dataset: { action: a.id }")
                .contains("id: `${id}-error`");
    }

    @Test
    void theSettingsFormsCarryTheDescriptorsConstraints() throws IOException {
        assertThat(read(SOURCES.resolve("pages-integrations.js")))
                .contains("required: p.required").contains("min: p.min, max: p.max")
                .contains("minlength: p.minLength, maxlength: p.maxLength, pattern: p.pattern, title: p.patternMessage")
                .contains("type: 'password', autocomplete: 'new-password'");
    }

    @Test
    void linksPeopleAreGivenUseThePublicUrlNotThePagesOwnAddress() throws IOException {
        // invitation, password reset, webhook and single sign-on links: only api.js falls back to the page's address
        try (Stream<Path> files = Files.list(SOURCES)) {
            files.filter(f -> !f.endsWith("api.js"))
                    .forEach(f -> assertThat(read(f)).as(f.toString()).doesNotContain("location.origin"));
        }
        assertThat(read(SOURCES.resolve("pages-settings.js")))
                .contains("`${publicOrigin()}/sign-in#invitation=").contains("`${publicOrigin()}/sign-in#reset=");
        assertThat(read(SOURCES.resolve("app.js"))).contains("sso.startUrl ?? `${publicOrigin()}/v1/session/oidc/start`");
    }

    @ParameterizedTest(name = "no {0}")
    @ValueSource(strings = {"innerHTML", "outerHTML", "insertAdjacentHTML", "eval(", "document.write", "new Function(",
            "javascript:", "style="})
    void noSourceParsesMarkupOrCodeFromStrings(String forbidden) throws IOException {
        assertThat(all()).doesNotContain(forbidden);
    }

    @Test
    void thePageHasNoInlineScriptOrStyle() throws IOException {
        String page = read(SOURCES.resolve("index.html"));
        assertThat(page).doesNotContainPattern("<script(?![^>]*\\bsrc=)[^>]*>")
                .doesNotContainPattern("<script[^>]*>\\s*[^<\\s]")
                .doesNotContain("<style")
                .doesNotContainPattern("\\son[a-z]+=")
                .doesNotContain("http://").doesNotContain("https://");
    }
}
