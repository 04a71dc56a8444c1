package com.dooneflow.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.ReferenceDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

/** The reasons a connector's types do not run, from the bundle's state and its components' DTOs. */
class ConnectorProblemsTest {

    private final Map<ComponentDescriptionDTO, List<ComponentConfigurationDTO>> components = new LinkedHashMap<>();
    private final ServiceComponentRuntime scr = (ServiceComponentRuntime) Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {ServiceComponentRuntime.class}, (proxy, method, args) ->
                    switch (method.getName()) {
                        case "getComponentDescriptionDTOs" -> List.copyOf(components.keySet());
                        case "getComponentConfigurationDTOs" -> components.get((ComponentDescriptionDTO) args[0]);
                        case "isComponentEnabled" -> true;
                        default -> throw new UnsupportedOperationException(method.getName());
                    });

    private static Bundle bundle(int state) {
        return (Bundle) Proxy.newProxyInstance(ConnectorProblemsTest.class.getClassLoader(), new Class<?>[] {Bundle.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getSymbolicName" -> "com.acme.connector";
                    case "getBundleId" -> 42L;
                    case "getState" -> state;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private ComponentConfigurationDTO component(String name, int state) {
        ComponentDescriptionDTO d = new ComponentDescriptionDTO();
        d.name = name;
        d.references = new ReferenceDTO[0];
        d.configurationPid = new String[] {name};
        ComponentConfigurationDTO c = new ComponentConfigurationDTO();
        c.description = d;
        c.state = state;
        c.unsatisfiedReferences = new UnsatisfiedReferenceDTO[0];
        components.put(d, List.of(c));
        return c;
    }

    @Test
    void aBundleThatIsNotResolvedPointsToBundleDiag() {
        assertThat(ConnectorProblems.why(bundle(Bundle.INSTALLED), scr)).isEqualTo("com.acme.connector (bundle 42) is "
                + "not resolved: a package or service it needs is not installed; bundle:diag 42 names it");
    }

    @Test
    void aComponentWaitingForAServiceNamesTheServiceAndItsTarget() {
        ComponentConfigurationDTO waiting = component("com.acme.EchoAction", ComponentConfigurationDTO.UNSATISFIED_REFERENCE);
        ReferenceDTO declared = new ReferenceDTO();
        declared.name = "$000"; // bnd's name for the first constructor parameter
        declared.interfaceName = "com.acme.EchoClient";
        waiting.description.references = new ReferenceDTO[] {declared};
        UnsatisfiedReferenceDTO missing = new UnsatisfiedReferenceDTO();
        missing.name = "$000";
        missing.target = "(region=eu)";
        waiting.unsatisfiedReferences = new UnsatisfiedReferenceDTO[] {missing};

        assertThat(ConnectorProblems.why(bundle(Bundle.ACTIVE), scr)).isEqualTo("com.acme.connector (bundle 42): "
                + "component com.acme.EchoAction waits for a service com.acme.EchoClient matching (region=eu)");
    }

    @Test
    void aComponentThatFailedToActivateGivesTheFirstLineOfItsFailure() {
        component("com.acme.EchoAction", ComponentConfigurationDTO.FAILED_ACTIVATION).failure =
                "java.lang.IllegalStateException: no endpoint configured\n\tat com.acme.EchoAction.<init>(EchoAction.java:12)";
        component("com.acme.Healthy", ComponentConfigurationDTO.ACTIVE);

        assertThat(ConnectorProblems.why(bundle(Bundle.ACTIVE), scr)).isEqualTo("com.acme.connector (bundle 42): "
                + "component com.acme.EchoAction failed to start: java.lang.IllegalStateException: no endpoint configured");
    }

    @Test
    void anActiveBundleWhoseComponentsAllRunRegistersNothingForTheType() {
        component("com.acme.Healthy", ComponentConfigurationDTO.ACTIVE);

        assertThat(ConnectorProblems.why(bundle(Bundle.ACTIVE), scr))
                .isEqualTo("com.acme.connector (bundle 42) is active but registers no service for this type");
    }
}
