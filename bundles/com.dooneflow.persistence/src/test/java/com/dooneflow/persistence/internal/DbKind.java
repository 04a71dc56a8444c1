package com.dooneflow.persistence.internal;

/** The two databases DooneFlow runs on; every database test runs once on each. */
enum DbKind {
    H2, POSTGRES
}
