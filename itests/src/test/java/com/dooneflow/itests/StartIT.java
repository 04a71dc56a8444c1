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
 * browser and the readiness check get 503 with Retry-After ("not yet", which senders retry) from the start gate, and
 * once the readiness check says UP, only the real answers. (For about a second while the JAX-RS whiteboard starts,
 * before the gate's bundle has started, a route not deployed yet can still answer 404: see the README.)
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

        // Every poll sends one round, as a load balancer, a sender, a client and a browser would, until health is UP.
        List<Answer> answers = Collections.synchronizedList(new ArrayList<>());
        try {
            Awaitility.await("health UP").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        List<Answer> round = new ArrayList<>();
                        send(round, "health", HttpRequest.newBuilder(uri("/v1/health")));
                        send(round, "webhook", HttpRequest.newBuilder(uri("/webhook/start-probe")).header("Content-Type",
                                "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")));
                        send(round, "api", HttpRequest.newBuilder(uri("/v1/me"))
                                .header("Authorization", "Bearer " + dooneflow.token));
                        send(round, "console", HttpRequest.newBuilder(uri("/")).header("Accept", "text/html"));
                        answers.addAll(round);
                        return round.stream().anyMatch(a -> a.what().equals("health") && a.status() == 200);
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("health UP within 180 s: " + tail(new ArrayList<>(answers)));
        }

        int upAt = 0;
        while (!(answers.get(upAt).what().equals("health") && answers.get(upAt).status() == 200)) {
            Answer starting = answers.get(upAt++);
            if (starting.status() == 503 && !starting.what().equals("health")) {
                assertEquals(starting.toString(), "5", starting.retryAfter());
            }
        }
        assertTrue("\"not yet\" answered during the start: " + answers, answers.subList(0, upAt).stream()
                .anyMatch(a -> a.what().equals("webhook") && a.status() == 503 && a.body().contains("/problems/starting")));
        for (Answer after : answers.subList(upAt, answers.size())) {
            assertTrue("once UP, only real answers: " + answers.subList(upAt, answers.size()),
                    switch (after.what()) {
                        case "health", "api", "console" -> after.status() == 200;
                        default -> after.status() == 404 && after.body().contains("/problems/not-found"); // no such workflow
                    });
        }
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

    private static List<Answer> tail(List<Answer> answers) {
        return answers.subList(Math.max(0, answers.size() - 8), answers.size());
    }

    @After
    public void stop() throws Exception {
        if (dooneflow != null) {
            dooneflow.close();
        }
    }
}
