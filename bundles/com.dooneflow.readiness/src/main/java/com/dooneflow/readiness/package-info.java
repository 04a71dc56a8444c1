/** Whether DooneFlow has started: the readiness check for {@code GET /v1/health}; exported for the REST bundle. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package com.dooneflow.readiness;
