package com.dooneflow.testing;

import com.dooneflow.api.store.SecretVault;
import com.dooneflow.testing.contract.SecretVaultContract;

class InMemorySecretVaultContractTest extends SecretVaultContract {

    private final InMemorySecretVault vault = new InMemorySecretVault();

    @Override
    protected SecretVault vault() {
        return vault;
    }
}
