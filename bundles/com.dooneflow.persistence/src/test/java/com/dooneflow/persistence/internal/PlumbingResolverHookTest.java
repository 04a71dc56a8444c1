package com.dooneflow.persistence.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Version;
import org.osgi.framework.hooks.resolver.ResolverHook;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;

/** The core's plumbing is a candidate only for the core bundles, whatever attributes an import names. */
class PlumbingResolverHookTest {

    private final BundleCapability plumbing = capability("com.dooneflow.api.store");
    private final BundleCapability api = capability("com.dooneflow.api");

    @Test
    void aConnectorAskingForThePlumbingIsLeftWithoutIt() {
        Collection<BundleCapability> candidates = resolve(new PlumbingResolverHook((String) null),
                "com.acme.connector", plumbing, api);

        assertThat(candidates).containsExactly(api);
    }

    @Test
    void theDistributionsOwnConnectorsAreNotCoreEither() {
        PlumbingResolverHook hook = new PlumbingResolverHook((String) null);

        assertThat(resolve(hook, "com.dooneflow.connector.twilio", plumbing)).isEmpty();
        assertThat(hook.mayWire("com.dooneflow.connector.webhook")).isFalse();
        assertThat(hook.mayWire("com.dooneflow.rest")).isFalse();
        assertThat(hook.mayWire(null)).as("a bundle without a symbolic name").isFalse();
    }

    @Test
    void theCoreBundlesKeepIt() {
        PlumbingResolverHook hook = new PlumbingResolverHook((String) null);

        for (String core : List.of("com.dooneflow.engine", "com.dooneflow.persistence", "com.dooneflow.shell")) {
            assertThat(resolve(hook, core, plumbing, api)).as(core).containsExactly(plumbing, api);
        }
    }

    @Test
    void theSystemPropertyAddsNamesAndPrefixes() {
        PlumbingResolverHook hook = new PlumbingResolverHook(" PAXEXAM-PROBE-* , com.acme.exact ");

        assertThat(resolve(hook, "PAXEXAM-PROBE-1234", plumbing)).containsExactly(plumbing);
        assertThat(hook.mayWire("com.acme.exact")).isTrue();
        assertThat(hook.mayWire("com.acme.exactly")).isFalse();
        assertThat(hook.mayWire("PAXEXAM")).isFalse();
    }

    @Test
    void otherNamespacesAreLeftAlone() {
        BundleCapability service = (BundleCapability) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleCapability.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getNamespace" -> "osgi.service";
                    case "getAttributes" -> Map.of(PackageNamespace.PACKAGE_NAMESPACE, "com.dooneflow.api.store");
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> null;
                });
        BundleRequirement requirement = requirement("com.acme.connector", "osgi.service");
        List<BundleCapability> candidates = new ArrayList<>(List.of(service));

        new PlumbingResolverHook((String) null).filter(requirement, candidates);

        assertThat(candidates).containsExactly(service);
    }

    private static Collection<BundleCapability> resolve(PlumbingResolverHook hook, String requirer,
                                                        BundleCapability... offered) {
        List<BundleCapability> candidates = new ArrayList<>(List.of(offered));
        ResolverHook resolution = hook.begin(List.of());
        resolution.filterMatches(requirement(requirer, PackageNamespace.PACKAGE_NAMESPACE), candidates);
        resolution.end();
        return candidates;
    }

    private static BundleCapability capability(String pkg) {
        return (BundleCapability) Proxy.newProxyInstance(PlumbingResolverHookTest.class.getClassLoader(),
                new Class<?>[] {BundleCapability.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getNamespace" -> PackageNamespace.PACKAGE_NAMESPACE;
                    case "getAttributes" -> Map.of(PackageNamespace.PACKAGE_NAMESPACE, pkg);
                    case "toString" -> pkg;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> null;
                });
    }

    private static BundleRequirement requirement(String symbolicName, String namespace) {
        BundleRevision revision = (BundleRevision) Proxy.newProxyInstance(PlumbingResolverHookTest.class.getClassLoader(),
                new Class<?>[] {BundleRevision.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getSymbolicName" -> symbolicName;
                    case "getVersion" -> Version.parseVersion("1.0.0");
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> null;
                });
        return (BundleRequirement) Proxy.newProxyInstance(PlumbingResolverHookTest.class.getClassLoader(),
                new Class<?>[] {BundleRequirement.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getNamespace" -> namespace;
                    case "getRevision" -> revision;
                    default -> null;
                });
    }
}
