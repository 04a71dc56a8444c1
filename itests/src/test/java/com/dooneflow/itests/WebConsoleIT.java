package com.dooneflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.dooneflow.connector.salesforce.internal.SalesforceFake;
import com.dooneflow.itests.acme.AcmeAccountsResource;
import com.dooneflow.rest.internal.LocalOidcProvider;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import com.dooneflow.testing.karaf.DooneFlowTestSupport;

/**
 * The web console in a real browser (headless Chromium through Selenium) against the distribution on
 * PostgreSQL: what a person does by following the users' guide, page by page.
 */
public class WebConsoleIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** The first owner's console password, set for the first start as a scripted install would. */
    private static final String OWNER_PASSWORD = "owner password for the browser test";
    private static final String OWNER_EMAIL = "owner@localhost";

    private static DistributionProcess dooneflow;
    private static WireMockServer peer;
    private static SalesforceFake salesforce;
    private static LocalOidcProvider identityProvider;
    /** The installation's SMTP server: invitations and password reset links arrive here. */
    private static GreenMail smtp;
    private static WebDriver browser;
    private static String org;

    @BeforeClass
    public static void start() throws Exception {
        assertTrue("the browser tests need Chromium and chromedriver: apt-get install chromium chromium-driver",
                Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER));

        // The workflows' delivery sink and Twilio's message API; Salesforce is the connector's own fake of its
        // OAuth and REST.
        peer = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        peer.start();
        peer.stubFor(WireMock.post("/deliveries").willReturn(WireMock.ok()));
        peer.stubFor(WireMock.post(WireMock.urlPathMatching("/2010-04-01/Accounts/AC[0-9a-f]{32}/Messages.json"))
                .willReturn(WireMock.aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"sid\":\"SM0123456789abcdef0123456789abcdef\",\"account_sid\":"
                                + "\"AC0123456789abcdef0123456789abcdef\",\"api_version\":\"2010-04-01\",\"status\":\"queued\","
                                + "\"num_segments\":\"1\",\"num_media\":\"0\",\"price\":null,\"price_unit\":\"USD\","
                                + "\"from\":\"+15005550006\",\"direction\":\"outbound-api\",\"error_code\":null,"
                                + "\"error_message\":null,\"date_created\":\"Fri, 27 Nov 2026 16:00:00 +0000\"}")));

        salesforce = SalesforceFake.start();
        dooneflow = new DistributionProcess(null);
        Files.writeString(dooneflow.home.resolve("etc/com.dooneflow.connector.twilio.cfg"),
                "apiUrl = http://127.0.0.1:" + peer.port() + "\n");
        dooneflow.setting(".bootstrap.password = " + OWNER_PASSWORD);
        identityProvider = new LocalOidcProvider();
        dooneflow.setting("oidc.issuer = " + identityProvider.issuer());
        dooneflow.setting("oidc.clientId = " + LocalOidcProvider.CLIENT_ID);
        dooneflow.setting(".oidc.clientSecret = " + LocalOidcProvider.CLIENT_SECRET);
        smtp = new GreenMail(new ServerSetup(DooneFlowTestSupport.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        dooneflow.setting("smtp.host = 127.0.0.1");
        dooneflow.setting("smtp.port = " + smtp.getSmtp().getPort());
        dooneflow.setting("smtp.from = DooneFlow <flow@example.com>");
        dooneflow.setting("smtp.starttls = false");
        dooneflow.start();
        dooneflow.awaitHealthy();
        org = dooneflow.request("GET", "/v1/me", null).path("organizations").path(0).path("id").asText();

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-quic", "--window-size=1280,900",
                "--user-data-dir=" + Files.createTempDirectory("dooneflow-chromium"));
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build(), options);
    }

    @AfterClass
    public static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (dooneflow != null) {
            dooneflow.close();
        }
        if (peer != null) {
            peer.stop();
        }
        if (salesforce != null) {
            salesforce.close();
        }
        if (identityProvider != null) {
            identityProvider.close();
        }
        if (smtp != null) {
            smtp.stop();
        }
    }

    @Test
    public void signingInWithTheTokenOpensTheDashboardAndSigningOutLocksThePagesAgain() {
        browser.manage().deleteAllCookies();
        open("/organizations/" + org + "/team-members");
        signInIfAsked();
        waitFor(By.cssSelector("a[data-nav='dashboard']"));
        click(By.id("sign-out"));
        waitFor(By.id("email"));
        open("/organizations/" + org + "/team-members");
        waitFor(By.id("email"));

        click(By.id("use-token"));
        find(By.id("token")).sendKeys("not-the-token");
        click(By.id("sign-in-token"));
        waitFor(By.cssSelector(".problem[role=alert]"));
        assertTrue("still on the sign-in page", browser.findElements(By.id("sign-in-token")).size() == 1);
    }

    /**
     * The first owner, whose password the first start set from the configuration, signs in with email and password;
     * a second tab is signed in by the same session, changes something there (a new API token, so the CSRF token
     * goes along) and signs out, which signs the first tab out too. The organization's name opens its Settings.
     */
    @Test
    public void signingInWithEmailAndPasswordHoldsInASecondTabUntilSigningOut() throws Exception {
        assertTrue("the first-start hint says where the password came from", Files.readString(
                dooneflow.home.resolve("data/log/karaf.log")).contains(
                "and the password from '.bootstrap.password' in etc/com.dooneflow.cfg"));
        signedOutEverywhere();
        open("/organizations/" + org + "/team-members");
        type(By.id("email"), OWNER_EMAIL);
        type(By.id("password"), "not the password at all");
        click(By.id("sign-in"));
        waitForText(By.cssSelector(".problem[role=alert]"), "The email or the password is wrong.");

        type(By.id("password"), OWNER_PASSWORD);
        click(By.id("sign-in"));
        waitFor(By.id("team-members"));
        assertEquals("back on the page asked for", "/organizations/" + org + "/team-members",
                URI.create(browser.getCurrentUrl()).getPath());
        Cookie session = browser.manage().getCookieNamed("dooneflow_session");
        assertTrue("the session is in a cookie", session != null);
        assertTrue("no script reads it", session.isHttpOnly());
        assertEquals("Strict", session.getSameSite());
        assertEquals("no token in the tab", null, script("return sessionStorage.getItem('dooneflow.token');"));
        String firstTab = browser.getWindowHandle();

        browser.switchTo().newWindow(WindowType.TAB);
        open("/organizations/" + org);
        waitFor(By.cssSelector("a[data-nav='dashboard']"));
        assertTrue("signed in without asking", browser.findElements(By.id("email")).isEmpty());
        click(By.id("org-settings"));
        waitFor(By.id("api-tokens"));
        assertTrue(browser.getTitle(), browser.getTitle().startsWith("Settings — "));
        type(By.id("token-name"), "made in the second tab");
        click(By.id("token-create"));
        String made = waitFor(By.id("new-api-token")).getText();
        assertEquals("the new token works", OWNER_EMAIL, meWith(made).path("email").asText());
        waitForText(By.id("api-tokens"), "made in the second tab");

        click(By.id("sign-out"));
        waitFor(By.id("email"));
        assertEquals("the cookie is gone", null, browser.manage().getCookieNamed("dooneflow_session"));
        browser.close();
        browser.switchTo().window(firstTab);
        open("/organizations/" + org + "/events");
        waitFor(By.id("email"));
        assertEquals("a forged request with the old cookie is refused", 401,
                DistributionProcess.HTTP.send(HttpRequest.newBuilder(URI.create(dooneflow.base + "/v1/me"))
                        .header("Cookie", "dooneflow_session=" + session.getValue()).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode());
    }

    /**
     * Single sign-on through a local OpenID Connect provider: the owner, asking for the Events page, goes to the
     * provider and comes back signed in there; someone the provider knows but DooneFlow does not is told to ask
     * for an invitation.
     */
    @Test
    public void aPersonWithAnAccountSignsInThroughTheIdentityProvider() throws Exception {
        signedOutEverywhere();
        identityProvider.signIn(OWNER_EMAIL);
        open("/organizations/" + org + "/events");
        click(By.id("sign-in-sso"));
        waitFor(By.cssSelector("a[data-nav='events'][aria-current='page']"));
        assertEquals("/organizations/" + org + "/events", URI.create(browser.getCurrentUrl()).getPath());
        waitForText(By.cssSelector(".top .who"), OWNER_EMAIL);
        assertTrue("signed in by a session", browser.manage().getCookieNamed("dooneflow_session") != null);

        click(By.id("sign-out"));
        waitFor(By.id("email"));
        identityProvider.signIn("not-a-user@example.com");
        click(By.id("sign-in-sso"));
        waitForText(By.cssSelector(".problem[role=alert]"), "No DooneFlow account has the email");
        assertEquals("/sign-in", URI.create(browser.getCurrentUrl()).getPath());
    }

    /**
     * An owner invites someone from Members and passes the invitation link on; the invitee opens it, chooses a
     * password and is in the organization; later they sign in with their email and that password.
     */
    @Test
    public void anInvitedPersonChoosesAPasswordFromTheInvitationLinkAndSignsInWithIt() throws Exception {
        String email = "invitee-" + System.nanoTime() + "@example.com";
        String password = "the invitee's own password";
        signedOutEverywhere();
        page("members");
        type(By.id("invite-email"), email);
        click(By.id("invite-send"));
        String link = waitFor(By.id("invite-link")).getText();
        assertTrue(link, link.startsWith(dooneflow.base + "/sign-in#invitation=dfi_"));
        click(By.id("sign-out"));
        waitFor(By.id("email"));

        browser.get(link);
        assertEquals("the link fills in the accept token", link.substring(link.indexOf("=") + 1),
                waitFor(By.id("invitation-token")).getDomProperty("value"));
        type(By.id("invitation-password"), "short");
        click(By.id("invitation-accept"));
        waitForText(By.cssSelector(".problem[role=alert]"), "at least 12 characters");
        type(By.id("invitation-password"), password);
        click(By.id("invitation-accept"));
        waitFor(By.cssSelector("a[data-nav='dashboard']"));
        waitForText(By.cssSelector(".top .who"), email);
        assertTrue("no set-password step: they have one", browser.findElements(By.id("set-password")).isEmpty());

        click(By.id("sign-out"));
        waitFor(By.id("email"));
        type(By.id("email"), email);
        type(By.id("password"), password);
        click(By.id("sign-in"));
        waitFor(By.cssSelector("a[data-nav='dashboard']"));
        waitForText(By.cssSelector(".top .who"), email);
        assertTrue("a member of the organization", dooneflow.request("GET", "/v1/organizations/" + org + "/members",
                null).findValuesAsText("email").contains(email));
        click(By.id("sign-out"));
        waitFor(By.id("email"));
    }

    /**
     * With an SMTP server configured, inviting someone emails them the invitation link; they open the link from the
     * mail they received, choose a password and join.
     */
    @Test
    public void anInvitationEmailedByTheInstallationIsAcceptedFromTheLinkInTheMail() throws Exception {
        String email = "mailed-" + System.nanoTime() + "@example.com";
        signedOutEverywhere();
        page("members");
        type(By.id("invite-email"), email);
        click(By.id("invite-send"));
        waitForText(By.id("invite-result"), "was emailed to them");

        String body = GreenMailUtil.getBody(mailTo(email, "You are invited to"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(dooneflow.base)
                + "/sign-in#invitation=dfi_[A-Za-z0-9_-]+").matcher(body);
        assertTrue(body, m.find());
        click(By.id("sign-out"));
        waitFor(By.id("email"));

        browser.get(m.group());
        type(By.id("invitation-password"), "my password from the mail");
        click(By.id("invitation-accept"));
        waitFor(By.cssSelector("a[data-nav='dashboard']"));
        waitForText(By.cssSelector(".top .who"), email);
        click(By.id("sign-out"));
        waitFor(By.id("email"));
    }

    /**
     * An admin makes a one-time reset link for a member from the Members page; the member sets a new password through
     * it (which works once) and signs in with it, the old one refused. "Forgot password?" emails such a link.
     */
    @Test
    public void aMemberSetsANewPasswordFromAResetLinkAndFromAForgotPasswordMail() throws Exception {
        String email = "forgetful-" + System.nanoTime() + "@example.com";
        String issued = dooneflow.request("POST", "/v1/organizations/" + org + "/members",
                "{\"email\":\"" + email + "\",\"role\":\"member\"}").path("acceptToken").asText();
        HttpResponse<String> accepted = DistributionProcess.HTTP.send(HttpRequest.newBuilder(URI.create(dooneflow.base
                        + "/v1/invitations/accept")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + issued
                        + "\",\"password\":\"the first password\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(accepted.body(), 200, accepted.statusCode());

        signedOutEverywhere();
        page("members");
        By row = By.xpath("//table[@id='org-members']//tr[contains(., '" + email + "')]");
        WebElement reset = waitFor(row).findElement(By.cssSelector("button[data-action='reset-password']"));
        assertEquals("Reset the password of " + email, reset.getDomAttribute("aria-label"));
        reset.click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.alertIsPresent()).accept();
        String link = waitFor(By.id("reset-link")).getText();
        assertTrue(link, link.startsWith(dooneflow.base + "/sign-in#reset=dfr_"));
        waitForText(By.id("reset-result"), "was emailed to " + email);
        assertTrue("the mail carries the same link", GreenMailUtil.getBody(mailTo(email, "Reset your DooneFlow password"))
                .contains(link));
        click(By.id("sign-out"));
        waitFor(By.id("email"));

        browser.get(link);
        type(By.id("reset-password"), "short");
        type(By.id("reset-password-again"), "short");
        click(By.id("reset-submit"));
        waitForText(By.cssSelector(".problem[role=alert]"), "at least 12 characters");
        type(By.id("reset-password"), "the second password");
        type(By.id("reset-password-again"), "the second password");
        click(By.id("reset-submit"));
        waitFor(By.id("reset-done"));
        signInAs(email, "the first password");
        waitForText(By.cssSelector(".problem[role=alert]"), "The email or the password is wrong.");
        signInAs(email, "the second password");
        waitForText(By.cssSelector(".top .who"), email);
        click(By.id("sign-out"));
        waitFor(By.id("email"));

        browser.get(link);
        type(By.id("reset-password"), "a third password here");
        type(By.id("reset-password-again"), "a third password here");
        click(By.id("reset-submit"));
        waitForText(By.cssSelector(".problem[role=alert]"), "already used");

        open("/sign-in");
        click(By.id("forgot-password"));
        type(By.id("forgot-email"), email);
        click(By.id("forgot-send"));
        waitForText(By.id("forgot-status"), "If an account has this email");
        String mailed = GreenMailUtil.getBody(mailTo(email, "Reset your DooneFlow password", 2));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(dooneflow.base)
                + "/sign-in#reset=dfr_[A-Za-z0-9_-]+").matcher(mailed);
        assertTrue(mailed, m.find());
        browser.get(m.group());
        type(By.id("reset-password"), "the forgotten one, renewed");
        type(By.id("reset-password-again"), "the forgotten one, renewed");
        click(By.id("reset-submit"));
        waitFor(By.id("reset-done"));
        signInAs(email, "the forgotten one, renewed");
        waitForText(By.cssSelector(".top .who"), email);
        click(By.id("sign-out"));
        waitFor(By.id("email"));
    }

    /**
     * On Members an owner changes a member's role and removes another member (asked first; dismissing keeps them);
     * a change the API refuses (the last owner made an admin) is shown and the role shown goes back.
     */
    @Test
    public void anOwnerChangesAMembersRoleAndRemovesAMemberOnTheMembersPage() throws Exception {
        String promoted = joinedMember("promoted-");
        String removed = joinedMember("removed-");
        signedOutEverywhere();
        page("members");

        By promotedRole = By.xpath("//table[@id='org-members']//tr[contains(., '" + promoted + "')]"
                + "//select[@data-action='role']");
        assertEquals("Role of " + promoted, waitFor(promotedRole).getDomAttribute("aria-label"));
        new Select(find(promotedRole)).selectByValue("admin");
        Awaitility.await("the new role").atMost(Duration.ofSeconds(15)).until(() -> "admin".equals(roleOf(promoted)));
        new WebDriverWait(browser, Duration.ofSeconds(15)).ignoring(StaleElementReferenceException.class).until(d ->
                "admin".equals(new Select(d.findElement(promotedRole)).getFirstSelectedOption().getDomProperty("value")));

        By removeButton = By.xpath("//table[@id='org-members']//tr[contains(., '" + removed + "')]"
                + "//button[@data-action='remove']");
        assertEquals("Remove " + removed, waitFor(removeButton).getDomAttribute("aria-label"));
        click(removeButton);
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.alertIsPresent()).dismiss();
        assertEquals("dismissed: still a member", "member", roleOf(removed));
        click(removeButton);
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.alertIsPresent()).accept();
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(ExpectedConditions.invisibilityOfElementLocated(removeButton));
        assertEquals("removed", null, roleOf(removed));

        By ownerRole = By.xpath("//table[@id='org-members']//tr[contains(., '" + OWNER_EMAIL + "')]"
                + "//select[@data-action='role']");
        new Select(waitFor(ownerRole)).selectByValue("admin");
        waitForText(By.cssSelector(".problem[role=alert]"), "at least one owner");
        assertEquals("owner", new Select(find(ownerRole)).getFirstSelectedOption().getDomProperty("value"));
        assertEquals("owner", roleOf(OWNER_EMAIL));
    }

    @Test
    public void aTeamMemberWithoutCountryCodeIsRefusedNamingThePhoneAddedOnceCorrectedAndDeactivated() throws Exception {
        page("team-members");
        type(By.id("member-name"), "Bea Chen");
        type(By.id("member-phone"), "(415) 555-0123");
        type(By.id("member-email"), "bea@example.com");
        click(By.id("member-add"));
        WebElement problem = waitFor(By.cssSelector(".problem[role=alert]"));
        assertTrue(problem.getText(), problem.getText().contains("phone"));
        assertEquals("what was typed is kept", "Bea Chen", find(By.id("member-name")).getDomProperty("value"));
        assertEquals("the field in error is marked", "true", find(By.id("member-phone")).getDomAttribute("aria-invalid"));
        assertEquals("and has the focus", "member-phone", browser.switchTo().activeElement().getDomAttribute("id"));

        type(By.id("member-phone"), "+14155550123");
        click(By.id("member-add"));
        waitForText(By.cssSelector("#team-members tbody"), "Bea Chen");
        assertTrue(find(By.cssSelector("#team-members tbody")).getText().contains("+14155550123"));
        JsonNode members = dooneflow.request("GET", "/v1/organizations/" + org + "/team-members", null);
        assertTrue(members.toString(), members.toString().contains("\"+14155550123\""));

        By deactivate = By.xpath("//table[@id='team-members']//tr[contains(., 'Bea Chen')]//button[@data-action='deactivate']");
        assertEquals("the row's button names its row", "Deactivate Bea Chen", find(deactivate).getDomAttribute("aria-label"));
        click(deactivate);
        waitFor(By.xpath("//table[@id='team-members']//tr[contains(., 'Bea Chen')]//button[@data-action='activate']"));
        boolean active = true;
        for (JsonNode m : dooneflow.request("GET", "/v1/organizations/" + org + "/team-members", null).path("items")) {
            if ("Bea Chen".equals(m.path("name").asText())) {
                active = m.path("active").asBoolean();
            }
        }
        assertFalse("deactivated from the page", active);
    }

    @Test
    public void textFromTheApiIsShownAsTextNeverAsMarkup() throws Exception {
        String name = "<img src=x id=injected onerror=alert(1)>";
        dooneflow.request("POST", "/v1/organizations/" + org + "/team-members",
                "{\"name\":\"" + name.replace("\"", "\\\"") + "\",\"phone\":\"+14155550199\"}");
        page("team-members");
        waitForText(By.cssSelector("#team-members tbody"), name);
        assertTrue("no element was made from the name", browser.findElements(By.id("injected")).isEmpty());
    }

    @Test
    public void twilioCredentialsAreSavedAndTheTokenIsNeverShownAgain() throws Exception {
        page("integrations");
        // The form comes from the Twilio connector's settings descriptor, its constraints with it.
        assertEquals("AC[0-9a-fA-F]{32}", waitFor(By.id("twilio-accountSid")).getDomAttribute("pattern"));
        assertEquals("password", find(By.id("twilio-authToken")).getDomAttribute("type"));
        String token = "0123456789abcdef0123456789abcdef";
        type(By.id("twilio-accountSid"), "AC0123456789abcdef0123456789abcdef");
        type(By.id("twilio-authToken"), token);

        // Neither a number nor a Messaging Service: the server's 422 is shown beside the field, which gets the focus.
        click(By.id("twilio-save"));
        waitFor(By.cssSelector("#twilio-phoneNumber[aria-invalid='true']"));
        assertTrue(find(By.id("twilio-phoneNumber-error")).getText().contains("exactly one of phoneNumber"));
        assertEquals("twilio-phoneNumber", browser.switchTo().activeElement().getDomAttribute("id"));

        type(By.id("twilio-phoneNumber"), "+15005550006");
        click(By.id("twilio-save"));
        waitForText(By.id("twilio-status"), "Auth token set");
        JsonNode saved = dooneflow.request("GET", "/v1/organizations/" + org + "/integrations/twilio", null);
        assertEquals(saved.toString(), "AC0123456789abcdef0123456789abcdef", saved.path("accountSid").asText());
        assertTrue(saved.toString(), saved.path("authTokenSet").asBoolean());

        page("integrations");
        waitForText(By.id("twilio-status"), "Auth token set");
        assertEquals("+15005550006", find(By.id("twilio-phoneNumber")).getDomProperty("value"));
        assertFalse("the token never comes back to the page", browser.getPageSource().contains(token));
    }

    @Test
    public void aSalesforceConnectionIsSavedAuthorizedInTheBrowserAndRenamedWithItsWorkflows() throws Exception {
        page("integrations");
        // Before the first connection: the callback URL to paste into the Connected App.
        assertEquals(dooneflow.base + "/v1/organizations/" + org + "/integrations/salesforce/oauth/callback",
                waitFor(By.id("salesforce-callback-url")).getText());
        assertTrue(find(By.id("salesforce-callback-copy")).isDisplayed());
        type(By.id("salesforce-name"), "Production");
        type(By.id("salesforce-clientId"), SalesforceFake.CLIENT_ID);
        type(By.id("salesforce-clientSecret"), SalesforceFake.CLIENT_SECRET);
        type(By.id("salesforce-loginUrl"), salesforce.baseUrl());
        click(By.id("salesforce-create"));

        // The fake approves at once and sends the browser back to DooneFlow's callback, which swaps the code.
        waitForText(By.tagName("h1"), "Salesforce connected");
        Map<String, String> exchange = salesforce.tokenRequests().get(0);
        assertEquals(exchange.toString(), "authorization_code", exchange.get("grant_type"));
        assertTrue("PKCE: the code is swapped with its verifier", exchange.get("code_verifier") != null
                && exchange.get("code_verifier").length() >= 43);
        click(By.id("back-to-integrations"));
        By production = By.xpath("//table[@id='salesforce-entries']//tr[contains(., 'Production')]");
        waitForText(production, "Connected");
        assertFalse("the status in words", find(production).getText().contains("connected"));
        assertEquals("Reconnect", find(By.xpath("//table[@id='salesforce-entries']//tr[contains(., 'Production')]"
                + "//button[@data-action='connect']")).getText());
        JsonNode list = dooneflow.request("GET", "/v1/organizations/" + org + "/integrations/salesforce", null);
        assertTrue(list.toString(), list.toString().contains("\"status\":\"connected\"")
                && !list.toString().contains(SalesforceFake.CLIENT_SECRET));

        // Renaming from the page: the workflow naming the connection follows, and the page says so.
        JsonNode workflow = dooneflow.request("POST", "/v1/organizations/" + org + "/workflows",
                "{\"name\":\"Leads\",\"trigger\":{\"type\":\"webhook\",\"params\":{\"path\":\"console-leads\"}},"
                        + "\"actions\":[{\"type\":\"salesforce.record.write\",\"params\":{\"connection\":\"Production\","
                        + "\"endpointType\":\"object\",\"object\":\"Lead\",\"operation\":\"create\","
                        + "\"payload\":{\"LastName\":\"{contact_name}\"}}}]}");
        assertTrue(workflow.toString(), workflow.has("id"));
        click(By.xpath("//table[@id='salesforce-entries']//tr[contains(., 'Production')]//button[@data-action='rename']"));
        Alert prompt = new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.alertIsPresent());
        prompt.sendKeys("Production EU");
        prompt.accept();
        waitForText(By.id("salesforce-result"), "Workflows now using the new name: \"Leads\"");
        waitForText(By.id("salesforce-entries"), "Production EU");
        JsonNode renamed = dooneflow.request("GET", "/v1/organizations/" + org + "/workflows/"
                + workflow.path("id").asText(), null);
        assertEquals("Production EU", renamed.path("actions").path(0).path("params").path("connection").asText());
    }

    /**
     * A third party's connector gets a page too: a bundle with its own settings descriptor and resource, dropped into
     * deploy/, is listed under Integrations; its page creates an entry (a 422 beside its field first), edits it with a
     * PATCH of only what changed and runs its Test action. A connector whose bundle does not run says so.
     */
    @Test
    public void aThirdPartyConnectorsPageIsBuiltFromItsDescriptorAndOneThatDoesNotRunSaysSo() throws Exception {
        deploy("acme-settings.jar", "com.acme.settings-it", "javax.ws.rs;version=\"[2,3)\",javax.ws.rs.core;version=\"[2,3)\"",
                "settings-fixture/acme", "OSGI-INF/acme-accounts.xml", AcmeAccountsResource.class);
        deploy("acme-offline.jar", "com.acme.offline-it", "com.acme.nowhere", "settings-fixture/acmeoff", null, null);
        Awaitility.await("the acme settings resource answers").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> dooneflow.request("GET", "/v1/organizations/" + org + "/integrations/acme", null).has("items"));
        Awaitility.await("acmeoff listed, not running").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> settingsPage("acmeoff") != null);
        assertFalse(settingsPage("acmeoff").path("running").asBoolean());

        page("integrations");
        waitForText(By.id("integration-pages"), "Acme CRM");
        click(By.linkText("Acme CRM"));
        waitForText(By.tagName("h1"), "Acme CRM");
        WebElement retries = waitFor(By.id("acme-retries"));
        assertEquals("0", retries.getDomAttribute("min"));
        assertEquals("5", retries.getDomAttribute("max"));
        assertEquals("2", retries.getDomProperty("value"));
        assertEquals("40", find(By.id("acme-name")).getDomAttribute("maxlength"));
        assertEquals("must start with ak_", find(By.id("acme-apiKey")).getDomAttribute("title"));
        assertTrue("a required secret is required on create", find(By.id("acme-apiKey")).getDomProperty("required").equals("true"));

        dooneflow.request("POST", "/v1/organizations/" + org + "/integrations/acme",
                "{\"name\":\"Main\",\"apiKey\":\"ak_first\"}");
        type(By.id("acme-name"), "Main");
        type(By.id("acme-apiKey"), "ak_secret1");
        click(By.id("acme-create"));
        waitFor(By.cssSelector("#acme-name[aria-invalid='true']"));
        assertTrue(find(By.id("acme-name-error")).getText().contains("already the name"));
        type(By.id("acme-name"), "Sales");
        new Select(find(By.id("acme-region"))).selectByValue("us");
        click(By.id("acme-create"));
        By sales = By.xpath("//table[@id='acme-entries']//tr[contains(., 'Sales')]");
        waitForText(sales, "ready");
        assertTrue(find(sales).getText(), find(sales).getText().contains("Region: us") && find(sales).getText().contains("API key set"));
        assertFalse("the key never comes back", browser.getPageSource().contains("ak_secret1"));

        click(By.xpath("//table[@id='acme-entries']//tr[contains(., 'Sales')]//button[@data-action='edit']"));
        assertEquals("", waitFor(By.id("acme-edit-apiKey")).getDomProperty("value"));
        assertEquals("not required once stored", "false", find(By.id("acme-edit-apiKey")).getDomProperty("required"));
        type(By.id("acme-edit-retries"), "4");
        click(By.id("acme-edit-save"));
        waitForText(By.id("acme-result"), "Saved");
        JsonNode edited = acmeAccount("Sales");
        assertEquals(edited.toString(), "[\"retries\"]", edited.path("patched").toString());
        assertEquals(4, edited.path("retries").asInt());
        assertTrue(edited.path("apiKeySet").asBoolean());

        click(By.xpath("//table[@id='acme-entries']//tr[contains(., 'Sales')]//button[@data-action='test']"));
        waitForText(By.id("acme-result"), "Sales: OK — Acme answered for Sales in us");

        // The dashboard has a health card for it, from the same descriptor, and says the other does not run.
        page("dashboard");
        waitForText(By.id("health-acme"), "Sales");
        assertEquals("/organizations/" + org + "/integrations/acme", URI.create(find(By.cssSelector("#health-acme a"))
                .getDomProperty("href")).getPath());
        waitForText(By.id("health-acmeoff"), "not running");

        open("/organizations/" + org + "/integrations/acmeoff");
        waitForText(By.id("acmeoff-not-running"), "Not running");
        assertTrue(find(By.id("acmeoff-not-running")).getText().contains("com.acme.offline-it"));
        assertTrue("no form for a resource that cannot answer", browser.findElements(By.id("acmeoff-save")).isEmpty());
    }

    @Test
    public void aWorkflowMadeInTheEditorRunsAndItsExecutionShowsOnTheEventsPage() throws Exception {
        page("workflows");
        click(By.id("workflow-new"));
        click(By.id("workflow-tab-json"));
        String withoutUrl = "{\"name\":\"From the console\",\"trigger\":{\"type\":\"webhook\",\"params\":{\"path\":\"console\"}},"
                + "\"actions\":[{\"type\":\"webhook.call\",\"params\":{\"payload\":{\"who\":\"{contact_name}\"}}}]}";
        setValue(By.id("workflow-json"), withoutUrl);
        click(By.id("workflow-save"));
        waitForText(By.cssSelector(".problem[role=alert]"), "actions[0].params.url");

        setValue(By.id("workflow-json"), withoutUrl.replace("{\"payload\"",
                "{\"url\":\"http://127.0.0.1:" + peer.port() + "/deliveries\",\"payload\""));
        click(By.id("workflow-save"));
        waitForText(By.id("workflow-saved"), "Saved");

        // The form shows what the JSON says; JSON that does not parse keeps the JSON tab open.
        setValue(By.id("workflow-json"), "{\"name\":");
        click(By.id("workflow-tab-form"));
        waitForText(By.cssSelector(".problem[role=alert]"), "not valid JSON");
        assertTrue("the JSON tab stays", find(By.id("workflow-json")).isDisplayed());
        setValue(By.id("workflow-json"), withoutUrl.replace("From the console", "From the console, renamed"));
        click(By.id("workflow-tab-form"));
        assertEquals("From the console, renamed", waitFor(By.id("workflow-name")).getDomProperty("value"));
        page("workflows");
        waitForText(By.id("workflows"), "From the console");

        assertTrue(postWebhook("console", "{\"name\":\"Ann Lee\"}").has("executionIds"));

        page("events");
        new WebDriverWait(browser, Duration.ofSeconds(30)).pollingEvery(Duration.ofSeconds(1)).until(d -> {
            if (!d.findElement(By.id("executions")).getText().contains("succeeded")) {
                d.navigate().refresh();
                return false;
            }
            return true;
        });
        click(By.cssSelector("#executions a.execution-link"));
        waitForText(By.id("execution-detail"), "webhook.call");
        String detail = find(By.id("execution-detail")).getText();
        assertTrue(detail, detail.contains("succeeded") && detail.contains("Step 1"));
        assertTrue("the workflow by its name: " + detail, detail.contains("From the console (version 1)"));
        // A finished, real run has no kind, next attempt, awaited connector or cancellation: those labels are left out.
        List<String> labels = find(By.id("execution-detail")).findElements(By.cssSelector("dl.facts dt")).stream()
                .map(WebElement::getText).toList();
        assertTrue(labels.toString(), labels.contains("Status") && labels.contains("Finished"));
        for (String absent : List.of("Kind", "Next attempt", "Waiting for", "Cancelling")) {
            assertFalse(absent + " in " + labels, labels.contains(absent));
        }
        List<com.github.tomakehurst.wiremock.verification.LoggedRequest> deliveries =
                peer.findAll(WireMock.postRequestedFor(WireMock.urlEqualTo("/deliveries")));
        assertTrue(deliveries.toString(), deliveries.stream().anyMatch(r -> r.getBodyAsString().contains("Ann Lee")));
    }

    @Test
    public void aFailedExecutionIsRetriedFromItsPageOnTheEventsPage() throws Exception {
        peer.stubFor(WireMock.post("/refusing").willReturn(WireMock.badRequest()));
        JsonNode created = dooneflow.request("POST", "/v1/organizations/" + org + "/workflows",
                "{\"name\":\"Retried from the console\",\"trigger\":{\"type\":\"webhook\",\"params\":{\"path\":\"retry-me\"}},"
                        + "\"actions\":[{\"type\":\"webhook.call\",\"params\":{\"url\":\"http://127.0.0.1:" + peer.port()
                        + "/refusing\"}}]}");
        assertTrue(created.toString(), created.has("id"));
        String execution = postWebhook("retry-me", "{\"name\":\"Cy Diaz\"}").path("executionIds").path(0).asText();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> "failed".equals(executionStatus(execution)));
        peer.stubFor(WireMock.post("/refusing").willReturn(WireMock.ok())); // the receiver is fixed

        page("events");
        new Select(waitFor(By.id("status-filter"))).selectByValue("failed");
        click(By.cssSelector("#executions a.execution-link[href$='/" + execution + "']"));
        waitForText(By.id("execution-detail"), "failed");
        click(By.id("execution-retry"));
        // No reload here: the open page of an unfinished run updates itself.
        new WebDriverWait(browser, Duration.ofSeconds(30)).ignoring(StaleElementReferenceException.class)
                .until(d -> d.findElement(By.id("execution-detail")).getText().contains("succeeded"));
        assertEquals("succeeded", executionStatus(execution));
        assertTrue("no retry offered once it succeeded", browser.findElements(By.id("execution-retry")).isEmpty());
    }

    /** Cancel on a running run's page stops it (Call Webhook's request to a slow receiver is aborted). */
    @Test
    public void aRunningExecutionIsCancelledFromItsPage() throws Exception {
        peer.stubFor(WireMock.post("/slow").willReturn(WireMock.ok().withFixedDelay(45_000)));
        JsonNode created = dooneflow.request("POST", "/v1/organizations/" + org + "/workflows",
                "{\"name\":\"Cancelled from the console\",\"trigger\":{\"type\":\"webhook\",\"params\":{\"path\":"
                        + "\"cancel-me\"}},\"actions\":[{\"type\":\"webhook.call\",\"params\":{\"url\":\"http://127.0.0.1:"
                        + peer.port() + "/slow\",\"timeoutSeconds\":60}}]}");
        assertTrue(created.toString(), created.has("id"));
        String execution = postWebhook("cancel-me", "{\"name\":\"Cal Stop\"}").path("executionIds").path(0).asText();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> "running".equals(executionStatus(execution)));

        open("/organizations/" + org + "/events/" + execution);
        signInIfAsked();
        click(By.id("execution-cancel"));
        new WebDriverWait(browser, Duration.ofSeconds(30)).ignoring(StaleElementReferenceException.class)
                .until(d -> d.findElement(By.id("execution-detail")).getText().contains("cancelled"));
        assertEquals("cancelled", executionStatus(execution));
        assertTrue("a cancelled run can be retried", waitFor(By.id("execution-retry")).isDisplayed());
        assertTrue("no second cancel", browser.findElements(By.id("execution-cancel")).isEmpty());
    }

    /** Disabling a workflow whose run waits for its next attempt offers to cancel that run; accepting cancels it. */
    @Test
    public void disablingAWorkflowWithAnUnfinishedRunCancelsItWhenAccepted() throws Exception {
        // Twilio-style "come back later": the run waits queued for its next attempt.
        peer.stubFor(WireMock.post("/busy").willReturn(WireMock.aResponse().withStatus(503)
                .withHeader("Retry-After", "300")));
        JsonNode created = dooneflow.request("POST", "/v1/organizations/" + org + "/workflows",
                "{\"name\":\"Disabled with a queued run\",\"trigger\":{\"type\":\"webhook\",\"params\":{\"path\":"
                        + "\"disable-me\"}},\"actions\":[{\"type\":\"webhook.call\",\"params\":{\"url\":\"http://127.0.0.1:"
                        + peer.port() + "/busy\"}}]}");
        assertTrue(created.toString(), created.has("id"));
        String execution = postWebhook("disable-me", "{\"name\":\"Dee Later\"}").path("executionIds").path(0).asText();
        Awaitility.await("queued for the next attempt").atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode e = dooneflow.request("GET", "/v1/organizations/" + org + "/executions/" + execution, null);
            return "queued".equals(e.path("status").asText()) && e.path("steps").path(0).path("attempts").asInt() >= 1;
        });

        page("workflows");
        By disable = By.xpath("//table[@id='workflows']//tr[contains(., 'Disabled with a queued run')]"
                + "//button[@data-action='disable']");
        click(disable);
        Alert offer = new WebDriverWait(browser, Duration.ofSeconds(15)).until(ExpectedConditions.alertIsPresent());
        assertTrue(offer.getText(), offer.getText().contains("has runs that have not finished"));
        offer.accept();
        Awaitility.await("cancelled").atMost(Duration.ofSeconds(15)).until(() -> "cancelled".equals(executionStatus(execution)));
        waitFor(By.xpath("//table[@id='workflows']//tr[contains(., 'Disabled with a queued run')]"
                + "//button[@data-action='enable']"));

        open("/organizations/" + org + "/events/" + execution);
        waitForText(By.id("execution-detail"), "cancelled");
    }


    /**
     * The users' guide's lead flow, built in the form without writing JSON: a keyed webhook assigns the lead to
     * every active team member in turn, texts the member (the name put in with the variable picker) and hands the
     * lead on; the key comes from the page, and a caller with it starts a run that does all three.
     */
    @Test
    public void theGuidesLeadFlowIsBuiltInTheFormKeyedFromThePageAndRunsForACallerWithTheKey() throws Exception {
        String guide = dooneflow.request("POST", "/v1/organizations", "{\"name\":\"Guide\"}").path("id").asText();
        JsonNode twilio = dooneflow.request("PUT", "/v1/organizations/" + guide + "/integrations/twilio",
                "{\"accountSid\":\"AC0123456789abcdef0123456789abcdef\",\"authToken\":\"0123456789abcdef0123456789abcdef\","
                        + "\"phoneNumber\":\"+15005550006\"}");
        assertTrue(twilio.toString(), twilio.path("authTokenSet").asBoolean());
        dooneflow.request("POST", "/v1/organizations/" + guide + "/team-members",
                "{\"name\":\"Dee Park\",\"phone\":\"+442071838750\"}");
        peer.stubFor(WireMock.post("/guide-deliveries").willReturn(WireMock.ok()));

        page(guide, "workflows");
        click(By.id("workflow-new"));
        type(By.id("workflow-name"), "New leads");
        assertEquals("webhook", new Select(find(By.id("trigger-type"))).getFirstSelectedOption().getDomProperty("value"));
        type(By.id("trigger-param-path"), "new-leads");
        select("trigger-param-authentication", "key");

        select("action-0-type", "team.assign");
        assertTrue("all active members unless some are picked", waitFor(By.id("action-0-param-pool-all")).isSelected());

        click(By.id("action-add"));
        select("action-1-type", "twilio.sms.send");
        DooneFlowTestSupport.assertContains(find(By.id("action-1-type-help")).getText(),
                "Connector: com.dooneflow.connector.twilio");
        DooneFlowTestSupport.assertContains(new Select(find(By.id("action-1-type"))).getFirstSelectedOption().getText(),
                "(twilio)");
        select("action-1-param-recipientType", "team_member");
        type(By.id("action-1-param-body"), "Hi ");
        pickVariable("action-1-param-body", "team_member_name");
        find(By.id("action-1-param-body")).sendKeys(", new contact assigned: ");
        pickVariable("action-1-param-body", "contact_name");
        find(By.id("action-1-param-body")).sendKeys(" (");
        pickVariable("action-1-param-body", "contact_phone");
        find(By.id("action-1-param-body")).sendKeys(").");
        assertEquals("Hi {team_member_name}, new contact assigned: {contact_name} ({contact_phone}).",
                find(By.id("action-1-param-body")).getDomProperty("value"));

        click(By.id("action-add"));
        select("action-2-type", "webhook.call");
        click(By.id("action-2-param-headers-add"));
        type(By.id("action-2-param-headers-key-0"), "X-Lead");
        pickVariable("action-2-param-headers", "contact_name");

        // Saved without the URL: the error is beside the field, which gets the focus, and again on a second try.
        for (int attempt = 1; attempt <= 2; attempt++) {
            click(By.id("workflow-save"));
            new WebDriverWait(browser, Duration.ofSeconds(15)).until(ExpectedConditions.elementToBeClickable(By.id("workflow-save")));
            waitFor(By.cssSelector("#action-2-param-url[aria-invalid='true']"));
            assertFalse("attempt " + attempt, find(By.id("action-2-param-url-error")).getText().isBlank());
            assertEquals("attempt " + attempt, "action-2-param-url", browser.switchTo().activeElement().getDomAttribute("id"));
            assertTrue("attempt " + attempt, find(By.cssSelector(".problem[role=alert]")).getText().contains("actions[2].params.url"));
        }
        type(By.id("action-2-param-url"), "http://127.0.0.1:" + peer.port() + "/guide-deliveries");
        click(By.id("workflow-save"));

        // Saved with key authentication and no key yet: the key is generated at once and shown this once.
        String first = shownText(By.id("webhook-key"), "");
        assertEquals(dooneflow.base + "/webhook/new-leads", find(By.id("webhook-url")).getText());
        assertTrue(find(By.id("webhook-curl")).getText(), find(By.id("webhook-curl")).getText()
                .contains("-H 'X-Webhook-Key: " + first + "'"));
        // Rotating asks how long the old key stays valid (24 hours unless chosen): here not at all...
        assertEquals("86400", new Select(find(By.id("webhook-key-grace"))).getFirstSelectedOption()
                .getDomProperty("value"));
        new Select(find(By.id("webhook-key-grace"))).selectByValue("0");
        click(By.id("webhook-key-generate")); // rotate
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.alertIsPresent()).accept();
        String second = shownText(By.id("webhook-key"), first);
        waitForText(By.id("webhook-key-previous"), "None");
        // ...and again with the default grace: the page says until when the replaced key is still accepted.
        click(By.id("webhook-key-generate"));
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.alertIsPresent()).accept();
        String key = shownText(By.id("webhook-key"), second);
        waitForText(By.id("webhook-key-previous"), "Still accepted until");

        JsonNode saved = dooneflow.request("GET", "/v1/organizations/" + guide + "/workflows", null).path("items").path(0);
        assertTrue(saved.toString(), saved.path("webhookKeySet").asBoolean());
        assertEquals(saved.toString(), 0, saved.path("actions").path(0).path("params").path("pool").size());
        assertEquals("{contact_name}", saved.path("actions").path(2).path("params").path("headers").path("X-Lead").asText());


        // The test run from the page shows each step.
        setValue(By.id("workflow-test-body"), "{\"name\":\"Tess Run\",\"phone\":\"+14155550100\"}");
        click(By.id("workflow-test-run"));
        waitForText(By.id("workflow-test-result"), "Step 3");
        String run = find(By.id("workflow-test-result")).getText();
        assertTrue(run, run.contains("Step 1: Assign team member succeeded") && run.contains("Step 2: Send SMS succeeded")
                && run.contains("Step 3: Call webhook succeeded") && run.contains("Dee Park"));

        // A caller: the key rotated out without a grace is refused; the curl command as the page shows it (with the
        // new key and a sample body: Ann Lee, +14155550123) starts the run.
        assertEquals(401, deliver("new-leads", first, "{\"name\":\"Ann Lee\",\"phone\":\"+14155550123\"}").statusCode());
        String curl = find(By.id("webhook-curl")).getText();
        assertTrue(curl, curl.startsWith("curl -X POST '" + dooneflow.base + "/webhook/new-leads'")
                && curl.contains("-H 'X-Webhook-Key: " + key + "'"));
        Process caller = new ProcessBuilder("bash", "-c", curl).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String accepted = new String(caller.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue("curl finished", caller.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(accepted, 0, caller.exitValue());
        String execution = new ObjectMapper().readTree(accepted).path("executionIds").path(0).asText();
        assertFalse(accepted, execution.isEmpty());
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> "succeeded".equals(executionStatus(guide, execution)));

        List<Map<String, String>> texts = peer.findAll(WireMock.postRequestedFor(
                        WireMock.urlPathMatching("/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json")))
                .stream().map(r -> form(r.getBodyAsString())).toList();
        assertTrue(texts.toString(), texts.stream().anyMatch(t -> "+442071838750".equals(t.get("To"))
                && "Hi Dee Park, new contact assigned: Ann Lee (+14155550123).".equals(t.get("Body"))));
        List<LoggedRequest> handedOn = peer.findAll(WireMock.postRequestedFor(WireMock.urlEqualTo("/guide-deliveries")));
        assertTrue(handedOn.toString(), handedOn.stream().anyMatch(r -> "Ann Lee".equals(r.getHeader("X-Lead"))));

        // Reopened after that run: the test run starts from its body, and its fields are variables (email is none
        // of the trigger's own); a typo'd variable is flagged beside its field when leaving it...
        String workflowId = saved.path("id").asText();
        open("/organizations/" + guide + "/workflows/" + workflowId);
        signInIfAsked();
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(d -> d.findElement(By.id("workflow-test-body"))
                .getDomProperty("value").contains("\"email\": \"ann@example.com\""));
        waitForText(By.id("workflow-test-sample-source"), "From the last real event");
        click(By.id("action-1-param-body-vars"));
        waitForText(By.id("action-1-param-body-vars-list"), "Last event");
        waitFor(By.cssSelector("#action-1-param-body-vars-list button[data-variable='email']"));
        click(By.id("action-1-param-body-vars"));
        find(By.id("action-1-param-body")).sendKeys(" Ask {team_membr_name}.");
        click(By.id("workflow-name"));
        waitForText(By.id("action-1-param-body-warning"),
                "{team_membr_name} is not provided by any earlier step or the last event");
        assertTrue(find(By.id("action-1-param-body")).getDomAttribute("aria-describedby")
                .contains("action-1-param-body-warning"));
        // ...or on saving, which then keeps the workflow as it was; saving again keeps the webhook's free-form names.
        int version = dooneflow.request("GET", "/v1/organizations/" + guide + "/workflows/" + workflowId, null)
                .path("version").asInt();
        find(By.id("action-2-param-headers-value-0")).sendKeys("{contact_nmae}");
        click(By.id("workflow-save"));
        waitForText(By.id("workflow-saved"), "Not saved yet");
        waitForText(By.id("action-2-param-headers-warning"), "{contact_nmae} is not provided");
        assertEquals(version, dooneflow.request("GET", "/v1/organizations/" + guide + "/workflows/" + workflowId, null)
                .path("version").asInt());
        click(By.id("workflow-save"));
        waitForText(By.id("workflow-saved"), "Saved (version " + (version + 1) + ")");
        JsonNode resaved = dooneflow.request("GET", "/v1/organizations/" + guide + "/workflows/" + workflowId, null);
        assertTrue(resaved.toString(), resaved.path("actions").path(1).path("params").path("body").asText()
                .endsWith("Ask {team_membr_name}."));

        // The real run read on Events: its SMS step shows where the message really went (the assigned member).
        page(guide, "events");
        click(By.cssSelector("#executions a.execution-link[href$='/" + execution + "']"));
        waitForText(By.id("step-2"), "+442071838750");
        String sms = find(By.id("step-2")).getText();
        assertTrue(sms, sms.contains("\"to\": \"+442071838750\"") && !sms.contains("\"to\": \"+14155550123\""));

        // The test run is marked as one on Events, can be filtered, and stays out of the dashboard's counts.
        page(guide, "events");
        By tessRow = By.xpath("//table[@id='executions']//tr[contains(., 'Tess Run')]");
        By annRow = By.xpath("//table[@id='executions']//tr[contains(., 'Ann Lee')]");
        assertTrue(waitFor(tessRow).getText(), find(tessRow).findElements(By.cssSelector(".badge-test")).size() == 1);
        assertTrue(find(annRow).getText(), find(annRow).findElements(By.cssSelector(".badge-test")).isEmpty());
        select("test-filter", "true");
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(ExpectedConditions.urlContains("test=true"));
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(d -> d.findElements(annRow).isEmpty()
                && d.findElements(tessRow).size() == 1);
        click(By.cssSelector("#executions a.execution-link"));
        waitForText(By.tagName("h1"), "Test run of New leads");
        waitForText(By.id("step-1-attempts"), "succeeded");
        page(guide, "dashboard");
        waitForText(By.cssSelector("main"), "Last 1 runs");

        // Activity, filtered on webhook keys, lists the generated key and both rotations on this workflow, nothing else.
        page(guide, "activity");
        type(By.id("activity-action"), "webhook-key");
        click(By.id("activity-apply"));
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(ExpectedConditions.urlContains("action=webhook-key"));
        By keyRows = By.xpath("//table[@id='activity']//tbody/tr[contains(., 'webhook-key')]");
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(d -> d.findElements(keyRows).size() >= 3);
        List<WebElement> rows = find(By.id("activity")).findElements(By.cssSelector("tbody tr"));
        assertEquals("only key changes", browser.findElements(keyRows).size(), rows.size());
        for (WebElement row : rows) {
            assertTrue(row.getText(), row.getText().contains(saved.path("id").asText())
                    && row.getText().contains("workflow"));
        }
    }

    /**
     * A run as a person reads it on Events: found by its contact's name with the filter kept in the URL, its SMS step
     * showing the number the message really went to (the assigned member's, not the contact's), the failed step
     * explained, the step after it listed as not run, and Back returning to the filtered list.
     */
    @Test
    public void aRunIsFoundByItsContactAndReadStepByStepWithTheRealSmsRecipient() throws Exception {
        String runs = dooneflow.request("POST", "/v1/organizations", "{\"name\":\"Runs\"}").path("id").asText();
        dooneflow.request("PUT", "/v1/organizations/" + runs + "/integrations/twilio",
                "{\"accountSid\":\"AC0123456789abcdef0123456789abcdef\",\"authToken\":\"0123456789abcdef0123456789abcdef\","
                        + "\"phoneNumber\":\"+15005550006\"}");
        dooneflow.request("POST", "/v1/organizations/" + runs + "/team-members",
                "{\"name\":\"Dee Park\",\"phone\":\"+442071838750\"}");
        peer.stubFor(WireMock.post("/runs-refusing").willReturn(WireMock.badRequest()));
        String base = "http://127.0.0.1:" + peer.port();
        JsonNode workflow = dooneflow.request("POST", "/v1/organizations/" + runs + "/workflows",
                "{\"name\":\"Lead follow-up\",\"trigger\":{\"type\":\"webhook\",\"params\":{\"path\":\"runs-leads\"}},"
                        + "\"actions\":[{\"type\":\"team.assign\",\"params\":{}},"
                        + "{\"type\":\"twilio.sms.send\",\"params\":{\"recipientType\":\"team_member\","
                        + "\"body\":\"Hi {team_member_name}, new lead: {contact_name}\"}},"
                        + "{\"type\":\"webhook.call\",\"params\":{\"url\":\"" + base + "/runs-refusing\"}},"
                        + "{\"type\":\"webhook.call\",\"params\":{\"url\":\"" + base + "/deliveries\"}}]}");
        assertTrue(workflow.toString(), workflow.has("id"));
        String ann = postWebhook("runs-leads", "{\"name\":\"Ann Lee\",\"email\":\"ann@example.com\","
                + "\"phone\":\"+14155550123\"}").path("executionIds").path(0).asText();
        String bo = postWebhook("runs-leads", "{\"name\":\"Bo Li\",\"phone\":\"+14155550999\"}")
                .path("executionIds").path(0).asText();
        new WebDriverWait(browser, Duration.ofSeconds(60)).until(d -> "failed".equals(executionStatus(runs, ann))
                && "failed".equals(executionStatus(runs, bo)));

        page(runs, "events");
        type(By.id("search-filter"), "Ann Lee");
        click(By.id("filter-apply"));
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(ExpectedConditions.urlContains("q=Ann+Lee"));
        waitForText(By.cssSelector("#executions tbody"), "Ann Lee · ann@example.com · +14155550123");
        String list = find(By.cssSelector("#executions tbody")).getText();
        assertTrue(list, list.contains("Lead follow-up") && list.contains("failed") && !list.contains("Bo Li"));

        click(By.cssSelector("#executions a.execution-link[href$='/" + ann + "']"));
        waitForText(By.id("step-4"), "Not run: step 3 failed.");
        assertEquals("Run of Lead follow-up", find(By.tagName("h1")).getText());
        assertTrue(browser.getTitle(), browser.getTitle().startsWith("Run of Lead follow-up"));
        assertEquals("Lead follow-up (version 1)", find(By.id("execution-workflow")).getText());
        String sms = find(By.id("step-2")).getText();
        assertTrue("the SMS went to the assigned member: " + sms, sms.contains("twilio.sms.send")
                && sms.contains("\"to\": \"+442071838750\"") && !sms.contains("+14155550123"));
        String refused = find(By.id("step-3")).getText();
        assertTrue(refused, refused.contains("received the request and answered 400"));
        // Each step lists its attempts with their times and outcome.
        String attempts = find(By.id("step-3-attempts")).getText();
        assertTrue(attempts, attempts.contains("failed") && attempts.contains("400")
                && find(By.id("step-3-attempts")).findElements(By.cssSelector("tbody tr")).size() == 1);
        assertTrue(find(By.id("step-1-attempts")).getText(), find(By.id("step-1-attempts")).getText().contains("succeeded"));
        List<Map<String, String>> texts = peer.findAll(WireMock.postRequestedFor(
                        WireMock.urlPathMatching("/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json")))
                .stream().map(r -> form(r.getBodyAsString())).toList();
        assertTrue(texts.toString(), texts.stream().anyMatch(t -> "+442071838750".equals(t.get("To"))
                && "Hi Dee Park, new lead: Ann Lee".equals(t.get("Body"))));

        browser.navigate().back();
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(d -> "Ann Lee".equals(
                d.findElement(By.id("search-filter")).getDomProperty("value")));
        waitForText(By.cssSelector("#executions tbody"), "Ann Lee");
        assertFalse("Back keeps the filter", find(By.cssSelector("#executions tbody")).getText().contains("Bo Li"));
    }

    /** At a phone's width (390 px) every page fits the screen: tables become cards and the navigation folds. */
    @Test
    public void atPhoneWidthNoPageIsWiderThanTheScreen() throws Exception {
        Map<String, By> pages = everyPage();
        open("/organizations/" + org);
        signInIfAsked();
        Dimension before = browser.manage().window().getSize();
        browser.manage().window().setSize(new Dimension(390, 844));
        try {
            for (Map.Entry<String, By> p : pages.entrySet()) {
                open(p.getKey());
                waitFor(p.getValue());
                long page = (Long) script("return document.documentElement.scrollWidth;");
                long screen = (Long) script("return document.documentElement.clientWidth;");
                assertTrue(p.getKey() + " is " + page + " px wide on a " + screen + " px screen", page <= screen);
            }
            open("/organizations/" + org + "/events");
            waitFor(By.id("executions"));
            assertFalse("the navigation is folded", find(By.id("site-nav")).isDisplayed());
            click(By.id("nav-toggle"));
            assertTrue("and opens from Menu", waitFor(By.id("site-nav")).isDisplayed());
            assertEquals("true", find(By.id("nav-toggle")).getDomAttribute("aria-expanded"));

            // The sign-in page, which shows only when nobody is signed in.
            signedOutEverywhere();
            open("/sign-in");
            waitFor(By.id("email"));
            long page = (Long) script("return document.documentElement.scrollWidth;");
            long screen = (Long) script("return document.documentElement.clientWidth;");
            assertTrue("/sign-in is " + page + " px wide on a " + screen + " px screen", page <= screen);
        } finally {
            browser.manage().window().setSize(before);
        }
    }

    /**
     * axe-core, injected from the test (the console never ships it), finds no serious or critical accessibility
     * violation on any page; a page change moves the focus to the new page's heading.
     */
    @Test
    public void everyPagePassesAnAccessibilityCheck() throws Exception {
        Map<String, By> pages = everyPage();
        List<String> violations = new ArrayList<>();
        for (Map.Entry<String, By> p : pages.entrySet()) {
            open(p.getKey());
            signInIfAsked();
            waitFor(p.getValue());
            seriousViolations().forEach(v -> violations.add(p.getKey() + ": " + v));
        }
        // The check can fail: an image without a text alternative is a critical violation.
        script("document.querySelector('main').append(Object.assign(document.createElement('img'), { src: 'data:,' }));");
        assertTrue("axe-core reports what it should", seriousViolations().stream().anyMatch(v -> v.startsWith("image-alt")));

        signedOutEverywhere();
        open("/sign-in");
        waitFor(By.id("email"));
        seriousViolations().forEach(v -> violations.add("/sign-in: " + v));
        assertTrue(String.join("\n", violations), violations.isEmpty());

        page("team-members");
        click(By.cssSelector("a[data-nav='events']"));
        WebElement focused = new WebDriverWait(browser, Duration.ofSeconds(15)).until(d -> {
            WebElement active = d.switchTo().activeElement();
            return "h1".equals(active.getTagName()) ? active : null;
        });
        assertEquals("the focus is on the new page's heading", "Events", focused.getText());
        assertTrue(browser.getTitle(), browser.getTitle().startsWith("Events — "));
        assertEquals("a skip link comes first", "Skip to content",
                find(By.cssSelector("#app > a.skip-link")).getDomProperty("textContent"));
    }

    // ------------------------------------------------------------------ helpers

    /** Every page of the console (a run's and a workflow's too) with an element that shows once its data is in. */
    private static Map<String, By> everyPage() throws Exception {
        JsonNode workflow = dooneflow.request("POST", "/v1/organizations/" + org + "/workflows",
                "{\"name\":\"Every page\",\"trigger\":{\"type\":\"webhook\",\"params\":{\"path\":\"every-page-"
                        + System.nanoTime() + "\"}},\"actions\":[{\"type\":\"webhook.call\",\"params\":{\"url\":"
                        + "\"http://127.0.0.1:" + peer.port() + "/deliveries\"}}]}");
        String path = workflow.path("trigger").path("params").path("path").asText();
        String run = postWebhook(path, "{\"name\":\"Pia Page\"}").path("executionIds").path(0).asText();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> "succeeded".equals(executionStatus(run)));
        String at = "/organizations/" + org;
        Map<String, By> pages = new LinkedHashMap<>();
        pages.put(at, By.cssSelector("#integration-health .grid"));
        pages.put(at + "/workflows", By.id("workflows"));
        pages.put(at + "/workflows/" + workflow.path("id").asText(), By.id("workflow-name"));
        pages.put(at + "/events", By.cssSelector("#executions a.execution-link"));
        pages.put(at + "/events/" + run, By.id("execution-steps"));
        pages.put(at + "/integrations", By.id("salesforce-entries"));
        pages.put(at + "/integrations/twilio", By.id("twilio-status"));
        pages.put(at + "/email-inboxes", By.id("email-entries"));
        pages.put(at + "/team-members", By.id("team-members"));
        pages.put(at + "/members", By.id("org-members"));
        pages.put(at + "/activity", By.cssSelector("#activity tbody tr"));
        pages.put(at + "/settings", By.id("api-tokens"));
        return pages;
    }

    /** axe-core's serious and critical violations on the page shown, one line each with the elements concerned. */
    @SuppressWarnings("unchecked")
    private static List<String> seriousViolations() throws Exception {
        script(AxeSource.TEXT);
        Object found = ((JavascriptExecutor) browser).executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "axe.run(document, { resultTypes: ['violations'] }).then((r) => done(r.violations"
                + ".filter((v) => v.impact === 'serious' || v.impact === 'critical')"
                + ".map((v) => v.id + ' (' + v.impact + '): ' + v.help + ' at ' + v.nodes.map((n) => n.target.join(' ')).join(', '))))"
                + ".catch((e) => done(['axe-core did not run: ' + e]));");
        return (List<String>) found;
    }

    /** axe-core's browser script, from its package on the test class path. */
    private static final class AxeSource {
        static final String TEXT = read();

        private static String read() {
            try (InputStream in = WebConsoleIT.class.getClassLoader()
                    .getResourceAsStream("META-INF/resources/webjars/axe-core/4.6.3/axe.min.js")) {
                if (in == null) {
                    throw new IllegalStateException("axe-core is not on the test class path");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static Object script(String js) {
        return ((JavascriptExecutor) browser).executeScript(js);
    }


    /** Inserts a variable into a field with the field's variable picker. */
    private static void pickVariable(String field, String variable) {
        click(By.id(field + "-vars"));
        click(By.cssSelector("#" + field + "-vars-list button[data-variable='" + variable + "']"));
    }

    /** POSTs JSON to a webhook path with a webhook key, as an outside caller. */
    private static HttpResponse<String> deliver(String path, String key, String json) throws Exception {
        return DistributionProcess.HTTP.send(HttpRequest.newBuilder(URI.create(dooneflow.base + "/webhook/" + path))
                .header("Content-Type", "application/json").header("X-Webhook-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A form-encoded body's fields. */
    private static Map<String, String> form(String body) {
        Map<String, String> fields = new HashMap<>();
        for (String pair : body.split("&")) {
            String[] kv = pair.split("=", 2);
            fields.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return fields;
    }

    /** Picks an option of a select by its value (the change event re-renders the form: find fields again after). */
    private static void select(String id, String value) {
        new Select(waitFor(By.id(id))).selectByValue(value);
    }

    /** POSTs JSON to a webhook path; the 202's answer. */
    private static JsonNode postWebhook(String path, String json) throws Exception {
        HttpResponse<String> answer = DistributionProcess.HTTP.send(HttpRequest.newBuilder(
                        URI.create(dooneflow.base + "/webhook/" + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(answer.body(), 202, answer.statusCode());
        return new ObjectMapper().readTree(answer.body());
    }

    private static String executionStatus(String id) {
        return executionStatus(org, id);
    }

    private static String executionStatus(String organization, String id) {
        try {
            return dooneflow.request("GET", "/v1/organizations/" + organization + "/executions/" + id, null)
                    .path("status").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Drops a connector bundle into the distribution's deploy/ folder, as a third party installs one: a manifest
     * importing {@code imports}, the files under the test resource folder {@code files}, and, when given, one
     * Declarative Services component ({@code component}, its XML) implemented by {@code type}.
     */
    private static void deploy(String jarName, String symbolicName, String imports, String files, String component,
                               Class<?> type) throws Exception {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", symbolicName);
        main.putValue("Bundle-Version", "1.0.0");
        main.putValue("Import-Package", imports);
        if (component != null) {
            main.putValue("Service-Component", component);
        }
        Path root = Path.of(WebConsoleIT.class.getClassLoader().getResource(files).toURI());
        Path staged = dooneflow.home.resolve(jarName + ".tmp");
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(staged), manifest);
             Stream<Path> tree = Files.walk(root)) {
            for (Path f : (Iterable<Path>) tree.filter(Files::isRegularFile)::iterator) {
                jar.putNextEntry(new JarEntry(root.relativize(f).toString().replace('\\', '/')));
                jar.write(Files.readAllBytes(f));
                jar.closeEntry();
            }
            if (type != null) {
                String classFile = type.getName().replace('.', '/') + ".class";
                try (InputStream in = type.getClassLoader().getResourceAsStream(classFile)) {
                    jar.putNextEntry(new JarEntry(classFile));
                    jar.write(in.readAllBytes());
                    jar.closeEntry();
                }
            }
        }
        // moved in whole, so File Install never reads half a jar
        Files.move(staged, dooneflow.home.resolve("deploy").resolve(jarName), StandardCopyOption.ATOMIC_MOVE);
    }

    /** The settings page {@code id} as GET /v1/connectors lists it, or null. */
    private static JsonNode settingsPage(String id) throws Exception {
        for (JsonNode page : dooneflow.request("GET", "/v1/connectors", null).path("settings")) {
            if (id.equals(page.path("id").asText())) {
                return page;
            }
        }
        return null;
    }

    private static JsonNode acmeAccount(String name) throws Exception {
        for (JsonNode a : dooneflow.request("GET", "/v1/organizations/" + org + "/integrations/acme", null).path("items")) {
            if (name.equals(a.path("name").asText())) {
                return a;
            }
        }
        throw new AssertionError("no Acme account " + name);
    }

    /** Opens a page of the organization through the navigation, signing in first if the console asks. */
    private static void page(String nav) {
        page(org, nav);
    }

    private static void page(String organization, String nav) {
        open("/organizations/" + organization);
        signInIfAsked();
        click(By.cssSelector("a[data-nav='" + nav + "']"));
        waitFor(By.tagName("h1"));
    }

    /** Signs in with the owner's API token ("Use an API token instead") when the console asks. */
    private static void signInIfAsked() {
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(d -> !d.findElements(By.id("email")).isEmpty()
                || !d.findElements(By.cssSelector("a[data-nav='dashboard']")).isEmpty());
        if (!browser.findElements(By.id("email")).isEmpty()) {
            click(By.id("use-token"));
            find(By.id("token")).sendKeys(dooneflow.token);
            click(By.id("sign-in-token"));
            waitFor(By.cssSelector("a[data-nav='dashboard']"));
        }
    }

    /** Neither a session cookie nor a tab's token: the next page asks to sign in. */
    private static void signInAs(String email, String password) {
        type(By.id("email"), email);
        type(By.id("password"), password);
        click(By.id("sign-in"));
    }

    /** The latest mail to this address whose subject starts so, once at least {@code count} such mails came. */
    private static jakarta.mail.internet.MimeMessage mailTo(String address, String subject) {
        return mailTo(address, subject, 1);
    }

    private static jakarta.mail.internet.MimeMessage mailTo(String address, String subject, int count) {
        List<jakarta.mail.internet.MimeMessage> found = new ArrayList<>();
        Awaitility.await("mail to " + address).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    found.clear();
                    for (jakarta.mail.internet.MimeMessage m : smtp.getReceivedMessages()) {
                        if (m.getAllRecipients()[0].toString().equals(address) && m.getSubject().startsWith(subject)) {
                            found.add(m);
                        }
                    }
                    return found.size() >= count;
                });
        return found.get(found.size() - 1);
    }

    private static void signedOutEverywhere() {
        open("/ui/app.css");
        browser.manage().deleteAllCookies();
        script("sessionStorage.clear();");
    }

    /** Someone invited to the organization as a member who accepted (email {@code prefix}…); their email. */
    private static String joinedMember(String prefix) throws Exception {
        String email = prefix + System.nanoTime() + "@example.com";
        String issued = dooneflow.request("POST", "/v1/organizations/" + org + "/members",
                "{\"email\":\"" + email + "\",\"role\":\"member\"}").path("acceptToken").asText();
        HttpResponse<String> accepted = DistributionProcess.HTTP.send(HttpRequest.newBuilder(URI.create(dooneflow.base
                        + "/v1/invitations/accept")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + issued
                        + "\",\"password\":\"a member's password\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(accepted.body(), 200, accepted.statusCode());
        return email;
    }

    /** The member's role in the organization through REST, or null when they are not a member. */
    private static String roleOf(String email) throws Exception {
        for (JsonNode m : dooneflow.request("GET", "/v1/organizations/" + org + "/members", null).path("items")) {
            if (email.equals(m.path("email").asText())) {
                return m.path("role").asText();
            }
        }
        return null;
    }

    /** GET /v1/me with another bearer token than the owner's. */
    private static JsonNode meWith(String token) throws Exception {
        return new ObjectMapper().readTree(DistributionProcess.HTTP.send(HttpRequest.newBuilder(
                URI.create(dooneflow.base + "/v1/me")).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    private static void open(String path) {
        browser.get(dooneflow.base + path);
    }

    private static WebElement find(By by) {
        return browser.findElement(by);
    }

    private static WebElement waitFor(By by) {
        return new WebDriverWait(browser, Duration.ofSeconds(15)).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    /** The element's text once it is neither blank nor {@code not}, read again as the page re-renders it. */
    private static String shownText(By by, String not) {
        return new WebDriverWait(browser, Duration.ofSeconds(15)).ignoring(StaleElementReferenceException.class)
                .until(d -> {
                    String text = d.findElement(by).getText();
                    return text.isBlank() || text.equals(not) ? null : text;
                });
    }

    /**
     * Waits until the element shows the text. The page may be replaced while it is read (a redirect, a re-render):
     * the driver then reports the element gone from the document, which only means "not yet".
     */
    private static void waitForText(By by, String text) {
        new WebDriverWait(browser, Duration.ofSeconds(15)).ignoring(StaleElementReferenceException.class)
                .ignoring(WebDriverException.class)
                .withMessage(() -> "text '" + text + "' in " + by)
                .until(d -> d.findElement(by).getText().contains(text));
    }

    private static void click(By by) {
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(ExpectedConditions.elementToBeClickable(by)).click();
    }

    private static void type(By by, String text) {
        WebElement field = waitFor(by);
        field.clear();
        field.sendKeys(text);
    }

    /** Sets a large text at once (typing JSON key by key would trip editors that pair brackets). */
    private static void setValue(By by, String text) {
        WebElement field = waitFor(by);
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'));", field, text);
    }
}
