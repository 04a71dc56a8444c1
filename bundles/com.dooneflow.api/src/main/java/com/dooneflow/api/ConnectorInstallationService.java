package com.dooneflow.api;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The connector features installed cluster-wide: the desired state, kept in the database, that every node converges
 * to with Karaf's features service, and what each node reached. The callers (REST, the console) check that the
 * caller is an installation administrator.
 */
@ProviderType
public interface ConnectorInstallationService {

    /**
     * Records that every node should install {@code feature} from the features {@code repository} (in
     * {@code version}, or the newest when null), replacing an earlier entry of that feature; {@code requestedBy} is
     * the user's id (null from the console).
     *
     * @throws ValidationException naming {@code repository}, {@code feature} or {@code version}
     */
    ConnectorInstallation install(String repository, String feature, String version, String requestedBy);

    /**
     * Records that every node should uninstall {@code feature}.
     *
     * @throws NotFoundException when the feature was never installed through this service
     */
    ConnectorInstallation uninstall(String feature, String requestedBy);

    /** Every entry, by feature, with the state each living node reached. */
    List<ConnectorInstallation> list();

    /** The counter that moves with every install or uninstall: a node converges again when it moves. */
    long generation();

    /** What this node reached for {@code feature} at {@code generation}: installed, removed or failed (with the reason). */
    void report(String nodeId, String feature, long generation, String state, String reason);
}
