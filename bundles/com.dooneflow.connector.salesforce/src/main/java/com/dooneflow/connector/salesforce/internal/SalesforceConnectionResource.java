package com.dooneflow.connector.salesforce.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.annotation.security.PermitAll;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.PATCH;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.dooneflow.api.AuthenticatedCaller;
import com.dooneflow.api.Page;
import com.dooneflow.api.Principal;
import com.dooneflow.api.WorkflowService;
import com.dooneflow.api.rest.DooneFlowResource;
import com.dooneflow.api.rest.ProblemDetails;
import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * {@code /v1/organizations/{orgId}/integrations/salesforce}: the organization's Salesforce connections, the start
 * of the OAuth flow ({@code POST .../{id}/connect}) and the public callback the browser returns to.
 */
@Component(service = SalesforceConnectionResource.class)
@DooneFlowResource
@Path("v1/organizations/{orgId}/integrations/salesforce")
@Produces(MediaType.APPLICATION_JSON)
public class SalesforceConnectionResource {

    /**
     * The web console's security headers, on the callback's HTML page too (it needs no more: no script, no style):
     * the page may not be framed (clickjacking), and its address, which carries the authorization code, is never
     * sent on as a referrer.
     */
    private static final Map<String, String> HTML_SECURITY_HEADERS = Map.of(
            "Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                    + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "no-referrer",
            "X-Frame-Options", "DENY");

    private final SalesforceConnections connections;
    private final WorkflowService workflows;

    @Activate
    public SalesforceConnectionResource(@Reference SalesforceConnections connections,
                                        @Reference WorkflowService workflows) {
        this.connections = connections;
        this.workflows = workflows;
    }

    @GET
    public Map<String, Object> list(@Context SecurityContext security, @PathParam("orgId") String orgId,
                                    @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        Page<Map<String, Object>> page = connections.list(caller(security), orgId, ConnectionPages.limit(limit),
                cursor);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", page.items());
        body.put("nextCursor", page.nextCursor()); // null on the last page, and written so
        return body;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Context SecurityContext security, @PathParam("orgId") String orgId, ConnectionBody body) {
        return Response.status(201).entity(connections.create(caller(security), orgId, body)).build();
    }

    @GET
    @Path("{id}")
    public Map<String, Object> get(@Context SecurityContext security, @PathParam("orgId") String orgId,
                                   @PathParam("id") String id) {
        return connections.get(caller(security), orgId, id);
    }

    @PATCH
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> update(@Context SecurityContext security, @PathParam("orgId") String orgId,
                                      @PathParam("id") String id, ConnectionBody body) {
        Principal caller = caller(security);
        Object before = connections.get(caller, orgId, id).get("name");
        Map<String, Object> connection = connections.update(caller, orgId, id, body);
        Object after = connection.get("name");
        if (before.equals(after)) {
            return connection;
        }
        // Workflows name their connection: they follow the rename (see ConnectionRenames).
        ConnectionRenames.Outcome outcome = ConnectionRenames.follow(workflows, caller, orgId, (String) before,
                (String) after);
        Map<String, Object> answer = new LinkedHashMap<>(connection);
        answer.put("workflowsUpdated", outcome.updated());
        if (!outcome.notUpdated().isEmpty()) {
            answer.put("workflowsNotUpdated", outcome.notUpdated());
        }
        return answer;
    }

    @DELETE
    @Path("{id}")
    public Response delete(@Context SecurityContext security, @PathParam("orgId") String orgId,
                           @PathParam("id") String id) {
        connections.delete(caller(security), orgId, id);
        return Response.noContent().build();
    }

    /** Starts (or restarts: "Reconnect") the authorization; the UI sends the browser to {@code authorizeUrl}. */
    @POST
    @Path("{id}/connect")
    public Map<String, Object> connect(@Context SecurityContext security, @PathParam("orgId") String orgId,
                                       @PathParam("id") String id) {
        return Map.of("authorizeUrl", connections.connect(caller(security), orgId, id));
    }

    /**
     * Where Salesforce sends the browser back. Public (the browser carries no API token): the single-use state
     * is what authenticates it. Browsers get a small HTML page, API clients JSON.
     */
    @GET
    @PermitAll
    @Path("oauth/callback")
    @Produces({MediaType.TEXT_HTML, MediaType.APPLICATION_JSON})
    public Response callback(@PathParam("orgId") String orgId, @QueryParam("state") String state,
                             @QueryParam("code") String code, @QueryParam("error") String error,
                             @QueryParam("error_description") String errorDescription, @Context HttpHeaders headers) {
        AuthorizationFlow.CallbackResult result = connections.callback(orgId, state, code, error, errorDescription);
        boolean html = headers != null && headers.getAcceptableMediaTypes().stream()
                .anyMatch(t -> t.isCompatible(MediaType.TEXT_HTML_TYPE) && !t.isWildcardType());
        return html ? htmlPage(orgId, result) : json(result);
    }

    private static Response json(AuthorizationFlow.CallbackResult result) {
        Map<String, Object> body;
        String type;
        if (result.status() == 200) {
            type = MediaType.APPLICATION_JSON;
            body = new LinkedHashMap<>();
            body.put("status", "connected");
            body.put("message", result.message());
            body.put("connection", result.connection());
        } else {
            type = ProblemDetails.MEDIA_TYPE;
            body = new ProblemDetails("salesforce-authorization", "Salesforce authorization failed", result.status(),
                    result.message()).body();
        }
        try {
            // Written here, as a String, so the answer is the same whichever JSON provider is present.
            return Response.status(result.status()).type(type).entity(Json.MAPPER.writeValueAsString(body)).build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The answer to the browser, with a link back to the web console's Integrations page. */
    private static Response htmlPage(String orgId, AuthorizationFlow.CallbackResult result) {
        String title = result.status() == 200 ? "Salesforce connected" : "Salesforce connection failed";
        String integrations = "/organizations/" + URLEncoder.encode(orgId, StandardCharsets.UTF_8).replace("+", "%20")
                + "/integrations";
        String page = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + title + "</title></head><body>"
                + "<h1>" + title + "</h1><p>" + escape(result.message()) + "</p>"
                + "<p><a id=\"back-to-integrations\" href=\"" + escape(integrations) + "\">Back to Integrations</a></p>"
                + "</body></html>";
        Response.ResponseBuilder answer = Response.status(result.status()).type(MediaType.TEXT_HTML + ";charset=utf-8")
                .entity(page);
        HTML_SECURITY_HEADERS.forEach(answer::header);
        return answer.build();
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static Principal caller(SecurityContext security) {
        return AuthenticatedCaller.principal(security.getUserPrincipal());
    }
}
