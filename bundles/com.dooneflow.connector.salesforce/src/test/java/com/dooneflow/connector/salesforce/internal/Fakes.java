package com.dooneflow.connector.salesforce.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.dooneflow.api.Principal;

/** The callers the tests use and small helpers (the core services are in com.dooneflow.testing). */
final class Fakes {

    static final String ORG = "org-1";
    static final Principal OWNER = Principal.user("u-owner", "owner@example.com", "t1", null);
    static final Principal MEMBER = Principal.user("u-member", "member@example.com", "t2", null);
    static final Principal STRANGER = Principal.user("u-stranger", "x@example.com", "t3", null);

    private Fakes() {
    }

    static Map<String, Object> params(Object... pairs) {
        Map<String, Object> p = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            p.put((String) pairs[i], pairs[i + 1]);
        }
        return p;
    }

    static List<String> names(List<Map<String, Object>> views) {
        List<String> out = new ArrayList<>();
        views.forEach(v -> out.add(String.valueOf(v.get("name"))));
        return out;
    }
}
