/** The plugin SPI: what a connector bundle implements (action handlers, trigger sources) and what it is handed. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.7.0")
package com.dooneflow.api.spi;
