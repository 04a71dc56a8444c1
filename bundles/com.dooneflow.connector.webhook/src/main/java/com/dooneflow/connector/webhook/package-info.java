/**
 * The webhook connector: the {@code webhook} trigger (a public receiver under {@code /webhook/{path}}) and the
 * {@code webhook.call} action (an SSRF-guarded outbound HTTP call). Nothing exported; everything is internal.
 */
package com.dooneflow.connector.webhook;
