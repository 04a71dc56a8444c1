package com.dooneflow.engine.internal;

import static com.dooneflow.engine.internal.EngineFakes.action;
import static com.dooneflow.engine.internal.EngineFakes.map;
import static com.dooneflow.engine.internal.EngineFakes.trigger;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import com.dooneflow.api.FieldError;
import com.dooneflow.api.ForbiddenException;
import com.dooneflow.api.NotFoundException;
import com.dooneflow.api.StepSpec;
import com.dooneflow.api.ValidationException;
import com.dooneflow.api.Workflow;
import com.dooneflow.api.WorkflowDefinition;
import com.dooneflow.api.WorkflowSecrets;
import com.dooneflow.api.spi.ActionContext;
import com.dooneflow.api.spi.ActionHandler;
import com.dooneflow.api.spi.ActionResult;
import com.dooneflow.api.spi.ParameterDescriptor;
import com.dooneflow.api.spi.ParameterType;
import com.dooneflow.api.spi.TriggerSink;
import com.dooneflow.api.spi.TriggerSource;
import com.dooneflow.api.spi.TypeDescriptor;
import com.dooneflow.api.store.WorkflowRow;
import com.dooneflow.engine.internal.EngineFakes.FakeConnectorRegistry;
import com.dooneflow.engine.internal.EngineFakes.FakeExecutionStore;
import com.dooneflow.engine.internal.EngineFakes.FakeHandler;
import com.dooneflow.engine.internal.EngineFakes.FakeOrganizationService;
import com.dooneflow.engine.internal.EngineFakes.FakeSecretVault;
import com.dooneflow.engine.internal.EngineFakes.FakeWorkflowStore;
import com.dooneflow.testing.InMemoryStepJournal;

class WorkflowServiceImplTest {

    private static final String ORG = "org-1";
    private static final String SECRET_FIELD = "actions[0].params.signingSecret";

    private static final TypeDescriptor WEBHOOK = trigger("webhook",
            ParameterDescriptor.of("path", "Path", ParameterType.STRING).asRequired(),
            ParameterDescriptor.of("authentication", "Authentication", ParameterType.SELECT)
                    .withOptions("none", "key", "signature"));

    private static final TypeDescriptor WEBHOOK_CALL = action("webhook.call",
            ParameterDescriptor.of("url", "URL", ParameterType.STRING).asRequired().asTemplatable(),
            ParameterDescriptor.of("signingSecret", "Signing secret", ParameterType.STRING).asSecret());

    private final FakeOrganizationService organizations = new FakeOrganizationService();
    private final FakeWorkflowStore store = new FakeWorkflowStore();
    private final FakeSecretVault vault = new FakeSecretVault();
    private final FakeConnectorRegistry registry = new FakeConnectorRegistry()
            .withTrigger(WEBHOOK)
            .with(FakeHandler.ok(WEBHOOK_CALL, Map.of()));
    private final Intake intake = new Intake(new FakeExecutionStore(), store, new InMemoryStepJournal());
    private final WorkflowServiceImpl service = new WorkflowServiceImpl(organizations, store, vault, registry, intake);

    /** A webhook source on this node, counting how often it is told routing changed. */
    private final List<String> sourceEvents = new ArrayList<>();

    @BeforeEach
    void openAWebhookSource() {
        intake.addTriggerSource(new TriggerSource() {
            @Override
            public TypeDescriptor descriptor() {
                return WEBHOOK;
            }

            @Override
            public void open(TriggerSink sink) {
                sourceEvents.add("open");
            }

            @Override
            public void close() {
                sourceEvents.add("close");
            }

            @Override
            public void bindingsChanged() {
                sourceEvents.add("bindingsChanged");
            }
        }, Map.of(TriggerSource.TYPE, "webhook"));
        sourceEvents.clear();
    }

    private static StepSpec webhook(String path) {
        return new StepSpec("webhook", map("path", path, "authentication", "key"), null);
    }

    private static StepSpec call(String url, Object... more) {
        Map<String, Object> params = map("url", url);
        params.putAll(map(more));
        return new StepSpec("webhook.call", params, null);
    }

    private Workflow createLeads() {
        return service.create(FakeOrganizationService.OWNER, ORG, new WorkflowDefinition("Leads", null,
                webhook("leads"), List.of(call("https://crm.example.com/{contact_name}", "signingSecret", "s3cret"))));
    }

    private WorkflowRow row(String id) {
        return store.rows.get(id);
    }

    private static Map<String, Object> params(StepSpec step) {
        return step.params();
    }

    @Nested
    class Create {

        @Test
        void savesVersionOneEnabledByDefaultWithThePathAsTriggerKey() {
            Workflow w = service.create(FakeOrganizationService.OWNER, ORG, new WorkflowDefinition("  Leads  ", null,
                    webhook("leads"), List.of(call("https://crm.example.com"))));

            assertThat(w.id()).isNotBlank();
            assertThat(w.organizationId()).isEqualTo(ORG);
            assertThat(w.name()).isEqualTo("Leads");
            assertThat(w.version()).isEqualTo(1);
            assertThat(w.enabled()).isTrue();
            assertThat(w.webhookKeySet()).isFalse();
            assertThat(w.createdAt()).isNotNull().isEqualTo(w.updatedAt());
            WorkflowRow row = row(w.id());
            assertThat(row.version()).isEqualTo(1);
            assertThat(row.triggerType()).isEqualTo("webhook");
            assertThat(row.triggerKey()).isEqualTo("leads");
            assertThat(store.definition(w.id(), 1)).contains(row.definition());
            Definitions.Stored stored = Definitions.read(row.definition());
            assertThat(stored.trigger().params()).containsEntry("path", "leads");
            assertThat(stored.actions()).extracting(StepSpec::type).containsExactly("webhook.call");
        }

        @Test
        void thePathIsKeyedInLowerCaseSoPathsDifferingInCaseAreOnePath() {
            Workflow w = service.create(FakeOrganizationService.OWNER, ORG, new WorkflowDefinition("Orders", null,
                    webhook("B-Orders"), List.of(call("https://crm.example.com"))));

            assertThat(row(w.id()).triggerKey()).isEqualTo("b-orders");
            assertThat(w.trigger().params()).containsEntry("path", "B-Orders");
            assertThatThrownBy(() -> service.create(FakeOrganizationService.OWNER, ORG, new WorkflowDefinition("Twin",
                    null, webhook("b-orders"), List.of(call("https://crm.example.com")))))
                    .isInstanceOf(com.dooneflow.api.ConflictException.class);
        }

        @Test
        void theTriggerSourceChecksWhatOnlyItCanAndEachErrorNamesTheParameter() {
            TypeDescriptor inboxTrigger = trigger("email.imap",
                    ParameterDescriptor.of("inboxId", "Inbox", ParameterType.STRING).asRequired());
            List<String> asked = new ArrayList<>();
            registry.withTriggerSource(new TriggerSource() {
                @Override
                public TypeDescriptor descriptor() {
                    return inboxTrigger;
                }

                @Override
                public void open(TriggerSink sink) {
                }

                @Override
                public void close() {
                }

                @Override
                public List<FieldError> validate(String organizationId, Map<String, Object> params) {
                    asked.add(organizationId + ":" + params.get("inboxId"));
                    return "inbox-of-org-1".equals(params.get("inboxId")) ? List.of()
                            : List.of(new FieldError("inboxId", "is not an email inbox of this organization"));
                }
            });
            StepSpec foreign = new StepSpec("email.imap", map("inboxId", "inbox-of-org-2"), null);

            assertThatThrownBy(() -> service.create(FakeOrganizationService.OWNER, ORG, new WorkflowDefinition("Mail",
                    null, foreign, List.of(call("https://crm.example.com")))))
                    .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).containsExactly(
                            new FieldError("trigger.params.inboxId", "is not an email inbox of this organization")));
            Workflow ok = service.create(FakeOrganizationService.OWNER, ORG, new WorkflowDefinition("Mail", null,
                    new StepSpec("email.imap", map("inboxId", "inbox-of-org-1"), null),
                    List.of(call("https://crm.example.com"))));

            assertThat(ok.version()).isEqualTo(1);
            assertThat(asked).containsExactly(ORG + ":inbox-of-org-2", ORG + ":inbox-of-org-1");
        }

        @Test
        void aDisabledWorkflowStaysDisabled() {
            Workflow w = service.create(FakeOrganizationService.OWNER, ORG, new WorkflowDefinition("Leads", false,
                    webhook("leads"), List.of(call("https://crm.example.com"))));

            assertThat(w.enabled()).isFalse();
            assertThat(row(w.id()).enabled()).isFalse();
        }

        @Test
        void tellsTheSourcesOfTheTriggerType() {
            createLeads();

            assertThat(sourceEvents).containsExactly("bindingsChanged");
        }

        @Test
        void aSecretParamGoesToTheVaultNotIntoTheDefinition() {
            Workflow w = createLeads();

            assertThat(vault.get(ORG, w.id(), SECRET_FIELD)).contains("s3cret");
            String definition = row(w.id()).definition();
            assertThat(definition).doesNotContain("s3cret").doesNotContain("signingSecret");
            assertThat(params(w.actions().get(0)))
                    .doesNotContainKey("signingSecret")
                    .containsEntry("signingSecretSet", true);
        }

        @Test
        void getShowsWhetherTheSecretIsSetNeverItsValue() {
            Workflow created = createLeads();
            Workflow without = service.create(FakeOrganizationService.OWNER, ORG, new WorkflowDefinition("Other",
                    null, webhook("other"), List.of(call("https://crm.example.com"))));

            Workflow got = service.get(FakeOrganizationService.OWNER, ORG, created.id());

            assertThat(params(got.actions().get(0)))
                    .containsEntry("signingSecretSet", true)
                    .doesNotContainKey("signingSecret")
                    .doesNotContainValue("s3cret");
            assertThat(params(service.get(FakeOrganizationService.OWNER, ORG, without.id()).actions().get(0)))
                    .containsEntry("signingSecretSet", false);
        }

        @Test
        void anInvalidDefinitionNamesEveryPathAndSavesNothing() {
            WorkflowDefinition bad = new WorkflowDefinition("", null, new StepSpec("webhook", Map.of(), null),
                    List.of(new StepSpec("webhook.call", map("nope", 1), null),
                            new StepSpec("sms.send", Map.of(), null)));

            ValidationException e = catchThrowableOfType(ValidationException.class,
                    () -> service.create(FakeOrganizationService.OWNER, ORG, bad));

            assertThat(e.errors()).extracting(FieldError::field).containsExactlyInAnyOrder("name",
                    "trigger.params.path", "actions[0].params.url", "actions[0].params.nope", "actions[1].type");
            assertThat(store.writes).isEmpty();
            assertThat(vault.secrets).isEmpty();
            assertThat(sourceEvents).isEmpty();
        }

        @Test
        void aMemberMayNotCreate() {
            WorkflowDefinition def = new WorkflowDefinition("Leads", null, webhook("leads"),
                    List.of(call("https://crm.example.com", "signingSecret", "s3cret")));

            assertThatThrownBy(() -> service.create(FakeOrganizationService.MEMBER, ORG, def))
                    .isInstanceOf(ForbiddenException.class);
            assertThat(store.writes).isEmpty();
            assertThat(vault.secrets).isEmpty();
            assertThat(organizations.checks).containsExactly("member@org-1 manage");
        }

        @Test
        void aMemberMayRead() {
            Workflow w = createLeads();

            Workflow got = service.get(FakeOrganizationService.MEMBER, ORG, w.id());

            assertThat(got.id()).isEqualTo(w.id());
            assertThat(service.list(FakeOrganizationService.MEMBER, ORG, 10, null).items())
                    .extracting(Workflow::id).containsExactly(w.id());
        }

        @Test
        void anotherOrganizationsWorkflowIsNotFound() {
            Workflow w = createLeads();

            assertThatThrownBy(() -> service.get(FakeOrganizationService.OWNER, "org-2", w.id()))
                    .isInstanceOf(NotFoundException.class);
        }
    }

    @Nested
    class Update {

        private Workflow created;

        @BeforeEach
        void create() {
            created = createLeads();
            sourceEvents.clear();
            store.writes.clear();
        }

        @Test
        void renamingKeepsTheVersionAndTheDefinition() {
            String definition = row(created.id()).definition();

            Workflow w = service.update(FakeOrganizationService.OWNER, ORG, created.id(),
                    new WorkflowDefinition("Hot leads", null, null, null));

            assertThat(w.name()).isEqualTo("Hot leads");
            assertThat(w.version()).isEqualTo(1);
            assertThat(w.enabled()).isTrue();
            assertThat(row(created.id()).definition()).isEqualTo(definition);
            assertThat(store.writes).containsExactly("update " + created.id() + " newDefinition=false");
            assertThat(store.definition(created.id(), 2)).isEmpty();
            assertThat(vault.get(ORG, created.id(), SECRET_FIELD)).contains("s3cret");
        }

        @Test
        void disablingKeepsTheVersion() {
            Workflow w = service.update(FakeOrganizationService.OWNER, ORG, created.id(),
                    new WorkflowDefinition(null, false, null, null));

            assertThat(w.enabled()).isFalse();
            assertThat(w.name()).isEqualTo("Leads");
            assertThat(w.version()).isEqualTo(1);
            assertThat(sourceEvents).contains("bindingsChanged");
        }

        @Test
        void changingTheActionsMakesANewVersion() {
            String before = row(created.id()).definition();

            Workflow w = service.update(FakeOrganizationService.OWNER, ORG, created.id(),
                    new WorkflowDefinition(null, null, null, List.of(call("https://new.example.com"),
                            call("https://second.example.com"))));

            assertThat(w.version()).isEqualTo(2);
            assertThat(w.name()).isEqualTo("Leads");
            assertThat(store.writes).containsExactly("update " + created.id() + " newDefinition=true");
            assertThat(store.definition(created.id(), 1)).contains(before);
            Definitions.Stored v2 = Definitions.read(store.definition(created.id(), 2).orElseThrow());
            assertThat(v2.actions()).extracting(a -> a.params().get("url"))
                    .containsExactly("https://new.example.com", "https://second.example.com");
            assertThat(v2.trigger().params()).containsEntry("path", "leads");
            assertThat(row(created.id()).definition()).isEqualTo(store.definition(created.id(), 2).orElseThrow());
        }

        @Test
        void changingTheTriggerMakesANewVersionAndMovesTheTriggerKey() {
            Workflow w = service.update(FakeOrganizationService.OWNER, ORG, created.id(),
                    new WorkflowDefinition(null, null, webhook("hot-leads"), null));

            assertThat(w.version()).isEqualTo(2);
            assertThat(row(created.id()).triggerKey()).isEqualTo("hot-leads");
            assertThat(Definitions.read(row(created.id()).definition()).actions())
                    .extracting(a -> a.params().get("url")).containsExactly("https://crm.example.com/{contact_name}");
            assertThat(sourceEvents).containsExactly("bindingsChanged", "bindingsChanged");
        }

        @Test
        void aPatchWithoutTheSecretKeepsIt() {
            // what a client sends back after a get: the marker instead of the value
            Workflow w = service.update(FakeOrganizationService.OWNER, ORG, created.id(),
                    new WorkflowDefinition(null, null, null,
                            List.of(call("https://new.example.com", "signingSecretSet", true))));

            assertThat(w.version()).isEqualTo(2);
            assertThat(vault.get(ORG, created.id(), SECRET_FIELD)).contains("s3cret");
            assertThat(params(w.actions().get(0))).containsEntry("signingSecretSet", true)
                    .containsEntry("url", "https://new.example.com");
            assertThat(row(created.id()).definition()).doesNotContain("signingSecret");
        }

        @Test
        void aPatchWithANewSecretReplacesIt() {
            service.update(FakeOrganizationService.OWNER, ORG, created.id(), new WorkflowDefinition(null, null, null,
                    List.of(call("https://crm.example.com", "signingSecret", "rotated"))));

            assertThat(vault.get(ORG, created.id(), SECRET_FIELD)).contains("rotated");
            assertThat(row(created.id()).definition()).doesNotContain("rotated");
        }

        @Test
        void anInvalidUpdateNamesThePathsAndChangesNothing() {
            WorkflowRow before = row(created.id());

            ValidationException e = catchThrowableOfType(ValidationException.class,
                    () -> service.update(FakeOrganizationService.OWNER, ORG, created.id(),
                            new WorkflowDefinition(" ", null, null, List.of(call(" ", "signingSecret", "x", "bad", 1)))));

            assertThat(e.errors()).extracting(FieldError::field)
                    .containsExactlyInAnyOrder("name", "actions[0].params.url", "actions[0].params.bad");
            assertThat(row(created.id())).isEqualTo(before);
            assertThat(store.writes).isEmpty();
            assertThat(vault.get(ORG, created.id(), SECRET_FIELD)).contains("s3cret");
        }

        @Test
        void aMemberMayNotUpdate() {
            assertThatThrownBy(() -> service.update(FakeOrganizationService.MEMBER, ORG, created.id(),
                    new WorkflowDefinition("Mine", null, null, null))).isInstanceOf(ForbiddenException.class);
            assertThat(store.writes).isEmpty();
        }

        @Test
        void anUnknownWorkflowIsNotFound() {
            assertThatThrownBy(() -> service.update(FakeOrganizationService.OWNER, ORG, "nope",
                    new WorkflowDefinition("x", null, null, null))).isInstanceOf(NotFoundException.class);
        }
    }

    @Nested
    class RequiredSecret {

        private static final TypeDescriptor SMS = action("sms.send",
                ParameterDescriptor.of("to", "To", ParameterType.STRING).asRequired(),
                ParameterDescriptor.of("apiKey", "API key", ParameterType.STRING).asRequired().asSecret());

        @BeforeEach
        void installSms() {
            registry.with(new FakeHandler(SMS, c -> ActionResult.ok(Map.of())));
        }

        @Test
        void aRequiredSecretSetEarlierNeedNotBeSentAgain() {
            Workflow w = service.create(FakeOrganizationService.OWNER, ORG, new WorkflowDefinition("SMS", null,
                    webhook("sms"), List.of(new StepSpec("sms.send", map("to", "+1555", "apiKey", "sk"), null))));

            Workflow updated = service.update(FakeOrganizationService.OWNER, ORG, w.id(), new WorkflowDefinition(
                    null, null, null, List.of(new StepSpec("sms.send", map("to", "+1666", "apiKeySet", true), null))));

            assertThat(updated.version()).isEqualTo(2);
            assertThat(vault.get(ORG, w.id(), "actions[0].params.apiKey")).contains("sk");
        }

        @Test
        void aRequiredSecretMustBeGivenOnCreate() {
            ValidationException e = catchThrowableOfType(ValidationException.class,
                    () -> service.create(FakeOrganizationService.OWNER, ORG, new WorkflowDefinition("SMS", null,
                            webhook("sms"), List.of(new StepSpec("sms.send", map("to", "+1555", "apiKeySet", true),
                                    null)))));

            assertThat(e.errors()).extracting(FieldError::field).containsExactly("actions[0].params.apiKey");
        }
    }

    @Nested
    class WebhookKey {

        @Test
        void storesBothSecretsAndReturnsThemOnce() {
            Workflow w = createLeads();

            Map<String, String> generated = service.generateWebhookKey(FakeOrganizationService.OWNER, ORG, w.id());

            assertThat(generated).containsOnlyKeys(WorkflowSecrets.WEBHOOK_KEY, WorkflowSecrets.SIGNING_SECRET);
            String key = generated.get(WorkflowSecrets.WEBHOOK_KEY);
            String signing = generated.get(WorkflowSecrets.SIGNING_SECRET);
            assertThat(vault.get(ORG, w.id(), WorkflowSecrets.WEBHOOK_KEY)).contains(key);
            assertThat(vault.get(ORG, w.id(), WorkflowSecrets.SIGNING_SECRET)).contains(signing);
            assertThat(Base64.getUrlDecoder().decode(key)).hasSize(32);
            assertThat(signing).startsWith("whsec_");
            assertThat(Base64.getDecoder().decode(signing.substring("whsec_".length()))).hasSize(32);
            assertThat(service.get(FakeOrganizationService.OWNER, ORG, w.id()).webhookKeySet()).isTrue();
            assertThat(vault.get(ORG, w.id(), SECRET_FIELD)).as("the action's own secret is untouched")
                    .contains("s3cret");
        }

        @Test
        void aNewKeyReplacesTheOld() {
            Workflow w = createLeads();

            Map<String, String> first = service.generateWebhookKey(FakeOrganizationService.OWNER, ORG, w.id());
            Map<String, String> second = service.generateWebhookKey(FakeOrganizationService.OWNER, ORG, w.id());

            assertThat(second.get(WorkflowSecrets.WEBHOOK_KEY)).isNotEqualTo(first.get(WorkflowSecrets.WEBHOOK_KEY));
            assertThat(second.get(WorkflowSecrets.SIGNING_SECRET))
                    .isNotEqualTo(first.get(WorkflowSecrets.SIGNING_SECRET));
            assertThat(vault.get(ORG, w.id(), WorkflowSecrets.WEBHOOK_KEY))
                    .contains(second.get(WorkflowSecrets.WEBHOOK_KEY));
        }

        @Test
        void aRotationWithAGraceKeepsTheReplacedKeyAndSecretUntilItEnds() {
            Workflow w = createLeads();
            Map<String, String> first = service.generateWebhookKey(FakeOrganizationService.OWNER, ORG, w.id());
            Instant before = Instant.now();

            Map<String, String> second = service.rotateWebhookKey(FakeOrganizationService.OWNER, ORG, w.id(),
                    Duration.ofHours(24));

            assertThat(vault.get(ORG, w.id(), WorkflowSecrets.WEBHOOK_KEY))
                    .contains(second.get(WorkflowSecrets.WEBHOOK_KEY));
            assertThat(vault.get(ORG, w.id(), WorkflowSecrets.PREVIOUS_WEBHOOK_KEY))
                    .contains(first.get(WorkflowSecrets.WEBHOOK_KEY));
            assertThat(vault.get(ORG, w.id(), WorkflowSecrets.PREVIOUS_SIGNING_SECRET))
                    .contains(first.get(WorkflowSecrets.SIGNING_SECRET));
            Instant expires = Instant.parse(second.get("previousKeyExpiresAt"));
            assertThat(expires).isBetween(before.plus(Duration.ofHours(24)).minusSeconds(1),
                    Instant.now().plus(Duration.ofHours(24)));
            assertThat(service.previousWebhookKeyExpiry(FakeOrganizationService.MEMBER, ORG, w.id())).contains(expires);

            service.rotateWebhookKey(FakeOrganizationService.OWNER, ORG, w.id(), Duration.ZERO);
            assertThat(vault.isSet(ORG, w.id(), WorkflowSecrets.PREVIOUS_WEBHOOK_KEY)).as("no grace: nothing kept").isFalse();
            assertThat(service.previousWebhookKeyExpiry(FakeOrganizationService.OWNER, ORG, w.id())).isEmpty();
            assertThatThrownBy(() -> service.rotateWebhookKey(FakeOrganizationService.OWNER, ORG, w.id(),
                    Duration.ofDays(31))).isInstanceOf(ValidationException.class).hasMessageContaining("graceSeconds");
        }

        @Test
        void onlyForAnExistingWorkflowAndOnlyForManagers() {
            Workflow w = createLeads();

            assertThatThrownBy(() -> service.generateWebhookKey(FakeOrganizationService.OWNER, ORG, "nope"))
                    .isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> service.generateWebhookKey(FakeOrganizationService.MEMBER, ORG, w.id()))
                    .isInstanceOf(ForbiddenException.class);
            assertThat(vault.isSet(ORG, w.id(), WorkflowSecrets.WEBHOOK_KEY)).isFalse();
        }
    }

    @Nested
    class Export {

        @Test
        void hasNoIdsAndNoSecrets() {
            Workflow w = createLeads();
            service.generateWebhookKey(FakeOrganizationService.OWNER, ORG, w.id());

            WorkflowDefinition exported = service.export(FakeOrganizationService.OWNER, ORG, w.id());

            assertThat(exported.name()).isEqualTo("Leads");
            assertThat(exported.enabled()).isTrue();
            assertThat(exported.trigger().params()).containsEntry("path", "leads")
                    .containsEntry("authentication", "key");
            assertThat(exported.actions()).hasSize(1);
            assertThat(exported.actions().get(0).params())
                    .containsEntry("url", "https://crm.example.com/{contact_name}")
                    .doesNotContainKeys("signingSecret", "signingSecretSet");
            String json = Definitions.write(exported);
            assertThat(json).doesNotContain(w.id()).doesNotContain(ORG).doesNotContain("s3cret")
                    .doesNotContain(vault.get(ORG, w.id(), WorkflowSecrets.WEBHOOK_KEY).orElseThrow())
                    .doesNotContain("whsec_");
        }

        @Test
        void anExportCanBeImportedAsANewWorkflow() {
            Workflow w = createLeads();
            WorkflowDefinition exported = service.export(FakeOrganizationService.OWNER, ORG, w.id());

            Workflow imported = service.create(FakeOrganizationService.OWNER, "org-2", new WorkflowDefinition(
                    exported.name(), exported.enabled(), webhook("leads-2"), exported.actions()));

            assertThat(imported.id()).isNotEqualTo(w.id());
            assertThat(imported.version()).isEqualTo(1);
            assertThat(params(imported.actions().get(0))).containsEntry("signingSecretSet", false);
        }

        @Test
        void aMemberMayExport() {
            Workflow w = createLeads();

            assertThat(service.export(FakeOrganizationService.MEMBER, ORG, w.id()).name()).isEqualTo("Leads");
        }
    }

    /** Regression: secrets belong to (position, type); a step never inherits another step's secret. */
    @Nested
    class SecretsByPosition {

        private static final String FIELD_0 = "actions[0].params.signingSecret";
        private static final String FIELD_1 = "actions[1].params.signingSecret";

        /** Another action type with an optional secret of the same name as webhook.call's. */
        private static final TypeDescriptor HOOK_POST = action("hook.post",
                ParameterDescriptor.of("url", "URL", ParameterType.STRING).asRequired(),
                ParameterDescriptor.of("signingSecret", "Signing secret", ParameterType.STRING).asSecret());

        /** An action type whose secret of that name is required. */
        private static final TypeDescriptor HOOK_SIGNED = action("hook.signed",
                ParameterDescriptor.of("url", "URL", ParameterType.STRING).asRequired(),
                ParameterDescriptor.of("signingSecret", "Signing secret", ParameterType.STRING).asRequired()
                        .asSecret());

        private Workflow created;

        @BeforeEach
        void createWithTwoSecrets() {
            registry.with(FakeHandler.ok(HOOK_POST, Map.of())).with(FakeHandler.ok(HOOK_SIGNED, Map.of()));
            created = service.create(FakeOrganizationService.OWNER, ORG, new WorkflowDefinition("Two", null,
                    webhook("two"), List.of(call("https://a.example.com", "signingSecret", "A"),
                            post("https://b.example.com", "signingSecret", "B"))));
            assertThat(vault.get(ORG, created.id(), FIELD_0)).contains("A");
            assertThat(vault.get(ORG, created.id(), FIELD_1)).contains("B");
        }

        private static StepSpec post(String url, Object... more) {
            Map<String, Object> params = map("url", url);
            params.putAll(map(more));
            return new StepSpec("hook.post", params, null);
        }

        private Workflow updateActions(StepSpec... actions) {
            return service.update(FakeOrganizationService.OWNER, ORG, created.id(),
                    new WorkflowDefinition(null, null, null, List.of(actions)));
        }

        private Map<String, Object> shown(int index) {
            return params(service.get(FakeOrganizationService.OWNER, ORG, created.id()).actions().get(index));
        }

        @Test
        void anotherTypeAtAPositionDoesNotInheritTheOldSecretAndRemovedStepsLoseTheirs() {
            Workflow w = updateActions(post("https://b.example.com"));

            assertThat(w.version()).isEqualTo(2);
            assertThat(vault.get(ORG, created.id(), FIELD_0)).as("A belonged to webhook.call, not hook.post")
                    .isEmpty();
            assertThat(vault.isSet(ORG, created.id(), FIELD_1)).as("the step at position 1 is gone").isFalse();
            assertThat(vault.secrets).isEmpty();
            assertThat(params(w.actions().get(0))).containsEntry("signingSecretSet", false);
            assertThat(shown(0)).containsEntry("signingSecretSet", false);
        }

        @Test
        void anAppendedStepWithoutASecretDoesNotShowAnOldOneAsSet() {
            updateActions(post("https://b.example.com"));

            Workflow w = updateActions(post("https://b.example.com"), call("https://c.example.com"));

            assertThat(w.version()).isEqualTo(3);
            assertThat(params(w.actions().get(0))).containsEntry("signingSecretSet", false);
            assertThat(params(w.actions().get(1))).containsEntry("signingSecretSet", false);
            assertThat(shown(1)).containsEntry("signingSecretSet", false);
            assertThat(vault.isSet(ORG, created.id(), FIELD_1)).isFalse();
        }

        @Test
        void anAppendedStepOfTheSameTypeRightAfterShrinkingDoesNotGetTheOldSecret() {
            updateActions(call("https://a.example.com"));

            Workflow w = updateActions(call("https://a.example.com"), post("https://b2.example.com"));

            assertThat(vault.get(ORG, created.id(), FIELD_0)).contains("A");
            assertThat(vault.isSet(ORG, created.id(), FIELD_1)).isFalse();
            assertThat(params(w.actions().get(0))).containsEntry("signingSecretSet", true);
            assertThat(params(w.actions().get(1))).containsEntry("signingSecretSet", false);
        }

        @Test
        void theSameTypeAtTheSamePositionKeepsItsSecretWhenTheUpdateOmitsIt() {
            Workflow w = updateActions(call("https://a2.example.com", "signingSecretSet", true),
                    post("https://b2.example.com"));

            assertThat(w.version()).isEqualTo(2);
            assertThat(vault.get(ORG, created.id(), FIELD_0)).contains("A");
            assertThat(vault.get(ORG, created.id(), FIELD_1)).contains("B");
            assertThat(params(w.actions().get(0))).containsEntry("signingSecretSet", true)
                    .containsEntry("url", "https://a2.example.com");
            assertThat(params(w.actions().get(1))).containsEntry("signingSecretSet", true)
                    .containsEntry("url", "https://b2.example.com");
            assertThat(row(created.id()).definition()).doesNotContain("signingSecret");
        }

        @Test
        void onlyThePositionWhoseTypeChangedLosesItsSecret() {
            Workflow w = updateActions(call("https://a.example.com"), call("https://c.example.com"));

            assertThat(vault.get(ORG, created.id(), FIELD_0)).contains("A");
            assertThat(vault.isSet(ORG, created.id(), FIELD_1)).isFalse();
            assertThat(params(w.actions().get(0))).containsEntry("signingSecretSet", true);
            assertThat(params(w.actions().get(1))).containsEntry("signingSecretSet", false);
        }

        @Test
        void aSecretSentWithTheNewTypeIsStoredForIt() {
            updateActions(post("https://b.example.com", "signingSecret", "C"));

            assertThat(vault.get(ORG, created.id(), FIELD_0)).contains("C");
            assertThat(vault.isSet(ORG, created.id(), FIELD_1)).isFalse();
        }

        @Test
        void anOldSecretOfAnotherTypeDoesNotSatisfyARequiredSecret() {
            String definition = row(created.id()).definition();
            store.writes.clear();

            ValidationException e = catchThrowableOfType(ValidationException.class,
                    () -> updateActions(new StepSpec("hook.signed", map("url", "https://s.example.com"), null)));

            assertThat(e.errors()).extracting(FieldError::field).containsExactly(FIELD_0);
            assertThat(store.writes).isEmpty();
            assertThat(row(created.id()).definition()).isEqualTo(definition);
            assertThat(vault.get(ORG, created.id(), FIELD_0)).as("a failed update changes nothing").contains("A");
            assertThat(vault.get(ORG, created.id(), FIELD_1)).contains("B");
        }
    }

    /** Regression: an optional secret can be cleared. */
    @Nested
    class ClearingASecret {

        @Test
        void anEmptyStringClearsAnOptionalSecret() {
            Workflow created = createLeads();

            Workflow w = service.update(FakeOrganizationService.OWNER, ORG, created.id(), new WorkflowDefinition(
                    null, null, null, List.of(call("https://crm.example.com", "signingSecret", ""))));

            assertThat(w.version()).isEqualTo(2);
            assertThat(vault.isSet(ORG, created.id(), SECRET_FIELD)).isFalse();
            assertThat(vault.secrets).doesNotContainKey(ORG + "/" + created.id() + "/" + SECRET_FIELD);
            assertThat(params(w.actions().get(0))).containsEntry("signingSecretSet", false)
                    .doesNotContainKey("signingSecret");
            assertThat(params(service.get(FakeOrganizationService.OWNER, ORG, created.id()).actions().get(0)))
                    .containsEntry("signingSecretSet", false);
            assertThat(row(created.id()).definition()).doesNotContain("signingSecret");
        }

        @Test
        void anEmptyStringOnCreateStoresNothing() {
            Workflow w = service.create(FakeOrganizationService.OWNER, ORG, new WorkflowDefinition("Leads", null,
                    webhook("leads"), List.of(call("https://crm.example.com", "signingSecret", ""))));

            assertThat(vault.isSet(ORG, w.id(), SECRET_FIELD)).isFalse();
            assertThat(params(w.actions().get(0))).containsEntry("signingSecretSet", false);
        }
    }

    /** Regression: a workflow whose action connector is uninstalled can still be renamed and switched off. */
    @Nested
    class UninstalledConnector {

        private Workflow created;
        private WorkflowRow before;

        @BeforeEach
        void createThenUninstall() {
            created = createLeads();
            registry.handlers.remove("webhook.call");
            before = row(created.id());
            store.writes.clear();
            sourceEvents.clear();
        }

        @Test
        void disablingSucceeds() {
            Workflow w = service.update(FakeOrganizationService.OWNER, ORG, created.id(),
                    new WorkflowDefinition(null, false, null, null));

            assertThat(w.enabled()).isFalse();
            assertThat(w.name()).isEqualTo("Leads");
            assertThat(w.version()).isEqualTo(1);
            assertThat(store.writes).containsExactly("update " + created.id() + " newDefinition=false");
            assertThat(row(created.id()).enabled()).isFalse();
            assertThat(row(created.id()).definition()).isEqualTo(before.definition());
            assertThat(vault.get(ORG, created.id(), SECRET_FIELD)).contains("s3cret");
            assertThat(sourceEvents).contains("bindingsChanged");
        }

        @Test
        void renamingSucceeds() {
            Workflow w = service.update(FakeOrganizationService.OWNER, ORG, created.id(),
                    new WorkflowDefinition("  Cold leads ", null, null, null));

            assertThat(w.name()).isEqualTo("Cold leads");
            assertThat(w.enabled()).isTrue();
            assertThat(w.version()).isEqualTo(1);
            assertThat(row(created.id()).definition()).isEqualTo(before.definition());
            assertThat(vault.get(ORG, created.id(), SECRET_FIELD)).contains("s3cret");
        }

        @Test
        void theSecretIsStillThereWhenTheConnectorComesBack() {
            service.update(FakeOrganizationService.OWNER, ORG, created.id(),
                    new WorkflowDefinition(null, false, null, null));
            registry.with(FakeHandler.ok(WEBHOOK_CALL, Map.of()));

            Workflow got = service.get(FakeOrganizationService.OWNER, ORG, created.id());

            assertThat(params(got.actions().get(0))).containsEntry("signingSecretSet", true);
        }

        @Test
        void aBlankNameIsStillRejected() {
            ValidationException e = catchThrowableOfType(ValidationException.class,
                    () -> service.update(FakeOrganizationService.OWNER, ORG, created.id(),
                            new WorkflowDefinition(" ", false, null, null)));

            assertThat(e.errors()).extracting(FieldError::field).containsExactly("name");
            assertThat(store.writes).isEmpty();
            assertThat(row(created.id())).isEqualTo(before);
        }

        @Test
        void changingTheActionsStillFailsNamingTheMissingType() {
            ValidationException e = catchThrowableOfType(ValidationException.class,
                    () -> service.update(FakeOrganizationService.OWNER, ORG, created.id(),
                            new WorkflowDefinition(null, null, null, List.of(call("https://new.example.com")))));

            assertThat(e.errors()).extracting(FieldError::field).containsExactly("actions[0].type");
            assertThat(store.writes).isEmpty();
            assertThat(row(created.id())).isEqualTo(before);
            assertThat(vault.get(ORG, created.id(), SECRET_FIELD)).contains("s3cret");
        }
    }

    /** The handler's own save-time checks, after the descriptor's; each error named by the action's path. */
    @Nested
    class ActionChecks {

        private static final TypeDescriptor HTTP_CALL = action("webhook.call",
                ParameterDescriptor.of("url", "URL", ParameterType.URL).asRequired().asTemplatable(),
                ParameterDescriptor.of("headers", "Headers", ParameterType.OBJECT).asTemplatable(),
                ParameterDescriptor.of("timeoutSeconds", "Timeout", ParameterType.INTEGER).withRange(1L, 120L),
                ParameterDescriptor.of("signingSecret", "Signing secret", ParameterType.STRING).asSecret());

        private final List<Map<String, Object>> asked = new ArrayList<>();

        /** A webhook.call that refuses a header name with a line break, as the real one does. */
        @BeforeEach
        void installAHandlerWithChecks() {
            registry.with(new ActionHandler() {
                @Override
                public TypeDescriptor descriptor() {
                    return HTTP_CALL;
                }

                @Override
                public ActionResult execute(ActionContext context) {
                    return ActionResult.ok(Map.of());
                }

                @Override
                public List<FieldError> validate(String organizationId, Map<String, Object> params) {
                    asked.add(params);
                    return params.get("headers") instanceof Map<?, ?> h && h.keySet().stream()
                            .anyMatch(name -> name.toString().contains("\n"))
                            ? List.of(new FieldError("headers", "'X-A\nHost' is not a valid header name")) : List.of();
                }
            });
        }

        private ValidationException refused(StepSpec... actions) {
            return catchThrowableOfType(ValidationException.class, () -> service.create(FakeOrganizationService.OWNER,
                    ORG, new WorkflowDefinition("Leads", null, webhook("leads"), List.of(actions))));
        }

        @Test
        void aConnectionTheOrganizationDoesNotHaveIsRefusedWithTheOnesItHas() {
            List<String> askedFor = new ArrayList<>();
            registry.optionSources.put("acme.connections", organizationId -> {
                askedFor.add(organizationId);
                return List.of(new com.dooneflow.api.spi.OptionSource.Option("prod", "Production (connected)"));
            });
            registry.with(new ActionHandler() {
                @Override
                public TypeDescriptor descriptor() {
                    return action("acme.write", ParameterDescriptor.of("connection", "Connection", ParameterType.STRING)
                            .asRequired().withOptionSource("acme.connections"));
                }

                @Override
                public ActionResult execute(ActionContext context) {
                    return ActionResult.ok(Map.of());
                }
            });
            StepSpec write = new StepSpec("acme.write", map("connection", "staging"), null);

            ValidationException e = refused(write, write);

            assertThat(e.errors()).extracting(FieldError::field)
                    .containsExactly("actions[0].params.connection", "actions[1].params.connection");
            assertThat(e.errors().get(0).message()).isEqualTo("'staging' is not among this organization's options for "
                    + "Connection (acme.connections); they are: Production (connected)");
            assertThat(askedFor).as("the saving organization's options, asked once").containsExactly(ORG);
            assertThat(store.writes).isEmpty();
        }

        @Test
        void aBadHeaderNameIsRefusedNamingTheActionsParameter() {
            ValidationException e = refused(call("https://crm.example.com"),
                    call("https://crm.example.com", "headers", map("X-A\nHost", "x")));

            assertThat(e.errors()).containsExactly(
                    new FieldError("actions[1].params.headers", "'X-A\nHost' is not a valid header name"));
            assertThat(store.writes).isEmpty();
        }

        @Test
        void aVariableInTheHostIsRefusedNamingTheUrl() {
            ValidationException e = refused(call("https://{tenant}.example.com/hooks"));

            assertThat(e.errors()).containsExactly(new FieldError("actions[0].params.url",
                    "the URL's scheme and host must be written out; variables may fill its path and query"));
        }

        @Test
        void theHandlerIsAskedOnlyAboutActionsTheDescriptorAccepted() {
            ValidationException e = refused(call("https://crm.example.com", "timeoutSeconds", 0),
                    call("https://crm.example.com", "headers", map("X-A\nHost", "x")));

            assertThat(e.errors()).extracting(FieldError::field)
                    .containsExactly("actions[0].params.timeoutSeconds", "actions[1].params.headers");
            assertThat(asked).hasSize(1);
        }

        @Test
        void aValidWorkflowIsSavedAfterTheHandlerSawItsParameters() {
            Workflow w = service.create(FakeOrganizationService.OWNER, ORG, new WorkflowDefinition("Leads", null,
                    webhook("leads"), List.of(call("https://crm.example.com/leads/{contact_name}",
                    "headers", map("X-Tenant", "acme"), "timeoutSeconds", 120))));

            assertThat(w.version()).isEqualTo(1);
            assertThat(asked).singleElement().satisfies(p -> assertThat(p).containsEntry("timeoutSeconds", 120));
        }

        @Test
        void anUpdateIsCheckedTheSameWay() {
            Workflow w = createLeads();
            store.writes.clear();

            ValidationException e = catchThrowableOfType(ValidationException.class, () -> service.update(
                    FakeOrganizationService.OWNER, ORG, w.id(), new WorkflowDefinition(null, null, null,
                            List.of(call("https://crm.example.com", "headers", map("X-A\nHost", "x"))))));

            assertThat(e.errors()).extracting(FieldError::field).containsExactly("actions[0].params.headers");
            assertThat(store.writes).isEmpty();
        }
    }

    @Nested
    class TemplateVariables {

        @Test
        void aVariableNoEarlierStepProvidesIsRefusedWhenTheTriggerSaysAllItGives() {
            registry.withTrigger(trigger("email.imap").withOutputs(
                    com.dooneflow.api.spi.OutputDescriptor.of("email_subject",
                            com.dooneflow.api.spi.OutputDescriptor.Type.TEXT, null)));
            StepSpec email = new StepSpec("email.imap", Map.of(), null);

            ValidationException e = catchThrowableOfType(ValidationException.class,
                    () -> service.create(FakeOrganizationService.OWNER, ORG, new WorkflowDefinition("Mail", null,
                            email, List.of(call("https://crm.example.com/{contact_phone}")))));

            assertThat(e.errors()).containsExactly(new FieldError("actions[0].params.url",
                    "uses {contact_phone}, which no earlier step provides (available: {email_subject})"));
            assertThat(store.rows).isEmpty();
            assertThat(service.create(FakeOrganizationService.OWNER, ORG, new WorkflowDefinition("Mail", null, email,
                    List.of(call("https://crm.example.com/{email_subject}")))).version()).isEqualTo(1);
        }
    }
}
