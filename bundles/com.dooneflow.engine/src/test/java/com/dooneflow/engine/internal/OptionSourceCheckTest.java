package com.dooneflow.engine.internal;

import static com.dooneflow.engine.internal.EngineFakes.action;
import static com.dooneflow.engine.internal.EngineFakes.map;
import static com.dooneflow.engine.internal.EngineFakes.trigger;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import com.dooneflow.api.FieldError;
import com.dooneflow.api.StepSpec;
import com.dooneflow.api.WorkflowDefinition;
import com.dooneflow.api.spi.OptionSource.Option;
import com.dooneflow.api.spi.ParameterDescriptor;
import com.dooneflow.api.spi.ParameterType;
import com.dooneflow.api.spi.TypeDescriptor;

/** A parameter with an option source holds one of the organization's options when the workflow is saved. */
class OptionSourceCheckTest {

    private static final TypeDescriptor WEBHOOK = trigger("webhook",
            ParameterDescriptor.of("path", "Path", ParameterType.STRING).asRequired());
    private static final TypeDescriptor SALESFORCE = action("salesforce.record.write",
            ParameterDescriptor.of("connection", "Connection", ParameterType.STRING).asRequired().asTemplatable()
                    .withOptionSource("salesforce.connections"));
    private static final TypeDescriptor TEAM = action("team.assign",
            ParameterDescriptor.of("pool", "Pool", ParameterType.STRING_LIST).withOptionSource("team.members"));

    private final Map<String, List<Option>> sources = Map.of(
            "salesforce.connections", List.of(new Option("Production", "Production (connected)"),
                    new Option("Sandbox", "Sandbox (needs reconnect)")),
            "team.members", List.of(new Option("m-1", "Ann Lee"), new Option("m-2", "Bo Chen (inactive)")));
    private final List<String> asked = new ArrayList<>();

    private final WorkflowValidator validator = new WorkflowValidator(List.of(WEBHOOK), List.of(SALESFORCE, TEAM),
            id -> {
                asked.add(id);
                return Optional.ofNullable(sources.get(id));
            });

    @Test
    void aConnectionThatTheOrganizationHasPasses() {
        assertThat(validate(salesforce("Production"), team(List.of("m-1", "m-2")))).isEmpty();
    }

    @Test
    void anUnknownConnectionIsNamedWithTheConnectionsThatExist() {
        assertThat(validate(team(List.of("m-1")), salesforce("Prod"))).containsExactly(new FieldError(
                "actions[1].params.connection", "'Prod' is not among this organization's options for "
                + "Connection (salesforce.connections); they are: Production (connected), Sandbox (needs reconnect)"));
    }

    @Test
    void everyItemOfAPoolIsChecked() {
        assertThat(validate(team(List.of("m-1", "m-9", "gone", "m-9")))).containsExactly(new FieldError(
                "actions[0].params.pool", "'m-9', 'gone' are not among this organization's options for Pool "
                + "(team.members); they are: Ann Lee, Bo Chen (inactive)"));
    }

    @Test
    void anOrganizationWithoutAnyOptionsSaysSo() {
        WorkflowValidator none = new WorkflowValidator(List.of(WEBHOOK), List.of(SALESFORCE),
                id -> Optional.of(List.of()));

        assertThat(none.validate(workflow(salesforce("Production")), Set.of())).extracting(FieldError::message)
                .containsExactly("'Production' is not among this organization's options for Connection "
                        + "(salesforce.connections): it has none yet");
    }

    @Test
    void aLongListOfOptionsIsCutShort() {
        List<Option> many = IntStream.rangeClosed(1, 25).mapToObj(i -> new Option("c" + i, "C" + i)).toList();
        WorkflowValidator lots = new WorkflowValidator(List.of(WEBHOOK), List.of(SALESFORCE), id -> Optional.of(many));

        assertThat(lots.validate(workflow(salesforce("nope")), Set.of()).get(0).message())
                .endsWith("C19, C20 and 5 more");
    }

    @Test
    void aTemplatedValueAnEmptyPoolAndAStoppedSourceAreNotChecked() {
        assertThat(validate(salesforce("{contact_connection}"), team(List.of()))).isEmpty();
        assertThat(asked).isEmpty();

        WorkflowValidator stopped = new WorkflowValidator(List.of(WEBHOOK), List.of(SALESFORCE),
                id -> Optional.empty());
        assertThat(stopped.validate(workflow(salesforce("Prod")), Set.of())).isEmpty();
    }

    @Test
    void aValueOfTheWrongTypeIsReportedAsSuchNotAsAnUnknownOption() {
        assertThat(validate(team("m-1"))).extracting(FieldError::message).containsExactly("must be a list of strings");
    }

    private List<FieldError> validate(StepSpec... actions) {
        return validator.validate(workflow(actions), Set.of());
    }

    private static WorkflowDefinition workflow(StepSpec... actions) {
        return new WorkflowDefinition("wf", true, new StepSpec("webhook", map("path", "leads"), null), List.of(actions));
    }

    private static StepSpec salesforce(String connection) {
        return new StepSpec("salesforce.record.write", map("connection", connection), null);
    }

    private static StepSpec team(Object pool) {
        return new StepSpec("team.assign", map("pool", pool), null);
    }
}
