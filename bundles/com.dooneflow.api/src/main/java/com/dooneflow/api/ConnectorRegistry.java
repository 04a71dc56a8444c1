package com.dooneflow.api;

import java.util.List;
import java.util.Optional;

import com.dooneflow.api.spi.ActionHandler;
import com.dooneflow.api.spi.OptionSource;
import com.dooneflow.api.spi.SettingsDescriptor;
import com.dooneflow.api.spi.TriggerSource;
import com.dooneflow.api.spi.TypeDescriptor;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The trigger and action types and the option sources installed right now; changes live as connector bundles come
 * and go. A type is known from its bundle's descriptor file as soon as the bundle is installed, also while its handler
 * does not run ({@link #status}): its workflows can then be saved and its executions wait.
 */
@ProviderType
public interface ConnectorRegistry {

    /** Every known trigger type, running or not. */
    List<TypeDescriptor> triggerTypes();

    /** Every known action type, running or not. */
    List<TypeDescriptor> actionTypes();

    /** The descriptor of an action type, running or not. */
    Optional<TypeDescriptor> actionType(String type);

    /** Whether a type's handler or source runs on this node, which bundle provides it, and if it does not run, why. */
    TypeStatus status(String type);

    /**
     * The types whose bundle is installed but whose handler or source does not run, each with the reason, and the
     * descriptor files that could not be read (with a null type): what {@code /v1/health} reports as failed.
     */
    List<TypeStatus> notRunning();

    /**
     * The handler for a type: of two versions of one bundle the newer; between bundles the highest service.ranking,
     * then the lowest service.id.
     */
    Optional<ActionHandler> actionHandler(String type);

    /** The source of a trigger type, chosen as {@link #actionHandler} chooses. */
    Optional<TriggerSource> triggerSource(String type);

    /** The option source with this id ({@code email.inboxes}): highest service.ranking, then lowest service.id. */
    Optional<OptionSource> optionSource(String id);

    /** The settings pages the installed connectors describe ({@code OSGI-INF/dooneflow/settings}), by id. */
    List<SettingsPage> settingsPages();

    /**
     * @param bundle  the bundle that ships the descriptor ({@code com.dooneflow.connector.twilio 0.1.0})
     * @param running whether that bundle is active, so its settings resource answers
     */
    record SettingsPage(SettingsDescriptor descriptor, String bundle, boolean running) {
    }

    /**
     * @param type    the type id; null for a descriptor file that could not be read
     * @param running whether its handler or source is registered on this node
     * @param bundle  the bundle that provides it ({@code com.acme.connector 1.2.0}), or null when none does
     * @param problem why it does not run, in words ("component com.acme.EchoAction waits for a service
     *                com.acme.EchoClient"), or null when it runs
     */
    record TypeStatus(String type, boolean running, String bundle, String problem) {
    }
}
