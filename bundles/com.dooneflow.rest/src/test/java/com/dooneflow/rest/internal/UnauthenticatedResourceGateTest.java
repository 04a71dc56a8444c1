package com.dooneflow.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;
import org.osgi.framework.hooks.service.ListenerHook.ListenerInfo;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;

/** The JAX-RS whiteboard never sees a resource that does not require DooneFlow's authentication filter. */
class UnauthenticatedResourceGateTest {

    private static final long REST = 10;
    private static long nextServiceId = 100;

    private final UnauthenticatedResourceGate gate = new UnauthenticatedResourceGate(REST);
    private final Bundle whiteboard = bundle(20, "org.apache.aries.jax.rs.whiteboard", true);
    private final Bundle connector = bundle(30, "com.acme.connector", false);
    private final Bundle rest = bundle(REST, "com.dooneflow.rest", false);

    private final ServiceReference<?> unannotated = service(connector, Map.of("osgi.jaxrs.resource", "true"));
    private final ServiceReference<?> annotated = service(connector, Map.of("osgi.jaxrs.resource", true,
            "osgi.jaxrs.extension.select",
            new String[] {"(osgi.jaxrs.name=dooneflow.json)", "(osgi.jaxrs.name=dooneflow.auth)"}));
    private final ServiceReference<?> jsonOnly = service(connector, Map.of("osgi.jaxrs.resource", true,
            "osgi.jaxrs.extension.select", "(osgi.jaxrs.name=dooneflow.json)"));
    private final ServiceReference<?> notAResource = service(connector, Map.of("osgi.jaxrs.name", "acme.filter"));
    private final ServiceReference<?> ownPublic = service(rest, Map.of("osgi.jaxrs.resource", true));

    @Test
    void theWhiteboardFindsOnlyResourcesBehindAuthentication() {
        List<ServiceReference<?>> found = new ArrayList<>(List.of(unannotated, annotated, jsonOnly, notAResource, ownPublic));

        gate.find(whiteboard.getBundleContext(), null, "(osgi.jaxrs.resource=true)", false, found);

        assertThat(found).containsExactly(annotated, notAResource, ownPublic);
    }

    @Test
    void otherBundlesStillFindThem() {
        List<ServiceReference<?>> found = new ArrayList<>(List.of(unannotated, jsonOnly));

        gate.find(connector.getBundleContext(), null, null, false, found);

        assertThat(found).containsExactly(unannotated, jsonOnly);
    }

    @Test
    void theWhiteboardIsNotToldOfAnUnannotatedResource() {
        Map<BundleContext, Collection<ListenerInfo>> listeners = new HashMap<>();
        listeners.put(whiteboard.getBundleContext(), List.of());
        listeners.put(connector.getBundleContext(), List.of());

        gate.event(new ServiceEvent(ServiceEvent.REGISTERED, unannotated), listeners);
        assertThat(listeners).containsOnlyKeys(connector.getBundleContext());

        listeners.put(whiteboard.getBundleContext(), List.of());
        gate.event(new ServiceEvent(ServiceEvent.REGISTERED, annotated), listeners);
        assertThat(listeners).containsKeys(whiteboard.getBundleContext(), connector.getBundleContext());
    }

    @Test
    void theSelectMayBeOneFilterAnArrayOrACollection() {
        assertThat(UnauthenticatedResourceGate.requiresAuthentication("(osgi.jaxrs.name=dooneflow.auth)")).isTrue();
        assertThat(UnauthenticatedResourceGate.requiresAuthentication(List.of("(osgi.jaxrs.name = dooneflow.auth)")))
                .isTrue();
        assertThat(UnauthenticatedResourceGate.requiresAuthentication(new String[] {"(osgi.jaxrs.name=acme.auth)"}))
                .isFalse();
        assertThat(UnauthenticatedResourceGate.requiresAuthentication(null)).isFalse();
    }

    private static ServiceReference<?> service(Bundle owner, Map<String, Object> properties) {
        Map<String, Object> all = new HashMap<>(properties);
        all.put(Constants.SERVICE_ID, nextServiceId++);
        all.put(Constants.OBJECTCLASS, new String[] {"com.acme.Resource"});
        return (ServiceReference<?>) Proxy.newProxyInstance(UnauthenticatedResourceGateTest.class.getClassLoader(),
                new Class<?>[] {ServiceReference.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getBundle" -> owner;
                    case "getProperty" -> all.get(args[0]);
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "service " + all;
                    default -> null;
                });
    }

    private static Bundle bundle(long id, String symbolicName, boolean implementsJaxrs) {
        BundleCapability implementation = (BundleCapability) Proxy.newProxyInstance(
                UnauthenticatedResourceGateTest.class.getClassLoader(), new Class<?>[] {BundleCapability.class},
                (proxy, method, args) -> "getAttributes".equals(method.getName())
                        ? Map.of("osgi.implementation", implementsJaxrs ? "osgi.jaxrs" : "osgi.http") : null);
        BundleRevision revision = (BundleRevision) Proxy.newProxyInstance(
                UnauthenticatedResourceGateTest.class.getClassLoader(), new Class<?>[] {BundleRevision.class},
                (proxy, method, args) -> "getDeclaredCapabilities".equals(method.getName())
                        ? List.of(implementation) : null);
        Bundle[] self = new Bundle[1];
        BundleContext context = (BundleContext) Proxy.newProxyInstance(
                UnauthenticatedResourceGateTest.class.getClassLoader(), new Class<?>[] {BundleContext.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getBundle" -> self[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> null;
                });
        self[0] = (Bundle) Proxy.newProxyInstance(UnauthenticatedResourceGateTest.class.getClassLoader(),
                new Class<?>[] {Bundle.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getBundleId" -> id;
                    case "getSymbolicName" -> symbolicName;
                    case "getVersion" -> Version.parseVersion("1.0.0");
                    case "getBundleContext" -> context;
                    case "adapt" -> args[0] == BundleRevision.class ? revision : null;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> null;
                });
        return self[0];
    }
}
