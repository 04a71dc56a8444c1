package com.dooneflow.api.spi;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A trigger or action type: its namespaced id ({@code twilio.sms.send}), label, parameters and outputs. Separate
 * from the handler code so REST, the UI and validation can render it.
 *
 * @param outputs for a trigger, the variables it gives the workflow; for an action, the outputs its successful
 *                result holds, which later steps use as variables. Empty means "not described" (a connector built
 *                against SPI 1.3 or earlier): the engine then cannot tell which variables the steps after it may
 *                use, and checks none of them.
 */
public record TypeDescriptor(String type, Kind kind, String label, String description,
                             List<ParameterDescriptor> parameters, List<OutputDescriptor> outputs) {

    public enum Kind {
        TRIGGER, ACTION
    }

    public TypeDescriptor {
        parameters = parameters == null ? List.of() : List.copyOf(parameters);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
        Set<String> names = new HashSet<>();
        for (OutputDescriptor o : outputs) {
            if (!names.add(o.name())) {
                throw new IllegalArgumentException(type + ": the output " + o.name() + " is declared twice");
            }
        }
    }

    /** A type whose outputs are not described (kept for connectors built against SPI 1.3). */
    public TypeDescriptor(String type, Kind kind, String label, String description,
                          List<ParameterDescriptor> parameters) {
        this(type, kind, label, description, parameters, List.of());
    }

    /** This type with these outputs instead of its current ones. */
    public TypeDescriptor withOutputs(OutputDescriptor... outputs) {
        return new TypeDescriptor(type, kind, label, description, parameters, List.of(outputs));
    }
}
