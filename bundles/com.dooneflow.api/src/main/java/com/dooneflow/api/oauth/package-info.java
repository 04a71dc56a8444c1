/**
 * Signing in to another service with OAuth 2.0 (RFC 6749) authorization code and PKCE (RFC 7636): the verifier and
 * its challenge, the single-use state, the authorization URL, the token grants' forms and the token endpoint's answer,
 * and the page the browser sees when it comes back. Where tokens and pending states are kept, and how the token
 * endpoint is called (through {@link com.dooneflow.api.outbound.OutboundHttp}), stays with the connector.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package com.dooneflow.api.oauth;
