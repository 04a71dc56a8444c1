/** Phone numbers as every connector and the core store and send them: E.164. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package com.dooneflow.api.phone;
