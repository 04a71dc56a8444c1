package com.dooneflow.shell.internal;

import com.dooneflow.api.Execution;
import com.dooneflow.api.ExecutionService;
import com.dooneflow.api.NotFoundException;
import com.dooneflow.api.OrganizationService;
import com.dooneflow.api.Principal;
import com.dooneflow.api.Workflow;
import com.dooneflow.api.WorkflowService;

/** Console commands name workflows and executions by id alone; this finds their organization. */
final class Workflows {

    private Workflows() {
    }

    static Workflow find(OrganizationService organizations, WorkflowService workflows, String id) {
        for (var org : organizations.list(Principal.SYSTEM)) {
            try {
                return workflows.get(Principal.SYSTEM, org.id(), id);
            } catch (NotFoundException e) {
                // not in this organization
            }
        }
        throw new NotFoundException("no workflow " + id);
    }

    static Execution findExecution(OrganizationService organizations, ExecutionService executions, String id) {
        for (var org : organizations.list(Principal.SYSTEM)) {
            try {
                return executions.get(Principal.SYSTEM, org.id(), id);
            } catch (NotFoundException e) {
                // not in this organization
            }
        }
        throw new NotFoundException("no execution " + id);
    }
}
