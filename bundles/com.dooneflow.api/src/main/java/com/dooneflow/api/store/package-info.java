/**
 * Storage of workflows and executions, implemented by the persistence bundle for the engine. Connectors do
 * not use these: they go through the engine's TriggerSink and the core services.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package com.dooneflow.api.store;
