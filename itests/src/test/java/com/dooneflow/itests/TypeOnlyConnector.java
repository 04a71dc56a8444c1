package com.dooneflow.itests;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A connector feature made by the test itself, for tests that need one to install but not the acme example (which
 * the itests build against the installed API): one bundle holding only the descriptor of the action {@value #TYPE},
 * whose handler never comes. Installed, the type is known, so workflows using it save, and their executions wait —
 * as for a connector that runs on no node. Only JDK classes: it is used in the test JVM and in the container.
 */
final class TypeOnlyConnector {

    static final String FEATURE = "type-only-connector";
    static final String TYPE = "typeonly.wait";
    /** The features repository as {@code POST /v1/connectors/install} takes it. */
    static final String REPOSITORY = "file:connectors/type-only-features.xml";

    private TypeOnlyConnector() {
    }

    /** Writes the bundle and its features repository into {@code home}'s {@code connectors/} folder. */
    static void write(Path home) throws IOException {
        Path folder = Files.createDirectories(home.resolve("connectors"));
        Path jar = folder.resolve("type-only-connector.jar");
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", "com.dooneflow.itests.typeonly");
        main.putValue("Bundle-Version", "1.0.0");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream bundle = new JarOutputStream(out, manifest)) {
            bundle.putNextEntry(new JarEntry("OSGI-INF/dooneflow/types/" + TYPE + ".json"));
            bundle.write(("{\"type\": \"" + TYPE + "\", \"kind\": \"action\", \"label\": \"Wait\", \"description\": "
                    + "\"A type whose handler never comes\", \"parameters\": [], \"outputs\": []}")
                    .getBytes(StandardCharsets.UTF_8));
            bundle.closeEntry();
        }
        Files.writeString(folder.resolve("type-only-features.xml"), "<features name=\"type-only-it\" "
                + "xmlns=\"http://karaf.apache.org/xmlns/features/v1.6.0\">\n"
                + "  <feature name=\"" + FEATURE + "\" version=\"1.0.0\">\n"
                + "    <feature>dooneflow-core</feature>\n"
                + "    <bundle>" + jar.toAbsolutePath().toUri() + "</bundle>\n"
                + "  </feature>\n</features>\n");
    }
}
