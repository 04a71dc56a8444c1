package com.dooneflow.api.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TypeFilesTest {

    @Test
    void readsEveryFieldOfADescriptorWrittenInLowerCaseWithDefaultsLeftOut() {
        TypeDescriptor echo = TypeFiles.read(TypeFilesTest.class, "acme.echo");

        assertThat(echo.type()).isEqualTo("acme.echo");
        assertThat(echo.kind()).isEqualTo(TypeDescriptor.Kind.ACTION);
        assertThat(echo.description()).isEqualTo("Gives back its text");
        ParameterDescriptor text = echo.parameters().get(0);
        assertThat(text.type()).isEqualTo(ParameterType.STRING);
        assertThat(text.required()).isTrue();
        assertThat(text.templatable()).isTrue();
        assertThat(text.secret()).isFalse();
        assertThat(text.maxLength()).isEqualTo(200);
        assertThat(text.options()).isEmpty();
        ParameterDescriptor times = echo.parameters().get(1);
        assertThat(times.min()).isEqualTo(1L);
        assertThat(times.max()).isEqualTo(5L);
        assertThat(times.defaultValue()).isEqualTo(1);
        assertThat(echo.parameters().get(2).options()).containsExactly("plain", "loud");
        assertThat(echo.parameters().get(3).optionSource()).isEqualTo("email.inboxes");
        assertThat(echo.outputs()).containsExactly(
                OutputDescriptor.of("echo", OutputDescriptor.Type.TEXT, "The text, as sent"));
    }

    @Test
    void aMisspeltFieldIsRefusedNamingTheFileAndWhere() {
        assertThatThrownBy(() -> TypeFiles.read(bad("acme.typo.json")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("acme.typo.json")
                .hasMessageContaining("requird")
                .hasMessageContaining("parameters[0]");
    }

    @Test
    void aConstraintThatCannotHoldIsRefusedWithTheDescriptorsOwnReason() {
        assertThatThrownBy(() -> TypeFiles.read(bad("acme.range.json")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("acme.range.json")
                .hasMessageContaining("min 5 is above max 1");
    }

    @Test
    void aFileMustBeNamedAfterItsTypeAndHaveAKnownKind() {
        assertThatThrownBy(() -> TypeFiles.read(bad("acme.other.json")))
                .hasMessageContaining("describes the type acme.echo; name the file acme.echo.json");
        assertThatThrownBy(() -> TypeFiles.read(bad("acme.kind.json")))
                .hasMessageContaining("acme.kind.json").hasMessageContaining("step");
    }

    @Test
    void typedParametersBindToARecordIgnoringParametersItDoesNotDeclare() {
        record Params(String text, int times, Boolean loud) {
        }
        Map<String, Object> params = new HashMap<>(Map.of("text", "hi", "times", 3, "extra", List.of(1)));
        ActionContext ctx = new ActionContext() {
            public String organizationId() { return "o"; }
            public String executionId() { return "e"; }
            public int stepIndex() { return 0; }
            public int attempt() { return 1; }
            public String idempotencyKey() { return "e:0"; }
            public Map<String, Object> params() { return params; }
            public Map<String, Object> variables() { return Map.of(); }
        };

        assertThat(ctx.params(Params.class)).isEqualTo(new Params("hi", 3, null));
        params.put("times", "many");
        assertThatThrownBy(() -> ctx.params(Params.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("times");
    }

    @Test
    void aParameterRecordMustBeNamedAndTypedAfterTheDescriptor() {
        TypeDescriptor type = new TypeDescriptor("acme.echo", TypeDescriptor.Kind.ACTION, "Echo", null,
                List.of(ParameterDescriptor.of("text", "Text", ParameterType.STRING),
                        ParameterDescriptor.of("times", "Times", ParameterType.INTEGER),
                        ParameterDescriptor.of("headers", "Headers", ParameterType.OBJECT),
                        ParameterDescriptor.of("payload", "Payload", ParameterType.JSON)),
                List.of());
        record Fits(String text, int times, Map<String, String> headers, Object payload) {
        }
        record Misfits(String text, String times, String txet) {
        }

        TypeFiles.checkBinding(type, Fits.class);
        assertThatThrownBy(() -> TypeFiles.checkBinding(type, Misfits.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Misfits does not fit acme.echo: times is a String, which cannot hold the integer parameter "
                        + "times; txet is not a parameter of acme.echo (its parameters: text, times, headers, payload)");
    }

    private static URL bad(String name) {
        return TypeFilesTest.class.getClassLoader().getResource("bad/" + name);
    }
}
