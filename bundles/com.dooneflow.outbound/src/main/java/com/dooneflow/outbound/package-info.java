/**
 * The Apache HttpClient 5 implementation of {@link com.dooneflow.api.outbound.OutboundHttp}. Connectors use the
 * service; this package is exported so the test kit can build a client for unit tests.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package com.dooneflow.outbound;
