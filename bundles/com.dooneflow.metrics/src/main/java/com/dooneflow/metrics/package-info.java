/** Prometheus metrics of the whole installation; no public API (parts record through Micrometer's global registry). */
package com.dooneflow.metrics;
