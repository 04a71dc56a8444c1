/** For connectors' REST resources: how they join DooneFlow's API, behind its JSON and authentication. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package com.dooneflow.api.rest;
