package com.dooneflow.engine.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.ReferenceDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

/**
 * Why a connector bundle's types do not run, in words an administrator can act on: from the bundle's state, and
 * for an active bundle from Declarative Services (a component waiting for a service or configuration, or one whose
 * activation failed) — the same facts {@code bundle:diag} and {@code scr:info} show, for any bundle.
 */
final class ConnectorProblems {

    private ConnectorProblems() {
    }

    static String why(Bundle bundle, ServiceComponentRuntime scr) {
        String id = bundle.getSymbolicName() + " (bundle " + bundle.getBundleId() + ")";
        switch (bundle.getState()) {
            case Bundle.INSTALLED:
                return id + " is not resolved: a package or service it needs is not installed; "
                        + "bundle:diag " + bundle.getBundleId() + " names it";
            case Bundle.RESOLVED:
                return id + " is stopped";
            case Bundle.STARTING:
            case Bundle.STOPPING:
                return id + (bundle.getState() == Bundle.STARTING ? " is starting" : " is stopping");
            default:
                break;
        }
        List<String> reasons = scr == null ? List.of() : components(bundle, scr);
        return reasons.isEmpty()
                ? id + " is active but registers no service for this type"
                : id + ": " + String.join("; ", reasons);
    }

    private static List<String> components(Bundle bundle, ServiceComponentRuntime scr) {
        List<String> reasons = new ArrayList<>();
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs(bundle)) {
            if (!scr.isComponentEnabled(d)) {
                reasons.add("component " + d.name + " is disabled");
                continue;
            }
            for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                switch (c.state) {
                    case ComponentConfigurationDTO.UNSATISFIED_REFERENCE ->
                            reasons.add("component " + d.name + " waits for " + waitsFor(d, c));
                    case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION ->
                            reasons.add("component " + d.name + " waits for its configuration " + d.configurationPid[0]);
                    case ComponentConfigurationDTO.FAILED_ACTIVATION ->
                            reasons.add("component " + d.name + " failed to start: " + firstLine(c.failure));
                    default -> {
                    }
                }
            }
        }
        return reasons;
    }

    private static String waitsFor(ComponentDescriptionDTO d, ComponentConfigurationDTO c) {
        List<String> missing = new ArrayList<>();
        for (UnsatisfiedReferenceDTO u : c.unsatisfiedReferences) {
            String service = Arrays.stream(d.references).filter(r -> r.name.equals(u.name))
                    .map((ReferenceDTO r) -> r.interfaceName).findFirst().orElse(u.name);
            missing.add("a service " + service + (u.target == null ? "" : " matching " + u.target));
        }
        return missing.isEmpty() ? "a service" : String.join(" and ", missing);
    }

    private static String firstLine(String failure) {
        if (failure == null) {
            return "no reason given";
        }
        int end = failure.indexOf('\n');
        return (end < 0 ? failure : failure.substring(0, end)).strip();
    }
}
