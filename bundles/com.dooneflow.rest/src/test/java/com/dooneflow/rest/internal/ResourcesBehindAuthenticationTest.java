package com.dooneflow.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Every JAX-RS resource this bundle registers selects DooneFlow's JSON and its authentication filter
 * ({@code @DooneFlowResource}), so the whiteboard cannot serve one before or without them. Read from the component
 * descriptions bnd wrote, which are what the framework sees.
 */
class ResourcesBehindAuthenticationTest {

    @Test
    void everyResourceSelectsTheJsonProviderAndTheAuthenticationFilter() throws IOException {
        Path dir = Path.of("target/classes/OSGI-INF");
        List<Path> resources;
        try (Stream<Path> files = Files.list(dir)) {
            resources = files.filter(f -> f.toString().endsWith(".xml") && read(f).contains("name=\"osgi.jaxrs.resource\""))
                    .toList();
        }
        assertThat(resources).extracting(p -> p.getFileName().toString())
                .contains("com.dooneflow.rest.internal.WorkflowResource.xml", "com.dooneflow.rest.internal.OptionResource.xml");
        for (Path resource : resources) {
            if (resource.getFileName().toString().contains("OpenApiResource")) {
                continue; // serves the API document as text, public by design
            }
            assertThat(read(resource)).as(resource.getFileName().toString())
                    .contains("(osgi.jaxrs.name=dooneflow.json)").contains("(osgi.jaxrs.name=dooneflow.auth)");
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
