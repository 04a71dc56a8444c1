/** Karaf console commands, scope dooneflow; nothing exported. */
package com.dooneflow.shell;
