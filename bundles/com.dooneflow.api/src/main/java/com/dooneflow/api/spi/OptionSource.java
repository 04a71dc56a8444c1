package com.dooneflow.api.spi;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The values a reference parameter may take in one organization (its inboxes, team members, connections), so the
 * console can offer a pick-list. Registered as a service with the property {@value #ID} naming the source id that
 * parameters refer to with {@link ParameterDescriptor#optionSource()}. When two services claim one id, the highest
 * service.ranking wins, then the lowest service.id.
 */
@ConsumerType
public interface OptionSource {

    /** Service property naming the source id ({@code email.inboxes}). */
    String ID = "dooneflow.option.source";

    /**
     * The organization's options, in the order to show them. The platform has already checked that the caller is
     * a member of {@code organizationId}: answer that organization's options and never another's.
     */
    List<Option> options(String organizationId);

    /**
     * @param value what the parameter holds when this option is picked (an id, a name)
     * @param label what a person sees
     */
    record Option(String value, String label) {

        public Option {
            if (value == null) {
                throw new IllegalArgumentException("an option needs a value");
            }
            label = label == null || label.isBlank() ? value : label;
        }
    }
}
