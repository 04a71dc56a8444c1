package com.dooneflow.persistence.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dooneflow.api.OutcomeUnknownException;
import com.dooneflow.api.spi.TriggerSink;

/**
 * Group commit for the intake: trigger events that arrive together are written in one transaction, so they
 * share one commit (one WAL flush) instead of paying for one each. Every caller still returns only after its
 * own event is durable. If a batch fails before its commit, its requests are retried one by one, so one bad
 * request cannot fail the others; if the commit itself fails, nobody can tell whether it was written, and every
 * request of the batch fails with {@link OutcomeUnknownException} instead of being written twice.
 */
final class IntakeBatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IntakeBatcher.class);

    record Request(String orgId, String triggerType, List<String> workflowIds, String dedupeKey, String dataJson,
                   boolean test, CompletableFuture<TriggerSink.Acceptance> result) {
        Request(String orgId, String triggerType, List<String> workflowIds, String dedupeKey, String dataJson) {
            this(orgId, triggerType, workflowIds, dedupeKey, dataJson, false);
        }

        Request(String orgId, String triggerType, List<String> workflowIds, String dedupeKey, String dataJson,
                boolean test) {
            this(orgId, triggerType, workflowIds, dedupeKey, dataJson, test, new CompletableFuture<>());
        }

        /** Requests with the same route fire the same workflows. */
        String route() {
            return orgId + "|" + triggerType + "|" + workflowIds;
        }
    }

    private final DataSource dataSource;
    private final int maxBatch;
    private final BlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final List<Thread> committers = new ArrayList<>();
    private volatile boolean open = true;

    IntakeBatcher(DataSource dataSource, int threads, int maxBatch) {
        this.dataSource = dataSource;
        this.maxBatch = maxBatch;
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(this::commitLoop, "dooneflow-intake-" + (i + 1));
            t.setDaemon(true);
            t.start();
            committers.add(t);
        }
    }

    TriggerSink.Acceptance submit(Request request) {
        if (!open) {
            throw new IllegalStateException("the intake is shutting down");
        }
        queue.add(request);
        if (!open && queue.remove(request)) {
            // close() ran between the check and the add: nobody would ever answer this request.
            throw new IllegalStateException("the intake is shutting down");
        }
        try {
            return request.result().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    private void commitLoop() {
        List<Request> batch = new ArrayList<>(maxBatch);
        while (open || !queue.isEmpty()) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                if (!open) {
                    break;
                }
                continue;
            }
            queue.drainTo(batch, maxBatch - 1);
            commit(batch);
            batch.clear();
        }
    }

    private void commit(List<Request> batch) {
        try {
            List<TriggerSink.Acceptance> results = Jdbc.tx(dataSource, c -> ExecutionStoreImpl.write(c, batch));
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result().complete(results.get(i));
            }
        } catch (OutcomeUnknownException e) {
            // The batch may be committed: writing its requests again could run unkeyed ones twice. Each caller
            // is told so (and logs it); a resend with the same dedupe key is safe.
            batch.forEach(r -> r.result().completeExceptionally(e));
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                batch.get(0).result().completeExceptionally(e);
                return;
            }
            LOG.warn("A batch of {} trigger events failed ({}); writing them one by one", batch.size(), e.getMessage());
            for (Request r : batch) {
                commit(new ArrayList<>(List.of(r)));
            }
        }
    }

    @Override
    public void close() {
        open = false;
        committers.forEach(Thread::interrupt);
        for (Thread t : committers) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Request left;
        while ((left = queue.poll()) != null) {
            left.result().completeExceptionally(new IllegalStateException("the intake shut down"));
        }
    }
}
