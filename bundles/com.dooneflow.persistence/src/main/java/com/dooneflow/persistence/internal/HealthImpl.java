package com.dooneflow.persistence.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.dooneflow.api.Health;
import com.dooneflow.api.LeaseService;

/** Registered only once the database is migrated (it needs {@link Database}); answers with a live ping. */
@Component(service = Health.class)
public class HealthImpl implements Health {

    private final Database db;
    private final String nodeId;
    private final SecretVaultImpl vault;

    @Activate
    public HealthImpl(@Reference Database db, @Reference LeaseService leases, @Reference SecretVaultImpl vault) {
        this.db = db;
        this.nodeId = leases.nodeId();
        this.vault = vault;
    }

    @Override
    public Map<String, String> check() {
        Map<String, String> result = new LinkedHashMap<>();
        result.put("database", db.ping() ? "UP" : "database does not answer");
        if ("UP".equals(result.get("database"))) {
            // A node that cannot unwrap the active data key cannot read any secret: not ready.
            String keyring;
            try {
                keyring = vault.keyringProblem();
            } catch (RuntimeException e) {
                keyring = "the keyring cannot be read from the database";
            }
            result.put("keyring", keyring == null ? "UP" : keyring);
        }
        return result;
    }

    @Override
    public Map<String, String> info() {
        return Map.of("database", db.isPostgres() ? "postgresql" : "h2", "node", nodeId);
    }
}
