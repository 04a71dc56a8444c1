/** What the REST API and the webhook receiver share to slow down and record guessing of credentials. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package com.dooneflow.api.security;
