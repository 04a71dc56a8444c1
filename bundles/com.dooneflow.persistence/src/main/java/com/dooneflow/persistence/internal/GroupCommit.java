package com.dooneflow.persistence.internal;

import java.sql.Connection;
import java.sql.SQLException;
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

/**
 * Group commit: writes that arrive together go into one transaction, so they share one commit (one WAL flush)
 * instead of paying for one each. Every caller still returns only after its own write is durable. If a batch fails
 * before its commit, its requests are retried one by one, so one bad request cannot fail the others; if the commit
 * itself fails, nobody can tell whether it was written, and every request of the batch fails with
 * {@link OutcomeUnknownException} instead of being written twice.
 *
 * @param <R> a request, which carries the future its caller waits on
 * @param <A> the answer to one request
 */
class GroupCommit<R extends GroupCommit.Request<A>, A> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);

    /** One caller's write; its caller waits on {@link #result()}. */
    interface Request<A> {
        CompletableFuture<A> result();
    }

    /** Writes a batch in the caller's transaction and answers each request, in order. */
    interface Writer<R, A> {
        List<A> write(Connection c, List<R> batch) throws SQLException;
    }

    private final String name;
    private final DataSource dataSource;
    private final int maxBatch;
    private final Writer<R, A> writer;
    private final BlockingQueue<R> queue = new LinkedBlockingQueue<>();
    private final List<Thread> committers = new ArrayList<>();
    private volatile boolean open = true;

    GroupCommit(String name, DataSource dataSource, int threads, int maxBatch, Writer<R, A> writer) {
        this.name = name;
        this.dataSource = dataSource;
        this.maxBatch = maxBatch;
        this.writer = writer;
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(this::commitLoop, "dooneflow-" + name + "-" + (i + 1));
            t.setDaemon(true);
            t.start();
            committers.add(t);
        }
    }

    /** Queues the request and returns its answer once it is committed (or throws why it is not). */
    A submit(R request) {
        if (!open) {
            throw new IllegalStateException("the " + name + " is shutting down");
        }
        queue.add(request);
        if (!open && queue.remove(request)) {
            // close() ran between the check and the add: nobody would ever answer this request.
            throw new IllegalStateException("the " + name + " is shutting down");
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
        List<R> batch = new ArrayList<>(maxBatch);
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

    private void commit(List<R> batch) {
        try {
            List<A> answers = Jdbc.tx(dataSource, c -> writer.write(c, batch));
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result().complete(answers.get(i));
            }
        } catch (OutcomeUnknownException e) {
            // The batch may be committed: writing its requests again could apply them twice. Each caller is told.
            batch.forEach(r -> r.result().completeExceptionally(e));
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                batch.get(0).result().completeExceptionally(e);
                return;
            }
            LOG.warn("A batch of {} {} writes failed ({}); writing them one by one", batch.size(), name, e.getMessage());
            for (R r : batch) {
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
        R left;
        while ((left = queue.poll()) != null) {
            left.result().completeExceptionally(new IllegalStateException("the " + name + " shut down"));
        }
    }
}
