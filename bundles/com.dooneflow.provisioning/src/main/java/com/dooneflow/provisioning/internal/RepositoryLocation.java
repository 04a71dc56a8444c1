package com.dooneflow.provisioning.internal;

import java.net.URI;
import java.nio.file.Path;

import com.dooneflow.api.ConnectorInstallation;

/**
 * Where this node reads a features repository from. The entry's URL is checked again here, not only when it was
 * recorded: the database is shared, and a node must not fetch from anywhere the installation did not allow. A
 * {@code file:connectors/…} URL names the same file in every node's own installation directory.
 */
final class RepositoryLocation {

    private RepositoryLocation() {
    }

    /** The URI to hand to Karaf's features service, or an {@link IllegalArgumentException} saying why not. */
    static URI resolve(String repository, Path installation) {
        String problem = ConnectorInstallation.repositoryProblem(repository);
        if (problem != null) {
            throw new IllegalArgumentException("repository " + problem);
        }
        if (repository.startsWith("mvn:")) {
            return URI.create(repository);
        }
        Path folder = installation.resolve("connectors").toAbsolutePath().normalize();
        Path file = installation.resolve(repository.substring("file:".length())).toAbsolutePath().normalize();
        if (!file.startsWith(folder)) {
            throw new IllegalArgumentException("repository must stay inside the connectors/ folder");
        }
        return file.toUri();
    }
}
