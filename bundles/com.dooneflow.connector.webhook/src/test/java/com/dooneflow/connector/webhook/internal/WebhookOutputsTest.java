package com.dooneflow.connector.webhook.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.dooneflow.api.spi.OutputDescriptor;
import com.dooneflow.api.spi.TypeFiles;
import com.dooneflow.engine.internal.TriggerVariables;

/**
 * The webhook trigger's declared outputs against what a workflow really gets: the body's fields (hence the
 * wildcard) plus the contact variables the engine derives from them.
 */
class WebhookOutputsTest {

    private final List<OutputDescriptor> outputs = TypeFiles.read(WebhookTrigger.class, WebhookTrigger.TYPE).outputs();

    @Test
    void theBodysFieldsAreOpenEndedAndTheDerivedVariablesAreTheNamedOnes() {
        // A body with a source for every contact variable, in spellings the engine reads.
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("first_name", "Ann");
        body.put("last_name", "Lee");
        body.put("Mobile", "+15550001111");
        body.put("email", "ann@example.com");
        body.put("order", Map.of("id", 7));

        Map<String, Object> variables = TriggerVariables.from(body);
        Set<String> derived = new TreeSet<>(variables.keySet());
        derived.removeAll(body.keySet());

        assertThat(variables).containsAllEntriesOf(body);
        assertThat(outputs).extracting(OutputDescriptor::name).contains(OutputDescriptor.ANY_FIELD);
        assertThat(outputs).extracting(OutputDescriptor::name).filteredOn(n -> !n.equals(OutputDescriptor.ANY_FIELD))
                .containsExactlyInAnyOrderElementsOf(derived);
    }
}
