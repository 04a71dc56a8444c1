package com.dooneflow.engine.internal;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Version;

import com.dooneflow.api.spi.SettingsDescriptor;
import com.dooneflow.api.spi.TypeDescriptor;

/**
 * The type descriptor files of the installed bundles, by bundle. When two bundles describe one type (two versions
 * of a connector side by side), the higher bundle version wins, then the lower bundle id.
 */
final class TypeFileIndex {

    /** One bundle's files: the types and settings pages they describe, and the files that could not be read. */
    record BundleTypes(long bundleId, String symbolicName, Version version, List<TypeDescriptor> types,
                       List<SettingsDescriptor> settings, List<String> errors) {
        BundleTypes {
            types = List.copyOf(types);
            settings = List.copyOf(settings);
            errors = List.copyOf(errors);
        }

        BundleTypes(long bundleId, String symbolicName, Version version, List<TypeDescriptor> types,
                    List<String> errors) {
            this(bundleId, symbolicName, version, types, List.of(), errors);
        }

        Optional<TypeDescriptor> type(String type) {
            return types.stream().filter(t -> t.type().equals(type)).findFirst();
        }
    }

    /** The newest version first, then the first installed. */
    private static final Comparator<BundleTypes> PREFERRED = Comparator.comparing(BundleTypes::version)
            .reversed().thenComparingLong(BundleTypes::bundleId);

    private final Map<Long, BundleTypes> byBundle = new ConcurrentHashMap<>();

    void put(BundleTypes bundle) {
        byBundle.put(bundle.bundleId(), bundle);
    }

    void remove(long bundleId) {
        byBundle.remove(bundleId);
    }

    Optional<BundleTypes> bundle(long bundleId) {
        return Optional.ofNullable(byBundle.get(bundleId));
    }

    /** The descriptor a given bundle ships for the type, if it is of that kind. */
    Optional<TypeDescriptor> of(long bundleId, String type, TypeDescriptor.Kind kind) {
        return bundle(bundleId).flatMap(b -> b.type(type)).filter(t -> t.kind() == kind);
    }

    /** The bundle whose descriptor of the type wins. */
    Optional<BundleTypes> provider(String type, TypeDescriptor.Kind kind) {
        return byBundle.values().stream().filter(b -> b.type(type).filter(t -> t.kind() == kind).isPresent())
                .min(PREFERRED);
    }

    /** The winning descriptor of every type of this kind. */
    List<TypeDescriptor> types(TypeDescriptor.Kind kind) {
        return byBundle.values().stream().flatMap(b -> b.types().stream()).filter(t -> t.kind() == kind)
                .map(TypeDescriptor::type).distinct()
                .map(type -> provider(type, kind).flatMap(b -> b.type(type)).orElseThrow()).toList();
    }

    /** A settings page and the bundle that ships it. */
    record SettingsFile(SettingsDescriptor page, BundleTypes bundle) {
    }

    /** The newest version's descriptor of every settings page, by id. */
    List<SettingsFile> settings() {
        Map<String, SettingsFile> newest = new TreeMap<>();
        byBundle.values().stream().sorted(PREFERRED).forEach(b -> b.settings()
                .forEach(page -> newest.putIfAbsent(page.id(), new SettingsFile(page, b))));
        return List.copyOf(newest.values());
    }

    /** Bundles with a file that could not be read. */
    List<BundleTypes> withErrors() {
        return byBundle.values().stream().filter(b -> !b.errors().isEmpty())
                .sorted(Comparator.comparingLong(BundleTypes::bundleId)).toList();
    }
}
