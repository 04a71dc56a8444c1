package com.dooneflow.connector.team.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.dooneflow.api.FieldError;
import com.dooneflow.api.spi.TypeFiles;
import com.dooneflow.api.Page;
import com.dooneflow.api.Principal;
import com.dooneflow.api.ValidationException;
import com.dooneflow.api.spi.ActionContext;
import com.dooneflow.api.spi.ActionResult;
import com.dooneflow.api.spi.OutputDescriptor;
import com.dooneflow.api.spi.ParameterDescriptor;
import com.dooneflow.api.spi.ParameterType;
import com.dooneflow.api.team.Assignment;
import com.dooneflow.api.team.AssignmentRequest;
import com.dooneflow.api.team.NoActiveTeamMemberException;
import com.dooneflow.api.team.TeamMember;
import com.dooneflow.api.team.TeamMemberInput;
import com.dooneflow.api.team.TeamService;
import com.dooneflow.api.team.TeamStats;

/**
 * The action's side of team.assign: parameters in, the request the TeamService gets, outputs and failures out.
 * The rotation itself is the persistence bundle's (TeamServiceImplTest) and end to end in TeamAssignmentIT.
 */
class AssignTeamMemberActionTest {

    private final RecordingTeam team = new RecordingTeam();
    private final AssignTeamMemberAction action = new AssignTeamMemberAction(team);

    @Test
    void describesTeamAssignWithAnOptionalPoolAndWeights() {
        assertThat(TypeFiles.read(AssignTeamMemberAction.class, AssignTeamMemberAction.TYPE).type()).isEqualTo("team.assign");
        assertThat(TypeFiles.read(AssignTeamMemberAction.class, AssignTeamMemberAction.TYPE).parameters()).extracting(ParameterDescriptor::name, ParameterDescriptor::type,
                ParameterDescriptor::required, ParameterDescriptor::optionSource).containsExactly(
                org.assertj.core.groups.Tuple.tuple("pool", ParameterType.STRING_LIST, false, "team.members"),
                org.assertj.core.groups.Tuple.tuple("weights", ParameterType.OBJECT, false, null));
        TypeFiles.checkBinding(TypeFiles.read(AssignTeamMemberAction.class, AssignTeamMemberAction.TYPE),
                AssignTeamMemberAction.Params.class);
    }

    @Test
    void assignsTheContactAndOutputsTheMemberForLaterSteps() {
        team.next = assignment("tm-2", "Bea Smith", "+442071838750", "bea@example.com");

        ActionResult result = action.execute(context(Map.of("pool", List.of("tm-1", "tm-2"), "weights", Map.of("tm-2", 2)),
                Map.of("contact_name", "Carl Client", "contact_phone", "+15550001111", "contact_email", "carl@example.com",
                        "other", "x")));

        assertThat(result).isEqualTo(new ActionResult.Ok(Map.of("team_member_id", "tm-2", "team_member_name", "Bea Smith",
                "team_member_phone", "+442071838750", "team_member_email", "bea@example.com")));
        // Later steps may use exactly what the descriptor declares.
        assertThat(((ActionResult.Ok) result).outputs().keySet()).containsExactlyInAnyOrderElementsOf(
                TypeFiles.read(AssignTeamMemberAction.class, AssignTeamMemberAction.TYPE).outputs().stream().map(OutputDescriptor::name).toList());
        AssignmentRequest sent = team.requests.get(0);
        assertThat(sent.organizationId()).isEqualTo("org-1");
        assertThat(sent.executionId()).isEqualTo("exec-1");
        assertThat(sent.stepIndex()).isEqualTo(1);
        assertThat(sent.idempotencyKey()).isEqualTo("exec-1:1");
        assertThat(sent.pool()).containsExactly("tm-1", "tm-2");
        assertThat(sent.weights()).isEqualTo(Map.of("tm-2", 2));
        assertThat(sent.contact().name()).isEqualTo("Carl Client");
        assertThat(sent.contact().phone()).isEqualTo("+15550001111");
        assertThat(sent.contact().email()).isEqualTo("carl@example.com");
    }

    @Test
    void withoutParametersTheWholeTeamRotatesAndAMissingEmailIsNoVariable() {
        team.next = assignment("tm-1", "Ann", "+16502530000", null);

        ActionResult result = action.execute(context(Map.of(), Map.of()));

        assertThat(result).isInstanceOfSatisfying(ActionResult.Ok.class, ok -> assertThat(ok.outputs())
                .containsOnlyKeys("team_member_id", "team_member_name", "team_member_phone"));
        assertThat(team.requests.get(0).pool()).isEmpty();
        assertThat(team.requests.get(0).weights()).isEmpty();
        assertThat(team.requests.get(0).contact().name()).isNull();
    }

    @Test
    void noActiveMemberFailsTheStepPermanently() {
        team.failure = new NoActiveTeamMemberException("no active team member in pool [tm-9]");

        ActionResult result = action.execute(context(Map.of("pool", List.of("tm-9")), Map.of()));

        assertThat(result).isInstanceOfSatisfying(ActionResult.Fail.class,
                f -> assertThat(f.reason()).isEqualTo("no active team member in pool [tm-9]"));
    }

    @Test
    void aPoolNamingStrangersFailsPermanentlyNamingTheField() {
        team.failure = ValidationException.of("pool", "'tm-x' is not a team member of this organization");

        ActionResult result = action.execute(context(Map.of("pool", List.of("tm-x")), Map.of()));

        assertThat(result).isInstanceOfSatisfying(ActionResult.Fail.class,
                f -> assertThat(f.reason()).contains("pool").contains("tm-x"));
    }

    @Test
    void badWeightsFailBeforeAnyAssignment() {
        for (Object bad : List.of(0, 101, "2", 1.5)) {
            ActionResult result = action.execute(context(Map.of("weights", Map.of("tm-1", bad)), Map.of()));
            assertThat(result).as("weight %s", bad).isInstanceOfSatisfying(ActionResult.Fail.class,
                    f -> assertThat(f.reason()).contains("weights.tm-1").contains("1 to 100"));
        }
        assertThat(action.execute(context(Map.of("pool", "tm-1"), Map.of()))).isInstanceOf(ActionResult.Fail.class);
        assertThat(team.requests).isEmpty();
    }

    @Test
    void aLongWeightFromJsonIsAccepted() {
        team.next = assignment("tm-1", "Ann", "+16502530000", null);
        action.execute(context(Map.of("weights", Map.of("tm-1", 3L)), Map.of()));
        assertThat(team.requests.get(0).weights()).isEqualTo(Map.of("tm-1", 3));
    }

    @Test
    void weightsOutsideOneToAHundredFailAtSaveNamingTheMember() {
        Map<String, Object> weights = new java.util.LinkedHashMap<>();
        weights.put("tm-0", 0);
        weights.put("tm-1", 1);
        weights.put("tm-100", 100L);
        weights.put("tm-101", 101);
        weights.put("tm-text", "2");
        weights.put("tm-half", 1.5);
        weights.put(" ", 2);

        assertThat(action.validate("org-1", Map.of("weights", weights))).containsExactly(
                new FieldError("weights.tm-0", "must be a whole number from 1 to 100, not 0"),
                new FieldError("weights.tm-101", "must be a whole number from 1 to 100, not 101"),
                new FieldError("weights.tm-text", "must be a whole number from 1 to 100, not '2'"),
                new FieldError("weights.tm-half", "must be a whole number from 1 to 100, not 1.5"),
                new FieldError("weights. ", "names no team member: the keys of weights are team member ids"));
    }

    @Test
    void aBlankPoolEntryFailsAtSave() {
        assertThat(action.validate("org-1", Map.of("pool", List.of("tm-1", " ")))).containsExactly(
                new FieldError("pool", "must list team member ids, without blank entries"));
    }

    @Test
    void aUsablePoolAndWeightsPassAndSoDoesNothing() {
        assertThat(action.validate("org-1", Map.of("pool", List.of("tm-1", "tm-2"), "weights",
                Map.of("tm-1", 1, "tm-2", 100)))).isEmpty();
        assertThat(action.validate("org-1", Map.of())).isEmpty();
    }

    // ---- helpers ----

    private static Assignment assignment(String id, String name, String phone, String email) {
        return new Assignment("a-1", id, name, phone, email, "exec-1", 1, 7, null, null, null, Instant.now());
    }

    private static ActionContext context(Map<String, Object> params, Map<String, Object> variables) {
        return new ActionContext() {
            @Override public String organizationId() { return "org-1"; }
            @Override public String executionId() { return "exec-1"; }
            @Override public int stepIndex() { return 1; }
            @Override public int attempt() { return 1; }
            @Override public String idempotencyKey() { return "exec-1:1"; }
            @Override public Map<String, Object> params() { return params; }
            @Override public Map<String, Object> variables() { return variables; }
        };
    }

    /** Records what the action asks for and answers as told; only {@code assign} is used by the action. */
    private static final class RecordingTeam implements TeamService {
        final List<AssignmentRequest> requests = new ArrayList<>();
        Assignment next;
        RuntimeException failure;

        @Override
        public Assignment assign(AssignmentRequest request) {
            requests.add(request);
            if (failure != null) {
                throw failure;
            }
            return next;
        }

        @Override public Page<TeamMember> list(Principal c, String o, int l, String cu) { throw new UnsupportedOperationException(); }
        @Override public TeamMember get(Principal c, String o, String id) { throw new UnsupportedOperationException(); }
        @Override public TeamMember create(Principal c, String o, TeamMemberInput i) { throw new UnsupportedOperationException(); }
        @Override public TeamMember update(Principal c, String o, String id, TeamMemberInput i) { throw new UnsupportedOperationException(); }
        @Override public void delete(Principal c, String o, String id) { throw new UnsupportedOperationException(); }
        @Override public Page<Assignment> assignments(Principal c, String o, String m, Instant f, Instant t, int l, String cu) { throw new UnsupportedOperationException(); }
        @Override public Page<Assignment> log(Principal c, String o, String e, Instant f, Instant t, int l, String cu) { throw new UnsupportedOperationException(); }
        @Override public TeamStats stats(Principal c, String o, Instant f, Instant t) { throw new UnsupportedOperationException(); }
    }
}
