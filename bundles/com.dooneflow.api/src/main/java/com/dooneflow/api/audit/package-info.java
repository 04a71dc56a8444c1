/** The audit log: who changed what, when and from where. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package com.dooneflow.api.audit;
