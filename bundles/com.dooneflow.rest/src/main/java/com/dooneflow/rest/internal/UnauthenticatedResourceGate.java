package com.dooneflow.rest.internal;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.hooks.service.EventListenerHook;
import org.osgi.framework.hooks.service.FindHook;
import org.osgi.framework.hooks.service.ListenerHook.ListenerInfo;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dooneflow.api.rest.DooneFlowResource;

/**
 * Hides from the JAX-RS whiteboard every resource service ({@code osgi.jaxrs.resource=true}) that does not require
 * DooneFlow's authentication filter, so a connector's resource without {@link DooneFlowResource} is never served
 * (its path answers 404) instead of being served unauthenticated. The whiteboard neither finds such a service nor
 * hears of it; everyone else still sees it. Each is logged once, naming its bundle and the fix.
 * <p>
 * The whiteboard is recognized by its capability ({@code osgi.implementation=osgi.jaxrs}), not by name. This
 * bundle's own resources are exempt: the public ones among them ({@code /v1/openapi.json}) are reviewed here. A
 * service registered before this gate started was already seen by the whiteboard; the gate starts with the core,
 * before the connectors that depend on it.
 */
@Component(service = {FindHook.class, EventListenerHook.class}, immediate = true)
public class UnauthenticatedResourceGate implements FindHook, EventListenerHook {

    static final String RESOURCE = "osgi.jaxrs.resource";
    static final String EXTENSION_SELECT = "osgi.jaxrs.extension.select";
    static final String AUTHENTICATION_SELECTED = "(osgi.jaxrs.name=" + DooneFlowResource.AUTHENTICATION + ")";

    private static final Logger LOG = LoggerFactory.getLogger(UnauthenticatedResourceGate.class);

    private final long ownBundleId;
    /** Whiteboard or not, per bundle id: the capability is read once. */
    private final Map<Long, Boolean> whiteboards = new ConcurrentHashMap<>();
    private final Set<Long> warned = ConcurrentHashMap.newKeySet();

    @Activate
    public UnauthenticatedResourceGate(BundleContext context) {
        this(context.getBundle().getBundleId());
    }

    UnauthenticatedResourceGate(long ownBundleId) {
        this.ownBundleId = ownBundleId;
    }

    @Override
    public void find(BundleContext context, String name, String filter, boolean allServices,
                     Collection<ServiceReference<?>> references) {
        if (isWhiteboard(context.getBundle())) {
            references.removeIf(this::isHidden);
        }
    }

    @Override
    public void event(ServiceEvent event, Map<BundleContext, Collection<ListenerInfo>> listeners) {
        if (isHidden(event.getServiceReference())) {
            listeners.keySet().removeIf(context -> isWhiteboard(context.getBundle()));
        }
    }

    /** A JAX-RS resource of another bundle that does not require the authentication filter; logged once. */
    boolean isHidden(ServiceReference<?> ref) {
        Bundle owner = ref.getBundle();
        if (owner == null || owner.getBundleId() == ownBundleId || !isResource(ref.getProperty(RESOURCE))
                || requiresAuthentication(ref.getProperty(EXTENSION_SELECT))) {
            return false;
        }
        if (warned.add((Long) ref.getProperty(Constants.SERVICE_ID))) {
            LOG.warn("The JAX-RS resource {} of bundle {} {} is not served: it does not require DooneFlow's "
                            + "authentication. Mark its component @DooneFlowResource (com.dooneflow.api.rest) and its "
                            + "public methods @PermitAll.",
                    Arrays.toString((String[]) ref.getProperty(Constants.OBJECTCLASS)), owner.getSymbolicName(),
                    owner.getVersion());
        }
        return true;
    }

    private static boolean isResource(Object value) {
        return Boolean.TRUE.equals(value) || "true".equalsIgnoreCase(String.valueOf(value));
    }

    /** The select property may be one filter, an array or a collection of them. */
    static boolean requiresAuthentication(Object select) {
        List<?> filters = select instanceof String[] array ? List.of(array)
                : select instanceof Collection<?> collection ? List.copyOf(collection)
                : select == null ? List.of() : List.of(select);
        return filters.stream().anyMatch(f -> AUTHENTICATION_SELECTED.equals(String.valueOf(f).replace(" ", "")));
    }

    private boolean isWhiteboard(Bundle bundle) {
        if (bundle == null) {
            return false;
        }
        return whiteboards.computeIfAbsent(bundle.getBundleId(), id -> {
            BundleRevision revision = bundle.adapt(BundleRevision.class);
            if (revision == null) {
                return false;
            }
            for (BundleCapability c : revision.getDeclaredCapabilities("osgi.implementation")) {
                if ("osgi.jaxrs".equals(c.getAttributes().get("osgi.implementation"))) {
                    return true;
                }
            }
            return false;
        });
    }
}
