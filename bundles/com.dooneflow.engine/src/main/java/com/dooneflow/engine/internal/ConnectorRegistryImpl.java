package com.dooneflow.engine.internal;

import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Function;
import java.util.function.LongFunction;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.Constants;
import org.osgi.framework.Version;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.util.tracker.BundleTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dooneflow.api.ConnectorRegistry;
import com.dooneflow.api.spi.ActionHandler;
import com.dooneflow.api.spi.OptionSource;
import com.dooneflow.api.spi.SettingsDescriptor;
import com.dooneflow.api.spi.TriggerSource;
import com.dooneflow.api.spi.TypeDescriptor;
import com.dooneflow.api.spi.TypeFiles;

/**
 * Tracks the action handlers, trigger sources and option sources that connector bundles register, live, and — as
 * an extender — the type descriptor files ({@value TypeFiles#FOLDER}) of every installed bundle, so a type is known
 * while its handler is stopped or cannot start. When two services claim one type (or source id) the highest
 * service.ranking wins, then the lowest service.id (logged as a warning); a running type is described by the file
 * of its winning service's bundle; a type that does not run, by the newest bundle version that describes it.
 */
@Component(service = ConnectorRegistry.class)
public class ConnectorRegistryImpl implements ConnectorRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectorRegistryImpl.class);

    private final Registrations<ActionHandler> actions;
    private final Registrations<TriggerSource> triggers;
    private final Registrations<OptionSource> optionSources;
    private final TypeFileIndex files = new TypeFileIndex();
    private BundleContext context;
    private BundleTracker<Long> fileTracker;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile ServiceComponentRuntime components;

    public ConnectorRegistryImpl() {
        this(null);
    }

    /** @param origins where services' bundles are looked up; null: in the framework, once activated */
    ConnectorRegistryImpl(LongFunction<Origin> origins) {
        LongFunction<Origin> lookup = origins != null ? origins : this::origin;
        actions = new Registrations<>(ActionHandler.TYPE, lookup);
        triggers = new Registrations<>(TriggerSource.TYPE, lookup);
        optionSources = new Registrations<>(OptionSource.ID, lookup);
    }

    @Activate
    void activate(BundleContext context) {
        this.context = context;
        // Every state from INSTALLED on: a bundle that cannot resolve still makes its types known (and reported).
        int states = Bundle.INSTALLED | Bundle.RESOLVED | Bundle.STARTING | Bundle.ACTIVE | Bundle.STOPPING;
        fileTracker = new BundleTracker<>(context, states, null) {
            @Override
            public Long addingBundle(Bundle bundle, BundleEvent event) {
                return readFiles(bundle) ? bundle.getBundleId() : null;
            }

            @Override
            public void modifiedBundle(Bundle bundle, BundleEvent event, Long id) {
                if (event != null && event.getType() == BundleEvent.UPDATED) {
                    readFiles(bundle);
                }
            }

            @Override
            public void removedBundle(Bundle bundle, BundleEvent event, Long id) {
                files.remove(id);
            }
        };
        fileTracker.open();
    }

    @Deactivate
    void deactivate() {
        fileTracker.close();
    }

    /** Reads a bundle's descriptor files, without resolving it (getEntryPaths, unlike findEntries, does not). */
    private boolean readFiles(Bundle bundle) {
        List<String> errors = new ArrayList<>();
        List<TypeDescriptor> types = read(bundle, TypeFiles.FOLDER, TypeFiles::read, errors);
        List<SettingsDescriptor> settings = read(bundle, TypeFiles.SETTINGS_FOLDER, TypeFiles::readSettings, errors);
        if (types.isEmpty() && settings.isEmpty() && errors.isEmpty()) {
            return false;
        }
        files.put(new TypeFileIndex.BundleTypes(bundle.getBundleId(), bundle.getSymbolicName(), bundle.getVersion(),
                types, settings, errors));
        return true;
    }

    private static <T> List<T> read(Bundle bundle, String folder, Function<URL, T> reader, List<String> errors) {
        var paths = bundle.getEntryPaths(folder);
        List<T> read = new ArrayList<>();
        for (String path : paths == null ? List.<String>of() : Collections.list(paths)) {
            URL entry = path.endsWith(".json") ? bundle.getEntry(path) : null;
            if (entry == null) {
                continue;
            }
            try {
                read.add(reader.apply(entry));
            } catch (IllegalArgumentException e) {
                LOG.error("Bundle {} {}: the descriptor {}", bundle.getSymbolicName(), bundle.getVersion(),
                        e.getMessage());
                errors.add(e.getMessage());
            }
        }
        return read;
    }

    /** Adds a bundle's descriptor files as the tracker would (unit tests, which run without a framework). */
    void addFiles(TypeFileIndex.BundleTypes bundle) {
        files.put(bundle);
    }

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
        return types(TypeDescriptor.Kind.TRIGGER, triggers, TriggerSource::descriptor);
    }

    @Override
    public List<TypeDescriptor> actionTypes() {
        return types(TypeDescriptor.Kind.ACTION, actions, ActionHandler::descriptor);
    }

    @Override
    public Optional<TypeDescriptor> actionType(String type) {
        return describe(type, TypeDescriptor.Kind.ACTION, actions, ActionHandler::descriptor);
    }

    private <S> List<TypeDescriptor> types(TypeDescriptor.Kind kind, Registrations<S> running,
                                           Function<S, TypeDescriptor> own) {
        Map<String, TypeDescriptor> byType = new TreeMap<>();
        running.types().forEach(type -> describe(type, kind, running, own).ifPresent(d -> byType.put(type, d)));
        files.types(kind).forEach(d -> byType.putIfAbsent(d.type(), d));
        return List.copyOf(byType.values());
    }

    /** The winning service's own bundle file, else what the service says, else the newest file of the type. */
    private <S> Optional<TypeDescriptor> describe(String type, TypeDescriptor.Kind kind, Registrations<S> running,
                                                  Function<S, TypeDescriptor> own) {
        Optional<Key> winner = running.winnerKey(type);
        if (winner.isPresent()) {
            Optional<TypeDescriptor> file = files.of(winner.get().bundleId, type, kind);
            if (file.isPresent()) {
                return file;
            }
            TypeDescriptor described = own.apply(running.byKey.get(winner.get()));
            if (described != null) {
                return Optional.of(described);
            }
        }
        return files.provider(type, kind).flatMap(b -> b.type(type));
    }

    @Override
    public TypeStatus status(String type) {
        Optional<Key> running = actions.winnerKey(type).or(() -> triggers.winnerKey(type));
        if (running.isPresent()) {
            return new TypeStatus(type, true, bundleName(running.get().bundleId), null);
        }
        Optional<TypeFileIndex.BundleTypes> provider = files.provider(type, TypeDescriptor.Kind.ACTION)
                .or(() -> files.provider(type, TypeDescriptor.Kind.TRIGGER));
        if (provider.isEmpty()) {
            return new TypeStatus(type, false, null, "no installed connector provides this type");
        }
        Bundle bundle = context == null ? null : context.getBundle(provider.get().bundleId());
        return new TypeStatus(type, false, name(provider.get()),
                bundle == null ? "its bundle is being removed" : ConnectorProblems.why(bundle, components));
    }

    @Override
    public List<TypeStatus> notRunning() {
        List<TypeStatus> out = new ArrayList<>();
        for (TypeDescriptor.Kind kind : TypeDescriptor.Kind.values()) {
            files.types(kind).stream().map(d -> status(d.type())).filter(s -> !s.running()).forEach(out::add);
        }
        for (TypeFileIndex.BundleTypes b : files.withErrors()) {
            b.errors().forEach(error -> out.add(new TypeStatus(null, false, name(b), error)));
        }
        return out;
    }

    @Override
    public List<SettingsPage> settingsPages() {
        return files.settings().stream().map(f -> {
            Bundle bundle = context == null ? null : context.getBundle(f.bundle().bundleId());
            return new SettingsPage(f.page(), name(f.bundle()), bundle != null && bundle.getState() == Bundle.ACTIVE);
        }).toList();
    }

    /** The bundle a service came from: two versions of one connector are told apart by it. */
    private Origin origin(long bundleId) {
        Bundle bundle = context == null || bundleId < 0 ? null : context.getBundle(bundleId);
        return bundle == null ? null : new Origin(bundle.getSymbolicName(), bundle.getVersion());
    }

    private String bundleName(long bundleId) {
        Optional<TypeFileIndex.BundleTypes> indexed = files.bundle(bundleId);
        if (indexed.isPresent()) {
            return name(indexed.get());
        }
        Bundle bundle = context == null ? null : context.getBundle(bundleId);
        return bundle == null ? null : bundle.getSymbolicName() + " " + bundle.getVersion();
    }

    private static String name(TypeFileIndex.BundleTypes b) {
        return b.symbolicName() + " " + b.version();
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
    /** A connector bundle: its symbolic name and version. */
    record Origin(String symbolicName, Version version) {
    }

    /**
     * Services of one kind keyed by (type, ranking, service.id). The winner of a type is the first key in that order
     * that no newer version of its own bundle shadows: of two versions of one connector the newer wins, whatever
     * their rankings; between different bundles, the ranking decides, then the lower service.id.
     */
    static final class Registrations<S> {
        private final String typeProperty;
        private final LongFunction<Origin> origins;
        private final ConcurrentSkipListMap<Key, S> byKey = new ConcurrentSkipListMap<>();

        Registrations(String typeProperty, LongFunction<Origin> origins) {
            this.typeProperty = typeProperty;
            this.origins = origins;
        }

        void add(S service, Map<String, Object> props) {
            Key key = Key.of(props, typeProperty, origins);
            if (key == null) {
                LOG.warn("Ignoring a connector service without the {} property", typeProperty);
                return;
            }
            byKey.put(key, service);
            long sameType = byKey.keySet().stream().filter(k -> k.type.equals(key.type)).count();
            if (sameType > 1) {
                LOG.warn("{} services claim the type {}; using {} (the newest version of a connector, then the "
                        + "highest ranking, then the lowest service id)", sameType, key.type,
                        winnerKey(key.type).map(Key::describe).orElse("none"));
            }
        }

        /** By identity: the properties may have changed since the service was added. */
        void remove(S service) {
            byKey.entrySet().removeIf(e -> e.getValue() == service);
        }

        Optional<S> winner(String type) {
            return winnerKey(type).map(byKey::get);
        }

        Optional<Key> winnerKey(String type) {
            List<Key> ofType = byKey.keySet().stream().filter(k -> k.type.equals(type)).toList();
            return ofType.stream().filter(k -> ofType.stream().noneMatch(other -> other.newerVersionOf(k))).findFirst();
        }

        List<String> types() {
            return byKey.keySet().stream().map(k -> k.type).distinct().toList();
        }
    }

    /**
     * @param bundleId the bundle that registered the service, whose descriptor files describe its type
     * @param origin   that bundle's name and version, or null when unknown
     */
    record Key(String type, int ranking, long serviceId, long bundleId, Origin origin) implements Comparable<Key> {
        static final Comparator<Key> ORDER = Comparator.comparing(Key::type)
                .thenComparing(Comparator.comparingInt(Key::ranking).reversed())
                .thenComparingLong(Key::serviceId);

        /** Whether this service comes from a newer version of the other's bundle. */
        boolean newerVersionOf(Key other) {
            return origin != null && other.origin != null
                    && origin.symbolicName().equals(other.origin.symbolicName())
                    && origin.version().compareTo(other.origin.version()) > 0;
        }

        String describe() {
            return "service " + serviceId + (origin == null ? "" : " of " + origin.symbolicName() + " "
                    + origin.version());
        }

        static Key of(Map<String, Object> props, String typeProperty, LongFunction<Origin> origins) {
            Object type = props.get(typeProperty);
            if (type == null) {
                return null;
            }
            Object ranking = props.get(Constants.SERVICE_RANKING);
            Object id = props.get(Constants.SERVICE_ID);
            Object bundle = props.get(Constants.SERVICE_BUNDLEID);
            long bundleId = bundle instanceof Long b ? b : -1L;
            return new Key(type.toString(), ranking instanceof Integer r ? r : 0, id instanceof Long l ? l : 0L,
                    bundleId, origins.apply(bundleId));
        }

        @Override
        public int compareTo(Key o) {
            return ORDER.compare(this, o);
        }
    }
}
