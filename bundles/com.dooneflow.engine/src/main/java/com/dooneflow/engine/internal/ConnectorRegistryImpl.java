package com.dooneflow.engine.internal;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dooneflow.api.ConnectorRegistry;
import com.dooneflow.api.spi.ActionHandler;
import com.dooneflow.api.spi.OptionSource;
import com.dooneflow.api.spi.TriggerSource;
import com.dooneflow.api.spi.TypeDescriptor;

/**
 * Tracks the action handlers, trigger sources and option sources that connector bundles register, live. When two
 * services claim one type (or source id) the highest service.ranking wins, then the lowest service.id (logged as a
 * warning).
 */
@Component(service = ConnectorRegistry.class)
public class ConnectorRegistryImpl implements ConnectorRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectorRegistryImpl.class);

    private final Registrations<ActionHandler> actions = new Registrations<>(ActionHandler.TYPE);
    private final Registrations<TriggerSource> triggers = new Registrations<>(TriggerSource.TYPE);
    private final Registrations<OptionSource> optionSources = new Registrations<>(OptionSource.ID);

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addActionHandler(ActionHandler handler, Map<String, Object> props) {
        actions.add(handler, props);
    }

    void updatedActionHandler(ActionHandler handler, Map<String, Object> props) {
        actions.remove(handler);
        actions.add(handler, props);
    }

    void removeActionHandler(ActionHandler handler, Map<String, Object> props) {
        actions.remove(handler);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addTriggerSource(TriggerSource source, Map<String, Object> props) {
        triggers.add(source, props);
    }

    void updatedTriggerSource(TriggerSource source, Map<String, Object> props) {
        triggers.remove(source);
        triggers.add(source, props);
    }

    void removeTriggerSource(TriggerSource source, Map<String, Object> props) {
        triggers.remove(source);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addOptionSource(OptionSource source, Map<String, Object> props) {
        optionSources.add(source, props);
    }

    void updatedOptionSource(OptionSource source, Map<String, Object> props) {
        optionSources.remove(source);
        optionSources.add(source, props);
    }

    void removeOptionSource(OptionSource source, Map<String, Object> props) {
        optionSources.remove(source);
    }

    @Override
    public List<TypeDescriptor> triggerTypes() {
        return triggers.descriptors(TriggerSource::descriptor);
    }

    @Override
    public List<TypeDescriptor> actionTypes() {
        return actions.descriptors(ActionHandler::descriptor);
    }

    @Override
    public Optional<ActionHandler> actionHandler(String type) {
        return actions.winner(type);
    }

    @Override
    public Optional<TriggerSource> triggerSource(String type) {
        return triggers.winner(type);
    }

    @Override
    public Optional<OptionSource> optionSource(String id) {
        return optionSources.winner(id);
    }

    /** Services of one kind keyed by (type, ranking, service.id), so the first of a type is its winner. */
    static final class Registrations<S> {
        private final String typeProperty;
        private final ConcurrentSkipListMap<Key, S> byKey = new ConcurrentSkipListMap<>();

        Registrations(String typeProperty) {
            this.typeProperty = typeProperty;
        }

        void add(S service, Map<String, Object> props) {
            Key key = Key.of(props, typeProperty);
            if (key == null) {
                LOG.warn("Ignoring a connector service without the {} property", typeProperty);
                return;
            }
            byKey.put(key, service);
            long sameType = byKey.keySet().stream().filter(k -> k.type.equals(key.type)).count();
            if (sameType > 1) {
                LOG.warn("{} services claim the type {}; using service {} (highest ranking, then lowest id)",
                        sameType, key.type, winnerKey(key.type).map(k -> k.serviceId).orElse(-1L));
            }
        }

        /** By identity: the properties may have changed since the service was added. */
        void remove(S service) {
            byKey.entrySet().removeIf(e -> e.getValue() == service);
        }

        Optional<S> winner(String type) {
            return winnerKey(type).map(byKey::get);
        }

        private Optional<Key> winnerKey(String type) {
            return byKey.keySet().stream().filter(k -> k.type.equals(type)).findFirst();
        }

        List<TypeDescriptor> descriptors(java.util.function.Function<S, TypeDescriptor> describe) {
            return byKey.keySet().stream().map(k -> k.type).distinct()
                    .map(type -> winner(type).map(describe).orElse(null))
                    .filter(java.util.Objects::nonNull).toList();
        }
    }

    record Key(String type, int ranking, long serviceId) implements Comparable<Key> {
        static final Comparator<Key> ORDER = Comparator.comparing(Key::type)
                .thenComparing(Comparator.comparingInt(Key::ranking).reversed())
                .thenComparingLong(Key::serviceId);

        static Key of(Map<String, Object> props, String typeProperty) {
            Object type = props.get(typeProperty);
            if (type == null) {
                return null;
            }
            Object ranking = props.get(Constants.SERVICE_RANKING);
            Object id = props.get(Constants.SERVICE_ID);
            return new Key(type.toString(), ranking instanceof Integer r ? r : 0, id instanceof Long l ? l : 0L);
        }

        @Override
        public int compareTo(Key o) {
            return ORDER.compare(this, o);
        }
    }
}
