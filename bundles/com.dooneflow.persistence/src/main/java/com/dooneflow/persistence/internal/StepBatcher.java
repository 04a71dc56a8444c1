package com.dooneflow.persistence.internal;

import java.util.concurrent.CompletableFuture;

import javax.sql.DataSource;

import com.dooneflow.api.store.Claim;

/**
 * Group commit for succeeded steps, the workers' hot path: the results that workers finish together are written in
 * one transaction ({@link ExecutionStoreImpl#writeSucceeded}), each worker answered once its own result is durable —
 * true, or false when its claim no longer held the execution and nothing of it was written.
 */
final class StepBatcher extends GroupCommit<StepBatcher.Succeeded, Boolean> {

    /** Step {@code index} succeeded; {@code last}: it was the execution's last step, which now succeeded. */
    record Succeeded(Claim claim, int index, String type, String input, String output, String variables, boolean last,
                     CompletableFuture<Boolean> result) implements GroupCommit.Request<Boolean> {
        Succeeded(Claim claim, int index, String type, String input, String output, String variables, boolean last) {
            this(claim, index, type, input, output, variables, last, new CompletableFuture<>());
        }
    }

    StepBatcher(DataSource dataSource, int threads, int maxBatch, boolean postgres) {
        super("steps", dataSource, threads, maxBatch, (c, batch) -> ExecutionStoreImpl.writeSucceeded(c, batch, postgres));
    }
}
