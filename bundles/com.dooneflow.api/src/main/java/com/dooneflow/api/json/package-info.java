/** JSON as DooneFlow reads and writes it: the one mapper configuration, and the limits every request body is held to. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package com.dooneflow.api.json;
