package com.dooneflow.api.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AuthorizationUrlTest {

    private static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

    @Test
    void aCodeRequestCarriesEveryValueEncodedAndTheS256Challenge() {
        String url = AuthorizationUrl.code("https://login.example.com/authorize", "client 1",
                "https://df.example.com/cb?x=1", "api offline_access", "conn-1.abc", VERIFIER).build();

        assertThat(url).isEqualTo("https://login.example.com/authorize?response_type=code&client_id=client+1"
                + "&redirect_uri=https%3A%2F%2Fdf.example.com%2Fcb%3Fx%3D1&scope=api+offline_access"
                + "&state=conn-1.abc&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
                + "&code_challenge_method=S256");
    }

    @Test
    void anEndpointsOwnQueryIsKeptAndAbsentExtrasAreLeftOut() {
        String url = AuthorizationUrl.code("https://idp.example.com/auth?tenant=a", "c", "https://r", "s", "t",
                VERIFIER).param("login_hint", "sales@contoso.com").param("prompt", null).build();

        assertThat(url).startsWith("https://idp.example.com/auth?tenant=a&response_type=code&")
                .endsWith("&code_challenge_method=S256&login_hint=sales%40contoso.com")
                .doesNotContain("prompt");
    }
}
