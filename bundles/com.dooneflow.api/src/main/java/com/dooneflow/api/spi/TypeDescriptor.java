package com.dooneflow.api.spi;

import java.util.List;

/**
 * A trigger or action type: its namespaced id ({@code twilio.sms.send}), label and parameters. Separate from
 * the handler code so REST, the UI and validation can render it.
 */
public record TypeDescriptor(String type, Kind kind, String label, String description,
                             List<ParameterDescriptor> parameters) {

    public enum Kind {
        TRIGGER, ACTION
    }

    public TypeDescriptor {
        parameters = List.copyOf(parameters);
    }
}
