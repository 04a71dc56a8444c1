/**
 * The core's own plumbing, implemented by the persistence bundle for the engine, the console and REST: storage
 * of workflows and executions (claims, leases, step writes), the vault, key rotation and every connector's
 * settings by namespace. Connectors do not use these and cannot: the api bundle exports this package with a
 * mandatory attribute (see its bnd.bnd), so only a bundle that imports it with {@code dooneflow=core} resolves
 * against it. Connectors go through the engine's TriggerSink and the services in {@code com.dooneflow.api}.
 */
@org.osgi.annotation.versioning.Version("1.4.0")
package com.dooneflow.api.store;
