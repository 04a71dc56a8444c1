/**
 * The Salesforce connector: named OAuth 2.0 connections per organization (REST resource, OAuth callback, token
 * refresh under a cluster-wide lock) and the {@code salesforce.record.write} action. Nothing exported.
 */
package com.dooneflow.connector.salesforce;
