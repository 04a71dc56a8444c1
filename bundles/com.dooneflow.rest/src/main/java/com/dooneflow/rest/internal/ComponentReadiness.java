package com.dooneflow.rest.internal;

import java.util.Arrays;
import java.util.Collection;
import java.util.ConcurrentModificationException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.http.runtime.HttpServiceRuntime;
import org.osgi.service.http.runtime.dto.ServletContextDTO;
import org.osgi.service.jaxrs.runtime.JaxrsServiceRuntime;
import org.osgi.service.jaxrs.runtime.dto.ApplicationDTO;

/**
 * Whether DooneFlow has finished starting: Karaf has installed its boot features, every enabled Declarative
 * Services component of a DooneFlow bundle (and every whiteboard component of any bundle) is satisfied, and the
 * whiteboards serve every registered whiteboard service. The database answering is not enough: the JAX-RS
 * whiteboard rebuilds the REST application each time a resource or extension arrives, the HTTP whiteboard deploys
 * servlets (the webhook receiver, the console) one by one, and connectors register their trigger and action types
 * as they start, so until then routes and types come and go.
 */
final class ComponentReadiness {

    private static final String UP = "UP";
    private static final String DOONEFLOW_BUNDLES = "com.dooneflow.";
    private static final String BOOT_FINISHED = "org.apache.karaf.features.BootFinished";
    private static final String JAXRS_RESOURCE = "osgi.jaxrs.resource";
    private static final String JAXRS_EXTENSION = "osgi.jaxrs.extension";
    private static final String SERVLET_PATTERN = "osgi.http.whiteboard.servlet.pattern";
    private static final String FILTER_PATTERN = "osgi.http.whiteboard.filter.pattern";
    private static final String WHITEBOARD_SERVICES = "(|(" + JAXRS_RESOURCE + "=true)(" + JAXRS_EXTENSION + "=true)("
            + SERVLET_PATTERN + "=*)(" + FILTER_PATTERN + "=*))";
    private static final String COMPONENT_ID = "component.id";

    private ComponentReadiness() {
    }

    /** Service ids the two whiteboards serve, and those they refused. */
    record Deployment(Set<Long> served, Set<Long> refused) {

        static Deployment of(org.osgi.service.jaxrs.runtime.dto.RuntimeDTO jaxrs,
                             org.osgi.service.http.runtime.dto.RuntimeDTO http) {
            Set<Long> served = new HashSet<>();
            Set<Long> refused = new HashSet<>();
            Stream.concat(Stream.of(jaxrs.defaultApplication), stream(jaxrs.applicationDTOs)).filter(app -> app != null)
                    .forEach((ApplicationDTO app) -> {
                        stream(app.resourceDTOs).forEach(dto -> served.add(dto.serviceId));
                        stream(app.extensionDTOs).forEach(dto -> served.add(dto.serviceId));
                    });
            stream(jaxrs.failedResourceDTOs).forEach(dto -> refused.add(dto.serviceId));
            stream(jaxrs.failedExtensionDTOs).forEach(dto -> refused.add(dto.serviceId));
            stream(http.servletContextDTOs).forEach((ServletContextDTO context) -> {
                stream(context.servletDTOs).forEach(dto -> served.add(dto.serviceId));
                stream(context.filterDTOs).forEach(dto -> served.add(dto.serviceId));
            });
            stream(http.failedServletDTOs).forEach(dto -> refused.add(dto.serviceId));
            stream(http.failedFilterDTOs).forEach(dto -> refused.add(dto.serviceId));
            return new Deployment(served, refused);
        }
    }

    /** "UP", or what is still awaited. */
    static String check(BundleContext context, ServiceComponentRuntime components, JaxrsServiceRuntime jaxrs,
                        HttpServiceRuntime http) {
        if (context.getServiceReference(BOOT_FINISHED) == null) {
            return "starting: installing features";
        }
        if (components == null || jaxrs == null || http == null) {
            return "starting: waiting for the component runtime and the HTTP and JAX-RS whiteboards";
        }
        Collection<ComponentDescriptionDTO> enabled = components.getComponentDescriptionDTOs().stream()
                .filter(components::isComponentEnabled).collect(Collectors.toList());
        // Services before configurations: a configuration read as satisfied after its service was looked for is
        // waited for once more, never taken as done too early.
        Set<Long> withServices = componentsWithServices(context);
        Map<Long, String> registered = registeredWhiteboardServices(context);
        Deployment deployment;
        try {
            deployment = Deployment.of(jaxrs.getRuntimeDTO(), http.getRuntimeDTO());
        } catch (ConcurrentModificationException e) {
            // Aries builds its runtime DTO from lists it changes while it rebuilds an application.
            return "deploying: the JAX-RS whiteboard is rebuilding an application";
        }
        return check(enabled, components::getComponentConfigurationDTOs, withServices, registered, deployment);
    }

    /**
     * The decision itself: every DooneFlow component and every component that is a whiteboard service is satisfied
     * and has registered its services (ids of the configurations that have: {@code withServices}), and every
     * registered whiteboard service (id → what it is) is served.
     */
    static String check(Collection<ComponentDescriptionDTO> enabled,
                        Function<ComponentDescriptionDTO, Collection<ComponentConfigurationDTO>> configurations,
                        Set<Long> withServices, Map<Long, String> registered, Deployment deployment) {
        for (ComponentDescriptionDTO component : enabled) {
            if (!isDooneFlow(component) && !isWhiteboardService(component.properties)) {
                continue;
            }
            Collection<ComponentConfigurationDTO> configs = configurations.apply(component);
            if (configs.isEmpty()) {
                return "waiting for " + component.name + ", which has no configuration";
            }
            for (ComponentConfigurationDTO config : configs) {
                if (config.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                    return "failed: " + component.name + ": " + config.failure;
                }
                if (config.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE) {
                    return "waiting for " + component.name + ", which needs " + stream(config.unsatisfiedReferences)
                            .map(reference -> needed(component, reference.name)).collect(Collectors.joining(", "));
                }
                if (config.state == ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION) {
                    return "waiting for " + component.name + ", which has no configuration";
                }
                // Declarative Services marks a configuration satisfied just before it registers its services; a
                // resource in between is neither waited for nor deployed yet.
                if (component.serviceInterfaces != null && component.serviceInterfaces.length > 0
                        && !withServices.contains(config.id)) {
                    return "registering " + component.name;
                }
            }
        }
        for (Map.Entry<Long, String> service : registered.entrySet()) {
            if (deployment.refused().contains(service.getKey())) {
                return "failed: the whiteboard refused " + service.getValue();
            }
            if (!deployment.served().contains(service.getKey())) {
                return "deploying " + service.getValue();
            }
        }
        return UP;
    }

    /** The configurations (component.id) that have registered a service. */
    private static Set<Long> componentsWithServices(BundleContext context) {
        Set<Long> ids = new HashSet<>();
        for (ServiceReference<?> reference : services(context, "(" + COMPONENT_ID + "=*)")) {
            if (reference.getProperty(COMPONENT_ID) instanceof Long id) { // Declarative Services' own: a Long
                ids.add(id);
            }
        }
        return ids;
    }

    private static Map<Long, String> registeredWhiteboardServices(BundleContext context) {
        Map<Long, String> services = new LinkedHashMap<>();
        for (ServiceReference<?> reference : services(context, WHITEBOARD_SERVICES)) {
            Object component = reference.getProperty("component.name");
            Object name = component != null ? component : Arrays.toString((String[]) reference.getProperty("objectClass"));
            services.put((Long) reference.getProperty("service.id"), String.valueOf(name));
        }
        return services;
    }

    private static ServiceReference<?>[] services(BundleContext context, String filter) {
        try {
            ServiceReference<?>[] references = context.getAllServiceReferences(null, filter);
            return references == null ? new ServiceReference<?>[0] : references;
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The service a reference waits for: its interface, as constructor references have names like "$000". */
    private static String needed(ComponentDescriptionDTO component, String referenceName) {
        return stream(component.references).filter(reference -> referenceName.equals(reference.name))
                .map(reference -> reference.interfaceName).findFirst().orElse(referenceName);
    }

    private static boolean isDooneFlow(ComponentDescriptionDTO component) {
        return component.bundle != null && component.bundle.symbolicName != null
                && component.bundle.symbolicName.startsWith(DOONEFLOW_BUNDLES);
    }

    private static boolean isWhiteboardService(Map<String, Object> properties) {
        return properties != null && ("true".equals(String.valueOf(properties.get(JAXRS_RESOURCE)))
                || "true".equals(String.valueOf(properties.get(JAXRS_EXTENSION)))
                || properties.containsKey(SERVLET_PATTERN) || properties.containsKey(FILTER_PATTERN));
    }

    private static <T> Stream<T> stream(T[] array) {
        return array == null ? Stream.empty() : Arrays.stream(array);
    }
}
