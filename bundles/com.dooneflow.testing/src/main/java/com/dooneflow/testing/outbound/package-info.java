/** Outbound HTTP for connector unit tests: the distribution's own client, pointed at servers the test runs. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package com.dooneflow.testing.outbound;
