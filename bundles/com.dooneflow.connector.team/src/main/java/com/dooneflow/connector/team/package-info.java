/**
 * The team connector: the {@code team.assign} action, which hands an execution's contact to the next team member
 * of a round-robin rotation kept by the core's TeamService. Nothing exported; everything is internal.
 */
package com.dooneflow.connector.team;
