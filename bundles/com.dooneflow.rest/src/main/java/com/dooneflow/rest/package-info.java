/** The REST API under /v1 (JAX-RS whiteboard); nothing exported. */
package com.dooneflow.rest;
