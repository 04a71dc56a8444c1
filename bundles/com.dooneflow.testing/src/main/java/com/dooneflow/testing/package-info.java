/**
 * In-memory implementations of the core services ({@code com.dooneflow.api}) for connector unit tests. They keep
 * the contracts the interfaces document and the persistence bundle implements (unique names, secrets apart from
 * data, row locks, not-found for strangers, leases with fencing tokens, JSON round trips), and let a test look
 * inside (what was recorded, written, held). Not an OSGi bundle: use it with test scope.
 */
package com.dooneflow.testing;
