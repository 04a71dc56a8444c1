package com.dooneflow.persistence.internal;

import org.osgi.framework.Bundle;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;

import com.dooneflow.api.ConnectorSettings;
import com.dooneflow.api.store.NamespacedSettings;
import com.dooneflow.api.store.SettingsStore;

/**
 * {@link ConnectorSettings} for one calling bundle. Bundle-scoped: Declarative Services makes an instance for each
 * bundle that gets the service and hands it only to that bundle, so the namespace comes from the framework, never
 * from an argument the caller could choose.
 */
@Component(service = ConnectorSettings.class, scope = ServiceScope.BUNDLE)
public class BundleConnectorSettings extends NamespacedSettings {

    /** The width of {@code df_settings.connector}. */
    static final int MAX_NAMESPACE = 100;

    @Activate
    public BundleConnectorSettings(ComponentContext context, @Reference SettingsStore store) {
        this(store, context.getUsingBundle());
    }

    BundleConnectorSettings(SettingsStore store, Bundle caller) {
        super(store, namespaceOf(caller));
    }

    /**
     * The calling bundle's Bundle-SymbolicName. The framework reads it from the bundle's manifest and lets only one
     * bundle of a name and version be installed, and the name stays the same when a connector is upgraded, so a new
     * version keeps its organizations' settings. The bundle id or location would not: both change when a bundle is
     * reinstalled or installed from another URL. (Without a Java security manager any installed bundle is trusted
     * code that could declare another's name; the scope keeps connectors from reaching each other's settings by an
     * argument, by mistake or through a confused deputy.)
     */
    static String namespaceOf(Bundle caller) {
        String name = caller == null ? null : caller.getSymbolicName();
        if (name == null || name.isBlank()) {
            throw new IllegalStateException("connector settings are for bundles with a Bundle-SymbolicName");
        }
        if (name.length() > MAX_NAMESPACE) {
            throw new IllegalStateException("connector settings need a Bundle-SymbolicName of at most "
                    + MAX_NAMESPACE + " characters: " + name);
        }
        return name;
    }
}
