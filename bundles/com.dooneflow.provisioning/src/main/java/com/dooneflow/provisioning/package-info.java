/** Connector provisioning: not exported, the bundle has no public API of its own. */
package com.dooneflow.provisioning;
