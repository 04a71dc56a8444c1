package com.dooneflow.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which features repositories a node may be told to fetch from. */
class ConnectorInstallationTest {

    @Test
    void mavenUrlsResolvedThroughTheInstallationsRepositoriesAreAllowed() {
        assertThat(ConnectorInstallation.repositoryProblem("mvn:com.acme/acme-connector/1.0.0/xml/features")).isNull();
        assertThat(ConnectorInstallation.repositoryProblem("mvn:com.acme/acme-connector/1.0.0-SNAPSHOT")).isNull();
    }

    @Test
    void aMavenUrlNamingItsOwnRepositoryIsRefused() {
        assertThat(ConnectorInstallation.repositoryProblem("mvn:https://evil.example/repo!com.acme/acme/1.0/xml/features"))
                .contains("no repository URL of its own");
    }

    @Test
    void onlyFilesInTheConnectorsFolderAreAllowed() {
        assertThat(ConnectorInstallation.repositoryProblem("file:connectors/acme/features.xml")).isNull();
        assertThat(ConnectorInstallation.repositoryProblem("file:connectors/../etc/users.properties")).isNotNull();
        assertThat(ConnectorInstallation.repositoryProblem("file:/etc/passwd")).isNotNull();
        assertThat(ConnectorInstallation.repositoryProblem("file:connectors/..")).isNotNull();
    }

    @Test
    void otherSchemesAreRefused() {
        assertThat(ConnectorInstallation.repositoryProblem("http://repo.example/features.xml")).contains("refused");
        assertThat(ConnectorInstallation.repositoryProblem("")).contains("required");
    }

    @Test
    void featureAndVersionAreChecked() {
        assertThat(ConnectorInstallation.featureProblem("acme-connector")).isNull();
        assertThat(ConnectorInstallation.featureProblem("dooneflow-core")).contains("platform");
        assertThat(ConnectorInstallation.featureProblem("a b")).isNotNull();
        assertThat(ConnectorInstallation.versionProblem(null)).isNull();
        assertThat(ConnectorInstallation.versionProblem("[1.2,2)")).isNull();
        assertThat(ConnectorInstallation.versionProblem("1.0.0-SNAPSHOT")).isNull();
        assertThat(ConnectorInstallation.versionProblem("1.0; rm")).isNotNull();
    }
}
