package com.dooneflow.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.dooneflow.api.ClusterNode;
import com.dooneflow.api.ClusterService;
import com.dooneflow.api.ConnectorRegistry;
import com.dooneflow.api.NodeRole;
import com.dooneflow.api.spi.TypeDescriptor;

/** {@code dooneflow:connector-list} names, as {@code GET /v1/connectors} does, the living nodes running each action type. */
class ConnectorListCommandTest {

    private static final Instant T = Instant.parse("2026-01-02T03:04:05Z");

    private static ClusterNode node(String id, boolean alive, String... actionTypes) {
        return new ClusterNode(id, "http://" + id + ":8181", "0.1.0-SNAPSHOT", T, T, alive, 0, 0, List.of(actionTypes),
                List.of("api", "worker", "poller"));
    }

    @Test
    void eachActionTypeShowsTheLivingNodesThatRunIt() {
        ConnectorListCommand command = new ConnectorListCommand();
        List<TypeDescriptor> actions = List.of(
                new TypeDescriptor("webhook.call", TypeDescriptor.Kind.ACTION, "Call Webhook", null, List.of()),
                new TypeDescriptor("acme.echo", TypeDescriptor.Kind.ACTION, "Echo", null, List.of()),
                new TypeDescriptor("twilio.sms.send", TypeDescriptor.Kind.ACTION, "Send SMS", null, List.of()));
        command.registry = (ConnectorRegistry) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ConnectorRegistry.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "triggerTypes" -> List.of(new TypeDescriptor("webhook", TypeDescriptor.Kind.TRIGGER, "Webhook",
                            null, List.of()));
                    case "actionTypes" -> actions;
                    case "status" -> new ConnectorRegistry.TypeStatus((String) args[0], true, "bundle", null);
                    case "notRunning" -> List.of();
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        command.cluster = new ClusterService() {
            @Override
            public String nodeId() {
                return "node-1";
            }

            @Override
            public List<ClusterNode> nodes() {
                return List.of(node("node-1", true, "webhook.call", "acme.echo"), node("node-2", true, "webhook.call"),
                        node("node-3", false, "webhook.call", "acme.echo", "twilio.sms.send"));
            }

            @Override
            public void advertise(Set<String> actionTypes) {
            }

            @Override
            public Set<NodeRole> roles() {
                return EnumSet.allOf(NodeRole.class);
            }

            @Override
            public void reportClaiming(boolean claiming) {
            }

            @Override
            public boolean claiming() {
                return true;
            }
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        command.print(new PrintStream(out, true, StandardCharsets.UTF_8));

        List<String> lines = List.of(out.toString(StandardCharsets.UTF_8).split("\\R"));
        assertThat(lines.get(0)).contains("Type", "Running", "Nodes", "Parameters");
        assertThat(row(lines, "webhook.call")).contains("node-1,node-2").doesNotContain("node-3");
        assertThat(row(lines, "acme.echo")).contains("node-1").doesNotContain("node-2").doesNotContain("node-3");
        assertThat(row(lines, "twilio.sms.send")).as("only a dead node runs it").doesNotContain("node-");
    }

    private static String row(List<String> lines, String type) {
        return lines.stream().filter(l -> l.contains(type)).findFirst().orElseThrow();
    }
}
