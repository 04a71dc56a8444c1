package com.dooneflow.persistence.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import javax.sql.DataSource;

import com.dooneflow.api.spi.TriggerSink;
import com.dooneflow.api.store.ExecutionStore.LeasedIntake;

/**
 * Group commit for the intake: trigger events that arrive together are written in one transaction
 * ({@link ExecutionStoreImpl#write}), each caller answered once its event is durable.
 */
final class IntakeBatcher extends GroupCommit<IntakeBatcher.Request, LeasedIntake> {

    /**
     * {@code workflowVersions}: id → version the caller routed by; the intake is stale if another is stored.
     * {@code leaseTo}: the node the first new execution is leased to for {@code lease} (null: every one is queued).
     */
    record Request(String orgId, String triggerType, List<String> workflowIds, String dedupeKey, String dataJson,
                   boolean test, Map<String, Integer> workflowVersions, String leaseTo, Duration lease,
                   CompletableFuture<LeasedIntake> result)
            implements GroupCommit.Request<LeasedIntake> {
        Request(String orgId, String triggerType, List<String> workflowIds, String dedupeKey, String dataJson) {
            this(orgId, triggerType, workflowIds, dedupeKey, dataJson, false, Map.of());
        }

        Request(String orgId, String triggerType, List<String> workflowIds, String dedupeKey, String dataJson,
                boolean test, Map<String, Integer> workflowVersions) {
            this(orgId, triggerType, workflowIds, dedupeKey, dataJson, test, workflowVersions, null, null);
        }

        Request(String orgId, String triggerType, List<String> workflowIds, String dedupeKey, String dataJson,
                boolean test, Map<String, Integer> workflowVersions, String leaseTo, Duration lease) {
            this(orgId, triggerType, workflowIds, dedupeKey, dataJson, test, workflowVersions, leaseTo, lease,
                    new CompletableFuture<>());
        }

        /** True when a workflow the caller routed by is stored in another version ({@code targets}: id, version). */
        boolean staleAgainst(List<String[]> targets) {
            for (String[] target : targets) {
                Integer routed = workflowVersions.get(target[0]);
                if (routed != null && routed != Integer.parseInt(target[1])) {
                    return true;
                }
            }
            return false;
        }

        /** Requests with the same route fire the same workflows. */
        String route() {
            return orgId + "|" + triggerType + "|" + workflowIds;
        }
    }

    IntakeBatcher(DataSource dataSource, int threads, int maxBatch) {
        super("intake", dataSource, threads, maxBatch, ExecutionStoreImpl::write);
    }

    /** {@link #submit}, for a caller that leases nothing: only the answer. */
    TriggerSink.Acceptance accept(Request request) {
        return submit(request).acceptance();
    }
}
