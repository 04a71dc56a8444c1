package com.dooneflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.After;
import org.junit.Test;

/**
 * What callers meet while the distribution starts: polled from its first answer, the API, a webhook sender, a
 * browser and the readiness check get nothing but 503 with Retry-After ("not yet", which senders retry) from the
 * start gate (or, until its filter is in place, from the server gate in front of Jetty's handlers), never a 404 or a
 * 500 of a route not deployed yet, and once the readiness check says UP, only the real answers; when the node is
 * stopped, "stopping" (503 with Retry-After) until nothing answers, never a route going away.
 */
public class StartIT {

    private DistributionProcess dooneflow;

    /** One request of the polling and what it was answered. */
    private record Answer(String what, int status, String retryAfter, String contentType, String body) {
        @Override
        public String toString() {
            return what + " " + status + " " + body.substring(0, Math.min(body.length(), 160));
        }
    }

    @Test
    public void callersGetNotYetUntilStartedThenTheRealAnswers() throws Exception {
        dooneflow = new DistributionProcess(null);
        dooneflow.start();

        // One round every 50 ms until health is UP. The gate opens on a check that says UP, so a round whose other
        // callers found it open ends with UP (the readiness check comes last): every round before it is "not yet".
        List<List<Answer>> rounds = Collections.synchronizedList(new ArrayList<>());
        try {
            Awaitility.await("health UP").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        List<Answer> round = round();
                        rounds.add(round);
                        return round.stream().anyMatch(a -> a.what().equals("health") && a.status() == 200);
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("health UP within 180 s: " + tail(new ArrayList<>(rounds)));
        }

        List<Answer> before = rounds.subList(0, rounds.size() - 1).stream().flatMap(List::stream).toList();
        for (Answer starting : before) {
            assertTrue("before UP, only \"not yet\": " + starting, notYet(starting));
        }
        assertTrue("\"not yet\" answered during the start: " + before, before.stream()
                .anyMatch(a -> a.what().equals("webhook") && a.body().contains("/problems/starting")));
        for (Answer answer : rounds.get(rounds.size() - 1)) {
            assertTrue("in the round that ends UP, \"not yet\" or the real answer: " + answer,
                    notYet(answer) || real(answer));
        }
        for (int i = 0; i < 5; i++) { // and the gate stays open
            List<Answer> after = round();
            assertEquals(4, after.size());
            assertTrue("once UP, only real answers: " + after, after.stream().allMatch(StartIT::real));
        }

        // The node is stopped (SIGTERM) while the callers go on, until nothing answers.
        List<Answer> whileStopping = Collections.synchronizedList(new ArrayList<>());
        Thread callers = new Thread(() -> {
            try {
                for (List<Answer> round = round(); !round.isEmpty(); round = round()) {
                    whileStopping.addAll(round);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        callers.start();
        dooneflow.kill(false);
        callers.join(Duration.ofSeconds(60).toMillis());
        List<Answer> stopAnswers = new ArrayList<>(whileStopping);
        for (Answer answer : stopAnswers) {
            assertTrue("while stopping, the real answer or \"stopping\", never a route going away: " + answer,
                    real(answer) || stopping(answer));
        }
        assertTrue("\"stopping\" answered while the node stopped: " + stopAnswers,
                stopAnswers.stream().anyMatch(a -> a.what().equals("webhook") && stopping(a)));
    }

    /** One round, as a webhook sender, an API client, a browser and a load balancer would send it. */
    private List<Answer> round() throws InterruptedException {
        List<Answer> round = new ArrayList<>();
        send(round, "webhook", HttpRequest.newBuilder(uri("/webhook/start-probe")).header("Content-Type",
                "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")));
        send(round, "api", HttpRequest.newBuilder(uri("/v1/me")).header("Authorization", "Bearer " + dooneflow.token));
        send(round, "console", HttpRequest.newBuilder(uri("/")).header("Accept", "text/html"));
        send(round, "health", HttpRequest.newBuilder(uri("/v1/health")));
        return round;
    }

    /** 503 with Retry-After 5; for all but the readiness check (its own body), the "starting" problem or page. */
    private static boolean notYet(Answer a) {
        return a.status() == 503 && "5".equals(a.retryAfter()) && (a.what().equals("health")
                || a.body().contains("/problems/starting") || a.body().contains("DooneFlow is starting"));
    }

    /** 503 with Retry-After 5; for all but the readiness check, the "stopping" problem or page. */
    private static boolean stopping(Answer a) {
        return a.status() == 503 && "5".equals(a.retryAfter()) && (a.what().equals("health")
                || a.body().contains("/problems/stopping") || a.body().contains("DooneFlow is stopping"));
    }

    private static boolean real(Answer a) {
        return switch (a.what()) {
            case "health", "api", "console" -> a.status() == 200;
            default -> a.status() == 404 && a.body().contains("/problems/not-found"); // no such workflow
        };
    }

    private URI uri(String path) {
        return URI.create(dooneflow.base + path);
    }

    /** Sends one request; a refused connection (the web server not listening yet) is no answer. */
    private static void send(List<Answer> round, String what, HttpRequest.Builder request) throws InterruptedException {
        try {
            HttpResponse<String> response = DistributionProcess.HTTP.send(request.timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            round.add(new Answer(what, response.statusCode(), response.headers().firstValue("Retry-After").orElse(null),
                    response.headers().firstValue("Content-Type").orElse(""), response.body()));
        } catch (IOException notListening) {
            // nothing answered
        }
    }

    private static List<List<Answer>> tail(List<List<Answer>> rounds) {
        return rounds.subList(Math.max(0, rounds.size() - 3), rounds.size());
    }

    @After
    public void stop() throws Exception {
        if (dooneflow != null) {
            dooneflow.close();
        }
    }
}
