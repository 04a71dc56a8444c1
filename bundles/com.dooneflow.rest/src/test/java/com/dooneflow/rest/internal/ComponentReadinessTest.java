package com.dooneflow.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.Collection;
import java.util.ConcurrentModificationException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.dto.BundleDTO;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.ReferenceDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;
import org.osgi.service.http.runtime.HttpServiceRuntime;
import org.osgi.service.http.runtime.dto.FailedServletDTO;
import org.osgi.service.http.runtime.dto.FilterDTO;
import org.osgi.service.http.runtime.dto.ServletContextDTO;
import org.osgi.service.http.runtime.dto.ServletDTO;
import org.osgi.service.jaxrs.runtime.JaxrsServiceRuntime;
import org.osgi.service.jaxrs.runtime.dto.ApplicationDTO;
import org.osgi.service.jaxrs.runtime.dto.ExtensionDTO;
import org.osgi.service.jaxrs.runtime.dto.FailedResourceDTO;
import org.osgi.service.jaxrs.runtime.dto.ResourceDTO;
import org.osgi.service.jaxrs.runtime.dto.RuntimeDTO;

import com.dooneflow.rest.internal.ComponentReadiness.Deployment;

class ComponentReadinessTest {

    private final Map<ComponentDescriptionDTO, Collection<ComponentConfigurationDTO>> components = new LinkedHashMap<>();
    private final Set<Long> withServices = new HashSet<>();
    private final Map<Long, String> registered = new LinkedHashMap<>();
    private Deployment deployment = new Deployment(Set.of(), Set.of());

    @Test
    void upWhenEveryWhiteboardServiceIsServed() {
        component("WorkflowResource", "osgi.jaxrs.resource", true);
        component("WebhookServlet", "osgi.http.whiteboard.servlet.pattern", new String[] {"/webhook/*"});
        ComponentConfigurationDTO partner = component("PartnerCache", "service.ranking", 0);
        partner.state = ComponentConfigurationDTO.UNSATISFIED_REFERENCE; // another bundle's plain component: ignored
        registered.put(11L, "WorkflowResource");
        registered.put(12L, "WebhookServlet");
        deployment = new Deployment(Set.of(11L, 12L), Set.of());

        assertThat(check()).isEqualTo("UP");
    }

    @Test
    void waitsForEveryDooneFlowComponentButNotForOtherBundlesPlainComponents() {
        ComponentConfigurationDTO action = component("CallWebhookAction", "dooneflow.action.type", "webhook.call");
        action.state = ComponentConfigurationDTO.UNSATISFIED_REFERENCE;
        action.description.bundle = bundle("com.dooneflow.connector.webhook");
        ComponentConfigurationDTO foreign = component("PartnerCache", "service.ranking", 0);
        foreign.state = ComponentConfigurationDTO.UNSATISFIED_REFERENCE;
        foreign.description.bundle = bundle("com.example.partner");

        assertThat(check()).startsWith("waiting for CallWebhookAction");
        components.remove(action.description);
        assertThat(check()).isEqualTo("UP");
    }

    @Test
    void waitsForAResourceWhoseReferencesAreMissingAndNamesTheServiceItNeeds() {
        ComponentConfigurationDTO workflows = component("WorkflowResource", "osgi.jaxrs.resource", true);
        workflows.state = ComponentConfigurationDTO.UNSATISFIED_REFERENCE;
        ReferenceDTO declared = new ReferenceDTO();
        declared.name = "$000"; // bnd's name for the first constructor parameter
        declared.interfaceName = "com.dooneflow.api.WorkflowService";
        workflows.description.references = new ReferenceDTO[] {declared};
        UnsatisfiedReferenceDTO missing = new UnsatisfiedReferenceDTO();
        missing.name = "$000";
        workflows.unsatisfiedReferences = new UnsatisfiedReferenceDTO[] {missing};

        assertThat(check()).isEqualTo("waiting for WorkflowResource, which needs com.dooneflow.api.WorkflowService");
    }

    @Test
    void aRegisteredServiceTheWhiteboardDoesNotServeYetIsBeingDeployed() {
        component("WorkflowResource", "osgi.jaxrs.resource", "true");
        registered.put(11L, "WorkflowResource");

        assertThat(check()).isEqualTo("deploying WorkflowResource");
    }

    @Test
    void aSatisfiedComponentWhoseServiceIsNotRegisteredYetIsBeingRegistered() {
        ComponentConfigurationDTO health = component("HealthResource", "osgi.jaxrs.resource", true);
        health.id = 42;
        health.description.serviceInterfaces = new String[] {"com.dooneflow.rest.internal.HealthResource"};

        assertThat(check()).as("satisfied a moment before its service is registered").isEqualTo(
                "registering HealthResource");
        withServices.add(42L);
        assertThat(check()).isEqualTo("UP");
    }

    @Test
    void aServiceTheWhiteboardRefusedIsReportedAsFailed() {
        registered.put(7L, "[javax.servlet.Servlet]");
        deployment = new Deployment(Set.of(), Set.of(7L));

        assertThat(check()).isEqualTo("failed: the whiteboard refused [javax.servlet.Servlet]");
    }

    @Test
    void aComponentThatFailedToActivateIsReportedWithTheReason() {
        ComponentConfigurationDTO broken = component("TwilioStatusResource", "osgi.jaxrs.resource", true);
        broken.state = ComponentConfigurationDTO.FAILED_ACTIVATION;
        broken.failure = "java.lang.IllegalStateException: boom";

        assertThat(check()).isEqualTo("failed: TwilioStatusResource: java.lang.IllegalStateException: boom");
    }

    @Test
    void aComponentWithoutItsRequiredConfigurationIsWaitedFor() {
        ComponentDescriptionDTO description = description("EmailInboxResource", "osgi.jaxrs.resource", true);
        components.put(description, List.of());

        assertThat(check()).isEqualTo("waiting for EmailInboxResource, which has no configuration");
    }

    @Test
    void aJaxrsWhiteboardThatCannotDescribeItselfWhileItRebuildsIsStillDeploying() {
        BundleContext context = proxy(BundleContext.class, (method, args) -> switch (method) {
            case "getServiceReference" -> proxy(ServiceReference.class, (m, a) -> null); // boot finished
            case "getAllServiceReferences" -> null;
            default -> throw new UnsupportedOperationException(method);
        });
        ServiceComponentRuntime scr = proxy(ServiceComponentRuntime.class, (method, args) -> List.of());
        JaxrsServiceRuntime jaxrs = proxy(JaxrsServiceRuntime.class, (method, args) -> {
            throw new ConcurrentModificationException(); // as Aries' getRuntimeDTO() while it rebuilds
        });
        HttpServiceRuntime http = proxy(HttpServiceRuntime.class,
                (method, args) -> new org.osgi.service.http.runtime.dto.RuntimeDTO());

        assertThat(ComponentReadiness.check(context, scr, jaxrs, http)).startsWith("deploying");
    }

    @Test
    void theDeploymentGathersEveryApplicationAndServletContextAndTheirRefusals() {
        RuntimeDTO jaxrs = new RuntimeDTO();
        jaxrs.defaultApplication = new ApplicationDTO();
        jaxrs.defaultApplication.resourceDTOs = new ResourceDTO[] {jaxrsResource(1)};
        jaxrs.defaultApplication.extensionDTOs = new ExtensionDTO[] {jaxrsExtension(2)};
        ApplicationDTO partner = new ApplicationDTO();
        partner.resourceDTOs = new ResourceDTO[] {jaxrsResource(3)};
        jaxrs.applicationDTOs = new ApplicationDTO[] {partner};
        FailedResourceDTO refusedResource = new FailedResourceDTO();
        refusedResource.serviceId = 4;
        jaxrs.failedResourceDTOs = new FailedResourceDTO[] {refusedResource};

        org.osgi.service.http.runtime.dto.RuntimeDTO http = new org.osgi.service.http.runtime.dto.RuntimeDTO();
        ServletContextDTO context = new ServletContextDTO();
        ServletDTO servlet = new ServletDTO();
        servlet.serviceId = 5;
        FilterDTO filter = new FilterDTO();
        filter.serviceId = 6;
        context.servletDTOs = new ServletDTO[] {servlet};
        context.filterDTOs = new FilterDTO[] {filter};
        http.servletContextDTOs = new ServletContextDTO[] {context};
        FailedServletDTO shadowed = new FailedServletDTO();
        shadowed.serviceId = 7;
        http.failedServletDTOs = new FailedServletDTO[] {shadowed};

        Deployment gathered = Deployment.of(jaxrs, http);

        assertThat(gathered.served()).containsExactlyInAnyOrder(1L, 2L, 3L, 5L, 6L);
        assertThat(gathered.refused()).containsExactlyInAnyOrder(4L, 7L);
    }

    private String check() {
        return ComponentReadiness.check(components.keySet(), components::get, withServices, registered, deployment);
    }

    private ComponentConfigurationDTO component(String name, String property, Object value) {
        ComponentDescriptionDTO description = description(name, property, value);
        ComponentConfigurationDTO config = new ComponentConfigurationDTO();
        config.description = description;
        config.state = ComponentConfigurationDTO.SATISFIED;
        components.put(description, List.of(config));
        return config;
    }

    private static ComponentDescriptionDTO description(String name, String property, Object value) {
        ComponentDescriptionDTO description = new ComponentDescriptionDTO();
        description.name = name;
        description.properties = Map.of(property, value);
        return description;
    }

    private static <T> T proxy(Class<T> type, BiFunction<String, Object[], Object> answer) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> answer.apply(method.getName(), args)));
    }

    private static BundleDTO bundle(String symbolicName) {
        BundleDTO bundle = new BundleDTO();
        bundle.symbolicName = symbolicName;
        return bundle;
    }

    private static ResourceDTO jaxrsResource(long serviceId) {
        ResourceDTO dto = new ResourceDTO();
        dto.serviceId = serviceId;
        return dto;
    }

    private static ExtensionDTO jaxrsExtension(long serviceId) {
        ExtensionDTO dto = new ExtensionDTO();
        dto.serviceId = serviceId;
        return dto;
    }
}
