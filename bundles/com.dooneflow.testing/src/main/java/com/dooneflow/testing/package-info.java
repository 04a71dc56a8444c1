/**
 * In-memory implementations of the core services ({@code com.dooneflow.api}) for connector unit tests. They keep
 * the contracts the interfaces document and the persistence bundle implements (unique names, secrets apart from
 * data, row locks, not-found for strangers, leases with fencing tokens, JSON round trips), and let a test look
 * inside (what was recorded, written, held). The contract suites in {@code com.dooneflow.testing.contract} run
 * against these fakes and against the real implementations, so the two cannot drift apart. Use the jar with test
 * scope; its manifest is a bundle's only so that its packages are versioned and baselined like the API's.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.2.0")
package com.dooneflow.testing;
