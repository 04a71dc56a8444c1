package com.dooneflow.itests.acme;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.NotFoundException;
import javax.ws.rs.PATCH;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

/**
 * A third party's settings resource, packed with {@code settings-fixture/acme} into a bundle that the browser test
 * drops into the distribution's {@code deploy/}: named Acme accounts ({@code many} entries) kept in memory per
 * organization, with a write-only {@code apiKey} and a Test action. Each entry remembers which fields its last PATCH
 * sent ({@code patched}), so the test can see that the console sends only what changed.
 */
@Path("v1/organizations/{orgId}/integrations/acme")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AcmeAccountsResource {

    private final Map<String, Map<String, Map<String, Object>>> accounts = new ConcurrentHashMap<>();

    @GET
    public Map<String, Object> list(@PathParam("orgId") String org) {
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("items", of(org).values().stream().map(AcmeAccountsResource::shown).toList());
        page.put("nextCursor", null);
        return page;
    }

    @POST
    public Response create(@PathParam("orgId") String org, Map<String, Object> body) {
        List<Map<String, String>> errors = new ArrayList<>();
        if (!(body.get("name") instanceof String name) || name.isBlank()) {
            errors.add(Map.of("field", "name", "message", "is required"));
        } else if (of(org).values().stream().anyMatch(a -> name.equals(a.get("name")))) {
            errors.add(Map.of("field", "name", "message", "is already the name of another account"));
        }
        if (!(body.get("apiKey") instanceof String key) || key.isBlank()) {
            errors.add(Map.of("field", "apiKey", "message", "is required"));
        }
        if (!errors.isEmpty()) {
            Map<String, Object> problem = new LinkedHashMap<>();
            problem.put("title", "The Acme account is not valid");
            problem.put("status", 422);
            problem.put("errors", errors);
            return Response.status(422).type(MediaType.APPLICATION_JSON).entity(problem).build();
        }
        Map<String, Object> account = new ConcurrentHashMap<>(body);
        account.put("id", UUID.randomUUID().toString());
        account.put("status", "ready");
        of(org).put((String) account.get("id"), account);
        return Response.status(201).entity(shown(account)).build();
    }

    @GET
    @Path("{id}")
    public Map<String, Object> get(@PathParam("orgId") String org, @PathParam("id") String id) {
        return shown(account(org, id));
    }

    @PATCH
    @Path("{id}")
    public Map<String, Object> update(@PathParam("orgId") String org, @PathParam("id") String id,
                                      Map<String, Object> body) {
        Map<String, Object> account = account(org, id);
        body.forEach((k, v) -> {
            if (v == null) {
                account.remove(k);
            } else {
                account.put(k, v);
            }
        });
        account.put("patched", List.copyOf(body.keySet()));
        return shown(account);
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("orgId") String org, @PathParam("id") String id) {
        of(org).remove(account(org, id).get("id"));
        return Response.noContent().build();
    }

    @POST
    @Path("{id}/test")
    public Map<String, Object> test(@PathParam("orgId") String org, @PathParam("id") String id) {
        Map<String, Object> account = account(org, id);
        return Map.of("ok", true, "message", "Acme answered for " + account.get("name") + " in " + account.get("region"));
    }

    private Map<String, Map<String, Object>> of(String org) {
        return accounts.computeIfAbsent(org, o -> new ConcurrentHashMap<>());
    }

    private Map<String, Object> account(String org, String id) {
        Map<String, Object> account = of(org).get(id);
        if (account == null) {
            throw new NotFoundException();
        }
        return account;
    }

    /** The account as answered: the API key only as {@code apiKeySet}. */
    private static Map<String, Object> shown(Map<String, Object> account) {
        Map<String, Object> out = new LinkedHashMap<>(account);
        out.remove("apiKey");
        out.put("apiKeySet", account.get("apiKey") != null);
        return out;
    }
}
