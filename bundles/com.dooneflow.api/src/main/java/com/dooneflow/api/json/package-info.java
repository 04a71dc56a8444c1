/** JSON as DooneFlow reads it from the outside: the limits every request body is held to. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package com.dooneflow.api.json;
