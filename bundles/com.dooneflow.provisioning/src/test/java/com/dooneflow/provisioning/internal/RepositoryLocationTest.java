package com.dooneflow.provisioning.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** A node fetches features repositories only from where the installation allows. */
class RepositoryLocationTest {

    private static final Path HOME = Path.of("/opt/dooneflow");

    @Test
    void aMavenUrlIsPassedOnAsItIs() {
        assertThat(RepositoryLocation.resolve("mvn:com.acme/acme/1.0/xml/features", HOME))
                .isEqualTo(URI.create("mvn:com.acme/acme/1.0/xml/features"));
    }

    @Test
    void aConnectorsFileIsThatFileInThisNodesInstallation() {
        assertThat(RepositoryLocation.resolve("file:connectors/acme/features.xml", HOME))
                .isEqualTo(Path.of("/opt/dooneflow/connectors/acme/features.xml").toUri());
    }

    @Test
    void anythingElseIsRefusedEvenWhenTheDatabaseHoldsIt() {
        assertThatThrownBy(() -> RepositoryLocation.resolve("https://repo.example/f.xml", HOME))
                .hasMessageContaining("refused");
        assertThatThrownBy(() -> RepositoryLocation.resolve("file:connectors/../etc/x.xml", HOME))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RepositoryLocation.resolve("mvn:https://evil!g/a/1/xml/features", HOME))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
