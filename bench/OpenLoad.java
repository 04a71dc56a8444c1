import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Open-loop load: POSTs a webhook at a constant arrival rate, whatever the server's answers take (wrk's closed loop
 * waits for each answer and so hides queueing). Latency counts from the moment a request was due, not from when it
 * could be sent. Every second it prints how many were accepted, how many executions the sink has seen finished,
 * and the backlog between the two; at the end the intake percentiles, whether the backlog stayed flat and how long
 * executions waited to be finished.
 *
 * Run with: java bench/OpenLoad.java WEBHOOK_URL RATE_PER_SECOND SECONDS SINK_COUNT_URL
 */
public class OpenLoad {
    static final String BODY = "{\"name\":\"Ann Lee\",\"phone\":\"+15551234567\",\"email\":\"ann@example.com\"}";
    static final int MAX_IN_FLIGHT = 512;

    public static void main(String[] args) throws Exception {
        URI webhook = URI.create(args[0]);
        int rate = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        URI sinkCount = URI.create(args[3]);

        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(4)).connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest post = HttpRequest.newBuilder(webhook).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(BODY)).build();
        long total = (long) rate * seconds;
        AtomicLongArray latencyNanos = new AtomicLongArray((int) total);
        AtomicLong accepted = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
        long finishedAtStart = finished(client, sinkCount);

        long start = System.nanoTime();
        long[] backlogPerSecond = new long[seconds];
        int nextReport = 1;
        System.out.printf("%4s %9s %9s %9s %9s%n", "s", "accepted", "finished", "backlog", "fin/s");
        long lastFinished = 0;
        for (long i = 0; i < total; i++) {
            long due = start + i * 1_000_000_000L / rate;
            long now;
            while ((now = System.nanoTime()) < due) {
                long wait = due - now;
                if (wait > 200_000) {
                    Thread.sleep(0, (int) Math.min(wait / 2, 999_999));
                } else {
                    Thread.onSpinWait();
                }
            }
            if (now - start >= nextReport * 1_000_000_000L && nextReport <= seconds) {
                long fin = finished(client, sinkCount) - finishedAtStart;
                backlogPerSecond[nextReport - 1] = accepted.get() - fin;
                System.out.printf("%4d %9d %9d %9d %9d%n", nextReport, accepted.get(), fin, accepted.get() - fin,
                        fin - lastFinished);
                lastFinished = fin;
                nextReport++;
            }
            inFlight.acquire();
            int index = (int) i;
            client.sendAsync(post, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                latencyNanos.set(index, System.nanoTime() - due);
                inFlight.release();
                if (error != null) {
                    failed.incrementAndGet();
                } else if (response.statusCode() / 100 == 2) {
                    accepted.incrementAndGet();
                } else {
                    refused.incrementAndGet();
                }
            });
        }
        // The last second's report falls after the last request was due.
        while (nextReport <= seconds) {
            long wait = start + nextReport * 1_000_000_000L - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            long fin = finished(client, sinkCount) - finishedAtStart;
            backlogPerSecond[nextReport - 1] = accepted.get() - fin;
            System.out.printf("%4d %9d %9d %9d %9d%n", nextReport, accepted.get(), fin, accepted.get() - fin,
                    fin - lastFinished);
            lastFinished = fin;
            nextReport++;
        }
        inFlight.acquire(MAX_IN_FLIGHT);
        double elapsed = (System.nanoTime() - start) / 1e9;

        long[] sorted = new long[(int) total];
        for (int i = 0; i < total; i++) {
            sorted[i] = latencyNanos.get(i);
        }
        Arrays.sort(sorted);
        // Flat backlog: over the second half of the run it grew by less than one second of arrivals.
        int half = seconds / 2;
        long growth = backlogPerSecond[seconds - 1] - backlogPerSecond[Math.max(0, half - 1)];
        boolean sustainable = failed.get() == 0 && refused.get() == 0 && growth < rate;
        // How long an accepted execution waited to be finished, on average over the second half (Little's law: the
        // mean backlog over the arrival rate). A flat backlog can still be a long wait.
        double meanBacklog = Arrays.stream(backlogPerSecond, half, seconds).average().orElse(0);
        System.out.printf("RESULT rate=%d seconds=%.1f accepted=%d refused=%d failed=%d p50_ms=%.2f p99_ms=%.2f"
                        + " p999_ms=%.2f backlog_end=%d backlog_growth_second_half=%d wait_s=%.2f sustainable=%s%n",
                rate, elapsed, accepted.get(), refused.get(), failed.get(), percentile(sorted, 0.50),
                percentile(sorted, 0.99), percentile(sorted, 0.999), backlogPerSecond[seconds - 1], growth,
                meanBacklog / rate, sustainable);
        System.exit(0);
    }

    static double percentile(long[] sorted, double p) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))] / 1e6;
    }

    /** Executions finished so far: the sink's count of distinct idempotency keys. */
    static long finished(HttpClient client, URI sinkCount) throws Exception {
        String counts = client.send(HttpRequest.newBuilder(sinkCount).build(), HttpResponse.BodyHandlers.ofString()).body();
        return Long.parseLong(counts.trim().split(" ")[1]);
    }
}
