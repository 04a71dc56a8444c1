/**
 * Team members of an organization and their round-robin assignment: the service the REST API, the console and
 * the {@code team.assign} action use, and the records it speaks.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package com.dooneflow.api.team;
