/**
 * Pax Exam support for tests on the real DooneFlow distribution: {@link com.dooneflow.testing.karaf.DooneFlowTestSupport}
 * boots it (H2, or a fresh PostgreSQL database per test class), with a known first owner, free ports, the
 * connector under test, and a client of the REST API for the tests that run inside it.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package com.dooneflow.testing.karaf;
