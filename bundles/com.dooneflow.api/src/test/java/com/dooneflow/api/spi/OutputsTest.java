package com.dooneflow.api.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.dooneflow.api.spi.OutputDescriptor.Type;

/** What a type gives later steps: {@link OutputDescriptor} and {@link TypeDescriptor#outputs()}. */
class OutputsTest {

    private static final ParameterDescriptor URL = ParameterDescriptor.of("url", "URL", ParameterType.URL);

    @Test
    void theConstructorOfSpi13DescribesNoOutputsAndTheWitherAddsThem() {
        TypeDescriptor plain = new TypeDescriptor("x.call", TypeDescriptor.Kind.ACTION, "Call", null, List.of(URL));
        TypeDescriptor described = plain.withOutputs(OutputDescriptor.of("status", Type.NUMBER, "HTTP status"),
                OutputDescriptor.of("body_json", Type.ANY, null));

        assertThat(plain.outputs()).isEmpty();
        assertThat(described).isEqualTo(new TypeDescriptor("x.call", TypeDescriptor.Kind.ACTION, "Call", null,
                List.of(URL), List.of(new OutputDescriptor("status", Type.NUMBER, "HTTP status"),
                new OutputDescriptor("body_json", Type.ANY, null))));
        assertThat(new TypeDescriptor("x", TypeDescriptor.Kind.TRIGGER, "X", null, List.of(), null).outputs())
                .isEmpty();
    }

    @Test
    void theWildcardStandsForAnyName() {
        OutputDescriptor any = OutputDescriptor.anyField("every top-level field of the body");

        assertThat(any.name()).isEqualTo(OutputDescriptor.ANY_FIELD).isEqualTo("*");
        assertThat(any.type()).isEqualTo(Type.ANY);
    }

    @Test
    void namesAreTemplateVariableNamesDeclaredOnce() {
        assertThat(OutputDescriptor.of("sms_message_sid", Type.TEXT, null).name()).isEqualTo("sms_message_sid");
        assertThat(OutputDescriptor.of("lead.id", Type.TEXT, null).name()).isEqualTo("lead.id");
        for (String bad : new String[] {null, "", "1abc", "a b", "{a}", "a.", "**"}) {
            assertThatThrownBy(() -> OutputDescriptor.of(bad, Type.TEXT, null)).as("%s", bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> OutputDescriptor.of("a", null, null)).hasMessageContaining("type");
        TypeDescriptor t = new TypeDescriptor("x", TypeDescriptor.Kind.ACTION, "X", null, List.of());
        assertThatThrownBy(() -> t.withOutputs(OutputDescriptor.of("a", Type.TEXT, null),
                OutputDescriptor.of("a", Type.NUMBER, null))).hasMessageContaining("declared twice");
    }

    @Test
    void anOptionWithoutALabelShowsItsValue() {
        assertThat(new OptionSource.Option("id-1", null).label()).isEqualTo("id-1");
        assertThat(new OptionSource.Option("id-1", "Ann").label()).isEqualTo("Ann");
        assertThatThrownBy(() -> new OptionSource.Option(null, "Ann")).isInstanceOf(IllegalArgumentException.class);
    }
}
