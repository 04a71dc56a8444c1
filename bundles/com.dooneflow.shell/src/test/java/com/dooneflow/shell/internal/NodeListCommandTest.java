package com.dooneflow.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.dooneflow.api.ClusterNode;
import com.dooneflow.api.ClusterService;
import com.dooneflow.api.NodeRole;

/** {@code dooneflow:node-list} shows the columns of {@code GET /v1/cluster/nodes}. */
class NodeListCommandTest {

    private static final Instant T = Instant.parse("2026-01-02T03:04:05Z");

    @Test
    void showsEveryColumnOfTheNodesList() {
        NodeListCommand command = new NodeListCommand();
        command.cluster = new ClusterService() {
            @Override
            public String nodeId() {
                return "node-1";
            }

            @Override
            public List<ClusterNode> nodes() {
                return List.of(new ClusterNode("node-1", "http://10.0.0.1:8181", "0.1.0-SNAPSHOT", T, T, true, 3, 2,
                        List.of("twilio.sms.send", "webhook.call"), List.of("worker", "poller")),
                        new ClusterNode("node-2", T, T, false, 0));
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

        String[] lines = out.toString(StandardCharsets.UTF_8).split("\\R");
        assertThat(lines[0]).contains("Node", "Address", "Version", "Roles", "Alive", "Started", "Last heartbeat",
                "Running", "Inboxes", "Action types");
        String first = List.of(lines).stream().filter(l -> l.contains("node-1")).findFirst().orElseThrow();
        assertThat(first).contains("node-1 (this node)", "http://10.0.0.1:8181", "0.1.0-SNAPSHOT", "worker,poller",
                "yes", "2026-01-02T03:04:05Z", " 3 ", " 2 ", "twilio.sms.send,webhook.call");
        String second = List.of(lines).stream().filter(l -> l.contains("node-2")).findFirst().orElseThrow();
        assertThat(second).contains(" no ").doesNotContain("this node");
    }
}
