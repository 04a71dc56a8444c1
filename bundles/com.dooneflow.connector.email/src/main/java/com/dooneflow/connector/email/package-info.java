/**
 * The email connector: IMAP inboxes per organization (REST {@code /v1/organizations/{orgId}/email-inboxes}),
 * polled by Apache Camel routes, and the {@code email.imap} trigger. Nothing exported; everything is internal.
 */
package com.dooneflow.connector.email;
