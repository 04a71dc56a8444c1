/**
 * Calling other services over HTTP: the {@link com.dooneflow.api.outbound.OutboundHttp} service every connector
 * uses, and the SSRF guard it applies to URLs users control.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package com.dooneflow.api.outbound;
