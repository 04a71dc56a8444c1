package com.dooneflow.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Version;

import com.dooneflow.api.ConnectorRegistry;
import com.dooneflow.api.spi.ActionContext;
import com.dooneflow.api.spi.ActionHandler;
import com.dooneflow.api.spi.ActionResult;
import com.dooneflow.api.spi.OptionSource;
import com.dooneflow.api.spi.SettingsDescriptor;
import com.dooneflow.api.spi.TriggerSink;
import com.dooneflow.api.spi.TriggerSource;
import com.dooneflow.api.spi.TypeDescriptor;

class ConnectorRegistryImplTest {

    private final ConnectorRegistryImpl registry = new ConnectorRegistryImpl();

    private static final class Handler implements ActionHandler {
        private final TypeDescriptor descriptor;

        Handler(String type, String label) {
            this.descriptor = new TypeDescriptor(type, TypeDescriptor.Kind.ACTION, label, null, List.of());
        }

        @Override
        public TypeDescriptor descriptor() {
            return descriptor;
        }

        @Override
        public ActionResult execute(ActionContext context) {
            return ActionResult.ok(Map.of());
        }

        @Override
        public String toString() {
            return descriptor.label();
        }
    }

    private static final class Source implements TriggerSource {
        private final TypeDescriptor descriptor;

        Source(String type, String label) {
            this.descriptor = new TypeDescriptor(type, TypeDescriptor.Kind.TRIGGER, label, null, List.of());
        }

        @Override
        public TypeDescriptor descriptor() {
            return descriptor;
        }

        @Override
        public void open(TriggerSink sink) {
        }

        @Override
        public void close() {
        }

        @Override
        public String toString() {
            return descriptor.label();
        }
    }

    /** Service properties as the framework passes them: the type, service.ranking (Integer), service.id (Long). */
    private static Map<String, Object> props(String typeProperty, String type, Integer ranking, long serviceId) {
        Map<String, Object> props = new LinkedHashMap<>();
        if (type != null) {
            props.put(typeProperty, type);
        }
        if (ranking != null) {
            props.put("service.ranking", ranking);
        }
        props.put("service.id", serviceId);
        return props;
    }

    private static Map<String, Object> action(String type, Integer ranking, long serviceId) {
        return props(ActionHandler.TYPE, type, ranking, serviceId);
    }

    private static Map<String, Object> trigger(String type, Integer ranking, long serviceId) {
        return props(TriggerSource.TYPE, type, ranking, serviceId);
    }

    @Test
    void thePropertyNamesAreTheOsgiOnes() {
        assertThat(org.osgi.framework.Constants.SERVICE_RANKING).isEqualTo("service.ranking");
        assertThat(org.osgi.framework.Constants.SERVICE_ID).isEqualTo("service.id");
    }

    @Nested
    class ActionHandlers {

        @Test
        void nothingInstalled() {
            assertThat(registry.actionTypes()).isEmpty();
            assertThat(registry.actionHandler("sms.send")).isEmpty();
        }

        @Test
        void aSingleHandlerIsFoundByItsType() {
            Handler sms = new Handler("sms.send", "SMS");
            registry.addActionHandler(sms, action("sms.send", null, 4));

            assertThat(registry.actionHandler("sms.send")).containsSame(sms);
            assertThat(registry.actionHandler("sms")).isEmpty();
            assertThat(registry.actionTypes()).containsExactly(sms.descriptor());
        }

        @Test
        void theHighestRankingWinsWhateverTheOrderOfArrival() {
            Handler low = new Handler("sms.send", "low");
            Handler high = new Handler("sms.send", "high");
            Handler middle = new Handler("sms.send", "middle");

            registry.addActionHandler(low, action("sms.send", 0, 1));
            assertThat(registry.actionHandler("sms.send")).containsSame(low);
            registry.addActionHandler(high, action("sms.send", 10, 9));
            assertThat(registry.actionHandler("sms.send")).containsSame(high);
            registry.addActionHandler(middle, action("sms.send", 5, 2));
            assertThat(registry.actionHandler("sms.send")).containsSame(high);
        }

        @Test
        void aNegativeRankingLosesToTheDefault() {
            Handler negative = new Handler("sms.send", "negative");
            Handler unranked = new Handler("sms.send", "unranked");
            registry.addActionHandler(negative, action("sms.send", -5, 1));
            registry.addActionHandler(unranked, action("sms.send", null, 2));

            assertThat(registry.actionHandler("sms.send")).containsSame(unranked);
        }

        @Test
        void aTieGoesToTheLowestServiceId() {
            Handler later = new Handler("sms.send", "later");
            Handler earlier = new Handler("sms.send", "earlier");
            registry.addActionHandler(later, action("sms.send", 3, 42));
            registry.addActionHandler(earlier, action("sms.send", 3, 7));

            assertThat(registry.actionHandler("sms.send")).containsSame(earlier);
        }

        @Test
        void aTieWithoutRankingGoesToTheLowestServiceId() {
            Handler later = new Handler("sms.send", "later");
            Handler earlier = new Handler("sms.send", "earlier");
            registry.addActionHandler(earlier, action("sms.send", null, 7));
            registry.addActionHandler(later, action("sms.send", null, 42));

            assertThat(registry.actionHandler("sms.send")).containsSame(earlier);
        }

        @Test
        void aRankingThatIsNotAnIntegerCountsAsZero() {
            Handler longRanked = new Handler("sms.send", "long ranking");
            Handler plain = new Handler("sms.send", "plain");
            Map<String, Object> props = action("sms.send", null, 9);
            props.put("service.ranking", 100L);
            registry.addActionHandler(longRanked, props);
            registry.addActionHandler(plain, action("sms.send", 1, 10));

            assertThat(registry.actionHandler("sms.send")).containsSame(plain);
        }

        @Test
        void removingTheWinnerFallsBackToTheNext() {
            Handler a = new Handler("sms.send", "a");
            Handler b = new Handler("sms.send", "b");
            Handler c = new Handler("sms.send", "c");
            registry.addActionHandler(a, action("sms.send", 10, 1));
            registry.addActionHandler(b, action("sms.send", 5, 2));
            registry.addActionHandler(c, action("sms.send", 5, 3));

            registry.removeActionHandler(a, action("sms.send", 10, 1));
            assertThat(registry.actionHandler("sms.send")).containsSame(b);

            registry.removeActionHandler(b, action("sms.send", 5, 2));
            assertThat(registry.actionHandler("sms.send")).containsSame(c);

            registry.removeActionHandler(c, action("sms.send", 5, 3));
            assertThat(registry.actionHandler("sms.send")).isEmpty();
            assertThat(registry.actionTypes()).isEmpty();
        }

        @Test
        void removingALoserKeepsTheWinner() {
            Handler winner = new Handler("sms.send", "winner");
            Handler loser = new Handler("sms.send", "loser");
            registry.addActionHandler(winner, action("sms.send", 10, 2));
            registry.addActionHandler(loser, action("sms.send", 0, 1));

            registry.removeActionHandler(loser, action("sms.send", 0, 1));

            assertThat(registry.actionHandler("sms.send")).containsSame(winner);
            assertThat(registry.actionTypes()).containsExactly(winner.descriptor());
        }

        @Test
        void removingAnUnknownServiceChangesNothing() {
            Handler sms = new Handler("sms.send", "sms");
            registry.addActionHandler(sms, action("sms.send", 0, 1));

            registry.removeActionHandler(new Handler("sms.send", "other"), action("sms.send", 0, 99));
            registry.removeActionHandler(new Handler("x", "x"), action(null, 0, 1));

            assertThat(registry.actionHandler("sms.send")).containsSame(sms);
        }

        @Test
        void typesAreIndependent() {
            Handler sms = new Handler("sms.send", "sms");
            Handler http = new Handler("http.call", "http");
            registry.addActionHandler(sms, action("sms.send", 0, 1));
            registry.addActionHandler(http, action("http.call", 100, 2));

            assertThat(registry.actionHandler("sms.send")).containsSame(sms);
            assertThat(registry.actionHandler("http.call")).containsSame(http);
        }

        @Test
        void actionTypesListsEachTypeOnceWithTheWinnersDescriptor() {
            Handler smsOld = new Handler("sms.send", "SMS (old)");
            Handler smsNew = new Handler("sms.send", "SMS (new)");
            Handler http = new Handler("http.call", "HTTP");
            registry.addActionHandler(smsOld, action("sms.send", 0, 1));
            registry.addActionHandler(http, action("http.call", 0, 2));
            registry.addActionHandler(smsNew, action("sms.send", 1, 3));

            assertThat(registry.actionTypes()).extracting(TypeDescriptor::type)
                    .containsExactlyInAnyOrder("sms.send", "http.call");
            assertThat(registry.actionTypes()).containsExactlyInAnyOrder(smsNew.descriptor(), http.descriptor());

            registry.removeActionHandler(smsNew, action("sms.send", 1, 3));

            assertThat(registry.actionTypes()).containsExactlyInAnyOrder(smsOld.descriptor(), http.descriptor());
        }

        @Test
        void aServiceWithoutTheTypePropertyIsIgnored() {
            Handler untyped = new Handler("sms.send", "untyped");
            registry.addActionHandler(untyped, action(null, 100, 1));

            assertThat(registry.actionTypes()).isEmpty();
            assertThat(registry.actionHandler("sms.send")).isEmpty();
        }

        @Test
        void theTriggerTypePropertyDoesNotRegisterAnAction() {
            registry.addActionHandler(new Handler("sms.send", "sms"), trigger("sms.send", 0, 1));

            assertThat(registry.actionTypes()).isEmpty();
            assertThat(registry.actionHandler("sms.send")).isEmpty();
        }
    }

    @Nested
    class TriggerSources {

        @Test
        void theHighestRankingWinsAndTiesGoToTheLowestServiceId() {
            Source a = new Source("webhook", "a");
            Source b = new Source("webhook", "b");
            Source c = new Source("webhook", "c");
            registry.addTriggerSource(a, trigger("webhook", 1, 5));
            registry.addTriggerSource(b, trigger("webhook", 1, 3));
            registry.addTriggerSource(c, trigger("webhook", 0, 1));

            assertThat(registry.triggerTypes()).containsExactly(b.descriptor());
        }

        @Test
        void eachTypeOnceAndRemovalFallsBack() {
            Source hookOld = new Source("webhook", "Webhook (old)");
            Source hookNew = new Source("webhook", "Webhook (new)");
            Source imap = new Source("email.imap", "IMAP");
            registry.addTriggerSource(hookOld, trigger("webhook", null, 1));
            registry.addTriggerSource(imap, trigger("email.imap", null, 2));
            registry.addTriggerSource(hookNew, trigger("webhook", 7, 3));

            assertThat(registry.triggerTypes()).containsExactlyInAnyOrder(hookNew.descriptor(), imap.descriptor());

            registry.removeTriggerSource(hookNew, trigger("webhook", 7, 3));
            assertThat(registry.triggerTypes()).containsExactlyInAnyOrder(hookOld.descriptor(), imap.descriptor());

            registry.removeTriggerSource(hookOld, trigger("webhook", null, 1));
            registry.removeTriggerSource(imap, trigger("email.imap", null, 2));
            assertThat(registry.triggerTypes()).isEmpty();
        }

        @Test
        void aSourceWithoutTheTypePropertyIsIgnored() {
            registry.addTriggerSource(new Source("webhook", "untyped"), trigger(null, 0, 1));
            registry.addTriggerSource(new Source("webhook", "action-typed"), action("webhook", 0, 2));

            assertThat(registry.triggerTypes()).isEmpty();
        }

        @Test
        void triggersAndActionsAreSeparate() {
            registry.addTriggerSource(new Source("webhook", "hook"), trigger("webhook", 0, 1));

            assertThat(registry.triggerTypes()).extracting(TypeDescriptor::type).containsExactly("webhook");
            assertThat(registry.actionTypes()).isEmpty();
            assertThat(registry.actionHandler("webhook")).isEmpty();
        }
    }

    @Nested
    class OptionSources {

        private OptionSource answering(String label) {
            return orgId -> List.of(new OptionSource.Option(orgId, label));
        }

        private Map<String, Object> option(String id, Integer ranking, long serviceId) {
            return props(OptionSource.ID, id, ranking, serviceId);
        }

        @Test
        void foundByIdTheHighestRankingWinningAndRemovalFallingBack() {
            OptionSource low = answering("low");
            OptionSource high = answering("high");
            registry.addOptionSource(low, option("team.members", 0, 1));
            registry.addOptionSource(high, option("team.members", 5, 2));

            assertThat(registry.optionSource("team.members")).containsSame(high);
            assertThat(registry.optionSource("email.inboxes")).isEmpty();

            registry.removeOptionSource(high, option("team.members", 5, 2));
            assertThat(registry.optionSource("team.members")).containsSame(low);
            registry.removeOptionSource(low, option("team.members", 0, 1));
            assertThat(registry.optionSource("team.members")).isEmpty();
        }

        @Test
        void aSourceWithoutItsIdPropertyIsIgnoredAndAddsNoType() {
            registry.addOptionSource(answering("untyped"), option(null, 0, 1));
            registry.addOptionSource(answering("typed as an action"), action("team.members", 0, 2));

            assertThat(registry.optionSource("team.members")).isEmpty();
            assertThat(registry.actionTypes()).isEmpty();
            assertThat(registry.triggerTypes()).isEmpty();
        }
    }

    /** Regression: a service whose properties change is re-sorted, and can still be removed afterwards. */
    @Nested
    class ModifiedProperties {

        @Test
        void aChangedActionRankingReSortsTheWinner() {
            Handler a = new Handler("sms.send", "a");
            Handler b = new Handler("sms.send", "b");
            registry.addActionHandler(a, action("sms.send", 10, 1));
            registry.addActionHandler(b, action("sms.send", 5, 2));
            assertThat(registry.actionHandler("sms.send")).containsSame(a);

            registry.updatedActionHandler(a, action("sms.send", 0, 1));
            assertThat(registry.actionHandler("sms.send")).containsSame(b);
            assertThat(registry.actionTypes()).containsExactly(b.descriptor());

            registry.updatedActionHandler(a, action("sms.send", 20, 1));
            assertThat(registry.actionHandler("sms.send")).containsSame(a);
            assertThat(registry.actionTypes()).containsExactly(a.descriptor());

            registry.updatedActionHandler(b, action("sms.send", 30, 2));
            assertThat(registry.actionHandler("sms.send")).containsSame(b);
        }

        @Test
        void anUpdateWithTheSameRankingKeepsOneEntry() {
            Handler a = new Handler("sms.send", "a");
            registry.addActionHandler(a, action("sms.send", 3, 1));

            registry.updatedActionHandler(a, action("sms.send", 3, 1));
            registry.removeActionHandler(a, action("sms.send", 3, 1));

            assertThat(registry.actionHandler("sms.send")).isEmpty();
            assertThat(registry.actionTypes()).isEmpty();
        }

        @Test
        void removingTheOnlyActionHandlerAfterItsRankingChangedRemovesTheType() {
            Handler a = new Handler("sms.send", "a");
            registry.addActionHandler(a, action("sms.send", 0, 1));
            registry.updatedActionHandler(a, action("sms.send", 7, 1));

            registry.removeActionHandler(a, action("sms.send", 7, 1));

            assertThat(registry.actionHandler("sms.send")).isEmpty();
            assertThat(registry.actionTypes()).isEmpty();
        }

        @Test
        void removingAnActionHandlerAfterSeveralRankingChangesFallsBackToTheOther() {
            Handler a = new Handler("sms.send", "a");
            Handler b = new Handler("sms.send", "b");
            registry.addActionHandler(a, action("sms.send", 1, 1));
            registry.addActionHandler(b, action("sms.send", 5, 2));
            registry.updatedActionHandler(a, action("sms.send", 8, 1));
            registry.updatedActionHandler(a, action("sms.send", 9, 1));

            registry.removeActionHandler(a, action("sms.send", 9, 1));

            assertThat(registry.actionHandler("sms.send")).containsSame(b);
            assertThat(registry.actionTypes()).containsExactly(b.descriptor());

            registry.removeActionHandler(b, action("sms.send", 5, 2));
            assertThat(registry.actionHandler("sms.send")).isEmpty();
            assertThat(registry.actionTypes()).isEmpty();
        }

        @Test
        void aChangedTriggerRankingReSortsTheWinner() {
            Source a = new Source("webhook", "a");
            Source b = new Source("webhook", "b");
            registry.addTriggerSource(a, trigger("webhook", 10, 1));
            registry.addTriggerSource(b, trigger("webhook", 5, 2));
            assertThat(registry.triggerTypes()).containsExactly(a.descriptor());

            registry.updatedTriggerSource(a, trigger("webhook", 0, 1));
            assertThat(registry.triggerTypes()).containsExactly(b.descriptor());

            registry.updatedTriggerSource(a, trigger("webhook", 20, 1));
            assertThat(registry.triggerTypes()).containsExactly(a.descriptor());
        }

        @Test
        void removingTheOnlyTriggerSourceAfterItsRankingChangedRemovesTheType() {
            Source a = new Source("webhook", "a");
            registry.addTriggerSource(a, trigger("webhook", 0, 1));
            registry.updatedTriggerSource(a, trigger("webhook", 7, 1));

            registry.removeTriggerSource(a, trigger("webhook", 7, 1));

            assertThat(registry.triggerTypes()).isEmpty();
        }

        @Test
        void removingATriggerSourceAfterItsRankingChangedFallsBackToTheOther() {
            Source a = new Source("webhook", "a");
            Source b = new Source("webhook", "b");
            registry.addTriggerSource(a, trigger("webhook", 10, 1));
            registry.addTriggerSource(b, trigger("webhook", 5, 2));
            registry.updatedTriggerSource(a, trigger("webhook", 9, 1));
            assertThat(registry.triggerTypes()).containsExactly(a.descriptor());

            registry.removeTriggerSource(a, trigger("webhook", 9, 1));

            assertThat(registry.triggerTypes()).containsExactly(b.descriptor());
        }
    }

    @Nested
    class DescriptorFiles {

        private final TypeDescriptor echo = new TypeDescriptor("acme.echo", TypeDescriptor.Kind.ACTION, "Echo", null,
                List.of());
        private final TypeDescriptor echo2 = new TypeDescriptor("acme.echo", TypeDescriptor.Kind.ACTION, "Echo 2",
                null, List.of());

        private TypeFileIndex.BundleTypes bundle(long id, String version, TypeDescriptor... types) {
            return new TypeFileIndex.BundleTypes(id, "com.acme.connector", Version.parseVersion(version),
                    List.of(types), List.of());
        }

        private Map<String, Object> fromBundle(String type, long serviceId, long bundleId) {
            Map<String, Object> props = action(type, null, serviceId);
            props.put("service.bundleid", bundleId);
            return props;
        }

        @Test
        void aTypeIsKnownFromItsFileWhileNoHandlerRuns() {
            registry.addFiles(bundle(7, "1.0.0", echo));

            assertThat(registry.actionTypes()).containsExactly(echo);
            assertThat(registry.actionType("acme.echo")).contains(echo);
            assertThat(registry.actionHandler("acme.echo")).isEmpty();
            assertThat(registry.status("acme.echo")).satisfies(s -> {
                assertThat(s.running()).isFalse();
                assertThat(s.bundle()).isEqualTo("com.acme.connector 1.0.0");
                assertThat(s.problem()).isNotBlank();
            });
            assertThat(registry.notRunning()).extracting(ConnectorRegistry.TypeStatus::type).containsExactly("acme.echo");
            assertThat(registry.triggerTypes()).isEmpty();
        }

        @Test
        void aRunningHandlerIsDescribedByItsOwnBundlesFileNotByWhatItReturns() {
            Handler old = new Handler("acme.echo", "from code");
            registry.addFiles(bundle(7, "1.0.0", echo));
            registry.addActionHandler(old, fromBundle("acme.echo", 40, 7));

            assertThat(registry.actionTypes()).containsExactly(echo);
            assertThat(registry.status("acme.echo").running()).isTrue();
            assertThat(registry.status("acme.echo").problem()).isNull();
            assertThat(registry.notRunning()).isEmpty();
        }

        @Test
        void aHandlerWithoutAFileIsDescribedByItsCode() {
            Handler coded = new Handler("acme.echo", "from code");
            registry.addActionHandler(coded, fromBundle("acme.echo", 40, 9));

            assertThat(registry.actionType("acme.echo")).contains(coded.descriptor());
        }

        @Test
        void theNewestVersionDescribesATypeThatDoesNotRunAndTheRunningOneWhileItRuns() {
            registry.addFiles(bundle(7, "1.0.0", echo));
            registry.addFiles(bundle(8, "1.1.0", echo2));
            assertThat(registry.actionType("acme.echo")).contains(echo2);
            assertThat(registry.status("acme.echo").bundle()).isEqualTo("com.acme.connector 1.1.0");

            registry.addActionHandler(new Handler("acme.echo", "old"), fromBundle("acme.echo", 40, 7));
            assertThat(registry.actionType("acme.echo")).contains(echo);
            assertThat(registry.actionTypes()).containsExactly(echo);
        }

        @Test
        void anUnreadableFileIsReportedWithItsBundle() {
            registry.addFiles(new TypeFileIndex.BundleTypes(7, "com.acme.connector", Version.parseVersion("1.0.0"),
                    List.of(), List.of("acme.echo.json: Unrecognized field \"requird\" at parameters[0]")));

            assertThat(registry.notRunning()).singleElement().satisfies(s -> {
                assertThat(s.type()).isNull();
                assertThat(s.bundle()).isEqualTo("com.acme.connector 1.0.0");
                assertThat(s.problem()).contains("requird");
            });
            assertThat(registry.actionTypes()).isEmpty();
        }

        @Test
        void aSettingsPageIsDescribedByTheNewestBundleThatShipsIt() {
            SettingsDescriptor v1 = new SettingsDescriptor("acme", "Acme", null, "v1/organizations/{orgId}/acme",
                    SettingsDescriptor.Entries.SINGLE, List.of(), List.of(), List.of());
            SettingsDescriptor v2 = new SettingsDescriptor("acme", "Acme 2", null, "v1/organizations/{orgId}/acme",
                    SettingsDescriptor.Entries.SINGLE, List.of(), List.of(), List.of());
            registry.addFiles(new TypeFileIndex.BundleTypes(7, "com.acme.connector", Version.parseVersion("1.0.0"),
                    List.of(), List.of(v1), List.of()));
            registry.addFiles(new TypeFileIndex.BundleTypes(8, "com.acme.connector", Version.parseVersion("2.0.0"),
                    List.of(), List.of(v2), List.of()));

            assertThat(registry.settingsPages()).singleElement().satisfies(page -> {
                assertThat(page.descriptor()).isEqualTo(v2);
                assertThat(page.bundle()).isEqualTo("com.acme.connector 2.0.0");
            });
        }

        @Test
        void ofTwoVersionsOfOneConnectorTheNewerWinsWhateverTheRankingAndOtherBundlesStillCompeteByRanking() {
            Map<Long, ConnectorRegistryImpl.Origin> bundles = Map.of(
                    7L, new ConnectorRegistryImpl.Origin("com.acme.connector", Version.parseVersion("1.0.0")),
                    8L, new ConnectorRegistryImpl.Origin("com.acme.connector", Version.parseVersion("1.2.0")),
                    9L, new ConnectorRegistryImpl.Origin("com.other.connector", Version.parseVersion("5.0.0")));
            ConnectorRegistryImpl versions = new ConnectorRegistryImpl(bundles::get);
            Handler old = new Handler("acme.echo", "1.0");
            Handler newer = new Handler("acme.echo", "1.2");
            Handler other = new Handler("acme.echo", "other");
            Map<String, Object> oldProps = fromBundle("acme.echo", 40, 7);
            oldProps.put("service.ranking", 100);

            versions.addActionHandler(old, oldProps);
            assertThat(versions.actionHandler("acme.echo")).containsSame(old);
            versions.addActionHandler(newer, fromBundle("acme.echo", 41, 8));
            assertThat(versions.actionHandler("acme.echo")).containsSame(newer);

            Map<String, Object> otherProps = fromBundle("acme.echo", 42, 9);
            otherProps.put("service.ranking", 10);
            versions.addActionHandler(other, otherProps);
            assertThat(versions.actionHandler("acme.echo")).as("ranks above 1.2.0 (0), 1.0.0 is out").containsSame(other);
            versions.removeActionHandler(other, otherProps);
            versions.removeActionHandler(newer, Map.of());
            assertThat(versions.actionHandler("acme.echo")).containsSame(old);
        }

        @Test
        void aTriggerFileIsNotAnAction() {
            TypeDescriptor hook = new TypeDescriptor("acme.hook", TypeDescriptor.Kind.TRIGGER, "Hook", null, List.of());
            registry.addFiles(bundle(7, "1.0.0", hook));

            assertThat(registry.actionTypes()).isEmpty();
            assertThat(registry.actionType("acme.hook")).isEmpty();
            assertThat(registry.triggerTypes()).containsExactly(hook);
        }
    }
}
