package com.dooneflow.api;

import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A connector feature the installation wants on every node ({@code installed}) or on none (removed), recorded in
 * the database by an installation administrator, with what each living node reached. {@code generation} grows with
 * every change; a node's state counts for the entry only when it reached this generation, else it is
 * {@code pending}.
 */
public record ConnectorInstallation(String feature, String repository, String version, boolean installed,
                                    long generation, Instant requestedAt, List<NodeState> nodes) {

    /** Feature names as Karaf spells them. */
    private static final Pattern FEATURE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");
    /** An OSGi version or version range. */
    private static final Pattern VERSION = Pattern.compile("[\\[(]?[0-9][A-Za-z0-9._-]*(,[0-9][A-Za-z0-9._-]*)?[\\])]?");
    /** {@code mvn:group/artifact/version[/type[/classifier]]}, without a repository of its own. */
    private static final Pattern MVN = Pattern.compile("mvn:[A-Za-z0-9._-]+/[A-Za-z0-9._-]+/[A-Za-z0-9._-]+"
            + "(/[A-Za-z0-9._-]*){0,2}");
    /** {@code file:connectors/…}: a file in the installation's own {@code connectors/} folder. */
    private static final Pattern FILE = Pattern.compile("file:connectors/([A-Za-z0-9._-]+/)*[A-Za-z0-9_-][A-Za-z0-9._-]*");

    public ConnectorInstallation {
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
    }

    /** What a node reached for an entry: {@code installed}, {@code removed}, {@code failed} (with the reason), {@code pending}. */
    public record NodeState(String node, String state, String reason, Instant at) {
    }

    /**
     * Why a features repository URL may not be used, or null when it may. Only {@code mvn:} URLs resolved through
     * the Maven repositories the installation configures ({@code etc/org.ops4j.pax.url.mvn.cfg}) — never one that
     * names its own repository ({@code mvn:https://host!…}) — and {@code file:connectors/…} files inside each node's
     * installation directory. So recording a connector never makes a node fetch from a host the operator did not
     * choose.
     */
    public static String repositoryProblem(String repository) {
        if (repository == null || repository.isBlank()) {
            return "is required: mvn:group/artifact/version/xml/features or file:connectors/<file>";
        }
        if (repository.length() > 1000) {
            return "is longer than 1000 characters";
        }
        if (repository.startsWith("mvn:")) {
            return MVN.matcher(repository).matches() ? null : "must be mvn:group/artifact/version[/type[/classifier]] "
                    + "resolved through the installation's own Maven repositories (no repository URL of its own)";
        }
        if (repository.startsWith("file:")) {
            return FILE.matcher(repository).matches() && !repository.contains("/../") && !repository.endsWith("/..")
                    ? null : "must name a file in the installation's connectors/ folder: file:connectors/<file>";
        }
        return "must be an mvn: or file:connectors/ URL; other schemes (http, https, …) are refused so that nodes "
                + "fetch only from repositories the installation configures";
    }

    /** Why a feature name may not be used, or null. */
    public static String featureProblem(String feature) {
        if (feature == null || !FEATURE.matcher(feature).matches()) {
            return "must be a feature name of letters, digits, '.', '_' and '-' (at most 200)";
        }
        return "dooneflow-core".equals(feature) ? "is the platform itself, not a connector" : null;
    }

    /** Why a version may not be used, or null; a missing version means the newest the repository has. */
    public static String versionProblem(String version) {
        return version == null || (version.length() <= 100 && VERSION.matcher(version).matches()) ? null
                : "must be a version such as 1.2.0 or a range such as [1.2,2)";
    }
}
