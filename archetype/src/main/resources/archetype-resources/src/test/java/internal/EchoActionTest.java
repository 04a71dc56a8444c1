package ${package}.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.dooneflow.api.spi.ActionResult;
import com.dooneflow.api.spi.ParameterDescriptor;
import com.dooneflow.api.spi.ParameterType;
import com.dooneflow.api.spi.TypeDescriptor;
import com.dooneflow.api.spi.TypeFiles;
import com.dooneflow.testing.StepContext;

/** The action as the engine calls it, with the test kit's StepContext standing in for a step: no OSGi needed. */
class EchoActionTest {

    /** Read as the engine reads it: a mistake in the file fails here, at build time. */
    private static final TypeDescriptor DESCRIPTOR = TypeFiles.read(EchoAction.class, EchoAction.TYPE);

    private final EchoAction action = new EchoAction();

    @Test
    void describesATemplatableTextAndABoundedCount() {
        assertThat(DESCRIPTOR.type()).isEqualTo("${typeId}");
        assertThat(DESCRIPTOR.outputs()).extracting(o -> o.name()).containsExactly("echo");
        ParameterDescriptor text = parameter("text");
        assertThat(text.type()).isEqualTo(ParameterType.TEXT);
        assertThat(text.required()).isTrue();
        assertThat(text.templatable()).isTrue();
        ParameterDescriptor times = parameter("times");
        assertThat(times.type()).isEqualTo(ParameterType.INTEGER);
        assertThat(times.min()).isEqualTo(1L);
        assertThat(times.max()).isEqualTo(5L);
        assertThat(times.defaultValue()).isEqualTo(1);
    }

    /** The record execute reads its parameters into: a renamed parameter or a wrong type fails here. */
    @Test
    void itsParameterRecordFitsTheDescriptor() {
        TypeFiles.checkBinding(DESCRIPTOR, EchoAction.Params.class);
    }

    @Test
    void echoesTheTextAsManyTimesAsAsked() {
        ActionResult result = action.execute(StepContext.of("org-1", Map.of("text", "hi ", "times", 3)));

        assertThat(result).isEqualTo(new ActionResult.Ok(Map.of("echo", "hi hi hi ")));
    }

    @Test
    void echoesOnceWithoutTimes() {
        ActionResult result = action.execute(StepContext.of("org-1", Map.of("text", "hi")));

        assertThat(result).isEqualTo(new ActionResult.Ok(Map.of("echo", "hi")));
    }

    @Test
    void aTextLeftEmptyByItsVariablesFailsTheStep() {
        ActionResult result = action.execute(StepContext.of("org-1", Map.of("text", " ", "times", 2)));

        assertThat(result).isInstanceOfSatisfying(ActionResult.Fail.class,
                fail -> assertThat(fail.reason()).contains("text is empty"));
    }

    private ParameterDescriptor parameter(String name) {
        return DESCRIPTOR.parameters().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }
}
