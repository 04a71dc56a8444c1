/** DooneFlow's public API: the services the core offers, the model they speak and their errors. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("3.2.0")
package com.dooneflow.api;
