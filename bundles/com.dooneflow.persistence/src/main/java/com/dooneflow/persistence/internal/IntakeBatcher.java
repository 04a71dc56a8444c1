package com.dooneflow.persistence.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import javax.sql.DataSource;

import com.dooneflow.api.spi.TriggerSink;

/**
 * Group commit for the intake: trigger events that arrive together are written in one transaction
 * ({@link ExecutionStoreImpl#write}), each caller answered once its event is durable.
 */
final class IntakeBatcher extends GroupCommit<IntakeBatcher.Request, TriggerSink.Acceptance> {

    record Request(String orgId, String triggerType, List<String> workflowIds, String dedupeKey, String dataJson,
                   boolean test, CompletableFuture<TriggerSink.Acceptance> result)
            implements GroupCommit.Request<TriggerSink.Acceptance> {
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

    IntakeBatcher(DataSource dataSource, int threads, int maxBatch) {
        super("intake", dataSource, threads, maxBatch, ExecutionStoreImpl::write);
    }
}
