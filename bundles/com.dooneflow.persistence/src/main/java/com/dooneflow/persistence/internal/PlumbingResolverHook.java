package com.dooneflow.persistence.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.hooks.resolver.ResolverHook;
import org.osgi.framework.hooks.resolver.ResolverHookFactory;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code com.dooneflow.api.store} (the vault, key rotation, every connector's settings) to the core bundles.
 * The export's mandatory attribute only stops an import that does not name it; this hook takes the package out of
 * the candidates of every other bundle, whatever its import says, so such a bundle does not resolve and
 * {@code bundle:diag} names the package it misses.
 * <p>
 * The core set is an explicit list of symbolic names, not a prefix: the distribution's own connectors are
 * {@code com.dooneflow.connector.*} and must not see the plumbing either. Any installed bundle could still declare
 * one of these names (there is no security manager); the hook stops a connector from reaching the plumbing by
 * asking for it, by mistake or by copying an example, not code that impersonates the core. The system property
 * {@value #EXTRA_PROPERTY} adds symbolic names (a trailing {@code *} for a prefix): the platform's own integration
 * tests name their test probe there.
 * <p>
 * A hook applies to resolutions after its registration. Bundles the framework resolved before (a jar in
 * {@code deploy/} at boot, resolved before this bundle started) are refreshed on activation, so they resolve again
 * under the hook, that is, not at all.
 */
@Component(service = ResolverHookFactory.class, immediate = true)
public class PlumbingResolverHook implements ResolverHookFactory {

    static final String PLUMBING = "com.dooneflow.api.store";
    /** The bundles that import the plumbing (each with {@code dooneflow=core} in its bnd.bnd). */
    static final Set<String> CORE = Set.of("com.dooneflow.engine", "com.dooneflow.persistence", "com.dooneflow.shell");
    static final String EXTRA_PROPERTY = "dooneflow.plumbing.bundles";

    private static final Logger LOG = LoggerFactory.getLogger(PlumbingResolverHook.class);

    private final List<String> extra;
    /** Each refused bundle is named in the log once per revision, not on every resolve attempt. */
    private final Set<BundleRevision> warned = ConcurrentHashMap.newKeySet();

    @Activate
    public PlumbingResolverHook(BundleContext context) {
        this(context.getProperty(EXTRA_PROPERTY));
        refreshBundlesWiredBefore(context);
    }

    PlumbingResolverHook(String extraProperty) {
        this.extra = extraProperty == null ? List.of() : Arrays.stream(extraProperty.split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** Whether a bundle of this symbolic name may wire to the plumbing. */
    boolean mayWire(String symbolicName) {
        if (symbolicName == null) {
            return false;
        }
        if (CORE.contains(symbolicName)) {
            return true;
        }
        return extra.stream().anyMatch(e -> e.endsWith("*")
                ? symbolicName.startsWith(e.substring(0, e.length() - 1)) : symbolicName.equals(e));
    }

    @Override
    public ResolverHook begin(Collection<BundleRevision> triggers) {
        return new ResolverHook() {
            @Override
            public void filterResolvable(Collection<BundleRevision> candidates) {
            }

            @Override
            public void filterSingletonCollisions(BundleCapability singleton, Collection<BundleCapability> collisions) {
            }

            @Override
            public void filterMatches(BundleRequirement requirement, Collection<BundleCapability> candidates) {
                filter(requirement, candidates);
            }

            @Override
            public void end() {
            }
        };
    }

    /** Removes the plumbing's export from the candidates of a requirement of a bundle outside the core. */
    void filter(BundleRequirement requirement, Collection<BundleCapability> candidates) {
        if (!PackageNamespace.PACKAGE_NAMESPACE.equals(requirement.getNamespace())) {
            return;
        }
        BundleRevision requirer = requirement.getRevision();
        if (mayWire(requirer.getSymbolicName())) {
            return;
        }
        if (candidates.removeIf(PlumbingResolverHook::isPlumbing) && warned.add(requirer)) {
            LOG.warn("Bundle {} {} imports {}, the core's plumbing (the vault and every connector's settings), which "
                            + "only {} may use: it does not resolve. A connector keeps its settings in ConnectorSettings "
                            + "and reads trigger secrets through TriggerSecrets (CONNECTORS.md).",
                    requirer.getSymbolicName(), requirer.getVersion(), PLUMBING, new TreeSet<>(CORE));
        }
    }

    private static boolean isPlumbing(BundleCapability capability) {
        return PLUMBING.equals(capability.getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE));
    }

    /** Bundles outside the core that the framework wired to the plumbing before this hook was there. */
    private void refreshBundlesWiredBefore(BundleContext context) {
        List<Bundle> wiredBefore = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            BundleWiring wiring = bundle.adapt(BundleWiring.class);
            if (wiring == null || mayWire(bundle.getSymbolicName())) {
                continue;
            }
            for (BundleWire wire : wiring.getRequiredWires(PackageNamespace.PACKAGE_NAMESPACE)) {
                if (isPlumbing(wire.getCapability())) {
                    wiredBefore.add(bundle);
                    break;
                }
            }
        }
        if (!wiredBefore.isEmpty()) {
            LOG.warn("Refreshing {}: resolved against {} before its guard was registered", wiredBefore, PLUMBING);
            context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(wiredBefore);
        }
    }
}
