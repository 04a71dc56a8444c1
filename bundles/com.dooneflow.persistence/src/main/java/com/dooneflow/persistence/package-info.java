/** Persistence, the secret vault and access control; nothing here is exported: the API bundle is the contract. */
package com.dooneflow.persistence;
