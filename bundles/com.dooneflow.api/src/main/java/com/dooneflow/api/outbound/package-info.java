/** The SSRF guard every connector applies to URLs its users control. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package com.dooneflow.api.outbound;
