package com.dooneflow.rest.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Map;
import java.util.TreeMap;

import javax.annotation.security.PermitAll;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;
import org.osgi.util.tracker.BundleTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/openapi.json}: the OpenAPI 3.1 description of the API as installed right now: the core document
 * shipped with this bundle plus the fragment of every active connector bundle that names one in its
 * {@value #HEADER} manifest header. Rebuilt when such a bundle starts or stops, not per request.
 */
@Component(service = OpenApiResource.class)
@JaxrsResource
@Path("v1/openapi.json")
public class OpenApiResource {

    static final String DOCUMENT = "openapi.json";
    static final String HEADER = "DooneFlow-OpenAPI";
    private static final Logger LOG = LoggerFactory.getLogger(OpenApiResource.class);

    private final byte[] core;
    /** Fragments by bundle id, so the merged document lists them in a stable order. */
    private final Map<Long, byte[]> fragments = new TreeMap<>();
    private final BundleTracker<Long> tracker;
    private volatile byte[] document;

    @Activate
    public OpenApiResource(BundleContext context) throws IOException {
        this.core = coreDocument();
        this.document = core;
        this.tracker = new BundleTracker<>(context, Bundle.ACTIVE, null) {
            @Override
            public Long addingBundle(Bundle bundle, BundleEvent event) {
                String path = bundle.getHeaders().get(HEADER);
                if (path == null) {
                    return null;
                }
                URL url = bundle.getEntry(path);
                if (url == null) {
                    LOG.warn("Bundle {} names {} in {} but does not contain it", bundle.getSymbolicName(), path, HEADER);
                    return null;
                }
                try (InputStream in = url.openStream()) {
                    changed(bundle.getBundleId(), in.readAllBytes());
                    return bundle.getBundleId();
                } catch (IOException | UncheckedIOException e) {
                    LOG.warn("Ignoring the OpenAPI fragment {} of bundle {}: {}", path, bundle.getSymbolicName(),
                            e.getMessage());
                    return null;
                }
            }

            @Override
            public void removedBundle(Bundle bundle, BundleEvent event, Long id) {
                changed(id, null);
            }
        };
        tracker.open();
    }

    /** The document of the core API, shipped inside this bundle. */
    static byte[] coreDocument() throws IOException {
        try (InputStream in = OpenApiResource.class.getResourceAsStream(DOCUMENT)) {
            return in.readAllBytes();
        }
    }

    @Deactivate
    void close() {
        tracker.close();
    }

    /** Throws UncheckedIOException, leaving everything as it was, if the fragment is not valid JSON. */
    private synchronized void changed(long bundleId, byte[] fragment) {
        Map<Long, byte[]> next = new TreeMap<>(fragments);
        if (fragment == null) {
            next.remove(bundleId);
        } else {
            next.put(bundleId, fragment);
        }
        document = OpenApiDocuments.merge(core, next.values());
        fragments.clear();
        fragments.putAll(next);
    }

    @GET
    @PermitAll
    @Produces(MediaType.APPLICATION_JSON)
    public byte[] get() {
        return document;
    }
}
