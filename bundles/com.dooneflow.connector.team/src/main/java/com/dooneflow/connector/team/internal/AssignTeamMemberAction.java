package com.dooneflow.connector.team.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.dooneflow.api.FieldError;
import com.dooneflow.api.ValidationException;
import com.dooneflow.api.spi.ActionContext;
import com.dooneflow.api.spi.ActionHandler;
import com.dooneflow.api.spi.ActionResult;
import com.dooneflow.api.team.Assignment;
import com.dooneflow.api.team.AssignmentRequest;
import com.dooneflow.api.team.Contact;
import com.dooneflow.api.team.NoActiveTeamMemberException;
import com.dooneflow.api.team.TeamService;

/**
 * The {@code team.assign} action: assigns the execution's contact to the next active team member in round-robin
 * order and hands the member to later steps as {@code team_member_*} variables. The rotation lives in the
 * database (TeamService); a retried attempt of the step gets the same member back.
 */
@Component(property = ActionHandler.TYPE + "=" + AssignTeamMemberAction.TYPE)
public class AssignTeamMemberAction implements ActionHandler {

    public static final String TYPE = "team.assign";
    static final String MEMBER_ID = "team_member_id";
    static final String MEMBER_NAME = "team_member_name";
    static final String MEMBER_PHONE = "team_member_phone";
    static final String MEMBER_EMAIL = "team_member_email";

    private final TeamService team;

    @Activate
    public AssignTeamMemberAction(@Reference TeamService team) {
        this.team = team;
    }

    /** The pool's ids and the weights, by the rules {@link #execute} reads them with, so a bad one fails at save. */
    @Override
    public List<FieldError> validate(String organizationId, Map<String, Object> params) {
        List<FieldError> errors = new ArrayList<>();
        if (params.get("pool") instanceof List<?> list && list.stream().anyMatch(AssignTeamMemberAction::blank)) {
            errors.add(new FieldError("pool", "must list team member ids, without blank entries"));
        }
        if (params.get("weights") instanceof Map<?, ?> map) {
            map.forEach((id, weight) -> {
                String problem = weightProblem(id, weight);
                if (problem != null) {
                    errors.add(new FieldError("weights." + id, problem));
                }
            });
        }
        return errors;
    }

    /** The step's parameters, named and typed as in {@code team.assign.json} (checked by the unit test). */
    record Params(List<Object> pool, Map<String, Object> weights) {
    }

    @Override
    public ActionResult execute(ActionContext context) {
        List<String> pool;
        Map<String, Integer> weights;
        try {
            Params params = context.params(Params.class);
            pool = pool(params.pool());
            weights = weights(params.weights());
        } catch (IllegalArgumentException e) {
            return ActionResult.fail(e.getMessage());
        }
        Map<String, Object> vars = context.variables();
        Contact contact = new Contact(text(vars.get("contact_name")), text(vars.get("contact_phone")),
                text(vars.get("contact_email")));
        try {
            Assignment a = team.assign(new AssignmentRequest(context.organizationId(), context.executionId(),
                    context.stepIndex(), context.idempotencyKey(), pool, weights, contact));
            return ActionResult.ok(outputs(a));
        } catch (NoActiveTeamMemberException e) {
            return ActionResult.fail(e.getMessage());
        } catch (ValidationException e) {
            // The workflow names members that are not there (any more) or bad weights: retrying will not help.
            StringBuilder reason = new StringBuilder("team.assign parameters are not usable:");
            e.errors().forEach(f -> reason.append(' ').append(f.field()).append(' ').append(f.message()).append(';'));
            return ActionResult.fail(reason.substring(0, reason.length() - 1));
        }
    }

    /** The member as template variables; an email the member has not got is left out (unknown to templates). */
    static Map<String, Object> outputs(Assignment a) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(MEMBER_ID, a.teamMemberId());
        out.put(MEMBER_NAME, a.teamMemberName());
        out.put(MEMBER_PHONE, a.teamMemberPhone());
        if (a.teamMemberEmail() != null) {
            out.put(MEMBER_EMAIL, a.teamMemberEmail());
        }
        return out;
    }

    static List<String> pool(Object value) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException("pool must be a list of team member ids");
        }
        List<String> ids = new ArrayList<>();
        for (Object id : list) {
            if (!(id instanceof String s) || s.isBlank()) {
                throw new IllegalArgumentException("pool must be a list of team member ids, not " + id);
            }
            if (!ids.contains(s.strip())) {
                ids.add(s.strip());
            }
        }
        return ids;
    }

    static Map<String, Integer> weights(Object value) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("weights must be an object of team member id to weight");
        }
        Map<String, Integer> weights = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String problem = weightProblem(e.getKey(), e.getValue());
            if (problem != null) {
                throw new IllegalArgumentException("weights." + e.getKey() + " " + problem);
            }
            weights.put(String.valueOf(e.getKey()), ((Number) e.getValue()).intValue());
        }
        return weights;
    }

    /** Why one entry of the weights is not usable, or null. */
    private static String weightProblem(Object id, Object weight) {
        if (blank(id)) {
            return "names no team member: the keys of weights are team member ids";
        }
        long n = weight instanceof Integer || weight instanceof Long ? ((Number) weight).longValue() : -1;
        if (n < 1 || n > TeamService.MAX_WEIGHT) {
            return "must be a whole number from 1 to " + TeamService.MAX_WEIGHT + ", not "
                    + (weight instanceof String ? "'" + weight + "'" : weight);
        }
        return null;
    }

    private static boolean blank(Object id) {
        return !(id instanceof String s) || s.isBlank();
    }

    private static String text(Object value) {
        return value instanceof CharSequence || value instanceof Number ? value.toString() : null;
    }
}
