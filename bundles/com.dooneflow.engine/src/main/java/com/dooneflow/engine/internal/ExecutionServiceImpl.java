package com.dooneflow.engine.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import com.dooneflow.api.ConflictException;
import com.dooneflow.api.spi.StepJournal;
import com.dooneflow.api.Execution;
import com.dooneflow.api.ExecutionService;
import com.dooneflow.api.ExecutionFilter;
import com.dooneflow.api.NotFoundException;
import com.dooneflow.api.OrganizationService;
import com.dooneflow.api.Page;
import com.dooneflow.api.Principal;
import com.dooneflow.api.store.ExecutionRow;
import com.dooneflow.api.store.ExecutionStore;
import com.dooneflow.api.store.WorkflowStore;

/** Executions as the Events page shows them, scoped to the caller's organization. */
@Component(service = ExecutionService.class)
public class ExecutionServiceImpl implements ExecutionService {

    private final OrganizationService organizations;
    private final ExecutionStore store;
    private final Intake intake;
    private final ExecutionViews views;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ExecutionWorker worker;

    @Activate
    public ExecutionServiceImpl(@Reference OrganizationService organizations, @Reference ExecutionStore store,
                                @Reference Intake intake, @Reference StepJournal journal,
                                @Reference WorkflowStore workflows) {
        this.organizations = organizations;
        this.store = store;
        this.intake = intake;
        this.views = new ExecutionViews(store, journal, workflows);
    }

    @Override
    public Page<Execution> list(Principal caller, String orgId, ExecutionFilter filter, int limit, String cursor) {
        organizations.requireRole(caller, orgId, false);
        return views.summaries(store.list(orgId, filter == null ? ExecutionFilter.ALL : filter, limit, cursor));
    }

    @Override
    public Execution get(Principal caller, String orgId, String executionId) {
        organizations.requireRole(caller, orgId, false);
        return views.withSteps(row(orgId, executionId));
    }

    @Override
    public Execution retry(Principal caller, String orgId, String executionId) {
        organizations.requireRole(caller, orgId, true);
        row(orgId, executionId);
        if (!store.retry(orgId, executionId)) {
            throw new ConflictException("status", "only a failed or cancelled execution can be retried");
        }
        intake.signal();
        return views.withSteps(row(orgId, executionId));
    }

    @Override
    public Execution cancel(Principal caller, String orgId, String executionId) {
        organizations.requireRole(caller, orgId, true);
        ExecutionStore.CancelOutcome outcome = store.cancel(orgId, executionId)
                .orElseThrow(() -> new NotFoundException("execution not found"));
        ExecutionRow row = row(orgId, executionId);
        if (outcome == ExecutionStore.CancelOutcome.UNCHANGED && !row.cancelRequested()) {
            throw new ConflictException("status", "the execution has already " + row.status()
                    + "; only one that has not finished can be cancelled");
        }
        if (outcome == ExecutionStore.CancelOutcome.REQUESTED) {
            ExecutionWorker here = worker;
            if (here != null) {
                here.interrupt(executionId); // on this node: at once; elsewhere its heartbeat notices
            }
        }
        return views.withSteps(row);
    }

    @Override
    public int cancelUnfinished(Principal caller, String orgId, String workflowId) {
        organizations.requireRole(caller, orgId, true);
        return store.cancelUnfinished(orgId, workflowId);
    }

    private ExecutionRow row(String orgId, String executionId) {
        return store.get(orgId, executionId).orElseThrow(() -> new NotFoundException("execution not found"));
    }
}
