/**
 * Contract suites: abstract JUnit 5 test classes that state what users of a core service rely on (the Javadoc of
 * its interface in {@code com.dooneflow.api}, made precise) and check it against any implementation. The test kit
 * runs each against its in-memory fake, the persistence bundle against the real service on H2 and PostgreSQL, so
 * the fakes connectors test with cannot drift from what runs in production. To check an implementation of your
 * own, extend a suite and implement its factory methods.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package com.dooneflow.testing.contract;
