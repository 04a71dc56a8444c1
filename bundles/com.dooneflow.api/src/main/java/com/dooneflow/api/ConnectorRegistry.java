package com.dooneflow.api;

import java.util.List;
import java.util.Optional;

import com.dooneflow.api.spi.ActionHandler;
import com.dooneflow.api.spi.OptionSource;
import com.dooneflow.api.spi.TriggerSource;
import com.dooneflow.api.spi.TypeDescriptor;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The trigger and action types and the option sources installed right now; changes live as connector bundles come
 * and go.
 */
@ProviderType
public interface ConnectorRegistry {

    List<TypeDescriptor> triggerTypes();

    List<TypeDescriptor> actionTypes();

    /** The handler for a type: highest service.ranking, then lowest service.id. */
    Optional<ActionHandler> actionHandler(String type);

    /** The source of a trigger type: highest service.ranking, then lowest service.id. */
    Optional<TriggerSource> triggerSource(String type);

    /** The option source with this id ({@code email.inboxes}): highest service.ranking, then lowest service.id. */
    Optional<OptionSource> optionSource(String id);
}
