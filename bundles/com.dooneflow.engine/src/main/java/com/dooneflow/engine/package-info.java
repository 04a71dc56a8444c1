/** The workflow engine; nothing exported. */
package com.dooneflow.engine;
