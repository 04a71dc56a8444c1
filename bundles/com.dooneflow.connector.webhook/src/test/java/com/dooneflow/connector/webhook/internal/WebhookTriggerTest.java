package com.dooneflow.connector.webhook.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.dooneflow.api.spi.ParameterDescriptor;
import com.dooneflow.api.spi.TypeFiles;
import com.dooneflow.api.spi.ParameterType;
import com.dooneflow.api.spi.TriggerBinding;
import com.dooneflow.api.spi.TypeDescriptor;
import com.dooneflow.testing.RecordingTriggerSink;

class WebhookTriggerTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final WebhookTrigger trigger = new WebhookTrigger(now::get);
    private final RecordingTriggerSink sink = new RecordingTriggerSink();

    private static TriggerBinding binding(String org, String workflow, String path) {
        return new TriggerBinding(org, workflow, 1, Map.of("path", path));
    }

    private void advanceSeconds(long seconds) {
        now.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
    }

    @Test
    void aFailedReloadLeavesTheRoutesStaleSoTheNextRequestLoadsThemAgain() {
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        RecordingTriggerSink flaky = new RecordingTriggerSink() {
            @Override
            public List<TriggerBinding> bindings() {
                RuntimeException f = failure.get();
                if (f != null) {
                    throw f;
                }
                return super.bindings();
            }
        };
        flaky.bindingList().add(binding("o", "w", "orders"));
        trigger.open(flaky);
        assertThat(trigger.route("orders")).isPresent();

        trigger.bindingsChanged();
        failure.set(new IllegalStateException("connection refused"));
        assertThatThrownBy(() -> trigger.route("orders")).isInstanceOf(IllegalStateException.class);
        failure.set(null);
        flaky.bindingList().clear(); // the change: the workflow was disabled

        assertThat(trigger.route("orders")).as("the old route is not kept for another 30 s").isEmpty();
    }

    @Test
    void describesItsParameters() {
        TypeDescriptor d = TypeFiles.read(WebhookTrigger.class, WebhookTrigger.TYPE);
        assertThat(d.type()).isEqualTo("webhook");
        assertThat(d.kind()).isEqualTo(TypeDescriptor.Kind.TRIGGER);
        assertThat(d.parameters()).extracting(ParameterDescriptor::name).containsExactly("path", "authentication");
        ParameterDescriptor path = d.parameters().get(0);
        assertThat(path.type()).isEqualTo(ParameterType.STRING);
        assertThat(path.required()).isTrue();
        ParameterDescriptor auth = d.parameters().get(1);
        assertThat(auth.type()).isEqualTo(ParameterType.SELECT);
        assertThat(auth.options()).containsExactly("none", "key", "standard-webhooks");
        assertThat(auth.defaultValue()).isEqualTo("none");
    }

    @Test
    void routesNothingWithoutASink() {
        sink.bindingList().add(binding("o", "w", "orders"));
        assertThat(trigger.route("orders")).isEmpty();
        trigger.open(sink);
        assertThat(trigger.route("orders")).get().extracting(r -> r.binding().workflowId()).isEqualTo("w");
        trigger.close();
        assertThat(trigger.route("orders")).isEmpty();
    }

    @Test
    void cachesRoutesAndRefreshesOnChangeOnMissAtMostOncePerSecondAndEvery30Seconds() {
        sink.bindingList().add(binding("o", "w1", "orders"));
        trigger.open(sink);
        assertThat(sink.bindingCalls()).isEqualTo(0); // open() does not query
        assertThat(trigger.route("orders")).isPresent();
        assertThat(trigger.route("orders")).isPresent();
        assertThat(sink.bindingCalls()).isEqualTo(1);

        // A miss reloads, but not more than once a second.
        sink.bindingList().add(binding("o", "w2", "leads"));
        assertThat(trigger.route("nothing-here")).isEmpty();
        assertThat(sink.bindingCalls()).isEqualTo(1); // loaded less than a second ago
        advanceSeconds(1);
        assertThat(trigger.route("leads")).isPresent();
        assertThat(sink.bindingCalls()).isEqualTo(2);
        assertThat(trigger.route("nothing-here")).isEmpty();
        assertThat(trigger.route("nothing-here")).isEmpty();
        assertThat(sink.bindingCalls()).isEqualTo(2);

        // bindingsChanged() makes the next request reload: a disabled workflow's path stops routing.
        sink.bindingList().removeIf(b -> b.workflowId().equals("w1"));
        trigger.bindingsChanged();
        assertThat(trigger.route("orders")).isEmpty();
        assertThat(sink.bindingCalls()).isEqualTo(3);

        // A hit older than 30 s reloads too (changes made on another node).
        sink.bindingList().clear();
        advanceSeconds(29);
        assertThat(trigger.route("leads")).isPresent();
        assertThat(sink.bindingCalls()).isEqualTo(3);
        advanceSeconds(2);
        assertThat(trigger.route("leads")).isEmpty();
        assertThat(sink.bindingCalls()).isEqualTo(4);
    }

    @Test
    void routesSavedPathsWhateverTheCaseAndSlashesOfTheRequestButNeverAPathNotInNormalForm() {
        sink.bindingList().add(binding("o", "w1", "Orders/New"));
        sink.bindingList().add(binding("o", "w2", "/b-orders"));
        sink.bindingList().add(binding("o", "w3", "bad path"));
        trigger.open(sink);
        assertThat(trigger.route("orders/new")).get().extracting(r -> r.binding().workflowId()).isEqualTo("w1");
        assertThat(trigger.route("/ORDERS/new/")).get().extracting(r -> r.binding().workflowId()).isEqualTo("w1");
        assertThat(trigger.route("b-orders")).isEmpty();
        assertThat(trigger.route("bad path")).isEmpty();
    }

    @Test
    void neverChoosesBetweenTwoWorkflowsOnOnePath() {
        // The database keeps paths unique; should two ever share one, neither gets the other's webhooks.
        sink.bindingList().add(binding("o2", "w9", "shared"));
        sink.bindingList().add(binding("o1", "w8", "SHARED"));
        sink.bindingList().add(binding("o1", "w7", "other"));
        trigger.open(sink);
        assertThat(trigger.route("shared")).isEmpty();
        assertThat(trigger.route("other")).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"b-orders/", "/b-orders", "a-leads?x", "./a-leads", "a-leads/../a-leads", "a-leads ",
            "b%2Dorders", "a//b", "a\u0000b"})
    void aPathNotInNormalFormIsRefusedAtSaveNamingThePath(String path) {
        assertThat(trigger.validate("o", Map.of("path", path)))
                .singleElement().satisfies(e -> {
                    assertThat(e.field()).isEqualTo("path");
                    assertThat(e.message()).contains("without a leading or trailing '/'");
                });
        assertThat(trigger.validate("o", Map.of("path", "B-Orders/v2.1"))).isEmpty();
    }

    @Test
    void authenticationDefaultsToNone() {
        sink.bindingList().add(binding("o", "w1", "a"));
        sink.bindingList().add(new TriggerBinding("o", "w2", 1, Map.of("path", "b", "authentication", "key")));
        trigger.open(sink);
        assertThat(trigger.route("a").orElseThrow().authentication()).isEqualTo("none");
        assertThat(trigger.route("b").orElseThrow().authentication()).isEqualTo("key");
    }

    @ParameterizedTest
    @ValueSource(strings = {"orders", "a/b", "v1/orders.new/x_y~z-1", "A9", "a/...", ".well-known/x", "a..b"})
    void validPaths(String path) {
        assertThat(WebhookTrigger.PATH.matcher(path).matches()).isTrue();
        assertThat(WebhookTrigger.PATH.matcher("x".repeat(200)).matches()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/orders", "orders/", "a//b", "a b", "a?b", "a%20b", "ä", "a/../b", ".", "..", "./a", "a/.", "a?b#"})
    void invalidPaths(String path) {
        assertThat(WebhookTrigger.PATH.matcher(path).matches()).isFalse();
        assertThat(WebhookTrigger.PATH.matcher("x".repeat(201)).matches()).isFalse();
    }
}
