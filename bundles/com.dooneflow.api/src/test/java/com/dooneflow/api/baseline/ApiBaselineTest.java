package com.dooneflow.api.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.util.Set;
import java.util.jar.Manifest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import aQute.bnd.differ.Baseline;
import aQute.bnd.differ.Baseline.Info;
import aQute.bnd.differ.DiffPluginImpl;
import aQute.bnd.header.Attrs;
import aQute.bnd.header.Parameters;
import aQute.bnd.osgi.Constants;
import aQute.bnd.osgi.Instructions;
import aQute.bnd.osgi.Jar;
import aQute.bnd.osgi.Processor;
import aQute.bnd.version.Version;

/**
 * The rule the build's baseline check (bnd-baseline-maven-plugin, baseline/README.md) enforces, run with bnd's
 * own {@link Baseline} on this build's classes and the committed baseline release: a change that breaks code built
 * against the release is refused unless its package's major version moves.
 */
class ApiBaselineTest {

    private static final String API = "com.dooneflow.api";
    /** An exported interface every connector may use; removing it breaks them all. */
    private static final String REMOVED_TYPE = "com/dooneflow/api/DedupeStore.class";

    private final Processor reporter = new Processor();

    @AfterEach
    void close() throws Exception {
        reporter.close();
    }

    @Test
    void thisBuildNeedsNoHigherPackageVersionThanItDeclares() throws Exception {
        try (Jar built = built(); Jar release = release()) {
            assertThat(baseline(built, release)).as("packages whose version is too low for their change")
                    .filteredOn(info -> info.mismatch).extracting(info -> info.packageName).isEmpty();
        }
    }

    @Test
    void anIncompatibleChangeFailsUntilThePackagesMajorVersionMoves() throws Exception {
        try (Jar release = release(); Jar broken = built()) {
            broken.remove(REMOVED_TYPE);
            // Made without a version step: the package keeps the release's version.
            exportVersion(broken, API, exportedVersion(release, API));

            Info refused = info(baseline(broken, release), API);
            assertThat(refused.mismatch).as("a removed interface with an unchanged version").isTrue();
            Version next = new Version(refused.olderVersion.getMajor() + 1, 0, 0);
            assertThat(refused.suggestedVersion).isEqualTo(next);

            exportVersion(broken, API, next);
            Info accepted = info(baseline(broken, release), API);
            assertThat(accepted.mismatch).as("the same change in %s %s", API, next).isFalse();
        }
    }

    private Set<Info> baseline(Jar newer, Jar older) throws Exception {
        return new Baseline(reporter, new DiffPluginImpl()).baseline(newer, older, new Instructions("*"));
    }

    private static Info info(Set<Info> infos, String packageName) {
        return infos.stream().filter(i -> i.packageName.equals(packageName)).findFirst().orElseThrow();
    }

    /** The classes and the manifest bnd wrote for this build (the jar is made only after the tests). */
    private static Jar built() throws Exception {
        File classes = new File("target/classes");
        assertThat(new File(classes, "META-INF/MANIFEST.MF")).as("bnd's manifest of this build").isFile();
        return new Jar(classes);
    }

    private static Jar release() throws Exception {
        File jar = new File(System.getProperty("dooneflow.baseline.jar", "missing: run the tests through Maven"));
        assertThat(jar).as("the committed baseline release (baseline/cut.sh)").isFile();
        return new Jar(jar);
    }

    private static Version exportedVersion(Jar jar, String packageName) throws Exception {
        Parameters exports = new Parameters(jar.getManifest().getMainAttributes().getValue(Constants.EXPORT_PACKAGE));
        return Version.parseVersion(exports.get(packageName).get(Constants.VERSION_ATTRIBUTE));
    }

    private static void exportVersion(Jar jar, String packageName, Version version) throws Exception {
        Manifest manifest = jar.getManifest();
        Parameters exports = new Parameters(manifest.getMainAttributes().getValue(Constants.EXPORT_PACKAGE));
        Attrs attrs = exports.get(packageName);
        attrs.put(Constants.VERSION_ATTRIBUTE, version.toString());
        manifest.getMainAttributes().putValue(Constants.EXPORT_PACKAGE, exports.toString());
        jar.setManifest(manifest);
    }
}
